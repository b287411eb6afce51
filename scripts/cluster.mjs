#!/usr/bin/env node
// The production supervisor (npm start runs it; docs/deployment.md): every core serves requests, and
// background work runs in a process of its own.
//
//   • WEB_CONCURRENCY web processes (default: the number of cores, os.availableParallelism()) forked with
//     node:cluster: scripts/server.mjs with SERVER_ROLE=web, all sharing PORT (the supervisor accepts the
//     connections and hands them out in turn). They start no background work.
//   • ONE worker process: scripts/server.mjs with SERVER_ROLE=worker — the embedded job runner (or the
//     outbox relay to Inngest), the crons and the Telegram transport; it answers /api/health only, on
//     WORKER_HOSTNAME:WORKER_PORT (127.0.0.1 and a free port by default).
//   • SERVER_ROLE=web (a container of a scaled web service: docs/deployment.md): web processes only, no
//     worker — the worker runs elsewhere (its own container: node scripts/server.mjs with SERVER_ROLE=worker).
//   • Each process gets DATABASE_POOL_SIZE connections, derived from DATABASE_CONNECTION_BUDGET and the
//     number of processes (scripts/lib/cluster-plan.mjs), so that all of them fit PostgreSQL's
//     max_connections.
//   • Every output line is prefixed with the process's name and pid ("[web-2 4711] …").
//   • A process that stops unexpectedly is started again after a backoff (0.5 s, doubling, at most 15 s);
//     more than 5 crashes of one process within a minute is a crash loop: everything stops, exit code 1.
//     A process that fails while the cluster starts stops everything at once (a configuration problem).
//   • SIGINT / SIGTERM: every process finishes its requests in flight and stops (SHUTDOWN_TIMEOUT_MS);
//     then the supervisor exits 0 — npm start stops the embedded PostgreSQL after it.
//   • The supervisor tells every process the cluster's state over IPC: /api/health lists the processes.
//
// Usage: node scripts/cluster.mjs [--port N]   (PORT, WEB_CONCURRENCY, DATABASE_CONNECTION_BUDGET, …)
import cluster from "node:cluster";
import { fork } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { createRestartPolicy, poolPlan, webConcurrency } from "./lib/cluster-plan.mjs";

const SERVER = path.join(import.meta.dirname, "server.mjs");

const say = (message) => console.log(`[cluster] ${message}`);

