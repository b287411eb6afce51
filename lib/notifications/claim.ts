// The delivery state machine of one NotificationLog row, shared by both channels (Telegram:
// deliver.ts, email: deliver-email.ts; docs/notifications.md):
//   claim (PENDING and due → attempts+1, next_attempt_at = now + lease; only the claimer sends)
//   → SENT | FAILED (reason) | retry (next_attempt_at later, send_started_at cleared) | held.
// Organizer messages are at most once: markSendStarted() before the provider is called; a row found
// claimed again with it set may have arrived and is FAILED as OUTCOME_UNKNOWN_MESSAGE, not sent twice.
import "server-only";
import type { Db } from "@/lib/db";
import type { NotificationLog } from "@/lib/generated/prisma/client";
import { retryDelayMs } from "@/lib/jobs";

/** How long a claimed row is reserved for the delivery in progress (> the Telegram / SMTP request timeout). */
export const DELIVERY_LEASE_MS = 2 * 60_000;
/** Send attempts per notification before it is FAILED (transient errors; 429 waits do not fail it). */
export const NOTIFICATION_MAX_ATTEMPTS = 8;
/**
 * An organizer message whose send had started when its worker stopped (lease expired with
 * send_started_at set): it may have arrived, so it is not sent again — no one gets a message twice.
 */
export const OUTCOME_UNKNOWN_MESSAGE = "Outcome unknown: the worker stopped while sending; not sent again so no one gets it twice";

export type DeliveryOutcome =
  /** Telegram: the message id; email: the Message-ID, `via` SMTP or the dev outbox. */
  | { status: "sent"; messageId: number | string; via?: "smtp" | "outbox" }
  | { status: "failed"; reason: string }
  /** Nothing to do here: already delivered/failed, unknown id, or another delivery holds it. */
  | { status: "skipped"; reason: "missing" | "not-pending" | "not-due" }
  /** The channel is not usable (no token / token refused): the row waits; nothing is lost. */
  | { status: "held"; retryAt: string; reason: string }
  /** Try again at retryAt (transient failure, 429, or a lease about to expire). */
  | { status: "retry"; retryAt: string; reason: string };

/** What a FAILED / retried / SENT row records besides its status. */
export interface DeliveryFields {
  chatId?: string;
  email?: string;
  body?: string;
}

/** Claims a due PENDING row (one conditional UPDATE), of one channel if given; null when it is not claimable now. */
export async function claimRow(db: Db, id: string, now: Date, channel?: "TELEGRAM" | "EMAIL"): Promise<NotificationLog | null> {
  const [row] = await db.notificationLog.updateManyAndReturn({
    where: { id, status: "PENDING", nextAttemptAt: { lte: now }, ...(channel ? { channel } : {}) },
    data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + DELIVERY_LEASE_MS) },
  });
  return row ?? null;
}

/** Records that the provider is about to be called (organizer messages; cleared when a retry is scheduled). */
export async function markSendStarted(db: Db, id: string): Promise<void> {
  await db.notificationLog.updateMany({ where: { id, status: "PENDING" }, data: { sendStartedAt: new Date() } });
}

export async function fail(db: Db, row: NotificationLog, reason: string, fields: DeliveryFields = {}): Promise<DeliveryOutcome> {
  await db.notificationLog.updateMany({
    where: { id: row.id, status: "PENDING" },
    data: { status: "FAILED", errorMessage: reason, telegramChatId: fields.chatId, email: fields.email, body: fields.body },
  });
  return { status: "failed", reason };
}

/** Marks a claimed row SENT (with what was sent, and where). */
export async function markSent(db: Db, row: NotificationLog, fields: DeliveryFields): Promise<void> {
  await db.notificationLog.updateMany({
    where: { id: row.id, status: "PENDING" },
    data: { status: "SENT", sentAt: new Date(), body: fields.body, telegramChatId: fields.chatId, email: fields.email, errorMessage: null },
  });
}

/**
 * A temporary failure: another attempt after the backoff (send_started_at cleared: the provider said
 * it did not take the message), or FAILED once the attempts are used up.
 */
export async function retryOrFail(
  db: Db,
  row: NotificationLog,
  description: string,
  now: Date,
  options: { retryBaseMs: number; maxAttempts?: number; label: string; fields?: DeliveryFields },
): Promise<DeliveryOutcome> {
  const maxAttempts = options.maxAttempts ?? NOTIFICATION_MAX_ATTEMPTS;
  if (row.attempts >= maxAttempts) return fail(db, row, `Gave up after ${row.attempts} attempts: ${description}`, options.fields);
  const delay = retryDelayMs(row.attempts, { baseMs: options.retryBaseMs, jitter: 0.1 });
  const retryAt = new Date(now.getTime() + delay);
  const reason = `${options.label} temporarily unavailable (attempt ${row.attempts}): ${description}`;
  await db.notificationLog.updateMany({
    where: { id: row.id, status: "PENDING" },
    data: { nextAttemptAt: retryAt, errorMessage: reason, body: options.fields?.body, email: options.fields?.email, sendStartedAt: null },
  });
  return { status: "retry", retryAt: retryAt.toISOString(), reason };
}

/** The claim failed: tell why, and ask for a retry when the row becomes due very soon. */
export async function notClaimed(db: Db, id: string, now: Date): Promise<DeliveryOutcome> {
  const current = await db.notificationLog.findUnique({ where: { id }, select: { status: true, nextAttemptAt: true } });
  if (!current) return { status: "skipped", reason: "missing" };
  if (current.status !== "PENDING") return { status: "skipped", reason: "not-pending" };
  // Due within seconds (clock skew between servers, or a retry that fired a moment early): come back then.
  if (current.nextAttemptAt.getTime() - now.getTime() <= 30_000) {
    return { status: "retry", retryAt: new Date(current.nextAttemptAt.getTime() + 50).toISOString(), reason: "not due yet" };
  }
  // Another delivery holds it, or it waits for a later attempt: that one (or the sweep) will send it.
  return { status: "skipped", reason: "not-due" };
}
