// A job runner in a process of its own, for tests that kill it (tests/integration/messages-crash.test.ts):
//   node --import ./tests/helpers/server-only-register.mjs --import tsx tests/helpers/jobs-worker-process.ts
// Runs every function of the app (lib/worker) against DATABASE_URL until SIGTERM; prints "ready".
import { Runner } from "@/lib/jobs/runner";
import { appRegistry } from "@/lib/worker";

const quiet = { info: () => {}, warn: () => {}, error: (...a: unknown[]) => console.error(...a) };
const runner = new Runner({ registry: appRegistry(), pollMs: 20, concurrency: 4, lockMs: 10_000, backoffBaseMs: 50, backoffJitter: 0, crons: false, logger: quiet });
runner.start();
console.log("ready");
process.on("SIGTERM", () => {
  void runner.stop({ timeoutMs: 2000 }).then(() => process.exit(0));
});
