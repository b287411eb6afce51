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
import { db, type Prisma, TX_PROFILES } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import type { RegistrationStatus } from "@/lib/generated/prisma/enums";
import { hashRequest, withIdempotency } from "@/lib/idempotency";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { cancelRegistrationInTransaction, loadRegistration } from "@/lib/registrations/cancel";
import { registrationErrors } from "@/lib/registrations/shared";
import { readEventSettings } from "@/lib/validation/events";
import { applyPaymentToRegistration, loadPayable, type ApplyResult, type PaymentKind } from "./settle";

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

/** The organizer's error for a payment the registration cannot take. */
function applyError(reason: Exclude<ApplyResult, { ok: true }>["reason"]): AppError {
  switch (reason) {
    case "already_paid":
      return paymentErrors.alreadyPaid();
    case "expired":
    case "no_seat":
      return registrationErrors.reservationExpired();
    case "no_remaining":
      return paymentErrors.noRemainingPayment();
    case "not_payable":
      return paymentErrors.notPayable();
    case "conflict":
      return registrationErrors.conflict();
  }
}

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

const uuidKey = z.uuid();

function prepareKey(idempotencyKey: unknown): string {
  const parsed = uuidKey.safeParse(idempotencyKey);
  if (!parsed.success) throw paymentErrors.keyInvalid();
  return parsed.data.toLowerCase();
}

async function createPayment(
  tx: Tx,
  data: { organizationId: string; registrationId: string; amountCents: number; currency: "RUB" | "USD" | "EUR"; idempotencyKey: string; recordedById: string; kind: PaymentKind },
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
        kind: data.kind,
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

    // The payment first, then the one registration move every payment makes (settle.ts); a refusal rolls both back.
    const payment = await createPayment(tx, {
      organizationId: r.organization_id,
      registrationId: r.id,
      amountCents: plan.amountCents,
      currency: r.currency,
      idempotencyKey: key,
      recordedById: actor.userId,
      kind: plan.kind,
    });
    const applied = await applyPaymentToRegistration(
      tx,
      r,
      { id: payment.id, provider: MANUAL_PROVIDER, kind: plan.kind, amountCents: plan.amountCents, completedAt: payment.completedAt ?? new Date() },
      { actorId: actor.userId, lateSale: false },
    );
    if (!applied.ok) throw applyError(applied.reason);
    return {
      paymentId: payment.id,
      registrationId: r.id,
      kind: plan.kind,
      amountCents: plan.amountCents,
      currency: r.currency,
      registrationStatus: "CONFIRMED" as const,
      prepayment: applied.prepayment,
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
    const payment = await createPayment(tx, {
      organizationId: r.organization_id,
      registrationId: r.id,
      amountCents: remaining,
      currency: r.currency,
      idempotencyKey: key,
      recordedById: actor.userId,
      kind: "REMAINDER",
    });
    const applied = await applyPaymentToRegistration(
      tx,
      r,
      { id: payment.id, provider: MANUAL_PROVIDER, kind: "REMAINDER", amountCents: remaining, completedAt: payment.completedAt ?? new Date() },
      { actorId: actor.userId, lateSale: false },
    );
    if (!applied.ok) throw applyError(applied.reason);
    return {
      paymentId: payment.id,
      registrationId: r.id,
      kind: "REMAINDER" as const,
      amountCents: remaining,
      currency: r.currency,
      registrationStatus: r.status,
      prepayment: applied.prepayment,
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
