// Event lifecycle (F16): publish, unpublish, cancel, complete — by hand (`events.manage`) and, for
// completion and reminders, by the crons in lib/jobs/functions/events.ts.
//
// Every status change is one transition of EVENT_TRANSITIONS (lib/events/status.ts) written as a
// compare-and-set: `UPDATE events … WHERE id = $1 AND status = $from`; 0 rows means someone else
// changed the status first → CONFLICT events.errors.statusChanged (two parallel cancels: one wins).
//
// Cancelling (§8 item 7 of the original, which left registrations active) does everything in ONE
// transaction: the event becomes CANCELLED; every RESERVED, PENDING and CONFIRMED registration becomes
// CANCELLED with the reason; their seats go back (one UPDATE per ticket type, never below zero); a
// PENDING refund is recorded for what each cancelled registration paid; each participant with an
// account gets `event.cancelled` (dedupe per registration; delivery after commit); audit rows.
import "server-only";
import { writeAudit, writeAudits } from "@/lib/audit";
import { db, Prisma, type DbClient, withTransaction } from "@/lib/db";
import type { EventStatus, RegistrationStatus } from "@/lib/generated/prisma/client";
import { dateVar, notify } from "@/lib/notifications";
import { assertCurrenciesPayable } from "@/lib/payments/guard";
import { refundRegistrationInTransaction } from "@/lib/payments/refunds";
import { noticeRecipient, ticketUrlOf } from "@/lib/registrations/recipients";
import { authorizeEvent, type Actor } from "@/lib/permissions";
import { cancelEventSchema } from "@/lib/validation/events";
import { conflict, eventLocationText, eventPublicUrl, notFound, parseOrThrow } from "./shared";
import { ACTION_TARGET, DEFAULT_EVENT_DURATION_MS, canTransition, type EventAction } from "./status";

export { EVENT_TRANSITIONS, canTransition, availableActions } from "./status";

type LifecycleOptions = { actor: Actor | null | undefined; eventId: string; now?: Date; tx?: DbClient };

/**
 * The compare-and-set write of one transition. Throws CONFLICT events.errors.invalidTransition when
 * the table does not allow it, events.errors.statusChanged when the row is no longer in `from`.
 */
export async function transitionEvent(
  tx: Prisma.TransactionClient,
  args: { eventId: string; from: EventStatus; to: EventStatus; data?: Omit<Prisma.EventUpdateManyMutationInput, "status"> },
): Promise<void> {
  if (!canTransition(args.from, args.to)) throw conflict("invalidTransition");
  const { count } = await tx.event.updateMany({
    where: { id: args.eventId, status: args.from, deletedAt: null },
    data: { ...args.data, status: args.to },
  });
  if (count === 0) throw conflict("statusChanged");
}

async function loadForTransition(tx: Prisma.TransactionClient, options: LifecycleOptions, action: EventAction) {
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.manage", tx });
  const event = await tx.event.findFirst({
    where: { id: access.event.id, deletedAt: null },
    select: {
      id: true,
      organizationId: true,
      status: true,
      title: true,
      slug: true,
      startsAt: true,
      endsAt: true,
      timezone: true,
      locationType: true,
      locationAddress: true,
      organization: { select: { slug: true } },
    },
  });
  if (!event) throw notFound();
  if (!canTransition(event.status, ACTION_TARGET[action])) throw conflict("invalidTransition");
  return { access, event };
}

export type TransitionResult = { id: string; status: EventStatus };

// ───────────────────────────── publish / unpublish ─────────────────────────────

/**
 * DRAFT → PUBLISHED. Needs at least one active ticket type and a start in the future; sets publishedAt.
 * Errors: UNAUTHENTICATED; NOT_FOUND; CONFLICT events.errors.invalidTransition / statusChanged /
 * noActiveTicketTypes / startsInPast, errors.noWayToPay<CUR> (a paid type's currency has no way to pay).
 */
