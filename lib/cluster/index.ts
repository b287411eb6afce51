// This process within the deployment: its role (SERVER_ROLE), its name in the supervisor's cluster
// (scripts/cluster.mjs), and the health report /api/health answers (docs/deployment.md).
import "server-only";
import { pgPool } from "@/lib/db";
import { env } from "@/lib/env";

export type ServerRole = "web" | "worker" | "all";

/** One process as the supervisor sees it (sent to every child over IPC by scripts/cluster.mjs). */
export type ClusterProcess = { name: string; role: "web" | "worker"; pid: number | null; restarts: number; ready: boolean; port: number | null };

/** What scripts/server.mjs keeps on globalThis for the app (under CLUSTER_STATE_KEY). */
export type ClusterState = { instance: string; supervisorPid: number | null; processes: ClusterProcess[] };

/** Shared with scripts/server.mjs (plain JavaScript): the same global symbol. */
export const CLUSTER_STATE_KEY = Symbol.for("aqstream.cluster");

export function serverRole(): ServerRole {
  return env().SERVER_ROLE;
}

/** Whether this process runs the background work (job runner or outbox relay, crons, Telegram transport). */
export function runsBackgroundWork(role: ServerRole = serverRole()): boolean {
  return role !== "web";
}

export function clusterState(): ClusterState | null {
  return ((globalThis as Record<symbol, unknown>)[CLUSTER_STATE_KEY] as ClusterState | undefined) ?? null;
}

export type Liveness = { ok: true; role: ServerRole; pid: number; instance: string | null };

/** The process answers: no database involved (the trivial route of the benchmarks, a liveness probe). */
export function liveness(): Liveness {
  return { ok: true, role: serverRole(), pid: process.pid, instance: clusterState()?.instance ?? null };
}

/** `cluster` is null outside npm start's supervisor (npm run dev, a single scripts/server.mjs). */
export type HealthReport = Omit<Liveness, "ok"> & {
  ok: boolean;
  database: "ok" | "unreachable";
  uptimeSeconds: number;
  cluster: { supervisorPid: number | null; processes: ClusterProcess[] } | null;
};

/** Readiness: the process answers and reaches the database within `timeoutMs`. */
export async function healthReport({ timeoutMs = 2_000 }: { timeoutMs?: number } = {}): Promise<HealthReport> {
  let database: HealthReport["database"] = "ok";
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pgPool().query("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
      }),
    ]);
  } catch {
    database = "unreachable";
  } finally {
    clearTimeout(timer);
  }
  const state = clusterState();
  return {
    ...liveness(),
    ok: database === "ok",
    database,
    uptimeSeconds: Math.round(process.uptime()),
    cluster: state?.supervisorPid ? { supervisorPid: state.supervisorPid, processes: state.processes } : null,
  };
}
