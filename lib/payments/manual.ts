// Offline ("manual") payments recorded by the organizer: at the door, by bank transfer, in cash (F33).
//
// markPaid (`registrations.manage`): RESERVED or PENDING → CONFIRMED with a compare-and-set (a RESERVED
// registration past expires_at cannot be paid: it has expired, whether or not the job has swept it —
// the expiry job and a payment racing on the same row give exactly one outcome), the seat moves from
// reserved_count to sold_count in one UPDATE, a Payment (provider "manual", COMPLETED; the amount from
// the registration's price at the moment of sale; idempotency_key unique) is written, and
// `payment.receipt` + the ticket (`registration.confirmed`) are queued for after the commit.
//
// Prepayment (ticket type with prepayment_percent): the first payment is the prepayment — by default
// ceil(price × percent / 100), or any amount from that up to below the price; the registration becomes
// CONFIRMED at once (the seat is sold, the ticket is sent) and a Prepayment PARTIAL records the
// remainder, due at the event's start. recordRemainingPayment completes it. The overdue sweep cancels
// CONFIRMED registrations whose remainder is still unpaid at the due date when the event's
// settings.cancelUnpaidPrepayments is on (the prepayment is kept: no refund is recorded — it is a
// deposit), and notifies. See docs/registrations.md ("Prepayment").
import "server-only";
import { z } from "zod";
import { writeAudits } from "@/lib/audit";
import { db, type Prisma, TX_PROFILES } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import type { RegistrationStatus } from "@/lib/generated/prisma/enums";
import { hashRequest, withIdempotency } from "@/lib/idempotency";
import { dateVar, notify } from "@/lib/notifications";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { cancelRegistrationInTransaction, loadRegistration } from "@/lib/registrations/cancel";
import {
  eventUrl,
  formatMoney,
  notifyRegistrationConfirmed,
  registrationErrors,
  type NoticeEvent,
} from "@/lib/registrations/shared";
import { readEventSettings } from "@/lib/validation/events";

type Tx = Prisma.TransactionClient;

export const MANUAL_PROVIDER = "manual";

export const paymentErrors = {
  alreadyPaid: () => new AppError("CONFLICT", "errors.alreadyPaid"),
  notPayable: () => new AppError("CONFLICT", "errors.notPayable"),
  noRemainingPayment: () => new AppError("CONFLICT", "errors.noRemainingPayment"),
  keyReused: () => new AppError("CONFLICT", "errors.idempotencyKeyReused"),
  amountInvalid: () => new AppError("VALIDATION", "errors.validation", { amountCents: "payments.validation.amountInvalid" }),
  keyInvalid: () => new AppError("VALIDATION", "errors.validation", { idempotencyKey: "errors.idempotencyKeyInvalid" }),
};

// ───────────────────────────── the plan (pure) ─────────────────────────────

/** The smallest prepayment: ceil(price × percent / 100), in integer arithmetic. */
export function prepaymentAmount(priceCents: number, percent: number): number {
  return Math.ceil((priceCents * percent) / 100);
}

export type PaymentPlan = { kind: "FULL" | "PREPAYMENT"; amountCents: number; remainingCents: number };

/**
 * What a first payment of `amountCents` (or the default when omitted) means for a registration of
 * `priceCents` whose type asks `prepaymentPercent` up front: the full price, or a prepayment of at least
 * the minimum and below the price. Null when the amount is not acceptable.
 */
export function planFirstPayment(priceCents: number, prepaymentPercent: number | null, amountCents?: number | null): PaymentPlan | null {
  if (!Number.isSafeInteger(priceCents) || priceCents <= 0) return null;
  const minimum = prepaymentPercent ? prepaymentAmount(priceCents, prepaymentPercent) : priceCents;
  const amount = amountCents ?? minimum;
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > priceCents) return null;
  if (amount === priceCents) return { kind: "FULL", amountCents: amount, remainingCents: 0 };
  if (prepaymentPercent && amount >= minimum) return { kind: "PREPAYMENT", amountCents: amount, remainingCents: priceCents - amount };
  return null;
}

// ───────────────────────────── services ─────────────────────────────

export type PaymentResult = {
  paymentId: string;
  registrationId: string;
  kind: "FULL" | "PREPAYMENT" | "REMAINDER";
  amountCents: number;
  currency: "RUB" | "USD" | "EUR";
  registrationStatus: RegistrationStatus;
  prepayment: { prepaidCents: number; remainingCents: number; dueDate: string; status: "PARTIAL" | "COMPLETED" } | null;
  replayed: boolean;
};