export async function publishEvent(options: LifecycleOptions): Promise<TransitionResult> {
  const now = options.now ?? new Date();
  return withTransaction(options.tx, async (tx) => {
    const { access, event } = await loadForTransition(tx, options, "publish");
    if (event.startsAt.getTime() <= now.getTime()) throw conflict("startsInPast");
    // The compare-and-set also locks the row; ticket-type changes lock it too (FOR SHARE), so the
    // count below cannot miss a deactivation committed in between.
    await transitionEvent(tx, { eventId: event.id, from: event.status, to: "PUBLISHED", data: { publishedAt: now } });
    const activeTypes = await tx.ticketType.count({ where: { eventId: event.id, isActive: true } });
    if (activeTypes === 0) throw conflict("noActiveTicketTypes");
    // A paid type needs a way to pay for its currency (CONFLICT errors.noWayToPay<CUR>).
    await assertCurrenciesPayable(tx, { eventId: event.id });
    await writeAudit(tx, {
      organizationId: event.organizationId,
      actorId: access.actor.userId,
      entityType: "event",
      entityId: event.id,
      action: "event.published",
      changes: { status: { from: event.status, to: "PUBLISHED" }, publishedAt: { from: null, to: now.toISOString() } },
    });
    return { id: event.id, status: "PUBLISHED" };
  });
}

/**
 * PUBLISHED → DRAFT: hides the event from public pages and stops new registrations; existing
 * registrations stay as they are (cancel the event to cancel them).
 */
export async function unpublishEvent(options: LifecycleOptions): Promise<TransitionResult> {
  return withTransaction(options.tx, async (tx) => {
    const { access, event } = await loadForTransition(tx, options, "unpublish");
    await transitionEvent(tx, { eventId: event.id, from: event.status, to: "DRAFT", data: { publishedAt: null } });
    await writeAudit(tx, {
      organizationId: event.organizationId,
      actorId: access.actor.userId,
      entityType: "event",
      entityId: event.id,
      action: "event.unpublished",
      changes: { status: { from: event.status, to: "DRAFT" } },
    });
    return { id: event.id, status: "DRAFT" };
  });
}

// ───────────────────────────── cancel ─────────────────────────────

export type CancelEventResult = TransitionResult & {
  cancelledRegistrations: number;
  /** Participants with an account who were sent `event.cancelled`. */
  notified: number;
  /** PENDING refunds recorded (one per paid payment). */
  refunds: number;
};

/** Cancelled one status at a time (RESERVED → PENDING → CONFIRMED: a registration promoted meanwhile is still caught). */
const CANCEL_ORDER: readonly RegistrationStatus[] = ["RESERVED", "PENDING", "CONFIRMED"];

/**
 * DRAFT / PUBLISHED → CANCELLED with a reason (1–1000), in one transaction with everything it implies
 * (see the top of this file). Errors: UNAUTHENTICATED; NOT_FOUND; VALIDATION (reason); CONFLICT
 * events.errors.invalidTransition / statusChanged.
 */
export async function cancelEvent(options: LifecycleOptions & { reason: string }): Promise<CancelEventResult> {
  const now = options.now ?? new Date();
  return withTransaction(
    options.tx,
    async (tx) => {
      const { access, event } = await loadForTransition(tx, options, "cancel");
      const { reason } = parseOrThrow(cancelEventSchema, { reason: options.reason });
      const actorId = access.actor.userId;
      await transitionEvent(tx, { eventId: event.id, from: event.status, to: "CANCELLED", data: { cancelledAt: now, cancellationReason: reason } });

      const { cancelled, notified, refunds } = await cancelEventParticipants(tx, {
        event: { ...event, organizationSlug: event.organization.slug },
        reason,
        actorId,
        now,
      });

      await writeAudit(tx, {
        organizationId: event.organizationId,
        actorId,
        entityType: "event",
        entityId: event.id,
        action: "event.cancelled",
        changes: {
          status: { from: event.status, to: "CANCELLED" },
          cancellationReason: { from: null, to: reason },
          registrationsCancelled: cancelled,
          refundsRecorded: refunds,
        },
      });
      return { id: event.id, status: "CANCELLED", cancelledRegistrations: cancelled, notified, refunds };
    },
    // A large event cancels many registrations and writes a notification for each.
    "bulk",
  );
}

