// The database server of a benchmark. Default: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the
// PostgreSQL on 127.0.0.1:5432. With --embedded: the embedded PostgreSQL npm start runs (the same
// scripts/embedded-db.mjs, production settings: durability on), in a temporary data folder
// (.data/bench-postgres/run-<pid>) on BENCH_EMBEDDED_DB_PORT or a free port; stop() removes it.
// The benchmark creates and drops its own database on the server either way.
import fs from "node:fs";
import path from "node:path";
import { describeUrl, isAlive, startEmbeddedDatabase } from "../lib/database.mjs";
import { root, seconds } from "../lib/log.mjs";

const RUNS = path.join(root, ".data", "bench-postgres");

export async function benchDatabaseServer({ label, embedded }) {
  const log = (...a) => console.log(`[${label}]`, ...a);
  if (!embedded) {
    const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
    log(`database server: ${describeUrl(adminUrl).replace(/\/[^/]*$/, "")} (--embedded for the embedded PostgreSQL)`);
    return { adminUrl, kind: "postgres", stop: async (_options) => {} };
  }
  if (fs.existsSync(RUNS)) {
    for (const name of fs.readdirSync(RUNS)) {
      const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
      if (pid && !isAlive(pid)) fs.rmSync(path.join(RUNS, name), { recursive: true, force: true });
    }
  }
  const runDir = path.join(RUNS, `run-${process.pid}`);
  const server = await startEmbeddedDatabase({ dir: path.join(runDir, "postgres"), port: Number(process.env.BENCH_EMBEDDED_DB_PORT || 0) });
  log(`database server: the embedded PostgreSQL on 127.0.0.1:${server.port} (ready in ${seconds(server.startedInMs)}, ${path.relative(root, runDir)})`);
  let stopped = false;
  return {
    adminUrl: server.url,
    kind: "embedded",
    /** Stops the server; its data folder is removed unless `keep` (then: started again by hand with scripts/embedded-db.mjs --dir). */
    stop: async ({ keep = false } = {}) => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (keep) log(`the embedded PostgreSQL is stopped; its data folder is kept: ${path.relative(root, runDir)}/postgres`);
      else fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
