// Organizer messages (docs/messages.md → "Organizer messages"): an OWNER or MODERATOR of the event's
// organization writes to the event's attendees. Tenant-scoped: the event is authorized through the
// actor's membership (authorizeEvent, permission messages.send); a message or event of another
// organization is NOT_FOUND. Creating writes the SCHEDULED row, its audit row and the send job (run at
// scheduled_at) in one transaction; the job builds the recipient rows and delivers (./send.ts).
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, onPrisma, sql, withTransaction, type DbClient } from "@/lib/db";
import { AppError, type FieldErrors } from "@/lib/errors";
import { localTimeExists, zonedTimeToUtc } from "@/lib/events/time";
import { enqueue } from "@/lib/jobs";
import { OUTCOME_UNKNOWN_MESSAGE, renderNoticePreview, systemTemplate } from "@/lib/notifications";
import { TrustedHtml } from "@/lib/notifications/render";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { eventMessageFormSchema, MESSAGE_AUDIENCES, type EventMessageFormInput } from "@/lib/validation/messages";
import { audienceCountsSql } from "./audience";
import { markdownToTelegramHtml } from "./markdown";
import { muteUrlFor } from "./mutes";
import { EVENT_MESSAGE_TRANSITIONS, type AudienceCounts, type EventMessageStatus, type EventMessageView, type MessageAudience, type MessagePreview, type MessageResults } from "./types";
import { ORGANIZER_MESSAGE_TEMPLATE } from "./variables";

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
const invalid = (fieldErrors: FieldErrors) => new AppError("VALIDATION", "errors.validation", fieldErrors);

/** A message scheduled less than this far in the past (the form's "now" at a slow submit) is sent now. */
const PAST_TOLERANCE_MS = 60_000;

type Tx = DbClient;

/** The message with its event's organization, authorized for the actor; another tenant's → NOT_FOUND. */
async function authorizeMessage(actor: Actor | null | undefined, messageId: string, tx: Tx) {
  requireActor(actor);
  const message = isUuid(messageId)
    ? await tx.eventMessage.findUnique({ where: { id: messageId }, select: { id: true, eventId: true, organizationId: true, status: true } })
    : null;
  if (!message) throw notFound();
  const access = await authorizeEvent({ actor, eventId: message.eventId, permission: "messages.send", tx });
  if (access.event.organizationId !== message.organizationId) throw notFound();
  return { access, message };
}

function parseInput(input: EventMessageFormInput) {
  const parsed = eventMessageFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false as const, fieldErrors: fieldErrorsOf(parsed.error) as FieldErrors };
  return { ok: true as const, data: parsed.data };
}

/**
 * Schedules a message (now, or at a local time in the event's zone). Errors: UNAUTHENTICATED; NOT_FOUND
 * (no such event, or another organization's); FORBIDDEN; VALIDATION with field errors (subject, body,
 * audience, ticketTypeId, scheduledAt).
 */
