// Test databases: one template migrated with `prisma migrate deploy` per run (per migration set),
// and one fresh copy per test file, so files never share data.
//
// Two kinds of server:
// - "postgres" (the main path): a real PostgreSQL; the template is a database, each file gets
//   CREATE DATABASE … TEMPLATE.
// - "pglite" (no PostgreSQL on this machine): the embedded PostgreSQL serves a single database and
//   cannot CREATE DATABASE, so the template is a dump of a migrated in-memory PGlite (cached in
//   .data/test-pglite/templates/) and each file loads it into its own in-memory PGlite behind its own
//   wire-protocol server (scripts/lib/pglite-server.mjs) on a free port.
import { createHash, randomBytes } from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PgliteServer } from "../../scripts/lib/pglite-server.mjs";

const root = path.resolve(import.meta.dirname, "../..");

/** Server-level connection string (database part is replaced). Set by scripts/test.mjs. */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function migrationsHash(): string {
  const dir = path.join(root, "prisma/migrations");
  const h = createHash("sha256");
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, "migration.sql");
    if (fs.existsSync(file)) h.update(name).update(fs.readFileSync(file));
  }
  return h.digest("hex").slice(0, 12);
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl(), "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates (once) the migrated template database and returns its name. */
export async function ensureTemplate(): Promise<string> {
  const name = `aq_test_tpl_${migrationsHash()}`;
  await withAdmin(async (c) => {
    await c.query("SELECT pg_advisory_lock(731001)");
    try {
      const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount) return;
      const building = `${name}_build`;
      await c.query(`DROP DATABASE IF EXISTS "${building}"`);
      await c.query(`CREATE DATABASE "${building}"`);
      execFileSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: withDatabase(adminUrl(), building) },
        stdio: "pipe",
      });
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      // Old templates of earlier migration sets are dropped.
      const old = await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'aq_test_tpl_%' AND datname <> $1", [name]);
      for (const row of old.rows) await c.query(`DROP DATABASE IF EXISTS "${row.datname}"`);
    } finally {
      await c.query("SELECT pg_advisory_unlock(731001)");
    }
  });
  return name;
}

export async function createDatabaseFromTemplate(template: string): Promise<{ name: string; url: string }> {
  const name = `aq_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { name, url: withDatabase(adminUrl(), name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

// ───────────────────────────── server kind ─────────────────────────────

export type TestDatabaseMode = "postgres" | "pglite";

/**
 * Which kind of server the tests run on. TEST_DATABASE_EMBEDDED=1 (set by scripts/test.mjs when no
 * PostgreSQL is reachable) forces "pglite"; otherwise the admin URL is asked (2 s): a PGlite server
 * (its version names wasm32) or no answer at all without an explicit URL means "pglite".
 */
export async function detectMode(): Promise<TestDatabaseMode> {
  if (/^(1|true|yes)$/i.test(process.env.TEST_DATABASE_EMBEDDED ?? "")) return "pglite";
  const explicit = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
  const client = new pg.Client({ connectionString: withDatabase(adminUrl(), "postgres"), connectionTimeoutMillis: 2_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT version() AS v");
    return /wasm32|emscripten/i.test(rows[0].v) ? "pglite" : "postgres";
  } catch (error) {
    if (explicit) {
      const u = new URL(adminUrl());
      throw new Error(`cannot connect to the test database server ${u.hostname}:${u.port || 5432}: ${(error as Error).message}`);
    }
    return "pglite";
  } finally {
    await client.end().catch(() => {});
  }
}

// ───────────────────────────── embedded (PGlite) ─────────────────────────────

// Shared buffers are zeroed at start; the default 128 MB costs ~0.3 s per database for nothing here.
const pgliteStartParams = () => [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

function pgliteVersion(): string {
  const pkg = path.join(root, "node_modules/@electric-sql/pglite/package.json");
  return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
}

async function serve(db: PGlite, maxConnections: number): Promise<{ url: string; server: PgliteServer }> {
  const server = new PgliteServer(db, { host: "127.0.0.1", port: 0, maxConnections });
  await server.start();
  return { url: server.url, server };
}

/** Runs `prisma migrate deploy` against url without blocking this event loop (which serves the database). */
function migrateDeploy(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (${code}):\n${output}`))));
  });
}

/** Creates (once per migration set and PGlite version) the migrated template dump and returns its path. */
export async function ensurePgliteTemplate(): Promise<string> {
  const dir = path.join(root, ".data/test-pglite/templates");
  const file = path.join(dir, `${migrationsHash()}-pglite-${pgliteVersion()}.tar`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const db = await PGlite.create({ dataDir: "memory://", startParams: pgliteStartParams() });
  try {
    const { url, server } = await serve(db, 10);
    try {
      await migrateDeploy(url);
    } finally {
      await server.stop();
    }
    const dump = await db.dumpDataDir("none");
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file); // atomic: a concurrent run sees a whole file or none
  } finally {
    await db.close();
  }
  // Templates of earlier migration sets are removed.
  for (const old of fs.readdirSync(dir)) if (path.join(dir, old) !== file && !old.endsWith(".tmp")) fs.rmSync(path.join(dir, old), { force: true });
  return file;
}

/** A fresh in-memory copy of the template behind its own socket server (one per test file). */
export async function startPgliteDatabase(template: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const db = await PGlite.create({
    dataDir: "memory://",
    loadDataDir: new Blob([fs.readFileSync(template)]),
    startParams: pgliteStartParams(),
  });
  // Queries run one at a time in PGlite; connections are cheap, so allow the test pools plenty.
  const { url, server } = await serve(db, 64);
  return {
    url,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
