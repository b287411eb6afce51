import type { TestProject } from "vitest/node";
import { detectMode, ensurePgliteTemplate, ensureTemplate, type TestDatabaseMode } from "./test-db";

declare module "vitest" {
  export interface ProvidedContext {
    /** "postgres": a database per file from a template database; "pglite": an embedded database per file. */
    testDatabaseMode: TestDatabaseMode;
    /** The template database name (postgres) or the path of the migrated template dump (pglite). */
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const mode = await detectMode();
  project.provide("testDatabaseMode", mode);
  project.provide("templateDatabase", mode === "pglite" ? await ensurePgliteTemplate() : await ensureTemplate());
}
