// Cancellation (F21, F22; original gaps §8 items 1 and 15).
//
// - participant: their own registration (signed in, or a guest through the private ticket link), until
//   the event starts;
// - organizer: `registrations.manage` on the event's organization (another organization's registration
//   is "not found"), any time, with a reason;
// - REGISTRATION_TRANSITIONS decides what may be cancelled (RESERVED, PENDING, CONFIRMED) and the write
//   is a compare-and-set on the old status: of many parallel cancellations exactly one wins, the others
//   get CONFLICT `errors.alreadyCancelled`, and the seat is returned once — to sold_count or
//   reserved_count by the old status;
// - refunds go through lib/payments/refunds.ts: the organizer cancelling refunds everything left, the
//   participant's own cancellation what the event's refund policy says (./refund-policy.ts);
// - the freed seat is offered to the waitlist first (same transaction), and `registration.cancelled`
//   is queued for after the commit.
import "server-only";
import { z } from "zod";
import { writeAudit, type AuditAction } from "@/lib/audit";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RegistrationStatus } from "@/lib/generated/prisma/enums";
import { hashRequest, withIdempotency } from "@/lib/idempotency";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { previewRegistrationRefunds, refundRegistrationInTransaction } from "@/lib/payments/refunds";
import { readEventSettings } from "@/lib/validation/events";
import { offerSeats } from "@/lib/waitlist";
import { policyRefundPercent, refundCutoff } from "./refund-policy";
import { noticeEventOfColumns, notifyRegistrationCancelled, registrationErrors, type NoticeEvent } from "./shared";
import { hashGuestToken, isTokenShaped } from "./tokens";
import { canTransition, seatCounterOf } from "./transitions";

type Tx = Prisma.TransactionClient;

export const CANCEL_REASON_MAX = 500;

export type CancelResult = {
  registrationId: string;
  status: "CANCELLED";
  previousStatus: RegistrationStatus;
  /** PENDING refunds requested (one per payment with something left to give back). */
  refunds: number;
  /** Whether the freed seat went to a waitlist offer. */
  offeredToWaitlist: boolean;
  replayed: boolean;
};

export type RegistrationRow = {
  now: Date;
  id: string;
  organization_id: string;
  event_id: string;
  ticket_type_id: string;
  user_id: string | null;
  status: RegistrationStatus;
  first_name: string;
  email: string | null;
  locale: "RU" | "EN";
  starts_at: Date;
  title: string;
  timezone: string;
  location_type: NoticeEvent["locationType"];
  location_address: string | null;
  event_slug: string;
  organization_slug: string;
  settings: unknown;
};

export async function loadRegistration(tx: Tx, where: { id: string } | { guestTokenHash: string }): Promise<RegistrationRow | undefined> {
  const rows = await tx.$queryRaw<RegistrationRow[]>`
    SELECT now() AS now, r.id, r.tenant_id AS organization_id, r.event_id, r.ticket_type_id, r.user_id, r.status::text AS status,
           r.first_name, r.email, r.locale::text AS locale, e.starts_at, e.title, e.timezone, e.location_type::text AS location_type, e.location_address,
           e.slug AS event_slug, o.slug AS organization_slug, e.settings
      FROM registrations r
      JOIN events e ON e.id = r.event_id
      JOIN organizations o ON o.id = e.tenant_id
     WHERE ${"id" in where ? Prisma.sql`r.id = ${where.id}::uuid` : Prisma.sql`r.guest_token_hash = ${where.guestTokenHash} AND r.user_id IS NULL`}`;
  return rows[0];
}

export type CancelCoreOptions = {
  /** Who cancelled (null: the system, e.g. the overdue-prepayment sweep). */
  actorId: string | null;
  reason: string | null;
  byOrganizer: boolean;
  /** Request refunds of what was paid (default true). */
  refund?: boolean;
  /**
   * What percent of what is left of each payment comes back (default 100). A participant's own
   * cancellation passes the event's refund policy (refundPercentFor).
   */
  refundPercent?: number;
  /** Queue `registration.cancelled` (default true; an event cancellation sends `event.cancelled` instead). */
  notify?: boolean;
  /** The audit action (default: registration.cancelled / registration.cancelled_by_organizer). */
  action?: AuditAction<"registration">;
};

/**
 * The cancellation itself, in the caller's transaction, for a registration already authorized by the
 * caller: transition check, compare-and-set, counter, refunds, audit, waitlist offer, notification.
 */
