// The database the app and the tests use: a given DATABASE_URL, or the embedded PostgreSQL
// (scripts/embedded-db.mjs) in a child process. Also: migrations and the demo seed.
// `pg` is imported lazily: this module loads before dependencies are installed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fail, log, root, seconds } from "./log.mjs";
import { bin, run, runOrExit } from "./proc.mjs";

/** The line scripts/embedded-db.mjs prints, followed by its connection string, once it accepts connections. */
export const READY_PREFIX = "[embedded-db] ready ";

export const EMBEDDED_DEFAULTS = { dir: ".data/pglite", port: 54329, maxConnections: 20 };

/** `host:port` of a connection string, for messages (never prints the password). */
export function describeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(unparsable DATABASE_URL)";
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

/** "pglite" or "postgres" for the server behind `url`, or null when it does not answer within `timeoutMs`. */
export async function serverKind(url, timeoutMs = 2000) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query("SELECT version() AS v");
    return /wasm32|emscripten/i.test(rows[0].v) ? "pglite" : "postgres";
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Ensures the database of `url` answers; creates it when the server is up but the database does not exist. */
async function ensureDatabaseExists(url) {
  const error = await probe(url, 5000);
  if (!error) return;
  if (error.code !== "3D000") {
    fail(`cannot connect to DATABASE_URL (${describeUrl(url)}): ${error.message}. Start that database, or unset DATABASE_URL to use the embedded one.`);
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const server = new URL(url);
  server.pathname = "/postgres";
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: server.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    log(`created the database ${name} on ${describeUrl(server.toString()).replace(/\/postgres$/, "")}`);
  } catch (createError) {
    fail(`the database ${name} does not exist and could not be created: ${createError.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts scripts/embedded-db.mjs and resolves once it accepts connections, with its URL and a stop()
 * that shuts it down cleanly. The child has its own process group (a Ctrl-C in the terminal reaches
 * only the app, which then stops the database in order) and an IPC channel (it stops by itself when
 * this process dies).
 */
export function startEmbeddedDatabase({ dir, port, maxConnections = EMBEDDED_DEFAULTS.maxConnections, timeoutMs = 120_000 }) {
  const started = Date.now();
  const args = [path.join(root, "scripts", "embedded-db.mjs"), "--dir", dir, "--port", String(port), "--max-connections", String(maxConnections)];
  const child = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));

  return new Promise((resolve, reject) => {
    let ready = false;
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the embedded database did not start within ${seconds(timeoutMs)}`));
    }, timeoutMs);

    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (ready) process.stderr.write(chunk);
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
          resolve({ url: line.slice(READY_PREFIX.length).trim(), pid: child.pid, startedInMs: Date.now() - started, stop: () => stop(child, exited) });
        } else if (line) {
          console.log(line);
        }
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(stderr.trim() || `the embedded database exited with code ${code}`));
    });
  });
}

/** Asks the database process to stop (it closes PGlite, flushing the data folder); kills it after 15 s. */
async function stop(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(killer);
}

/**
 * The database for npm start / npm run dev: DATABASE_URL when set (checked to answer), else the
 * embedded PostgreSQL in EMBEDDED_DB_DIR on EMBEDDED_DB_PORT. Returns { url, stop }.
 */
export async function appDatabase() {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    await ensureDatabaseExists(url);
    log(`using DATABASE_URL (${describeUrl(url)})`);
    return { url, embedded: false, stop: async () => {} };
  }
  const dir = process.env.EMBEDDED_DB_DIR || EMBEDDED_DEFAULTS.dir;
  const port = Number(process.env.EMBEDDED_DB_PORT || EMBEDDED_DEFAULTS.port);
  const fresh = !fs.existsSync(path.resolve(root, dir, "PG_VERSION"));
  log(fresh ? `creating the embedded PostgreSQL in ${dir}…` : `starting the embedded PostgreSQL (${dir})…`);
  try {
    const db = await startEmbeddedDatabase({ dir, port });
    log(`embedded PostgreSQL ready on 127.0.0.1:${port} in ${seconds(db.startedInMs)}`);
    return { ...db, embedded: true };
  } catch (error) {
    fail(`the embedded PostgreSQL did not start: ${error.message}`);
  }
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