export async function createEventMessage(o: {
  actor: Actor | null | undefined;
  input: EventMessageFormInput;
  now?: Date;
  tx?: DbClient;
}): Promise<{ id: string; scheduledAt: string }> {
  const parsed = parseInput(o.input);
  const eventId = typeof o.input.eventId === "string" ? o.input.eventId : "";
  // Authorize before answering about the fields: a stranger learns nothing about the event.
  const created = await withTransaction(o.tx, async (tx) => {
    const access = await authorizeEvent({ actor: o.actor, eventId, permission: "messages.send", tx });
    if (!parsed.ok) throw invalid(parsed.fieldErrors);
    const d = parsed.data;
    const [event] = await tx.$queryRaw<{ timezone: string }[]>`
      SELECT timezone FROM events WHERE id = ${access.event.id}::uuid AND tenant_id = ${access.event.organizationId}::uuid AND deleted_at IS NULL FOR SHARE`;
    if (!event) throw notFound();

    let ticketTypeId: string | null = null;
    if (d.audience === "TICKET_TYPE") {
      const type = await tx.ticketType.findFirst({ where: { id: d.ticketTypeId, eventId: access.event.id }, select: { id: true } });
      if (!type) throw invalid({ ticketTypeId: "messages.validation.ticketTypeInvalid" });
      ticketTypeId = type.id;
    }

    const now = o.now ?? new Date();
    let scheduledAt = now;
    if (d.scheduledAt) {
      if (!localTimeExists(d.scheduledAt, event.timezone)) throw invalid({ scheduledAt: "messages.validation.timeInvalid" });
      scheduledAt = zonedTimeToUtc(d.scheduledAt, event.timezone);
      if (scheduledAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw invalid({ scheduledAt: "messages.validation.timeInPast" });
      if (scheduledAt.getTime() < now.getTime()) scheduledAt = now;
    }

    const message = await tx.eventMessage.create({
      data: {
        organizationId: access.event.organizationId,
        eventId: access.event.id,
        authorId: access.actor.userId,
        subject: d.subject,
        body: d.body,
        audience: d.audience,
        ticketTypeId,
        status: "SCHEDULED",
        scheduledAt,
      },
      select: { id: true, scheduledAt: true },
    });
    await writeAudit(tx, {
      organizationId: access.event.organizationId,
      actorId: access.actor.userId,
      entityType: "event_message",
      entityId: message.id,
      action: "event_message.scheduled",
      changes: { eventId: access.event.id, subject: d.subject, audience: d.audience, ticketTypeId, scheduledAt: scheduledAt.toISOString() },
    });
    await enqueue(tx, "messages/send-requested", { messageId: message.id }, { id: `message-send:${message.id}`, runAt: message.scheduledAt });
    return message;
  });
  return { id: created.id, scheduledAt: created.scheduledAt.toISOString() };
}

/** Cancels a SCHEDULED message ({ changed: false } when it was cancelled already). Sending or sent → CONFLICT. */
export async function cancelEventMessage(o: { actor: Actor | null | undefined; messageId: string; tx?: DbClient }): Promise<{ changed: boolean }> {
  return withTransaction(o.tx, async (tx) => {
    const { access, message } = await authorizeMessage(o.actor, o.messageId, tx);
    const from = message.status as EventMessageStatus;
    if (from === "CANCELLED") return { changed: false };
    if (!EVENT_MESSAGE_TRANSITIONS[from].includes("CANCELLED")) throw new AppError("CONFLICT", "messages.errors.alreadySent");
    // Compare-and-set: the send job moves SCHEDULED → SENDING with the same guard; one of the two wins.
    const updated = await tx.eventMessage.updateMany({
      where: { id: message.id, organizationId: access.event.organizationId, status: "SCHEDULED" },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
    if (updated.count === 0) {
      const now = await tx.eventMessage.findUnique({ where: { id: message.id }, select: { status: true } });
      if (now?.status === "CANCELLED") return { changed: false };
      throw new AppError("CONFLICT", "messages.errors.alreadySent");
    }
    await writeAudit(tx, {
      organizationId: access.event.organizationId,
      actorId: access.actor.userId,
      entityType: "event_message",
      entityId: message.id,
      action: "event_message.cancelled",
      changes: { status: { from, to: "CANCELLED" } },
    });
    return { changed: true };
  });
}

type ResultRow = { message_id: string; channel: "TELEGRAM" | "EMAIL" | null; status: "PENDING" | "SENT" | "FAILED"; unknown: boolean; n: number };
type FailureRow = { message_id: string; reason: string; n: number };

const emptyResults = (): MessageResults => ({
  telegram: { pending: 0, sent: 0, failed: 0 },
  email: { pending: 0, sent: 0, failed: 0 },
  noChannel: 0,
  unknown: 0,
  failures: [],
});

/** Delivery results of messages, from their notification rows (one grouped query). */
export async function messageResults(tx: DbClient, messageIds: string[]): Promise<Map<string, MessageResults>> {
  const results = new Map<string, MessageResults>(messageIds.map((id) => [id, emptyResults()]));
  if (!messageIds.length) return results;
  const run = onPrisma(tx);
  const [rows, failures] = await Promise.all([
    run.rows<ResultRow>(sql`
      SELECT message_id, channel::text AS channel, status::text AS status, (error_message = ${OUTCOME_UNKNOWN_MESSAGE}) IS TRUE AS unknown, count(*)::int AS n
        FROM notification_logs WHERE message_id = ANY(${messageIds}::uuid[])
       GROUP BY 1, 2, 3, 4`),
    run.rows<FailureRow>(sql`
      SELECT message_id, reason, n FROM (
        SELECT message_id, error_message AS reason, count(*)::int AS n,
               row_number() OVER (PARTITION BY message_id ORDER BY count(*) DESC, error_message) AS rank
          FROM notification_logs
         WHERE message_id = ANY(${messageIds}::uuid[]) AND status = 'FAILED' AND channel IS NOT NULL AND error_message IS NOT NULL
         GROUP BY message_id, error_message) f
       WHERE rank <= 5 ORDER BY message_id, n DESC, reason`),
  ]);
  for (const r of rows) {
    const result = results.get(r.message_id)!;
    if (r.channel === null) {
      result.noChannel += r.n;
      continue;
    }
    const lane = r.channel === "TELEGRAM" ? result.telegram : result.email;
    if (r.status === "PENDING") lane.pending += r.n;
    else if (r.status === "SENT") lane.sent += r.n;
    else lane.failed += r.n;
    if (r.unknown) result.unknown += r.n;
  }
  for (const f of failures) results.get(f.message_id)!.failures.push({ reason: f.reason, count: f.n });
  return results;
}

const viewSelect = {
  id: true,
  eventId: true,
  subject: true,
  body: true,
  audience: true,
  ticketTypeId: true,
  status: true,
  scheduledAt: true,
  startedAt: true,
  finishedAt: true,
  recipientsTotal: true,
  createdAt: true,
  ticketType: { select: { name: true } },
  author: { select: { id: true, firstName: true, lastName: true } },
} as const;

type ViewRow = {
  id: string;
  eventId: string;
  subject: string;
  body: string;
  audience: string;
  ticketTypeId: string | null;
  status: string;
  scheduledAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  recipientsTotal: number | null;
  createdAt: Date;
  ticketType: { name: string } | null;
  author: { id: string; firstName: string; lastName: string | null } | null;
};

function toView(m: ViewRow, results: MessageResults): EventMessageView {
  return {
    id: m.id,
    eventId: m.eventId,
    subject: m.subject,
    body: m.body,
    audience: m.audience as MessageAudience,
    ticketTypeId: m.ticketTypeId,
    ticketTypeName: m.ticketType?.name ?? null,
    status: m.status as EventMessageStatus,
    scheduledAt: m.scheduledAt.toISOString(),
    startedAt: m.startedAt?.toISOString() ?? null,
    finishedAt: m.finishedAt?.toISOString() ?? null,
    author: m.author ? { id: m.author.id, name: [m.author.firstName, m.author.lastName].filter(Boolean).join(" ") } : null,
    recipientsTotal: m.recipientsTotal,
    results,
    createdAt: m.createdAt.toISOString(),
  };
}

/** The event's messages, newest first, with their results. */
export async function listEventMessages(o: { actor: Actor | null | undefined; eventId: string; tx?: DbClient }): Promise<EventMessageView[]> {
  const tx = o.tx ?? db;
  const access = await authorizeEvent({ actor: o.actor, eventId: o.eventId, permission: "messages.send", tx });
  const rows = await tx.eventMessage.findMany({
    where: { eventId: access.event.id, organizationId: access.event.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: viewSelect,
  });
  const results = await messageResults(tx, rows.map((r) => r.id));
  return rows.map((r) => toView(r, results.get(r.id)!));
}

/** One message with its results. */
export async function getEventMessage(o: { actor: Actor | null | undefined; messageId: string; tx?: DbClient }): Promise<EventMessageView> {
  const tx = o.tx ?? db;
  const { access, message } = await authorizeMessage(o.actor, o.messageId, tx);
  const row = await tx.eventMessage.findFirst({ where: { id: message.id, organizationId: access.event.organizationId }, select: viewSelect });
  if (!row) throw notFound();
  const results = await messageResults(tx, [row.id]);
  return toView(row, results.get(row.id)!);
}

/** How many people an audience reaches, by channel (the composer's live counts; the send uses the same SQL). */
export async function countAudience(o: {
  actor: Actor | null | undefined;
  eventId: string;
  audience: MessageAudience;
  ticketTypeId?: string | null;
  tx?: DbClient;
}): Promise<AudienceCounts> {
  const tx = o.tx ?? db;
  const access = await authorizeEvent({ actor: o.actor, eventId: o.eventId, permission: "messages.send", tx });
  if (!MESSAGE_AUDIENCES.includes(o.audience)) throw invalid({ audience: "messages.validation.audienceInvalid" });
  let ticketTypeId: string | null = null;
  if (o.audience === "TICKET_TYPE") {
    const type = isUuid(o.ticketTypeId ?? "")
      ? await tx.ticketType.findFirst({ where: { id: o.ticketTypeId!, eventId: access.event.id }, select: { id: true } })
      : null;
    if (!type) throw invalid({ ticketTypeId: o.ticketTypeId ? "messages.validation.ticketTypeInvalid" : "messages.validation.ticketTypeRequired" });
    ticketTypeId = type.id;
  }
  const [row] = await onPrisma(tx).rows<{ recipients: number; telegram: number; email: number; no_channel: number; muted: number }>(
    audienceCountsSql({ organizationId: access.event.organizationId, eventId: access.event.id, audience: o.audience, ticketTypeId }),
  );
  return { recipients: row.recipients, telegram: row.telegram, email: row.email, noChannel: row.no_channel, muted: row.muted };
}

/**
 * The message as each channel will show it, in Russian and in English (the composer's preview). The
 * subject and body are checked like the form's; the mute link is the author's own (a sample).
 */
export async function previewEventMessage(o: {
  actor: Actor | null | undefined;
  eventId: string;
  subject: string;
  body: string;
  tx?: DbClient;
}): Promise<MessagePreview[]> {
  const tx = o.tx ?? db;
  const access = await authorizeEvent({ actor: o.actor, eventId: o.eventId, permission: "messages.send", tx });
  const fields = eventMessageFormSchema.safeParse({ eventId: access.event.id, subject: o.subject, body: o.body, audience: "ALL_CONFIRMED" });
  if (!fields.success) throw invalid(fieldErrorsOf(fields.error) as FieldErrors);
  const event = await tx.event.findFirst({ where: { id: access.event.id, organizationId: access.event.organizationId }, select: { title: true } });
  if (!event) throw notFound();
  // The template as delivery reads it: the database row (an admin may have edited it), else the system one;
  // an empty subject falls back to the system subject.
  const system = systemTemplate(ORGANIZER_MESSAGE_TEMPLATE);
  const stored = await tx.notificationTemplate.findUnique({ where: { code: ORGANIZER_MESSAGE_TEMPLATE }, select: { subject: true, subjectEn: true, body: true, bodyEn: true } });
  const base = stored ?? system;
  if (!base || !system) throw new Error(`the ${ORGANIZER_MESSAGE_TEMPLATE} template is missing`);
  const template = {
    body: base.body,
    bodyEn: base.bodyEn,
    subject: base.subject.trim() ? base.subject : system.subject,
    subjectEn: base.subjectEn.trim() ? base.subjectEn : system.subjectEn,
  };
  const variables = {
    organizationName: access.organization.name,
    eventTitle: event.title,
    subject: fields.data.subject,
    messageBody: new TrustedHtml(markdownToTelegramHtml(fields.data.body)),
    muteUrl: muteUrlFor({ organizationId: access.event.organizationId, userId: access.actor.userId }),
  };
  return Promise.all(
    (["RU", "EN"] as const).map(async (locale) => {
      const rendered = await renderNoticePreview(template, variables, locale, { unsubscribeUrl: variables.muteUrl });
      return { locale, telegramHtml: rendered.telegramHtml, email: rendered.email };
    }),
  );
}
