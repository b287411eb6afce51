// Sending an organizer message (docs/messages.md → "Organizer messages"), in three job-driven steps:
//
// 1. startMessageSend (job messages-send, at scheduled_at): SCHEDULED → SENDING (compare-and-set) and, in
//    the same transaction, ONE statement writes a notification_logs row per recipient and channel
//    (audience.ts; dedupe_key `message:<id>:<user id or address>`, ON CONFLICT DO NOTHING; recipients
//    without a channel get a FAILED NO_CHANNEL row) and stores recipients_total / no_channel_count; then
//    the delivery job is queued.
// 2. deliverMessage (job messages-deliver): works through the message's due PENDING rows in batches of
//    50, Telegram and email side by side — Telegram paced by the process-wide limiter (lib/telegram/api.ts),
//    email MESSAGES_EMAIL_CONCURRENCY at a time — each row through deliverNotification() (claim, lease,
//    send_started_at: never twice). Rows waiting on a 429 or a retry make the job queue itself again at the
//    earliest next_attempt_at; when no PENDING row is left the message is SENT (+ audit with the counts).
// 3. recoverMessages (cron messages-recover, every minute): after a crash, SCHEDULED messages past due get
//    their send job again and SENDING ones with due rows their delivery job. The notifications sweep leaves
//    message rows to this (a 10,000-row message never becomes 10,000 jobs).
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db as defaultDb, onPrisma, sql, TX_PROFILES, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { enqueue, kick } from "@/lib/jobs";
import { deliverNotification, NO_CHANNEL_MESSAGE, type DeliveryOutcome } from "@/lib/notifications";
import { audienceSql } from "./audience";
import { messageResults } from "./service";
import { EVENT_MESSAGE_TRANSITIONS, type EventMessageStatus, type MessageAudience } from "./types";
import { ORGANIZER_MESSAGE_TEMPLATE } from "./variables";

/** Rows fetched per batch and channel. */
export const MESSAGE_BATCH_SIZE = 50;
/** How long one delivery run works before it hands over to a fresh job (the runner's lease is renewed meanwhile). */
export const MESSAGE_DELIVERY_BUDGET_MS = 4 * 60_000;
/** The recovery cron leaves rows this long overdue to their own job first. */
export const MESSAGE_RECOVERY_GRACE_MS = 30_000;

export type StartOutcome =
  | { status: "started"; recipients: number; rows: number; noChannel: number }
  | { status: "skipped"; reason: "missing" | "cancelled" | "sent" | "already-started" }
  | { status: "not-due"; retryAt: string };

function assertTransition(from: EventMessageStatus, to: EventMessageStatus): void {
  if (!EVENT_MESSAGE_TRANSITIONS[from].includes(to)) throw new Error(`event message: ${from} → ${to} is not a transition`);
}