type PayableRow = {
  now: Date;
  id: string;
  organization_id: string;
  event_id: string;
  ticket_type_id: string;
  user_id: string | null;
  status: RegistrationStatus;
  expired: boolean;
  first_name: string;
  confirmation_code: string;
  price_cents: number;
  currency: "RUB" | "USD" | "EUR";
  prepayment_percent: number | null;
  ticket_type_name: string;
  title: string;
  starts_at: Date;
  timezone: string;
  location_type: NoticeEvent["locationType"];
  location_address: string | null;
  event_slug: string;
  organization_slug: string;
  locale: "RU" | "EN" | null;
  prepayment_id: string | null;
  prepayment_status: "PARTIAL" | "COMPLETED" | null;
  prepaid_cents: number | null;
  remaining_cents: number | null;
  due_date: Date | null;
};

async function loadPayable(tx: Tx, registrationId: string): Promise<PayableRow | undefined> {
  const rows = await tx.$queryRaw<PayableRow[]>`
    SELECT now() AS now, r.id, r.tenant_id AS organization_id, r.event_id, r.ticket_type_id, r.user_id, r.status::text AS status,
           (r.status = 'RESERVED' AND r.expires_at <= now()) AS expired, r.first_name, r.confirmation_code, r.price_cents,
           r.currency::text AS currency, t.prepayment_percent, t.name AS ticket_type_name, e.title, e.starts_at, e.timezone,
           e.location_type::text AS location_type, e.location_address, e.slug AS event_slug, o.slug AS organization_slug,
           u.locale::text AS locale,
           p.id AS prepayment_id, p.status::text AS prepayment_status, p.prepaid_cents, p.remaining_cents, p.due_date
      FROM registrations r
      JOIN ticket_types t ON t.id = r.ticket_type_id
      JOIN events e ON e.id = r.event_id
      JOIN organizations o ON o.id = e.tenant_id
      LEFT JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
      LEFT JOIN prepayments p ON p.registration_id = r.id
     WHERE r.id = ${registrationId}::uuid`;
  return rows[0];
}

function noticeEventOfPayable(r: PayableRow): NoticeEvent {
  return {
    id: r.event_id,
    title: r.title,
    startsAt: r.starts_at,
    timezone: r.timezone,
    locationType: r.location_type,
    locationAddress: r.location_address,
    organizationSlug: r.organization_slug,
    slug: r.event_slug,
  };
}

const uuidKey = z.uuid();

function prepareKey(idempotencyKey: unknown): string {
  const parsed = uuidKey.safeParse(idempotencyKey);
  if (!parsed.success) throw paymentErrors.keyInvalid();
  return parsed.data.toLowerCase();
}

async function createPayment(
  tx: Tx,
  data: { organizationId: string; registrationId: string; amountCents: number; currency: "RUB" | "USD" | "EUR"; idempotencyKey: string; recordedById: string; kind: string },
) {
  try {
    return await tx.payment.create({
      data: {
        organizationId: data.organizationId,
        registrationId: data.registrationId,
        provider: MANUAL_PROVIDER,
        status: "COMPLETED",
        amountCents: data.amountCents,
        currency: data.currency,
        idempotencyKey: data.idempotencyKey,
        recordedById: data.recordedById,
        providerMetadata: { kind: data.kind },
        completedAt: new Date(),
      },
      select: { id: true, completedAt: true },
    });
  } catch (e) {
    if (uniqueViolation(e)?.includes("idempotency_key")) throw paymentErrors.keyReused();
    throw e;
  }
}

async function sendReceipt(tx: Tx, r: PayableRow, paymentId: string, amountCents: number, paidAt: Date) {
  if (!r.user_id) return;
  await notify(tx, {
    userId: r.user_id,
    templateCode: "payment.receipt",
    variables: {
      firstName: r.first_name,
      eventTitle: r.title,
      ticketTypeName: r.ticket_type_name,
      amount: formatMoney(amountCents, r.currency, r.locale ?? "RU"),
      paidAt: dateVar(paidAt, r.timezone),
      receiptNumber: paymentId.slice(0, 8).toUpperCase(),
      eventUrl: eventUrl(noticeEventOfPayable(r)),
    },
    dedupeKey: `payment.receipt:${paymentId}`,
  });
}

/**
 * Records an offline payment for a RESERVED or PENDING registration (see the file comment).
 * `amountCents` defaults to the price, or to the minimum prepayment when the type asks for one.
 */
