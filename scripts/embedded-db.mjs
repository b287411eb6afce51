#!/usr/bin/env node
// The embedded PostgreSQL: PGlite (PostgreSQL 17 compiled to WebAssembly) behind a wire-protocol
// server (scripts/lib/pglite-server.mjs), so Prisma, pg and psql talk to it like to any PostgreSQL.
// One process owns one data folder.
//
//   node scripts/embedded-db.mjs [--dir .data/pglite] [--port 54329] [--max-connections 20]
//
// Defaults come from EMBEDDED_DB_DIR / EMBEDDED_DB_PORT. `--dir memory://` keeps everything in memory.
// Prints exactly one line starting with READY_PREFIX when it accepts connections (scripts/lib/database.mjs
// waits for it). Stops cleanly (closing PGlite flushes the data folder) on SIGTERM/SIGINT, and when the
// parent that started it with an IPC channel goes away.
//
// Limits of PGlite that matter here: it serves one database ("postgres"; the database name in the URL
// is ignored, CREATE DATABASE creates nothing you can connect to); it has one session, shared by all
// connections (SET, advisory locks, temporary tables); queries from all connections run one at a time,
// and while one connection is inside a transaction, the others wait.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { EMBEDDED_DEFAULTS, READY_PREFIX } from "./lib/database.mjs";
import { PgliteServer } from "./lib/pglite-server.mjs";

const root = path.resolve(import.meta.dirname, "..");

function parseArgs(argv) {
  const options = {
    dir: process.env.EMBEDDED_DB_DIR || EMBEDDED_DEFAULTS.dir,
    port: Number(process.env.EMBEDDED_DB_PORT || EMBEDDED_DEFAULTS.port),
    maxConnections: EMBEDDED_DEFAULTS.maxConnections,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = inline ?? argv[++i];
    if (flag === "--dir") options.dir = value;
    else if (flag === "--port") options.port = Number(value);
    else if (flag === "--max-connections") options.maxConnections = Number(value);
    else throw new Error(`unknown option ${argv[i]} (use --dir, --port, --max-connections)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error("invalid port");
  return options;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Ensures no other process serves the same data folder (two PGlite instances on one folder corrupt it). */
function acquireLock(dataDir) {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(lockFile, "utf8").trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `the data folder ${path.relative(root, dataDir) || dataDir} is in use by process ${owner} ` +
            "(another npm start / npm run dev?). Stop it, or set DATABASE_URL / EMBEDDED_DB_DIR.",
        );
      }
      fs.rmSync(lockFile, { force: true }); // left behind by a process that died: take it over
    }
  }
  throw new Error(`could not lock ${lockFile}`);
}

/** Fails fast (before PGlite spends seconds starting) when the port is taken. */
function ensurePortFree(port) {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const inMemory = options.dir.startsWith("memory://");
  const dataDir = inMemory ? options.dir : path.resolve(root, options.dir);
  let releaseLock = () => {};
  if (!inMemory) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    releaseLock = acquireLock(dataDir);
  }

  let db;
  let server;
  let stopping;
  const stop = (code = 0) => {
    stopping ??= (async () => {
      try {
        await server?.stop();
        await db?.close();
      } catch (error) {
        console.error(`[embedded-db] error while stopping: ${error.message}`);
        code ||= 1;
      } finally {
        releaseLock();
      }
      process.exit(code);
    })();
    return stopping;
  };
  process.on("SIGTERM", () => stop());
  process.on("SIGINT", () => stop());
  process.on("disconnect", () => stop()); // the parent (npm start / dev / test) went away

  try {
    await ensurePortFree(options.port);
    // Smaller shared buffers than the default 128 MB: they are zeroed at every start (~0.3 s saved).
    const startParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];
    db = await PGlite.create({ dataDir, startParams });
    server = new PgliteServer(db, { host: "127.0.0.1", port: options.port, maxConnections: options.maxConnections });
    await server.start();
  } catch (error) {
    const reason =
      error?.code === "EADDRINUSE"
        ? `port ${options.port} is already in use (set EMBEDDED_DB_PORT to another port)`
        : (error?.message ?? String(error));
    console.error(`[embedded-db] could not start: ${reason}`);
    await stop(1);
    return;
  }
  console.log(`${READY_PREFIX}${server.url}`);
}

main().catch((error) => {
  console.error(`[embedded-db] ${error.message}`);
  process.exit(1);
});