/** Step 1: SCHEDULED → SENDING and the recipient rows, in one transaction; then the delivery job. */
export async function startMessageSend(o: { messageId: string; db?: Db; now?: Date }): Promise<StartOutcome> {
  const db = o.db ?? defaultDb;
  const now = o.now ?? new Date();
  const outcome = await db.$transaction(async (tx): Promise<StartOutcome> => {
    const [m] = await tx.$queryRaw<
      { id: string; tenant_id: string; event_id: string; audience: string; ticket_type_id: string | null; status: EventMessageStatus; scheduled_at: Date; recipients_total: number | null }[]
    >`SELECT id, tenant_id, event_id, audience, ticket_type_id, status, scheduled_at, recipients_total
        FROM event_messages WHERE id = ${o.messageId}::uuid FOR UPDATE`;
    if (!m) return { status: "skipped", reason: "missing" };
    if (m.status === "CANCELLED") return { status: "skipped", reason: "cancelled" };
    if (m.status === "SENT") return { status: "skipped", reason: "sent" };
    if (m.status === "SENDING" && m.recipients_total !== null) return { status: "skipped", reason: "already-started" };
    if (m.status === "SCHEDULED") {
      if (m.scheduled_at.getTime() > now.getTime()) return { status: "not-due", retryAt: m.scheduled_at.toISOString() };
      assertTransition("SCHEDULED", "SENDING");
      const moved = await tx.eventMessage.updateMany({ where: { id: m.id, status: "SCHEDULED" }, data: { status: "SENDING", startedAt: now } });
      if (moved.count === 0) return { status: "skipped", reason: "already-started" };
    }
    const [built] = await onPrisma(tx).rows<{ recipients: number; no_channel: number; rows: number }>(sql`
      WITH aud AS (SELECT * FROM (${audienceSql({
        organizationId: m.tenant_id,
        eventId: m.event_id,
        audience: m.audience as MessageAudience,
        ticketTypeId: m.ticket_type_id,
      })}) a WHERE NOT a.muted),
      ins AS (
        INSERT INTO notification_logs (id, user_id, channel, email, locale, registration_id, message_id, template_code, variables, extra,
                                       dedupe_key, status, error_message, next_attempt_at, created_at, updated_at)
        SELECT gen_random_uuid(), a.user_id, c.channel, a.email, a.locale, a.registration_id, ${m.id}::uuid, ${ORGANIZER_MESSAGE_TEMPLATE},
               '{}'::jsonb, '{}'::jsonb, 'message:' || ${m.id}::text || ':' || a.key,
               CASE WHEN c.channel IS NULL THEN 'FAILED' ELSE 'PENDING' END::"NotificationStatus",
               CASE WHEN c.channel IS NULL THEN ${NO_CHANNEL_MESSAGE}::text END,
               ${now}::timestamptz, now(), now()
          FROM aud a
          CROSS JOIN LATERAL (SELECT unnest(a.channels) AS channel
                              UNION ALL SELECT NULL::"NotificationChannel" WHERE cardinality(a.channels) = 0) c
        ON CONFLICT DO NOTHING
        RETURNING 1),
      counted AS (
        UPDATE event_messages
           SET recipients_total = (SELECT count(*) FROM aud), no_channel_count = (SELECT count(*) FROM aud WHERE cardinality(channels) = 0), updated_at = now()
         WHERE id = ${m.id}::uuid
        RETURNING recipients_total, no_channel_count)
      SELECT recipients_total AS recipients, no_channel_count AS no_channel, (SELECT count(*)::int FROM ins) AS rows FROM counted`);
    await enqueue(tx, "messages/deliver-requested", { messageId: m.id }, { id: `message-deliver:${m.id}:start` });
    return { status: "started", recipients: built.recipients, rows: built.rows, noChannel: built.no_channel };
  }, TX_PROFILES.long);
  if (outcome.status === "started") kick();
  return outcome;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export interface DeliverMessageOptions {
  messageId: string;
  db?: Db;
  /** Work this long, then hand over to a new job (default MESSAGE_DELIVERY_BUDGET_MS). */
  budgetMs?: number;
  /** Rows of one channel in flight at once. Telegram default: TELEGRAM_MAX_PER_SECOND (the limiter paces them). */
  telegramConcurrency?: number;
  /** Default MESSAGES_EMAIL_CONCURRENCY (4). */
  emailConcurrency?: number;
  /** Tests inject; default deliverNotification. */
  deliver?: (id: string) => Promise<DeliveryOutcome>;
}

export type DeliverMessageOutcome =
  | { status: "skipped"; reason: string }
  | { status: "sent"; delivered: number }
  | { status: "continuing"; delivered: number; nextAt: string };

/** Step 2: delivers the message's due PENDING rows; SENT when none is left, else the next run is queued. */
export async function deliverMessage(o: DeliverMessageOptions): Promise<DeliverMessageOutcome> {
  const db = o.db ?? defaultDb;
  const message = await db.eventMessage.findUnique({ where: { id: o.messageId }, select: { id: true, status: true } });
  if (!message) return { status: "skipped", reason: "missing" };
  if (message.status !== "SENDING") return { status: "skipped", reason: message.status.toLowerCase() };
  const e = env();
  const deliver = o.deliver ?? ((id: string) => deliverNotification(id, { db }));
  const deadline = Date.now() + (o.budgetMs ?? MESSAGE_DELIVERY_BUDGET_MS);
  let delivered = 0;

  const lane = async (channel: "TELEGRAM" | "EMAIL", concurrency: number) => {
    while (Date.now() < deadline) {
      const rows = await db.notificationLog.findMany({
        where: { messageId: message.id, channel, status: "PENDING", nextAttemptAt: { lte: new Date() } },
        orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
        take: MESSAGE_BATCH_SIZE,
        select: { id: true },
      });
      if (!rows.length) return;
      await eachLimited(rows, concurrency, async (row) => {
        if (Date.now() >= deadline) return;
        const outcome = await deliver(row.id);
        if (outcome.status === "sent" || outcome.status === "failed") delivered++;
      });
    }
  };
  await Promise.all([
    lane("TELEGRAM", o.telegramConcurrency ?? e.TELEGRAM_MAX_PER_SECOND),
    lane("EMAIL", o.emailConcurrency ?? e.MESSAGES_EMAIL_CONCURRENCY),
  ]);

  const finished = await finishIfDone(db, message.id);
  if (finished.done) return { status: "sent", delivered };
  // Rows still PENDING: waiting on a 429/retry, claimed by a delivery that stopped (lease), or the budget ran out.
  const nextAt = new Date(Math.max(finished.nextAt.getTime(), Date.now()));
  await enqueue(db, "messages/deliver-requested", { messageId: message.id }, {
    id: `message-deliver:${message.id}:${Math.floor(nextAt.getTime() / 1000)}`,
    runAt: nextAt,
  });
  return { status: "continuing", delivered, nextAt: nextAt.toISOString() };
}

/** SENDING → SENT (+ audit with the results) when no row is PENDING; else the earliest next attempt. */
async function finishIfDone(db: Db, messageId: string): Promise<{ done: true } | { done: false; nextAt: Date }> {
  const [pending] = await db.$queryRaw<{ n: number; next_at: Date | null }[]>`
    SELECT count(*)::int AS n, min(next_attempt_at) AS next_at FROM notification_logs WHERE message_id = ${messageId}::uuid AND status = 'PENDING'`;
  if (pending.n > 0) return { done: false, nextAt: pending.next_at ?? new Date() };
  await db.$transaction(async (tx) => {
    assertTransition("SENDING", "SENT");
    const [m] = await tx.eventMessage.updateManyAndReturn({
      where: { id: messageId, status: "SENDING" },
      data: { status: "SENT", finishedAt: new Date() },
      select: { id: true, organizationId: true, recipientsTotal: true },
    });
    if (!m) return; // another run finished it
    // A row that became PENDING again after the count (it cannot: rows only leave PENDING) would be a bug.
    const results = (await messageResults(tx, [m.id])).get(m.id)!;
    await writeAudit(tx, {
      organizationId: m.organizationId,
      actorId: null,
      entityType: "event_message",
      entityId: m.id,
      action: "event_message.sent",
      changes: {
        status: { from: "SENDING", to: "SENT" },
        recipients: m.recipientsTotal,
        telegram: { sent: results.telegram.sent, failed: results.telegram.failed },
        email: { sent: results.email.sent, failed: results.email.failed },
        noChannel: results.noChannel,
        unknown: results.unknown,
      },
    });
  }, TX_PROFILES.standard);
  return { done: true };
}

/** Step 3 (cron): jobs again for messages a crash or an outage left behind. Returns how many were queued. */
export async function recoverMessages(o: { db?: Db; now?: Date } = {}): Promise<{ send: number; deliver: number }> {
  const db = o.db ?? defaultDb;
  const now = o.now ?? new Date();
  const due = new Date(now.getTime() - MESSAGE_RECOVERY_GRACE_MS);
  const minute = Math.floor(now.getTime() / 60_000);
  const scheduled = await db.eventMessage.findMany({
    where: { status: "SCHEDULED", scheduledAt: { lte: due } },
    select: { id: true },
    orderBy: { scheduledAt: "asc" },
    take: 100,
  });
  for (const m of scheduled) await enqueue(db, "messages/send-requested", { messageId: m.id }, { id: `message-send:${m.id}:recover:${minute}` });
  // SENDING with a due PENDING row, or with none left (finish it).
  const sending = await db.$queryRaw<{ id: string }[]>`
    SELECT m.id FROM event_messages m
     WHERE m.status = 'SENDING'
       AND (EXISTS (SELECT 1 FROM notification_logs n WHERE n.message_id = m.id AND n.status = 'PENDING' AND n.next_attempt_at <= ${due})
            OR NOT EXISTS (SELECT 1 FROM notification_logs n WHERE n.message_id = m.id AND n.status = 'PENDING'))
     ORDER BY m.started_at LIMIT 100`;
  for (const m of sending) await enqueue(db, "messages/deliver-requested", { messageId: m.id }, { id: `message-deliver:${m.id}:recover:${minute}` });
  if (scheduled.length || sending.length) kick();
  return { send: scheduled.length, deliver: sending.length };
}