/**
 * What cancelling an event does to its participants, in the caller's transaction (the event itself
 * must already be CANCELLED): every RESERVED / PENDING / CONFIRMED registration → CANCELLED with the
 * reason; seats back (one UPDATE per ticket type, never below zero); a PENDING refund for what each
 * paid and was not refunded yet; `event.cancelled` to each participant with an account (once per
 * registration); an audit row per registration. Exported so that other flows that cancel events
 * (organization deletion) do exactly the same.
 */
export async function cancelEventParticipants(
  tx: Prisma.TransactionClient,
  args: {
    event: { id: string; organizationId: string; title: string; slug: string; startsAt: Date; timezone: string; organizationSlug: string };
    reason: string;
    /** The reason as participants read it, per language (defaults to `reason`). */
    localizedReason?: { ru: string; en: string };
    actorId: string | null;
    now: Date;
  },
): Promise<{ cancelled: number; notified: number; refunds: number }> {
  const { event, reason, actorId, now } = args;
  // 1. Every active registration → CANCELLED, remembering which counter its seat was in.
  const cancelled: { id: string; userId: string | null; ticketTypeId: string; from: RegistrationStatus }[] = [];
  for (const status of CANCEL_ORDER) {
    const rows = await tx.registration.updateManyAndReturn({
      where: { eventId: event.id, status },
      data: { status: "CANCELLED", cancelledAt: now, cancellationReason: reason, cancelledById: actorId },
      select: { id: true, userId: true, ticketTypeId: true },
    });
    for (const r of rows) cancelled.push({ ...r, from: status });
  }

  // 2. The waitlist closes: WAITING and NOTIFIED entries → EXPIRED (an open offer held its seat in
  //    reserved_count of the offered type, which returns with the registrations' seats below).
  const closedOffers = await tx.waitlistEntry.updateManyAndReturn({
    where: { eventId: event.id, status: "NOTIFIED" },
    data: { status: "EXPIRED", updatedAt: now },
    select: { offeredTicketTypeId: true },
  });
  await tx.waitlistEntry.updateMany({ where: { eventId: event.id, status: "WAITING" }, data: { status: "EXPIRED", updatedAt: now } });

  // 3. Seats back: one UPDATE per ticket type, never below zero.
  const perType = new Map<string, { sold: number; reserved: number }>();
  const seat = (ticketTypeId: string) => perType.get(ticketTypeId) ?? perType.set(ticketTypeId, { sold: 0, reserved: 0 }).get(ticketTypeId)!;
  for (const r of cancelled) {
    if (r.from === "CONFIRMED") seat(r.ticketTypeId).sold += 1;
    else seat(r.ticketTypeId).reserved += 1;
  }
  for (const offer of closedOffers) if (offer.offeredTicketTypeId) seat(offer.offeredTicketTypeId).reserved += 1;
  for (const [ticketTypeId, c] of [...perType].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await tx.$executeRaw`
      UPDATE ticket_types
         SET sold_count = GREATEST(sold_count - ${c.sold}::int, 0),
             reserved_count = GREATEST(reserved_count - ${c.reserved}::int, 0),
             updated_at = ${now}
       WHERE id = ${ticketTypeId}::uuid`;
  }

  // 4. Refunds due: everything each cancelled registration paid and has not been refunded yet, through
  //    the one refund path (lib/payments/refunds.ts: under each payment's lock, executed by a job).
  const refunds: { registrationId: string; amountCents: number }[] = [];
  for (const r of cancelled) {
    const written = await refundRegistrationInTransaction(tx, {
      registrationId: r.id,
      percent: 100,
      reason: `event cancelled: ${reason}`,
      origin: "event_cancelled",
      actorId,
    });
    for (const f of written.refunds) refunds.push({ registrationId: r.id, amountCents: f.amountCents });
  }
  const refundByRegistration = new Map<string, number>();
  for (const r of refunds) refundByRegistration.set(r.registrationId, (refundByRegistration.get(r.registrationId) ?? 0) + r.amountCents);

  // 5. Each participant is told (delivery after commit, once per registration and channel): a user by
  //    the routing rule, a guest by email in the registration's language.
  const recipients = cancelled.length
    ? await tx.$queryRaw<{ id: string; user_id: string | null; email: string | null; first_name: string; locale: "RU" | "EN" }[]>`
        SELECT r.id, r.user_id, r.email, coalesce(u.first_name, r.first_name) AS first_name, coalesce(u.locale, r.locale)::text AS locale
          FROM registrations r
          LEFT JOIN users u ON u.id = r.user_id
         WHERE r.id = ANY(${cancelled.map((r) => r.id)}::uuid[])
           AND (u.deleted_at IS NULL AND u.id IS NOT NULL OR r.user_id IS NULL AND r.email IS NOT NULL)`
    : [];
  const recipientById = new Map(recipients.map((r) => [r.id, r]));
  const eventUrl = eventPublicUrl(event.organizationSlug, event.slug);
  const reasonFor = (locale: "RU" | "EN") => (args.localizedReason ? args.localizedReason[locale === "EN" ? "en" : "ru"] : reason);
  let notified = 0;
  for (const registration of cancelled) {
    const r = recipientById.get(registration.id);
    const to = r ? noticeRecipient({ id: r.id, userId: r.user_id, email: r.email, locale: r.locale }) : null;
    if (!r || !to) continue;
    const result = await notify(tx, {
      ...to,
      templateCode: "event.cancelled",
      variables: {
        firstName: r.first_name,
        eventTitle: event.title,
        eventDate: dateVar(event.startsAt, event.timezone),
        cancellationReason: reasonFor(r.locale),
        eventUrl,
        ticketUrl: ticketUrlOf({ id: r.id, userId: r.user_id }),
      },
      dedupeKey: `event.cancelled:${event.id}:${registration.id}`,
    });
    if (result.created) notified += 1;
  }

  if (cancelled.length) {
    await writeAudits(tx, cancelled.map((r) => ({
      organizationId: event.organizationId,
      actorId,
      entityType: "registration",
      entityId: r.id,
      action: "registration.cancelled",
      changes: {
        status: { from: r.from, to: "CANCELLED" },
        cancellationReason: { from: null, to: reason },
        cause: "event.cancelled",
        ...(refundByRegistration.has(r.id) ? { refundCents: refundByRegistration.get(r.id) } : {}),
      },
    })));
  }
  return { cancelled: cancelled.length, notified, refunds: refunds.length };
}

