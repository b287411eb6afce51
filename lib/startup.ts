// What a server instance does when it starts (called from instrumentation.ts, Node.js runtime only).
// 1. Validates the environment: a missing or invalid setting stops the server with a message that
//    names every problem (e.g. AUTH_SECRET in production).
// 2. Starts this instance's background work: the embedded job runner (or, with Inngest configured,
//    the outbox relay) and the Telegram transport (webhook registration or long polling).
import { EnvError, validateEnv } from "@/lib/env";

export async function startServer(): Promise<void> {
  try {
    validateEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`[aqstream] refusing to start.\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const { startBackgroundWork } = await import("@/lib/worker");
  await startBackgroundWork();
  const { startTelegram } = await import("@/lib/telegram/runtime");
  await startTelegram();
}
