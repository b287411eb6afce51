// The database the app and the tools use: a given DATABASE_URL, or the embedded PostgreSQL
// (scripts/embedded-db.mjs: the real PostgreSQL 17 from npm) in a child process. Also: migrations and
// the demo seed.
// `pg` is imported lazily: this module loads before dependencies are installed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fail, log, root, seconds } from "./log.mjs";
import { bin, run, runOrExit } from "./proc.mjs";

/** The line scripts/embedded-db.mjs prints, followed by its connection string, once it accepts connections. */
export const READY_PREFIX = "[embedded-db] ready ";

/** Data folder, port and connection limit of the embedded PostgreSQL, and the app's database on it. */
export const EMBEDDED_DEFAULTS = { dir: ".data/postgres", port: 54329, maxConnections: 100, database: "aqstream" };

/** `host:port/database` of a connection string, for messages (never prints the password). */
export function describeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

/** The same server, another database. */
export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** The command line of a process (Linux /proc), or null when it cannot be read here. */
export function processCommand(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return null;
  }
}

/** <dir>.lock: the process serving an embedded data folder and, once it is ready, its port and URL. */
export function lockFileOf(dataDir) {
  return `${path.resolve(root, dataDir)}.lock`;
}

/** The running embedded server of `dir` ({ pid, port, url }), or null when none serves it. */
export function runningEmbeddedServer(dir) {
  try {
    const state = JSON.parse(fs.readFileSync(lockFileOf(dir), "utf8"));
    return state.url && isAlive(state.pid) ? state : null;
  } catch {
    return null;
  }
}

/** Connects to `url` and runs SELECT 1: null when that works, else the error (with its code). */
async function probe(url, timeoutMs) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** True when a real connection to `url` succeeds within `timeoutMs`. */
export async function canConnect(url, timeoutMs = 2000) {
  return (await probe(url, timeoutMs)) === null;
}

/** Ensures the database of `url` answers; creates it when the server is up but the database does not exist. */
export async function ensureDatabaseExists(url, { quiet = false } = {}) {
  const error = await probe(url, 5000);
  if (!error) return;
  if (error.code !== "3D000") {
    throw new Error(`cannot connect to ${describeUrl(url)}: ${error.message}`);
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres"), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    if (!quiet) log(`created the database ${name} on ${describeUrl(url).replace(/\/[^/]*$/, "")}`);
  } catch (createError) {
    if (createError.code === "42P04") return; // created meanwhile by someone else
    throw new Error(`the database ${name} does not exist and could not be created: ${createError.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts scripts/embedded-db.mjs and resolves once PostgreSQL accepts connections, with its server URL
 * (database "postgres"), its port and a stop() that shuts it down cleanly. The child has its own process
 * group (a Ctrl-C in the terminal reaches only the app, which then stops the database in order) and an
 * IPC channel (it stops by itself when this process dies). `exited` resolves with the child's exit code;
 * after it was ready, that means PostgreSQL failed for good (it restarts it after a crash otherwise).
 */
export function startEmbeddedDatabase({ dir, port, maxConnections = EMBEDDED_DEFAULTS.maxConnections, fast = false, timeoutMs = 120_000 }) {
  const started = Date.now();
  const args = [path.join(root, "scripts", "embedded-db.mjs"), "--dir", dir, "--port", String(port), "--max-connections", String(maxConnections)];
  if (fast) args.push("--fast");
  const child = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));

  return new Promise((resolve, reject) => {
    let ready = false;
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the embedded PostgreSQL did not start within ${seconds(timeoutMs)}`));
    }, timeoutMs);

    child.stderr.on("data", (chunk) => {
      if (ready) process.stderr.write(chunk);
      else stderr += chunk;
      // Progress lines (creating the cluster, stopping a leftover server) are shown as they come.
      if (!ready) for (const line of String(chunk).split("\n")) if (/^\[embedded-db\] (creating|stopping|removing)/.test(line)) log(line.replace(/^\[embedded-db\] /, ""));
    });
    let buffered = "";
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!ready && line.startsWith(READY_PREFIX)) {
          ready = true;
          clearTimeout(timer);
          const url = line.slice(READY_PREFIX.length).trim();
          resolve({ url, port: Number(new URL(url).port), pid: child.pid, startedInMs: Date.now() - started, exited, stop: () => stop(child, exited, dir) });
        } else if (line) {
          console.log(line);
        }
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      if (ready) return;
      const reasons = stderr
        .split("\n")
        .filter((l) => l && !/^\[embedded-db\] (creating|stopping|removing)/.test(l))
        .map((l) => l.replace(/^\[embedded-db\] /, ""));
      reject(new Error(reasons.join("\n") || `the embedded database exited with code ${code}`));
    });
  });
}

/**
 * Asks the database process to stop (PostgreSQL's fast shutdown); kills it after 30 s. When that
 * process was killed outright, the PostgreSQL it ran lives on: it is stopped here from its lock file.
 */