export async function markPaid(options: {
  actor: Actor | null | undefined;
  registrationId: string;
  amountCents?: number | null;
  idempotencyKey: string;
}): Promise<PaymentResult> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.registrationId)) throw registrationErrors.notFound();
  const key = prepareKey(options.idempotencyKey);
  if (options.amountCents != null && (!Number.isSafeInteger(options.amountCents) || options.amountCents <= 0)) throw paymentErrors.amountInvalid();

  const request = {
    scope: `payment.manual:${actor.userId}`,
    key,
    requestHash: hashRequest({ op: "markPaid", registrationId: options.registrationId, amountCents: options.amountCents ?? null }),
  };
  const { value, replayed } = await withIdempotency(request, async (tx) => {
    const r = await loadPayable(tx, options.registrationId);
    if (!r) throw registrationErrors.notFound();
    await authorizeEvent({ actor, eventId: r.event_id, permission: "registrations.manage", tx });

    if (r.status === "CONFIRMED" || r.status === "CHECKED_IN") throw paymentErrors.alreadyPaid();
    if (r.status === "EXPIRED" || (r.status === "RESERVED" && r.expired)) throw registrationErrors.reservationExpired();
    if (r.status !== "RESERVED" && r.status !== "PENDING") throw paymentErrors.notPayable();
    const plan = planFirstPayment(r.price_cents, r.prepayment_percent, options.amountCents);
    if (!plan) throw r.price_cents > 0 ? paymentErrors.amountInvalid() : paymentErrors.notPayable();

    // Compare-and-set: still awaiting payment and, if timed, not expired (database clock).
    const changed = await tx.$executeRaw`
      UPDATE registrations SET status = 'CONFIRMED', confirmed_at = now(), updated_at = now()
       WHERE id = ${r.id}::uuid AND status = ${r.status}::"RegistrationStatus"
         AND (status <> 'RESERVED' OR expires_at > now())`;
    if (changed === 0) {
      const current = await loadPayable(tx, r.id);
      if (current?.status === "CONFIRMED" || current?.status === "CHECKED_IN") throw paymentErrors.alreadyPaid();
      if (current?.status === "EXPIRED" || current?.expired) throw registrationErrors.reservationExpired();
      throw registrationErrors.conflict();
    }
    await tx.$executeRaw`
      UPDATE ticket_types SET reserved_count = reserved_count - 1, sold_count = sold_count + 1, updated_at = now()
       WHERE id = ${r.ticket_type_id}::uuid`;

    const payment = await createPayment(tx, {
      organizationId: r.organization_id,
      registrationId: r.id,
      amountCents: plan.amountCents,
      currency: r.currency,
      idempotencyKey: key,
      recordedById: actor.userId,
      kind: plan.kind,
    });
    let prepayment: PaymentResult["prepayment"] = null;
    if (plan.kind === "PREPAYMENT") {
      const created = await tx.prepayment.create({
        data: { paymentId: payment.id, registrationId: r.id, prepaidCents: plan.amountCents, remainingCents: plan.remainingCents, status: "PARTIAL", dueDate: r.starts_at },
        select: { prepaidCents: true, remainingCents: true, dueDate: true, status: true },
      });
      prepayment = { ...created, dueDate: created.dueDate.toISOString() };
    }
    await writeAudits(tx, [
      {
        organizationId: r.organization_id,
        actorId: actor.userId,
        entityType: "registration",
        entityId: r.id,
        action: "registration.paid",
        changes: { status: { from: r.status, to: "CONFIRMED" } },
      },
      {
        organizationId: r.organization_id,
        actorId: actor.userId,
        entityType: "payment",
        entityId: payment.id,
        action: "payment.recorded",
        changes: { provider: MANUAL_PROVIDER, kind: plan.kind, amountCents: plan.amountCents, remainingCents: plan.remainingCents },
      },
    ]);
    await sendReceipt(tx, r, payment.id, plan.amountCents, payment.completedAt ?? new Date());
    await notifyRegistrationConfirmed(
      tx,
      { id: r.id, userId: r.user_id, firstName: r.first_name, confirmationCode: r.confirmation_code, locale: r.locale ?? "RU" },
      noticeEventOfPayable(r),
      r.ticket_type_name,
    );
    return {
      paymentId: payment.id,
      registrationId: r.id,
      kind: plan.kind,
      amountCents: plan.amountCents,
      currency: r.currency,
      registrationStatus: "CONFIRMED" as const,
      prepayment,
    };
  });
  return { ...value, replayed };
}

