// Background work of one server instance, started from lib/startup.ts (Node.js runtime only):
//   • Inngest configured  → the outbox relay (jobs rows → inngest.send); Inngest runs functions and crons.
//   • otherwise           → the embedded runner executes jobs and crons in this process.
//   • JOBS_DISABLED=1     → nothing (e.g. extra web-only instances; another instance does the work).
// In the worker role it also listens for kicks of the web processes (lib/jobs/remote-wake.ts).
// Idempotent: a second call (dev hot reload, repeated register()) returns the first result.
import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { releaseHeldNotifications } from "@/lib/notifications";
import { ensureSystemTemplates } from "@/lib/notifications";
import { isTelegramConfigured } from "@/lib/telegram";
import { getInngest, isInngestConfigured, startRunner, stopRunner } from "@/lib/jobs";
import { receiveKicks, type RelayEvent } from "@/lib/jobs";
import type { CacheBus } from "@/lib/cache/cache-bus.mjs";
import { appRegistry } from "./registry";

export type BackgroundMode = "inngest" | "embedded" | "disabled";

const globalForWork = globalThis as unknown as { __aqBackgroundWork?: Promise<BackgroundMode>; __aqKickListener?: CacheBus };

export function startBackgroundWork(): Promise<BackgroundMode> {
  globalForWork.__aqBackgroundWork ??= start();
  return globalForWork.__aqBackgroundWork;
}

async function start(): Promise<BackgroundMode> {
  if (env().JOBS_DISABLED) {
    console.info("[jobs] JOBS_DISABLED=1: this instance runs no background work");
    return "disabled";
  }
  const inngest = isInngestConfigured();
  if (inngest) {
    startRunner({ mode: "relay", registry: appRegistry(), send: (events: RelayEvent[]) => getInngest().send(events) });
    console.info("[jobs] Inngest configured: functions are served at /api/inngest; outbox relay started");
  } else {
    startRunner({ mode: "execute", registry: appRegistry() });
    console.info("[jobs] embedded runner started (set INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY to use Inngest)");
  }
  // The worker of a cluster: jobs enqueued by the web processes wake it at once (lib/jobs/remote-wake.ts).
  if (env().SERVER_ROLE === "worker" && process.env.DATABASE_URL) globalForWork.__aqKickListener ??= receiveKicks(process.env.DATABASE_URL);
  // Housekeeping that must not stop the server from starting.
  try {
    const { created } = await ensureSystemTemplates(db);
    if (created) console.info(`[notifications] created ${created} system template(s)`);
    if (isTelegramConfigured()) {
      const released = await releaseHeldNotifications();
      if (released) console.info(`[notifications] ${released} notification(s) waiting for Telegram are being sent`);
    } else {
      console.warn("[notifications] TELEGRAM_BOT_TOKEN is not set: notifications stay PENDING until it is");
    }
  } catch (error) {
    console.error("[notifications] start-up housekeeping failed", error);
  }
  return inngest ? "inngest" : "embedded";
}

/** Stops the runner/relay of this process (tests, graceful shutdown). */
export async function stopBackgroundWork(options: { timeoutMs?: number } = {}): Promise<void> {
  globalForWork.__aqBackgroundWork = undefined;
  await globalForWork.__aqKickListener?.stop();
  globalForWork.__aqKickListener = undefined;
  await stopRunner(options);
}
