// `npm start` on a database given by DATABASE_URL in production (scripts/start.mjs --prepare-only: the
// same preparation as a full start, without building and serving): the migrations are applied, and no
// demo data and no account with a known password is created. (On the embedded database the demo data
// is there: tests/embedded signs in with the demo accounts.)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { adminUrl, withDatabase } from "../helpers/test-db";

const root = path.resolve(import.meta.dirname, "../..");
const name = `aq_test_start_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl(), "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function startPrepareOnly(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs"), "--prepare-only"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});

test("a production start on an external database migrates it and creates no demo data and no account", { timeout: 300_000 }, async () => {
  // An empty database of its own (not the migrated template): the start has everything to do.
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(adminUrl(), name);
  const { code, output } = await startPrepareOnly({
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: url,
    AUTH_SECRET: "aqstream-start-test-secret-0123456789abcdef",
    PORT: "3999",
  });
  expect(code, output).toBe(0);
  expect(output).toContain("no demo data on a database given by DATABASE_URL");
  expect(output).not.toContain("starting the embedded PostgreSQL");

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: migrations } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL");
    expect(migrations[0].n).toBeGreaterThan(0);
    const { rows } = await client.query<{ users: number; organizations: number; events: number }>(
      "SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM organizations) AS organizations, (SELECT count(*)::int FROM events) AS events",
    );
    expect(rows[0]).toEqual({ users: 0, organizations: 0, events: 0 });
  } finally {
    await client.end();
  }
});