export async function cancelRegistrationInTransaction(tx: Tx, registration: RegistrationRow, options: CancelCoreOptions): Promise<Omit<CancelResult, "replayed">> {
  const from = registration.status;
  if (from === "CANCELLED") throw registrationErrors.alreadyCancelled();
  if (!canTransition(from, "CANCELLED")) throw registrationErrors.notCancellable();

  const changed = await tx.$executeRaw`
    UPDATE registrations
       SET status = 'CANCELLED', cancelled_at = now(), cancellation_reason = ${options.reason}, cancelled_by = ${options.actorId}::uuid,
           updated_at = now()
     WHERE id = ${registration.id}::uuid AND status = ${from}::"RegistrationStatus"`;
  if (changed === 0) {
    const current = await tx.registration.findUnique({ where: { id: registration.id }, select: { status: true } });
    if (current?.status === "CANCELLED") throw registrationErrors.alreadyCancelled();
    throw registrationErrors.notCancellable();
  }

  const counter = seatCounterOf(from);
  if (counter === "sold") {
    await tx.$executeRaw`UPDATE ticket_types SET sold_count = sold_count - 1, updated_at = now() WHERE id = ${registration.ticket_type_id}::uuid`;
  } else if (counter === "reserved") {
    await tx.$executeRaw`UPDATE ticket_types SET reserved_count = reserved_count - 1, updated_at = now() WHERE id = ${registration.ticket_type_id}::uuid`;
  }

  // Refunds through the one refund path (lib/payments/refunds.ts): under each payment's lock, a PENDING
  // refund per payment with something left, carried out by a job (a manual payment: the organizer's to-do).
  const written =
    options.refund !== false
      ? await refundRegistrationInTransaction(tx, {
          registrationId: registration.id,
          percent: options.refundPercent ?? 100,
          reason: options.reason,
          origin: options.byOrganizer ? "organizer_cancel" : "participant_cancel",
          actorId: options.actorId,
        })
      : { refunds: [] };
  const refunds = written.refunds.length;

  await writeAudit(tx, ({
    organizationId: registration.organization_id,
    actorId: options.actorId,
    entityType: "registration",
    entityId: registration.id,
    action: options.action ?? (options.byOrganizer ? "registration.cancelled_by_organizer" : "registration.cancelled"),
    changes: { status: { from, to: "CANCELLED" }, reason: options.reason, refunds },
  }));

  const offered = counter
    ? await offerSeats(tx, { eventId: registration.event_id, ticketTypeId: registration.ticket_type_id, seats: 1, actorId: options.actorId })
    : 0;

  if (options.notify !== false) {
    await notifyRegistrationCancelled(
      tx,
      { id: registration.id, userId: registration.user_id, firstName: registration.first_name, email: registration.email, locale: registration.locale },
      noticeEventOfColumns(registration),
      { byOrganizer: options.byOrganizer, reason: options.reason, refunds: written.refunds },
    );
  }

  return { registrationId: registration.id, status: "CANCELLED", previousStatus: from, refunds, offeredToWaitlist: offered > 0 };
}

/** The participant cancels their own registration (until the event starts). */
export async function cancelMyRegistration(options: {
  actor: Actor | null | undefined;
  registrationId: string;
  idempotencyKey?: string | null;
}): Promise<CancelResult> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.registrationId)) throw registrationErrors.notFound();
  const request = options.idempotencyKey
    ? { scope: `registration.cancel:user:${actor.userId}`, key: options.idempotencyKey, requestHash: hashRequest({ registrationId: options.registrationId }) }
    : null;
  const { value, replayed } = await withIdempotency(request, async (tx) => {
    const registration = await loadRegistration(tx, { id: options.registrationId });
    if (!registration || registration.user_id !== actor.userId) throw registrationErrors.notFound();
    assertBeforeStart(registration);
    return cancelRegistrationInTransaction(tx, registration, {
      actorId: actor.userId,
      reason: null,
      byOrganizer: false,
      refundPercent: refundPercentFor(registration),
    });
  });
  return { ...value, replayed };
}

/** A guest cancels through the private ticket link (until the event starts). */
export async function cancelGuestRegistration(options: { guestToken: string; idempotencyKey?: string | null }): Promise<CancelResult> {
  if (!isTokenShaped(options.guestToken)) throw registrationErrors.notFound();
  const guestTokenHash = hashGuestToken(options.guestToken);
  const request = options.idempotencyKey
    ? { scope: `registration.cancel:guest:${guestTokenHash}`, key: options.idempotencyKey, requestHash: hashRequest({}) }
    : null;
  const { value, replayed } = await withIdempotency(request, async (tx) => {
    const registration = await loadRegistration(tx, { guestTokenHash });
    if (!registration) throw registrationErrors.notFound();
    assertBeforeStart(registration);
    return cancelRegistrationInTransaction(tx, registration, { actorId: null, reason: null, byOrganizer: false, refundPercent: refundPercentFor(registration) });
  });
  return { ...value, replayed };
}