/** Records the remainder of a prepaid registration: the Prepayment PARTIAL → COMPLETED. */
export async function recordRemainingPayment(options: { actor: Actor | null | undefined; registrationId: string; idempotencyKey: string }): Promise<PaymentResult> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.registrationId)) throw registrationErrors.notFound();
  const key = prepareKey(options.idempotencyKey);
  const request = {
    scope: `payment.manual:${actor.userId}`,
    key,
    requestHash: hashRequest({ op: "recordRemainingPayment", registrationId: options.registrationId }),
  };
  const { value, replayed } = await withIdempotency(request, async (tx) => {
    const r = await loadPayable(tx, options.registrationId);
    if (!r) throw registrationErrors.notFound();
    await authorizeEvent({ actor, eventId: r.event_id, permission: "registrations.manage", tx });
    if (!r.prepayment_id || r.prepayment_status !== "PARTIAL") throw paymentErrors.noRemainingPayment();
    if (r.status !== "CONFIRMED" && r.status !== "CHECKED_IN") throw paymentErrors.notPayable();
    const remaining = r.remaining_cents ?? 0;

    const completed = await tx.prepayment.updateMany({
      where: { id: r.prepayment_id, status: "PARTIAL" },
      data: { status: "COMPLETED", completedAt: new Date(), remainingCents: 0 },
    });
    if (completed.count === 0) throw paymentErrors.noRemainingPayment();

    const payment = await createPayment(tx, {
      organizationId: r.organization_id,
      registrationId: r.id,
      amountCents: remaining,
      currency: r.currency,
      idempotencyKey: key,
      recordedById: actor.userId,
      kind: "REMAINDER",
    });
    await writeAudits(tx, [
      {
        organizationId: r.organization_id,
        actorId: actor.userId,
        entityType: "prepayment",
        entityId: r.prepayment_id,
        action: "prepayment.completed",
        changes: { status: { from: "PARTIAL", to: "COMPLETED" }, remainingCents: { from: remaining, to: 0 } },
      },
      {
        organizationId: r.organization_id,
        actorId: actor.userId,
        entityType: "payment",
        entityId: payment.id,
        action: "payment.recorded",
        changes: { provider: MANUAL_PROVIDER, kind: "REMAINDER", amountCents: remaining },
      },
    ]);
    await sendReceipt(tx, r, payment.id, remaining, payment.completedAt ?? new Date());
    return {
      paymentId: payment.id,
      registrationId: r.id,
      kind: "REMAINDER" as const,
      amountCents: remaining,
      currency: r.currency,
      registrationStatus: r.status,
      prepayment: { prepaidCents: r.prepaid_cents ?? 0, remainingCents: 0, dueDate: r.due_date!.toISOString(), status: "COMPLETED" as const },
    };
  });
  return { ...value, replayed };
}

export const OVERDUE_REASON = { RU: "Доплата не внесена до срока", EN: "The remaining payment was not made by the due date" } as const;

/**
 * Cron: Prepayments still PARTIAL past their due date. When the event's settings.cancelUnpaidPrepayments
 * is on, the (CONFIRMED) registration is cancelled — seat returned, waitlist offered, participant
 * notified; the prepayment is kept (no refund recorded). Off: nothing happens (the organizer follows up).
 * Idempotent (the cancellation is a compare-and-set). Returns the registrations cancelled.
 */
export async function sweepOverduePrepayments(options: { limit?: number } = {}): Promise<number> {
  const candidates = await db.$queryRaw<{ registration_id: string; settings: unknown; locale: "RU" | "EN" | null }[]>`
    SELECT p.registration_id, e.settings, u.locale::text AS locale
      FROM prepayments p
      JOIN registrations r ON r.id = p.registration_id
      JOIN events e ON e.id = r.event_id
      LEFT JOIN users u ON u.id = r.user_id
     WHERE p.status = 'PARTIAL' AND p.due_date <= now() AND r.status = 'CONFIRMED'
     ORDER BY p.due_date
     LIMIT ${options.limit ?? 500}::int`;
  let cancelled = 0;
  for (const c of candidates) {
    if (!readEventSettings(c.settings).cancelUnpaidPrepayments) continue;
    const done = await db.$transaction(
      async (tx) => {
        const registration = await loadRegistration(tx, { id: c.registration_id });
        if (!registration || registration.status !== "CONFIRMED") return false;
        const stillPartial = await tx.prepayment.count({ where: { registrationId: c.registration_id, status: "PARTIAL", dueDate: { lte: registration.now } } });
        if (!stillPartial) return false;
        try {
          await cancelRegistrationInTransaction(tx, registration, {
            actorId: null,
            reason: OVERDUE_REASON[c.locale ?? "RU"],
            byOrganizer: true,
            refund: false,
            action: "registration.cancelled_unpaid_prepayment",
          });
          return true;
        } catch (e) {
          if (e instanceof AppError && e.code === "CONFLICT") return false; // someone else moved it first
          throw e;
        }
      },
      TX_PROFILES.standard,
    );
    if (done) cancelled += 1;
  }
  return cancelled;
}