// ───────────────────────────── complete ─────────────────────────────

/**
 * PUBLISHED → COMPLETED by hand, once the event has started (the cron completes it on its own when
 * it is over). Registrations keep their statuses (a CONFIRMED one that never checked in was a no-show).
 */
export async function completeEvent(options: LifecycleOptions): Promise<TransitionResult> {
  const now = options.now ?? new Date();
  return withTransaction(options.tx, async (tx) => {
    const { access, event } = await loadForTransition(tx, options, "complete");
    if (event.startsAt.getTime() > now.getTime()) throw conflict("notStarted");
    await transitionEvent(tx, { eventId: event.id, from: event.status, to: "COMPLETED", data: { completedAt: now } });
    await writeAudit(tx, {
      organizationId: event.organizationId,
      actorId: access.actor.userId,
      entityType: "event",
      entityId: event.id,
      action: "event.completed",
      changes: { status: { from: event.status, to: "COMPLETED" }, completedAt: { from: null, to: now.toISOString() } },
    });
    return { id: event.id, status: "COMPLETED" };
  });
}

/**
 * The cron's work: completes PUBLISHED events that are over — their end has passed, or start + 6 h
 * when they have no end — in batches, each a compare-and-set with an audit row (actor: none).
 * Safe to run twice at once: a row completed by the other run is skipped.
 */
export async function completeFinishedEvents(options: { now?: Date; batchSize?: number } = {}): Promise<{ completed: number }> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 200;
  // No end: over once start + 6 h has passed (eventFinishesAt).
  const overBefore = new Date(now.getTime() - DEFAULT_EVENT_DURATION_MS);
  let completed = 0;
  for (let round = 0; round < 1000; round++) {
    const done = await db.$transaction(async (tx) => {
      const due = await tx.event.findMany({
        where: { status: "PUBLISHED", deletedAt: null, OR: [{ endsAt: { lte: now } }, { endsAt: null, startsAt: { lte: overBefore } }] },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        take: batchSize,
        select: { id: true },
      });
      if (due.length === 0) return { found: 0, rows: [] as { id: string; organizationId: string }[] };
      const rows = await tx.event.updateManyAndReturn({
        where: { id: { in: due.map((e) => e.id) }, status: "PUBLISHED", deletedAt: null },
        data: { status: "COMPLETED", completedAt: now },
        select: { id: true, organizationId: true },
      });
      if (rows.length) {
        await writeAudits(tx, rows.map((e) => ({
          organizationId: e.organizationId,
          actorId: null,
          entityType: "event",
          entityId: e.id,
          action: "event.completed",
          changes: { status: { from: "PUBLISHED", to: "COMPLETED" }, completedAt: { from: null, to: now.toISOString() }, by: "schedule" },
        })));
      }
      return { found: due.length, rows };
    });
    completed += done.rows.length;
    if (done.found < batchSize) break;
  }
  return { completed };
}

