import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React Server Components; services are plain modules in tests.
  "server-only": path.resolve(import.meta.dirname, "tests/helpers/server-only-stub.ts"),
};

/**
 * Integration files that must not share the PostgreSQL server with other files' transactions: the door
 * scanner's incremental list hands out a cursor from the snapshot's xmin, which is cluster-wide, so another
 * database's open transaction makes an answer a (correct, harmless) superset — and this file asserts
 * exact sets and 304s. They run after the parallel group, one at a time.
 * Run every integration file: `vitest run --project 'integration*'` (what `npm test` does).
 */
const SERIAL_INTEGRATION = ["tests/integration/check-in-manifest.test.ts"];

const integration = {
  include: ["tests/integration/**/*.test.ts"],
  environment: "node" as const,
  globalSetup: ["tests/helpers/integration-global-setup.ts"],
  setupFiles: ["tests/helpers/integration-setup.ts"],
  pool: "forks" as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          environment: "node",
          // Vitest's default on two cores is one worker.
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          ...integration,
          name: "integration",
          exclude: SERIAL_INTEGRATION,
          // Each file gets its own fresh database, so files run in parallel: two at a time on two cores
          // (the tests mostly wait on PostgreSQL, child processes and fake servers).
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          ...integration,
          name: "integration-serial",
          include: SERIAL_INTEGRATION,
          // After the parallel group, alone (see SERIAL_INTEGRATION).
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
