// Test databases: one template migrated with `prisma migrate deploy` per run (per migration set), and
// one fresh copy per test file (CREATE DATABASE … TEMPLATE), so files never share data.
//
// The server: TEST_DATABASE_URL (scripts/test.mjs sets it), else DATABASE_URL, else PostgreSQL on
// 127.0.0.1:5432; when none answers (or TEST_DATABASE_EMBEDDED=1), the global setup starts one embedded
// PostgreSQL for the run (the real PostgreSQL 17 npm start uses, scripts/lib/database.mjs) and hands its
// URL to the test files.
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "../..");
export const LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres";

/** Server-level connection string (database part is replaced). */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || LOCAL_POSTGRES;
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

/** True when the server of `url` answers within `timeoutMs`. */
export async function answers(url: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres"), connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const TEMPLATE_NOTE = "aqstream test template, last used ";
const TEMPLATE_KEEP_MS = 24 * 3600_000;

/**
 * Creates (once) the migrated template database and returns its name. Each run notes the time it used
 * its template; templates of other migration sets are dropped once unused for a day (other checkouts
 * sharing the server may be running on theirs right now).
 */
export async function ensureTemplate(): Promise<string> {
  const name = `aq_test_tpl_${migrationsHash()}`;
  await withAdmin(async (c) => {
    await c.query("SELECT pg_advisory_lock(731001)");
    try {
      const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount) {
        await c.query(`COMMENT ON DATABASE "${name}" IS '${TEMPLATE_NOTE}${new Date().toISOString()}'`);
        return;
      }
      const building = `${name}_build`;
      await c.query(`DROP DATABASE IF EXISTS "${building}"`);
      await c.query(`CREATE DATABASE "${building}"`);
      execFileSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: withDatabase(adminUrl(), building) },
        stdio: "pipe",
      });
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      await c.query(`COMMENT ON DATABASE "${name}" IS '${TEMPLATE_NOTE}${new Date().toISOString()}'`);
      const others = await c.query<{ datname: string; note: string | null }>(
        "SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname LIKE 'aq_test_tpl_%' AND datname <> $1",
        [name],
      );
      for (const { datname, note } of others.rows) {
        const usedAt = note?.startsWith(TEMPLATE_NOTE) ? Date.parse(note.slice(TEMPLATE_NOTE.length)) : NaN;
        if (Date.now() - usedAt > TEMPLATE_KEEP_MS) await c.query(`DROP DATABASE IF EXISTS "${datname}"`);
      }
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