function main() {
  const { values } = parseArgs({ options: { port: { type: "string", short: "p" } } });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  let webCount;
  let plan;
  let withWorker = true;
  try {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got "${values.port ?? process.env.PORT}"`);
    const role = process.env.SERVER_ROLE?.trim();
    if (role && role !== "web") throw new Error(`the supervisor runs web processes and a worker; SERVER_ROLE may only be "web" here (web processes only), got "${role}"`);
    withWorker = role !== "web";
    webCount = webConcurrency();
    plan = poolPlan({ webProcesses: webCount, worker: withWorker });
  } catch (error) {
    console.error(`[cluster] cannot start: ${error.message}`);
    process.exit(1);
  }
  const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10_000);
  process.title = "aqstream-supervisor";
  say(
    `supervisor pid ${process.pid}: ${webCount} web process${webCount === 1 ? "" : "es"} on port ${port}${withWorker ? " + 1 worker" : " (no worker: SERVER_ROLE=web)"}; ` +
      `${plan.poolSize} database connections per process (+2 dedicated; ${plan.total} of DATABASE_CONNECTION_BUDGET=${plan.budget})`,
  );

  // The worker reaches the web processes on this machine (its revalidation requests), not through APP_URL.
  const listenHost = process.env.HOSTNAME?.trim();
  const localHost = !listenHost || listenHost === "0.0.0.0" || listenHost === "::" || !/^[\d.:]+$|^localhost$/.test(listenHost) ? "127.0.0.1" : listenHost;
  const internalUrl = process.env.INTERNAL_APP_URL?.trim() || (withWorker ? `http://${localHost.includes(":") ? `[${localHost}]` : localHost}:${port}` : undefined);
  const baseEnv = {
    ...process.env,
    DATABASE_POOL_SIZE: String(plan.poolSize),
    WEB_CONCURRENCY: String(webCount),
    PORT: String(port),
    ...(internalUrl ? { INTERNAL_APP_URL: internalUrl } : {}),
  };
  cluster.setupPrimary({ exec: SERVER, args: ["--port", String(port)], silent: true });

  /** name → { name, role, child, pid, ready, restarts, policy, port } */
  const slots = new Map();
  for (let i = 1; i <= webCount; i++) slots.set(`web-${i}`, { name: `web-${i}`, role: "web", restarts: 0, policy: createRestartPolicy() });
  if (withWorker) slots.set("worker", { name: "worker", role: "worker", restarts: 0, policy: createRestartPolicy() });

  let allReadyOnce = false;
  let stopping = false;
  let exitCode = 0;

  function snapshot() {
    return [...slots.values()].map((s) => ({ name: s.name, role: s.role, pid: s.pid ?? null, restarts: s.restarts, ready: !!s.ready, port: s.port ?? null }));
  }

  function broadcast() {
    const message = { type: "aq:cluster", processes: snapshot() };
    for (const slot of slots.values()) {
      if (slot.child?.connected) slot.child.send(message, () => {});
    }
  }

  function pipe(stream, slot, pid, out) {
    if (!stream) return;
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    lines.on("line", (line) => out.write(`[${slot.name} ${pid}] ${line}\n`));
  }

  function start(slot) {
    const env = { ...baseEnv, SERVER_ROLE: slot.role, AQ_INSTANCE: slot.name };
    let child;
    if (slot.role === "web") {
      const worker = cluster.fork(env);
      child = worker.process;
      slot.exitTarget = worker;
    } else {
      child = fork(SERVER, [], { env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
      slot.exitTarget = child;
    }
    slot.child = child;
    slot.pid = child.pid;
    slot.ready = false;
    pipe(child.stdout, slot, child.pid, process.stdout);
    pipe(child.stderr, slot, child.pid, process.stderr);
    child.on("message", (message) => {
      if (message?.type !== "aq:ready") return;
      slot.ready = true;
      slot.port = message.port;
      say(`${slot.name} (pid ${child.pid}, ${slot.role}) is ready${slot.role === "worker" ? ` (health: http://127.0.0.1:${message.port}/api/health)` : ""}`);
      broadcast();
      if (!allReadyOnce && [...slots.values()].every((s) => s.ready)) {
        allReadyOnce = true;
        console.log(`[aqstream] ready on http://localhost:${port} (${webCount} web process${webCount === 1 ? "" : "es"}${withWorker ? " + worker" : ""}, supervisor pid ${process.pid})`);
      }
    });
    slot.exitTarget.once("exit", (code, signal) => onExit(slot, child, code, signal));
  }

  function onExit(slot, child, code, signal) {
    if (slot.child !== child) return;
    slot.child = null;
    slot.ready = false;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (stopping) {
      say(`${slot.name} (pid ${child.pid}) stopped (${how})`);
      return maybeFinish();
    }
    if (!allReadyOnce) {
      console.error(`[cluster] ${slot.name} (pid ${child.pid}) exited while the cluster was starting (${how}): stopping everything`);
      return stopAll(1);
    }
    const delay = slot.policy.crashed();
    if (delay === null) {
      console.error(
        `[cluster] crash loop: ${slot.name} stopped unexpectedly ${slot.policy.recentCrashes} times within a minute (last: ${how}). ` +
          "Stopping everything; see its output above.",
      );
      return stopAll(1);
    }
    say(`${slot.name} (pid ${child.pid}) stopped unexpectedly (${how}); starting it again in ${delay} ms`);
    broadcast();
    setTimeout(() => {
      if (stopping) return;
      slot.restarts++;
      start(slot);
    }, delay);
  }

  let forceTimer = null;
  function stopAll(code) {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const slot of slots.values()) slot.child?.kill("SIGTERM");
    forceTimer = setTimeout(() => {
      for (const slot of slots.values()) {
        if (slot.child) {
          say(`${slot.name} (pid ${slot.child.pid}) did not stop within ${shutdownTimeoutMs + 5000} ms: killing it`);
          slot.child.kill("SIGKILL");
        }
      }
    }, shutdownTimeoutMs + 5000);
    forceTimer.unref();
    maybeFinish();
  }

  function maybeFinish() {
    if (!stopping || [...slots.values()].some((s) => s.child)) return;
    clearTimeout(forceTimer);
    say(exitCode === 0 ? "every process stopped" : "stopped");
    process.exit(exitCode);
  }

  let signals = 0;
  const onSignal = (signal) => {
    signals++;
    if (signals === 1) {
      say(`${signal}: stopping every process (requests in flight finish first)…`);
      stopAll(0);
    } else if (signals > 2) {
      for (const slot of slots.values()) slot.child?.kill("SIGKILL"); // a third Ctrl-C means "now"
    }
  };
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  // npm start holds this process; if it goes away without a signal (kill -9), stop as on SIGTERM.
  process.on("disconnect", () => onSignal("parent gone"));

  for (const slot of slots.values()) start(slot);
}

if (!cluster.isPrimary) throw new Error("scripts/cluster.mjs is the supervisor; the processes it forks run scripts/server.mjs");
main();
