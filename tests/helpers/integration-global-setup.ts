// Once per integration run: the database server (see test-db.ts), then the migrated template.
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../../scripts/lib/database.mjs";
import { LOCAL_POSTGRES, answers, ensureTemplate } from "./test-db";

declare module "vitest" {
  export interface ProvidedContext {
    /** Server-level URL of the test database server (each file creates its own database there). */
    testDatabaseUrl: string;
    /** The migrated template database every file's database is copied from. */
    templateDatabase: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");

export default async function setup(project: TestProject) {
  let stop = async () => {};
  const forced = /^(1|true|yes)$/i.test(process.env.TEST_DATABASE_EMBEDDED ?? "");
  const explicit = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (explicit && !forced) {
    if (!(await answers(explicit))) {
      const u = new URL(explicit);
      throw new Error(`cannot connect to the test database server ${u.hostname}:${u.port || 5432}`);
    }
  } else if (forced || !(await answers(LOCAL_POSTGRES))) {
    // No server to use (vitest run directly, without scripts/test.mjs): one embedded PostgreSQL for this run.
    const dir = path.join(root, ".data", "test-postgres", `vitest-${process.pid}`, "postgres");
    const server = await startEmbeddedDatabase({ dir, port: Number(process.env.EMBEDDED_TEST_DB_PORT || 0), fast: true });
    process.env.TEST_DATABASE_URL = server.url;
    stop = async () => {
      await server.stop();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    };
  } else {
    process.env.TEST_DATABASE_URL = LOCAL_POSTGRES;
  }
  try {
    project.provide("testDatabaseUrl", process.env.TEST_DATABASE_URL ?? explicit ?? LOCAL_POSTGRES);
    project.provide("templateDatabase", await ensureTemplate());
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