// ───────────────────────────── reminders ─────────────────────────────

/** How long before the start participants are reminded. */
export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/** One reminder per registration and start time: moving the event re-arms it. */
export const reminderDedupeKey = (registrationId: string, startsAt: Date) => `event.reminder:${registrationId}:${startsAt.getTime()}`;

type ReminderCandidate = {
  registrationId: string;
  status: RegistrationStatus;
  confirmationCode: string;
  userId: string | null;
  email: string | null;
  firstName: string;
  locale: "RU" | "EN";
  eventId: string;
  title: string;
  startsAt: Date;
  timezone: string;
  locationType: "ONLINE" | "OFFLINE" | "HYBRID";
  locationAddress: string | null;
  locationUrl: string | null;
  eventSlug: string;
  organizationSlug: string;
};

/** The morning reminder's key: one per registration and start time (moving the event re-arms it). */
export const morningReminderDedupeKey = (registrationId: string, startsAt: Date) => `event.reminder_morning:${registrationId}:${startsAt.getTime()}`;

/** The local hour of the morning reminder, in the event's time zone. */
export const MORNING_REMINDER_HOUR = 8;

/** 08:00 of the event's day in its time zone, as an instant (SQL over the event alias `e`). */
const morningOf = Prisma.sql`((date_trunc('day', e.starts_at AT TIME ZONE e.timezone) + make_interval(hours => ${MORNING_REMINDER_HOUR}::int)) AT TIME ZONE e.timezone)`;

/**
 * Registrations of PUBLISHED events with reminders on that are still to be reminded under `dedupePrefix`
 * (the key is `<prefix><registration>:<start ms>`), matching `where` (over `e` and `r`): participants
 * RESERVED (not expired), PENDING or CONFIRMED, with an account (not deleted) or a guest's address.
 */
function reminderCandidates(now: Date, dedupePrefix: string, where: Prisma.Sql, batchSize: number) {
  return db.$queryRaw<ReminderCandidate[]>`
    SELECT r.id AS "registrationId", r.status::text AS status, r.confirmation_code AS "confirmationCode",
           r.user_id AS "userId", r.email, coalesce(u.first_name, r.first_name) AS "firstName",
           coalesce(u.locale, r.locale)::text AS locale,
           e.id AS "eventId", e.title, e.starts_at AS "startsAt", e.timezone, e.location_type::text AS "locationType",
           e.location_address AS "locationAddress", e.location_url AS "locationUrl", e.slug AS "eventSlug", o.slug AS "organizationSlug"
      FROM events e
      JOIN organizations o ON o.id = e.tenant_id
      JOIN registrations r ON r.event_id = e.id
      LEFT JOIN users u ON u.id = r.user_id
     WHERE e.status = 'PUBLISHED' AND e.deleted_at IS NULL AND o.deleted_at IS NULL AND e.reminders_enabled
       AND e.starts_at > ${now} AND ${where}
       AND r.status IN ('RESERVED', 'PENDING', 'CONFIRMED')
       AND (r.status <> 'RESERVED' OR r.expires_at > ${now})
       AND ((u.id IS NOT NULL AND u.deleted_at IS NULL) OR (r.user_id IS NULL AND r.email IS NOT NULL))
       AND NOT EXISTS (
         SELECT 1 FROM notification_logs n
          WHERE n.dedupe_key = ${dedupePrefix} || r.id::text || ':' || (extract(epoch FROM e.starts_at) * 1000)::bigint::text)
     ORDER BY e.starts_at, r.id
     LIMIT ${batchSize}`;
}

