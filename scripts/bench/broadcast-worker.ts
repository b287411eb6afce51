// The worker of bench:broadcast (scripts/bench/broadcast.mjs): what a worker process of npm start runs in
// the background (lib/worker startBackgroundWork: the embedded job runner with its production settings,
// crons included, the system templates, the kick listener of SERVER_ROLE=worker), without the HTTP
// server, so that it needs no build. Started by the benchmark as node itself with tsx's loader (its pid
// is the process whose RSS is sampled):
//   node --import ./tests/helpers/server-only-register.mjs --import tsx scripts/bench/broadcast-worker.ts
// Settings come from the environment (DATABASE_URL, TELEGRAM_*, SMTP_URL, MESSAGES_EMAIL_CONCURRENCY, …).
// Prints "ready <mode>" once started; stops on SIGTERM.
import { startBackgroundWork, stopBackgroundWork } from "@/lib/worker";

const mode = await startBackgroundWork();
console.log(`ready ${mode}`);
process.on("SIGTERM", () => {
  void stopBackgroundWork({ timeoutMs: 2000 }).then(() => process.exit(0));
});
