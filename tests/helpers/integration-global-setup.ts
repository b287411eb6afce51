import type { TestProject } from "vitest/node";
import { ensureTemplate } from "./test-db";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  project.provide("templateDatabase", await ensureTemplate());
}