/** Runs `send` for batches of candidates, each batch in one transaction; counts the notices created. */
async function remindInBatches(
  next: () => Promise<ReminderCandidate[]>,
  batchSize: number,
  send: (tx: Prisma.TransactionClient, c: ReminderCandidate) => Promise<boolean>,
): Promise<number> {
  let sent = 0;
  for (let round = 0; round < 1000; round++) {
    const candidates = await next();
    if (candidates.length === 0) break;
    sent += await db.$transaction(async (tx) => {
      let n = 0;
      for (const c of candidates) if (await send(tx, c)) n += 1;
      return n;
    });
    if (candidates.length < batchSize) break;
  }
  return sent;
}

const recipientOf = (c: ReminderCandidate) => noticeRecipient({ id: c.registrationId, userId: c.userId, email: c.email, locale: c.locale });

/**
 * The reminder cron's work (every 15 minutes), for events whose reminders are on (`events.reminders_enabled`):
 *
 * - `event.reminder` to every participant (RESERVED that has not expired, PENDING, CONFIRMED) — a user by
 *   the routing rule, a guest by email in the registration's language — of a PUBLISHED event starting within
 *   the next 24 h, so also for events created or joined less than 24 h ahead, on the first run after they
 *   become eligible;
 * - `event.reminder_morning` at 08:00 in the event's time zone on the day of an ONLINE or HYBRID event with
 *   a link (`location_url`), with the link: only when the event starts at least an hour after 08:00, and not
 *   to registrations made after 08:00 that day (they have just seen the link).
 *
 * Exactly once per registration, start time and channel: the dedupe key is in the query (already reminded
 * rows are skipped) and in notify() (parallel runs insert one row per channel).
 */
export async function sendEventReminders(options: { now?: Date; batchSize?: number } = {}): Promise<{ sent: number; morning: number }> {
  const now = options.now ?? new Date();
  const until = new Date(now.getTime() + REMINDER_LEAD_MS);
  const batchSize = options.batchSize ?? 200;
  const sent = await remindInBatches(
    () => reminderCandidates(now, "event.reminder:", Prisma.sql`e.starts_at <= ${until}`, batchSize),
    batchSize,
    async (tx, c) => {
      const to = recipientOf(c);
      if (!to) return false;
      const result = await notify(tx, {
        ...to,
        templateCode: "event.reminder",
        variables: {
          firstName: c.firstName,
          eventTitle: c.title,
          eventDate: dateVar(c.startsAt, c.timezone),
          eventLocation: eventLocationText(c, c.locale),
          confirmationCode: c.status === "CONFIRMED" ? c.confirmationCode : "",
          eventUrl: eventPublicUrl(c.organizationSlug, c.eventSlug),
          ticketUrl: ticketUrlOf({ id: c.registrationId, userId: c.userId }),
        },
        dedupeKey: reminderDedupeKey(c.registrationId, c.startsAt),
      });
      return result.created;
    },
  );
  const morning = await remindInBatches(
    () =>
      reminderCandidates(
        now,
        "event.reminder_morning:",
        Prisma.sql`e.location_type IN ('ONLINE', 'HYBRID') AND e.location_url IS NOT NULL
          AND ${morningOf} <= ${now}
          AND e.starts_at >= ${morningOf} + interval '1 hour'
          AND r.created_at <= ${morningOf}`,
        batchSize,
      ),
    batchSize,
    async (tx, c) => {
      const to = recipientOf(c);
      if (!to || !c.locationUrl) return false;
      const result = await notify(tx, {
        ...to,
        templateCode: "event.reminder_morning",
        variables: {
          firstName: c.firstName,
          eventTitle: c.title,
          eventDate: dateVar(c.startsAt, c.timezone),
          onlineUrl: c.locationUrl,
          eventUrl: eventPublicUrl(c.organizationSlug, c.eventSlug),
          ticketUrl: ticketUrlOf({ id: c.registrationId, userId: c.userId }),
        },
        dedupeKey: morningReminderDedupeKey(c.registrationId, c.startsAt),
      });
      return result.created;
    },
  );
  return { sent, morning };
}