async function stop(child, exited, dir) {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(killer);
  }
  let state;
  try {
    state = JSON.parse(fs.readFileSync(lockFileOf(dir), "utf8"));
  } catch {
    return; // removed by a clean stop
  }
  const server = Number(state.serverPid);
  if (state.pid !== child.pid || !server || !isAlive(server) || !/postgres/.test(processCommand(server) ?? "postgres")) return;
  log(`stopping the PostgreSQL (process ${server}) of the embedded database process that was killed…`);
  for (const [signal, waitMs] of [["SIGINT", 15_000], ["SIGQUIT", 5_000], ["SIGKILL", 5_000]]) {
    try {
      process.kill(server, signal);
    } catch {
      break;
    }
    const until = Date.now() + waitMs;
    while (Date.now() < until && isAlive(server)) await new Promise((r) => setTimeout(r, 100));
    if (!isAlive(server)) break;
  }
  fs.rmSync(lockFileOf(dir), { force: true });
}

/** EMBEDDED_DB_DIR / EMBEDDED_DB_PORT, or the defaults. */
export function embeddedSettings() {
  return {
    dir: process.env.EMBEDDED_DB_DIR || EMBEDDED_DEFAULTS.dir,
    port: Number(process.env.EMBEDDED_DB_PORT || EMBEDDED_DEFAULTS.port),
  };
}

/**
 * The database for npm start / npm run dev: DATABASE_URL when set (checked to answer), else the
 * embedded PostgreSQL in EMBEDDED_DB_DIR on EMBEDDED_DB_PORT with the app's database "aqstream".
 * Returns { url, embedded, stop, exited? }.
 */
export async function appDatabase() {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    try {
      await ensureDatabaseExists(url);
    } catch (error) {
      fail(`${error.message}. Start that database, or unset DATABASE_URL to use the embedded one.`);
    }
    log(`using DATABASE_URL (${describeUrl(url)})`);
    return { url, embedded: false, stop: async () => {} };
  }
  const { dir, port } = embeddedSettings();
  if (fs.existsSync(path.join(root, ".data", "pglite")) && path.resolve(root, dir) !== path.join(root, ".data", "pglite")) {
    log("note: .data/pglite holds the data of the former embedded database (PGlite), which is no longer used; delete it when you no longer need it");
  }
  log(`starting the embedded PostgreSQL (${dir}, 127.0.0.1:${port})…`);
  let db;
  try {
    db = await startEmbeddedDatabase({ dir, port });
  } catch (error) {
    fail(`the embedded PostgreSQL did not start: ${error.message}`);
  }
  const url = withDatabase(db.url, EMBEDDED_DEFAULTS.database);
  try {
    await ensureDatabaseExists(url);
  } catch (error) {
    await db.stop();
    fail(error.message);
  }
  log(`embedded PostgreSQL ready on 127.0.0.1:${db.port} in ${seconds(db.startedInMs)}`);
  return { ...db, url, embedded: true };
}

/**
 * The database for one-off tools (npm run db:migrate / db:seed / admin:create): DATABASE_URL when set;
 * else the embedded one, through the running npm start / npm run dev when there is one, or started
 * for the tool and stopped after it. Returns { url, embedded, stop }.
 */
export async function toolDatabase() {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    await ensureDatabaseExists(url);
    log(`using DATABASE_URL (${describeUrl(url)})`);
    return { url, embedded: false, stop: async () => {} };
  }
  const { dir, port } = embeddedSettings();
  const running = runningEmbeddedServer(dir);
  if (running) {
    const url = withDatabase(running.url, EMBEDDED_DEFAULTS.database);
    await ensureDatabaseExists(url);
    log(`using the embedded PostgreSQL of the running server (${dir}, 127.0.0.1:${running.port})`);
    return { url, embedded: true, stop: async () => {} };
  }
  log(`starting the embedded PostgreSQL (${dir}, 127.0.0.1:${port})…`);
  const db = await startEmbeddedDatabase({ dir, port });
  const url = withDatabase(db.url, EMBEDDED_DEFAULTS.database);
  try {
    await ensureDatabaseExists(url);
  } catch (error) {
    await db.stop();
    throw error;
  }
  return { url, embedded: true, stop: db.stop };
}

function migrationNames() {
  const dir = path.join(root, "prisma", "migrations");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, "migration.sql")))
    .sort();
}

/** Names of the migrations recorded as applied, or null when the database has no migration table yet. */
async function appliedMigrations(url) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    return new Set(rows.map((r) => r.migration_name));
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Ensures every migration in prisma/migrations is applied (prisma migrate deploy, skipped when nothing is pending). */
export async function migrateDatabase(url) {
  const applied = await appliedMigrations(url);
  const pending = migrationNames().filter((name) => !applied?.has(name));
  if (applied && pending.length === 0) return;
  log(`applying ${pending.length} database migration(s)…`);
  await runOrExit(bin("prisma"), ["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, quiet: true });
}

/** Runs the idempotent demo seed (prisma/seed.ts) when it exists; it prints the demo logins. */
export async function seedDatabase(env) {
  const seed = path.join(root, "prisma", "seed.ts");
  if (!fs.existsSync(seed)) return;
  log("seeding demo data (quick when it is already there)…");
  const code = await run(bin("tsx"), ["--conditions=react-server", seed], { env });
  if (code !== 0) fail(`the demo seed (prisma/seed.ts) failed (exit code ${code})`, code);
}
