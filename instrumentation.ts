// Runs once when a server instance starts (next start / next dev), before any request.
// 1. Validates the environment: a missing or invalid setting stops the server with a message that
//    names every problem (e.g. AUTH_SECRET in production).
// 2. Starts the background work of this instance (embedded job runner or Inngest outbox relay,
//    Telegram webhook/polling).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;

  const { validateEnv, EnvError } = await import("./lib/env");
  try {
    validateEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`[aqstream] refusing to start.\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  // This instance's background work: the embedded job runner (or, with Inngest configured, the
  // outbox relay) and the Telegram transport (webhook registration or long polling).
  const { startBackgroundWork } = await import("./lib/jobs/runtime");
  await startBackgroundWork();
  const { startTelegram } = await import("./lib/telegram/runtime");
  await startTelegram();
}
