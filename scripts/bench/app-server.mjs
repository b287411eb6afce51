// How the benchmarks start the app: as `npm start` serves it — the supervisor scripts/cluster.mjs with
// WEB_CONCURRENCY web processes (default: the cores) and the worker — or, with BENCH_SERVER=single, one
// all-in-one scripts/server.mjs (the pre-cluster server, for a before/after in one sitting).
// Also: the processes of the running cluster (from /api/health) and their peak RSS (VmHWM).
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import readline from "node:readline";
import { root } from "../lib/log.mjs";

export const serverMode = () => (process.env.BENCH_SERVER === "single" ? "single" : "cluster");

/**
 * Starts the server on `port` with `env`; resolves with the child once every process is ready.
 * `onExit(code, signal)` is called if it exits on its own. BENCH_VERBOSE=1 shows its output. `mode`
 * "single" | "cluster" (default: BENCH_SERVER).
 */
export async function startAppServer({ port, env, label, onExit, nodeArgs = [], mode = serverMode() }) {
  const single = mode === "single";
  const script = path.join(root, "scripts", single ? "server.mjs" : "cluster.mjs");
  const childEnv = { ...env, PORT: String(port) };
  if (single) childEnv.SERVER_ROLE = "all";
  else delete childEnv.SERVER_ROLE;
  // Profiling flags (BENCH_SERVER_NODE_ARGS) reach the web processes too: node:cluster forks with execArgv.
  const child = spawn(process.execPath, [...nodeArgs, script, "--port", String(port)], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
  let ready = false;
  const readyLine = new Promise((resolve) => {
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      if (process.env.BENCH_VERBOSE) console.log(line);
      if (!ready && line.includes("[aqstream] ready on")) {
        ready = true;
        resolve();
      }
    });
  });
  child.on("exit", (code, signal) => onExit?.(code, signal));
  const started = Date.now();
  if (single) {
    for (;;) {
      if (Date.now() - started > 60_000) throw new Error(`[${label}] the server did not answer within 60 s`);
      if ((await request(port, "/api/health/live").catch(() => null))?.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } else {
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`[${label}] the cluster was not ready within 120 s`)), 120_000).unref());
    await Promise.race([readyLine, timeout]);
  }
  return child;
}

function request(port, pathname) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: pathname, agent: false, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
  });
}

/**
 * The server's processes as [{ name, role, pid }]: the cluster's list from /api/health, or the single
 * process itself.
 */
export async function appProcesses(port, serverPid) {
  const res = await request(port, "/api/health");
  const health = JSON.parse(res.body);
  if (!health.cluster) return [{ name: "all-in-one", role: "all", pid: serverPid }];
  return health.cluster.processes.map((p) => ({ name: p.name, role: p.role, pid: p.pid }));
}

/** Peak and current resident memory of a process in MB (VmHWM / VmRSS of /proc/<pid>/status), or null when gone. */
export function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
  } catch {
    return null;
  }
}

/** One line per process: "web-1 (pid 123) peak 310.2 MB", and the largest web (or all-in-one) peak. */
export function describePeaks(processes) {
  const rows = processes.map((p) => ({ ...p, memory: memoryOf(p.pid) }));
  const serving = rows.filter((r) => r.role !== "worker" && r.memory);
  const maxWebPeakMb = serving.length ? Math.max(...serving.map((r) => r.memory.peakMb)) : NaN;
  const sumPeakMb = rows.reduce((s, r) => s + (r.memory?.peakMb ?? 0), 0);
  const text = rows.map((r) => `${r.name} (pid ${r.pid}) ${r.memory ? `peak ${r.memory.peakMb.toFixed(1)} MB` : "gone"}`).join(", ");
  return { text, maxWebPeakMb, sumPeakMb };
}
