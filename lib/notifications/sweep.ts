// The safety net behind deliver-notification's own retries: every minute (cron job
// `notifications-sweep`) PENDING rows whose next attempt is overdue — left behind by a crash, an
// outage, exhausted job retries, or "Telegram is not configured" — are dispatched again. Rows of an
// organizer message (message_id set) are left to lib/messages' own recovery cron.
import "server-only";
import { db as defaultDb, type Db } from "@/lib/db";
import { enqueue, kick } from "@/lib/jobs";
import type { JobRegistry } from "@/lib/jobs";
import { NOT_CONFIGURED_MESSAGE } from "./deliver";

export interface SweepOptions {
  db?: Db;
  now?: Date;
  /** Only rows overdue by more than this are re-dispatched (their own job retry gets the first go). Default 60 s. */
  graceMs?: number;
  /** Rows per sweep (the oldest first). Default 500. */
  limit?: number;
  registry?: JobRegistry;
}

/** Re-dispatches overdue PENDING notifications; returns how many. */
export async function sweepNotifications(options: SweepOptions = {}): Promise<number> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const due = new Date(now.getTime() - (options.graceMs ?? 60_000));
  const rows = await db.notificationLog.findMany({
    // Organizer message rows are the messages-recover cron's (lib/messages/send.ts): one job per message, not per row.
    where: { status: "PENDING", nextAttemptAt: { lte: due }, messageId: null },
    select: { id: true, nextAttemptAt: true },
    orderBy: { nextAttemptAt: "asc" },
    take: options.limit ?? 500,
  });
  for (const row of rows) {
    // One event id per (row, scheduled attempt): sweeping twice dispatches once; a later sweep of the
    // same row (after another failed attempt moved next_attempt_at) dispatches again.
    await enqueue(
      db,
      "notification/requested",
      { notificationId: row.id },
      { id: `notification:${row.id}:${row.nextAttemptAt.getTime()}`, registry: options.registry },
    );
  }
  if (rows.length) kick();
  return rows.length;
}

/**
 * Makes rows held by "Telegram is not configured" due now and dispatches them: called at start-up
 * once a token is configured, so nothing waits for the hourly re-check.
 */
export async function releaseHeldNotifications(options: { db?: Db; now?: Date } = {}): Promise<number> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const released = await db.notificationLog.updateMany({
    where: { status: "PENDING", errorMessage: NOT_CONFIGURED_MESSAGE, nextAttemptAt: { gt: now } },
    data: { nextAttemptAt: now },
  });
  if (released.count === 0) return 0;
  return sweepNotifications({ db, now, graceMs: 0 });
}
