// What a server instance does when it starts (called from instrumentation.ts, Node.js runtime only).
// 1. Validates the environment: a missing or invalid setting stops the server with a message that
//    names every problem (e.g. AUTH_SECRET in production).
// 2. By its role (SERVER_ROLE, lib/cluster): a "worker" or "all" process starts the background work —
//    the embedded job runner (or, with Inngest configured, the outbox relay) and the Telegram transport
//    (webhook registration or long polling). A "web" process (npm start's supervisor runs several)
//    starts none: only requests.
import { EnvError, validateEnv } from "@/lib/env";

export async function startServer(): Promise<void> {
  let role;
  try {
    role = validateEnv().SERVER_ROLE;
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`[aqstream] refusing to start.\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { runsBackgroundWork } = await import("@/lib/cluster");
  if (!runsBackgroundWork(role)) {
    // No runner here: a job this process enqueues wakes the worker's at once (lib/jobs/remote-wake.ts).
    const [{ sendKicksTo }, { pgPool }] = await Promise.all([import("@/lib/jobs"), import("@/lib/db")]);
    sendKicksTo(pgPool());
    return;
  }

  const { startBackgroundWork } = await import("@/lib/worker");
  await startBackgroundWork();
  const { startTelegram } = await import("@/lib/telegram/runtime");
  await startTelegram();
}