export type CancellationPreview = {
  /** The percent the cancellation refunds now (0 after the cut-off). */
  percent: number;
  /** The policy's percent and the moment after which nothing comes back (ISO). */
  policyPercent: number;
  cutoff: string;
  /** The event's time zone (to show the cut-off). */
  timezone: string;
  /** What is left of the payments before the percent. */
  paidCents: number;
  /** What would come back, per payment (currency; manual = the organizer returns it by hand). */
  refunds: { amountCents: number; currency: string; manual: boolean }[];
};

async function previewOf(tx: Tx, registration: RegistrationRow): Promise<CancellationPreview> {
  const policy = readEventSettings(registration.settings).refundPolicy;
  const percent = refundPercentFor(registration);
  const { leftCents, refunds } = await previewRegistrationRefunds(tx, { registrationId: registration.id, percent });
  return {
    percent: refunds.length ? percent : 0,
    policyPercent: policy.percent,
    cutoff: refundCutoff(policy, registration.starts_at).toISOString(),
    timezone: registration.timezone,
    paidCents: leftCents,
    refunds: refunds.map((r) => ({ amountCents: r.amountCents, currency: r.currency, manual: r.manual })),
  };
}

/** What the participant's own cancellation would give back now (the confirmation dialog says it before they confirm). */
export async function previewMyCancellation(options: { actor: Actor | null | undefined; registrationId: string }): Promise<CancellationPreview> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.registrationId)) throw registrationErrors.notFound();
  return db.$transaction(async (tx) => {
    const registration = await loadRegistration(tx, { id: options.registrationId });
    if (!registration || registration.user_id !== actor.userId) throw registrationErrors.notFound();
    return previewOf(tx, registration);
  });
}

/** The same for a guest's private ticket link. */
export async function previewGuestCancellation(options: { guestToken: string }): Promise<CancellationPreview> {
  if (!isTokenShaped(options.guestToken)) throw registrationErrors.notFound();
  const guestTokenHash = hashGuestToken(options.guestToken);
  return db.$transaction(async (tx) => {
    const registration = await loadRegistration(tx, { guestTokenHash });
    if (!registration) throw registrationErrors.notFound();
    return previewOf(tx, registration);
  });
}

/** The event's refund policy applied at the database's now (RegistrationRow.now). */
function refundPercentFor(registration: RegistrationRow): number {
  return policyRefundPercent(readEventSettings(registration.settings).refundPolicy, registration.starts_at, registration.now);
}

function assertBeforeStart(registration: RegistrationRow) {
  if (registration.starts_at.getTime() <= registration.now.getTime()) throw registrationErrors.eventStarted();
}

const reasonSchema = z
  .string({ error: "registrations.validation.reasonRequired" })
  .trim()
  .min(1, "registrations.validation.reasonRequired")
  .max(CANCEL_REASON_MAX, "registrations.validation.reasonTooLong");

/** The organizer (`registrations.manage`) cancels a registration of their event, with a reason. */
export async function cancelRegistrationAsOrganizer(options: {
  actor: Actor | null | undefined;
  registrationId: string;
  reason: string;
  idempotencyKey?: string | null;
}): Promise<CancelResult> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.registrationId)) throw registrationErrors.notFound();
  const reason = reasonSchema.safeParse(options.reason);
  if (!reason.success) throw new AppError("VALIDATION", "errors.validation", { reason: reason.error.issues[0].message });
  const request = options.idempotencyKey
    ? {
        scope: `registration.cancel:user:${actor.userId}`,
        key: options.idempotencyKey,
        requestHash: hashRequest({ registrationId: options.registrationId, reason: reason.data }),
      }
    : null;
  const { value, replayed } = await withIdempotency(request, async (tx) => {
    const registration = await loadRegistration(tx, { id: options.registrationId });
    if (!registration) throw registrationErrors.notFound();
    await authorizeEvent({ actor, eventId: registration.event_id, permission: "registrations.manage", tx });
    return cancelRegistrationInTransaction(tx, registration, { actorId: actor.userId, reason: reason.data, byOrganizer: true });
  });
  return { ...value, replayed };
}
