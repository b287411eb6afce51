// Refunds carried out through the provider (docs/payments.md "Refunds").
//
// - requestRefundInTransaction: THE way a refund comes into being (a cancellation, an event
//   cancellation, a late payment, the organizer's "Refund"): in the caller's transaction it locks the
//   payment row, checks the payment is refundable and that the amount fits what is left (the sum of the
//   payment's refunds that have not FAILED never exceeds it — a conditional insert under the lock; the
//   trigger refunds_within_payment is the safety net), writes the PENDING refund with its own idempotency
//   key and queues `payments/refund-requested` through the outbox. A manual payment gets no job: the row
//   is the organizer's to-do ("return by hand"), closed with markManualRefundDone.
// - executeRefund (job payments-refund-execute): provider.refund with the refund's key — succeeded →
//   COMPLETED, payments.refunded_cents += amount and the payment's status by statusAfterRefunds, in one
//   transaction (compare-and-set: of a job and the reconciliation racing, one applies it); pending → the
//   provider's id is stored and the refund stays PENDING (webhook → syncRefund, or the reconciliation);
//   an unknown outcome → thrown, the job retries with the SAME key; rejected / credentials → FAILED with
//   the reason, shown to the organizer with "Retry" (retryFailedRefund: a new PENDING refund, retry_of_id).
// - reconcilePendingRefunds (cron): refunds left PENDING are read again (getRefund) or executed again
//   with the same key. Providers keep idempotency keys 24 hours: a refund whose outcome is still unknown
//   after that is FAILED with a reason that says to check the provider's dashboard before retrying
//   (repeating the old key then could refund twice).
import "server-only";
import { z } from "zod";
import { writeAudit } from "@/lib/audit";
import { db, type DbClient, type Prisma, TX_PROFILES } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Currency, PaymentStatus, RefundStatus } from "@/lib/generated/prisma/enums";
import { hashRequest, withIdempotency } from "@/lib/idempotency";
import { enqueue } from "@/lib/jobs";
import { notify } from "@/lib/notifications";
import { providerForPayment } from "@/lib/payments/accounts";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { formatMoney } from "@/lib/i18n/format";
import { noticeRecipient, ticketUrlOf } from "@/lib/registrations/recipients";
import { REFUND_REASON_MAX } from "@/lib/validation/refunds";
import { ONLINE_PROVIDERS, ProviderError, type OnlineProviderId, type ProviderRefund } from "./providers/types";
import { canRefundTransition, REFUNDABLE_PAYMENT_STATUSES, statusAfterRefunds } from "./transitions";

type Tx = Prisma.TransactionClient;

export const REFUND_ORIGINS = ["participant_cancel", "organizer", "organizer_cancel", "event_cancelled", "late_payment"] as const;
export type RefundOrigin = (typeof REFUND_ORIGINS)[number];

/** Providers keep an idempotency key 24 hours; after that a repeat with it is a new refund. */
export const REFUND_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** The provider's reason text limit (YooKassa's description of a refund is ≤ 250): lib/validation/refunds.ts. */
export { REFUND_REASON_MAX };
const ERROR_MAX = 500;

export const refundErrors = {
  notFound: () => new AppError("NOT_FOUND", "errors.notFound"),
  notRefundable: () => new AppError("CONFLICT", "refunds.errors.notRefundable"),
  nothingLeft: () => new AppError("CONFLICT", "refunds.errors.nothingLeft"),
  exceedsRemaining: () => new AppError("VALIDATION", "errors.validation", { amountCents: "refunds.errors.exceedsRemaining" }),
  amountInvalid: () => new AppError("VALIDATION", "errors.validation", { amountCents: "refunds.errors.amountInvalid" }),
  reasonTooLong: () => new AppError("VALIDATION", "errors.validation", { reason: "refunds.errors.reasonTooLong" }),
  notFailed: () => new AppError("CONFLICT", "refunds.errors.notFailed"),
  alreadyRetried: () => new AppError("CONFLICT", "refunds.errors.alreadyRetried"),
  notManual: () => new AppError("CONFLICT", "refunds.errors.notManual"),
  notPending: () => new AppError("CONFLICT", "refunds.errors.notPending"),
  keyInvalid: () => new AppError("VALIDATION", "errors.validation", { idempotencyKey: "errors.idempotencyKeyInvalid" }),
};

const isOnline = (provider: string): provider is OnlineProviderId => (ONLINE_PROVIDERS as readonly string[]).includes(provider);

// ───────────────────────────── request ─────────────────────────────

export type RefundRequest = {
  paymentId: string;
  amountCents: number;
  reason: string | null;
  origin: RefundOrigin;
  /** Who asked; null = the system. */
  actorId: string | null;
  /** The FAILED refund this one retries (retryFailedRefund). */
  retryOfId?: string | null;
};

type LockedPayment = {
  id: string;
  organization_id: string;
  registration_id: string;
  provider: string;
  status: PaymentStatus;
  amount_cents: number;
  currency: Currency;
};

async function lockPayment(tx: Tx, paymentId: string): Promise<LockedPayment | undefined> {
  const rows = await tx.$queryRaw<LockedPayment[]>`
    SELECT id, tenant_id AS organization_id, registration_id, provider, status::text AS status, amount_cents, currency::text AS currency
      FROM payments WHERE id = ${paymentId}::uuid FOR NO KEY UPDATE`;
  return rows[0];
}

/** What is still refundable: the amount less every refund that has not FAILED (PENDING ones count). */
async function leftToRefund(tx: Tx, payment: Pick<LockedPayment, "id" | "amount_cents">): Promise<number> {
  const rows = await tx.$queryRaw<{ taken: number }[]>`
    SELECT COALESCE(sum(amount_cents), 0)::int AS taken FROM refunds WHERE payment_id = ${payment.id}::uuid AND status <> 'FAILED'`;
  return payment.amount_cents - rows[0].taken;
}

/**
 * Writes a PENDING refund and queues its execution, in the caller's transaction (see the file comment).
 * `amountCents` must fit what is left of the payment; callers that refund "everything left" use
 * refundLeftInTransaction.
 */
export async function requestRefundInTransaction(tx: Tx, request: RefundRequest): Promise<{ refundId: string }> {
  if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) throw refundErrors.amountInvalid();
  const reason = request.reason?.trim() ? request.reason.trim().slice(0, REFUND_REASON_MAX) : null;
  const payment = await lockPayment(tx, request.paymentId);
  if (!payment) throw refundErrors.notFound();
  if (!REFUNDABLE_PAYMENT_STATUSES.includes(payment.status)) throw refundErrors.notRefundable();

  // Under the payment's lock: the conditional insert reads the refunds committed before the lock was
  // granted (a new statement, a new snapshot), so parallel requests queue here and the sum never exceeds.
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO refunds (id, payment_id, amount_cents, reason, status, origin, requested_by, retry_of_id, created_at, updated_at)
    SELECT gen_random_uuid(), p.id, ${request.amountCents}, ${reason}, 'PENDING', ${request.origin}, ${request.actorId}::uuid, ${request.retryOfId ?? null}::uuid, now(), now()
      FROM payments p
     WHERE p.id = ${payment.id}::uuid
       AND (SELECT COALESCE(sum(f.amount_cents), 0) FROM refunds f WHERE f.payment_id = p.id AND f.status <> 'FAILED') + ${request.amountCents} <= p.amount_cents
    RETURNING id`;
  if (!inserted.length) {
    throw (await leftToRefund(tx, payment)) <= 0 ? refundErrors.nothingLeft() : refundErrors.exceedsRemaining();
  }
  const refundId = inserted[0].id;
  if (isOnline(payment.provider)) {
    await enqueue(tx, "payments/refund-requested", { refundId }, { id: `refund:${refundId}` });
  }
  await writeAudit(tx, {
    organizationId: payment.organization_id,
    actorId: request.actorId,
    entityType: "refund",
    entityId: refundId,
    action: "refund.requested",
    changes: { paymentId: payment.id, amountCents: request.amountCents, origin: request.origin, provider: payment.provider, retryOf: request.retryOfId ?? null },
  });
  return { refundId };
}

/**
 * Refunds `percent` % (rounded down to the minor unit) of what is left of every refundable payment of a
 * registration, in the caller's transaction. Returns the refunds written and their sum per currency.
 */
export async function refundRegistrationInTransaction(
  tx: Tx,
  options: { registrationId: string; percent: number; reason: string | null; origin: RefundOrigin; actorId: string | null },
): Promise<{ refunds: { refundId: string; paymentId: string; amountCents: number; currency: Currency; manual: boolean }[] }> {
  const payments = await tx.payment.findMany({
    where: { registrationId: options.registrationId, status: { in: [...REFUNDABLE_PAYMENT_STATUSES] }, amountCents: { gt: 0 } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  const refunds = [];
  for (const { id } of payments) {
    const payment = await lockPayment(tx, id);
    if (!payment || !REFUNDABLE_PAYMENT_STATUSES.includes(payment.status)) continue;
    const amountCents = refundShare(await leftToRefund(tx, payment), options.percent);
    if (amountCents <= 0) continue;
    const { refundId } = await requestRefundInTransaction(tx, { paymentId: id, amountCents, reason: options.reason, origin: options.origin, actorId: options.actorId });
    refunds.push({ refundId, paymentId: id, amountCents, currency: payment.currency, manual: !isOnline(payment.provider) });
  }
  return { refunds };
}

/**
 * What refundRegistrationInTransaction would request now, without writing (a cancel dialog's "what
 * comes back"): per refundable payment, percent % of what is left. `leftCents` is the sum left before
 * the percent.
 */
export async function previewRegistrationRefunds(
  client: DbClient,
  options: { registrationId: string; percent: number },
): Promise<{ leftCents: number; refunds: { paymentId: string; amountCents: number; currency: Currency; manual: boolean }[] }> {
  const rows = await client.$queryRaw<{ id: string; provider: string; currency: Currency; left_cents: number }[]>`
    SELECT p.id, p.provider, p.currency::text AS currency,
           p.amount_cents - COALESCE((SELECT sum(f.amount_cents) FROM refunds f WHERE f.payment_id = p.id AND f.status <> 'FAILED'), 0)::int AS left_cents
      FROM payments p
     WHERE p.registration_id = ${options.registrationId}::uuid AND p.status::text = ANY(${[...REFUNDABLE_PAYMENT_STATUSES]}::text[]) AND p.amount_cents > 0
     ORDER BY p.created_at`;
  const refunds = rows
    .map((p) => ({ paymentId: p.id, amountCents: refundShare(p.left_cents, options.percent), currency: p.currency, manual: !isOnline(p.provider) }))
    .filter((r) => r.amountCents > 0);
  return { leftCents: rows.reduce((n, p) => n + Math.max(0, p.left_cents), 0), refunds };
}

/** percent % of `leftCents`, rounded down to the minor unit (pure). */
export function refundShare(leftCents: number, percent: number): number {
  if (leftCents <= 0 || percent <= 0) return 0;
  return Math.floor((leftCents * Math.min(percent, 100)) / 100);
}

// ───────────────────────────── applying an outcome ─────────────────────────────

type LockedRefund = {
  id: string;
  payment_id: string;
  organization_id: string;
  status: RefundStatus;
  amount_cents: number;
  provider: string;
  provider_payment_id: string | null;
  provider_refund_id: string | null;
  idempotency_key: string;
  currency: Currency;
  reason: string | null;
  created_at: Date;
};

async function loadRefund(tx: DbClient, refundId: string, lock: boolean): Promise<LockedRefund | undefined> {
  const rows = lock
    ? await tx.$queryRaw<LockedRefund[]>`
        SELECT f.id, f.payment_id, p.tenant_id AS organization_id, f.status::text AS status, f.amount_cents, p.provider, p.provider_payment_id,
               f.provider_refund_id, f.idempotency_key::text AS idempotency_key, p.currency::text AS currency, f.reason, f.created_at
          FROM refunds f JOIN payments p ON p.id = f.payment_id
         WHERE f.id = ${refundId}::uuid
           FOR NO KEY UPDATE OF p, f`
    : await tx.$queryRaw<LockedRefund[]>`
        SELECT f.id, f.payment_id, p.tenant_id AS organization_id, f.status::text AS status, f.amount_cents, p.provider, p.provider_payment_id,
               f.provider_refund_id, f.idempotency_key::text AS idempotency_key, p.currency::text AS currency, f.reason, f.created_at
          FROM refunds f JOIN payments p ON p.id = f.payment_id
         WHERE f.id = ${refundId}::uuid`;
  return rows[0];
}

/**
 * PENDING → COMPLETED with the payment's refunded sum and status, in the caller's transaction (the
 * payment and refund rows locked by loadRefund). False when the refund was no longer PENDING.
 */
async function completeRefund(tx: Tx, refund: LockedRefund, providerRefundId: string | null, actorId: string | null): Promise<boolean> {
  if (!canRefundTransition(refund.status, "COMPLETED")) return false;
  const changed = await tx.$executeRaw`
    UPDATE refunds SET status = 'COMPLETED', completed_at = now(), updated_at = now(), last_error = NULL,
           provider_refund_id = COALESCE(${providerRefundId}, provider_refund_id)
     WHERE id = ${refund.id}::uuid AND status = 'PENDING'`;
  if (changed === 0) return false;
  const [payment] = await tx.$queryRaw<{ status: PaymentStatus; amount_cents: number; refunded_cents: number }[]>`
    SELECT status::text AS status, amount_cents, refunded_cents FROM payments WHERE id = ${refund.payment_id}::uuid`;
  const refunded = payment.refunded_cents + refund.amount_cents;
  const next = statusAfterRefunds(payment.amount_cents, refunded);
  // Compare-and-set on the status read under the lock; the payments trigger checks the transition.
  const moved = await tx.$executeRaw`
    UPDATE payments SET refunded_cents = ${refunded}, status = ${next}::"PaymentStatus", updated_at = now()
     WHERE id = ${refund.payment_id}::uuid AND status = ${payment.status}::"PaymentStatus" AND refunded_cents = ${payment.refunded_cents}`;
  if (moved === 0) throw new AppError("CONFLICT", "errors.conflict");
  await writeAudit(tx, {
    organizationId: refund.organization_id,
    actorId,
    entityType: "refund",
    entityId: refund.id,
    action: "refund.completed",
    changes: { status: { from: "PENDING", to: "COMPLETED" }, amountCents: refund.amount_cents, payment: { from: payment.status, to: next }, refundedCents: refunded },
  });
  await notifyRefundCompleted(tx, refund);
  return true;
}

/**
 * `refund.completed` to the person who paid (a user by the routing rule, a guest by email in the
 * registration's language), in the transaction that completed the refund; one per refund.
 */
async function notifyRefundCompleted(tx: Tx, refund: Pick<LockedRefund, "id" | "payment_id" | "amount_cents" | "currency">): Promise<void> {
  const [r] = await tx.$queryRaw<{ id: string; user_id: string | null; email: string | null; locale: "RU" | "EN"; first_name: string; title: string }[]>`
    SELECT r.id, r.user_id, r.email, coalesce(u.locale, r.locale)::text AS locale, r.first_name, e.title
      FROM payments p
      JOIN registrations r ON r.id = p.registration_id
      JOIN events e ON e.id = r.event_id
      LEFT JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
     WHERE p.id = ${refund.payment_id}::uuid`;
  const to = r ? noticeRecipient({ id: r.id, userId: r.user_id, email: r.email, locale: r.locale }) : null;
  if (!r || !to) return;
  await notify(tx, {
    ...to,
    templateCode: "refund.completed",
    variables: {
      firstName: r.first_name,
      eventTitle: r.title,
      amount: formatMoney(refund.amount_cents, refund.currency, r.locale === "EN" ? "en" : "ru"),
      ticketUrl: ticketUrlOf({ id: r.id, userId: r.user_id }),
    },
    dedupeKey: `refund.completed:${refund.id}`,
  });
}

async function failRefund(tx: Tx, refund: LockedRefund, failureReason: string, providerRefundId: string | null): Promise<boolean> {
  if (!canRefundTransition(refund.status, "FAILED")) return false;
  const changed = await tx.$executeRaw`
    UPDATE refunds SET status = 'FAILED', failure_reason = ${failureReason.slice(0, ERROR_MAX)}, updated_at = now(),
           provider_refund_id = COALESCE(${providerRefundId}, provider_refund_id)
     WHERE id = ${refund.id}::uuid AND status = 'PENDING'`;
  if (changed === 0) return false;
  await writeAudit(tx, {
    organizationId: refund.organization_id,
    actorId: null,
    entityType: "refund",
    entityId: refund.id,
    action: "refund.failed",
    changes: { status: { from: "PENDING", to: "FAILED" }, failureReason },
  });
  return true;
}

export type RefundOutcome = "completed" | "failed" | "pending" | "unchanged";

/** Applies what the provider says of a refund (a fresh read or the answer to our call). */
async function applyProviderRefund(refundId: string, answer: ProviderRefund): Promise<RefundOutcome> {
  return db.$transaction(async (tx) => {
    const refund = await loadRefund(tx, refundId, true);
    if (!refund || refund.status !== "PENDING") return "unchanged";
    if (answer.status === "succeeded") return (await completeRefund(tx, refund, answer.providerRefundId, null)) ? "completed" : "unchanged";
    if (answer.status === "failed") {
      return (await failRefund(tx, refund, answer.failureReason ?? "refused by the provider", answer.providerRefundId)) ? "failed" : "unchanged";
    }
    await tx.$executeRaw`
      UPDATE refunds SET provider_refund_id = ${answer.providerRefundId}, last_error = NULL, updated_at = now()
       WHERE id = ${refund.id}::uuid AND status = 'PENDING'`;
    return "pending";
  }, TX_PROFILES.standard);
}

async function recordAttempt(refundId: string, lastError: string | null) {
  await db.$executeRaw`
    UPDATE refunds SET attempts = attempts + 1, last_error = ${lastError?.slice(0, ERROR_MAX) ?? null}, updated_at = now()
     WHERE id = ${refundId}::uuid AND status = 'PENDING'`;
}

async function failById(refundId: string, reason: string): Promise<RefundOutcome> {
  return db.$transaction(async (tx) => {
    const refund = await loadRefund(tx, refundId, true);
    if (!refund || refund.status !== "PENDING") return "unchanged";
    return (await failRefund(tx, refund, reason, null)) ? "failed" : "unchanged";
  }, TX_PROFILES.standard);
}

// ───────────────────────────── execution ─────────────────────────────

/**
 * Carries out a PENDING online refund through the provider with its idempotency key (job
 * payments-refund-execute, and the reconciliation). Throws ProviderError("unknown") when the outcome is
 * unknown — the caller repeats later with the same key. Safe to run any number of times in parallel.
 */
export async function executeRefund(refundId: string): Promise<RefundOutcome> {
  const refund = await loadRefund(db, refundId, false);
  if (!refund || refund.status !== "PENDING" || !isOnline(refund.provider)) return "unchanged";
  if (refund.provider_refund_id) return syncRefundById(refund);
  if (!refund.provider_payment_id) return failById(refund.id, "the payment has no provider id");
  if (Date.now() - refund.created_at.getTime() > REFUND_KEY_LIFETIME_MS) return failById(refund.id, KEY_EXPIRED_REASON);

  let answer: ProviderRefund;
  try {
    const provider = await providerForPayment(refund.organization_id, refund.provider);
    answer = await provider.refund({
      providerPaymentId: refund.provider_payment_id,
      idempotencyKey: refund.idempotency_key,
      amountCents: refund.amount_cents,
      currency: refund.currency,
      reason: refund.reason,
      refundId: refund.id,
    });
  } catch (error) {
    if (error instanceof ProviderError && error.kind !== "unknown") {
      await recordAttempt(refund.id, error.message);
      return failById(refund.id, error.message);
    }
    await recordAttempt(refund.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
  await recordAttempt(refund.id, null);
  return applyProviderRefund(refund.id, answer);
}

const KEY_EXPIRED_REASON =
  "the provider did not confirm this refund within 24 hours; check the provider's dashboard before retrying";

async function syncRefundById(refund: LockedRefund): Promise<RefundOutcome> {
  if (!refund.provider_refund_id || !refund.provider_payment_id || !isOnline(refund.provider)) return "unchanged";
  const provider = await providerForPayment(refund.organization_id, refund.provider);
  try {
    return await applyProviderRefund(refund.id, await provider.getRefund(refund.provider_refund_id, refund.provider_payment_id));
  } catch (error) {
    if (error instanceof ProviderError && error.kind === "not_found") return failById(refund.id, error.message);
    throw error;
  }
}

/**
 * Re-reads a refund through the provider and applies it (the webhook job: a refund hint is only a hint).
 * Finds our refund by its id (the metadata the provider echoes) or by the provider's refund id, always
 * inside the organization; an unknown refund changes nothing.
 */
export async function syncRefund(
  organizationId: string,
  hint: { providerRefundId: string; providerPaymentId: string | null; refundId: string | null },
): Promise<RefundOutcome> {
  if (!isUuid(organizationId)) return "unchanged";
  const rows = await db.$queryRaw<{ id: string; provider: string; provider_payment_id: string | null; provider_refund_id: string | null }[]>`
    SELECT f.id, p.provider, p.provider_payment_id, f.provider_refund_id
      FROM refunds f JOIN payments p ON p.id = f.payment_id
     WHERE p.tenant_id = ${organizationId}::uuid
       AND (f.provider_refund_id = ${hint.providerRefundId}
            OR (${hint.refundId && isUuid(hint.refundId) ? hint.refundId : null}::uuid IS NOT NULL AND f.id = ${hint.refundId && isUuid(hint.refundId) ? hint.refundId : null}::uuid))
     ORDER BY (f.provider_refund_id = ${hint.providerRefundId}) DESC NULLS LAST
     LIMIT 1`;
  const row = rows[0];
  if (!row || !isOnline(row.provider) || !row.provider_payment_id) return "unchanged";
  if (hint.providerPaymentId && hint.providerPaymentId !== row.provider_payment_id) return "unchanged";
  if (row.provider_refund_id && row.provider_refund_id !== hint.providerRefundId) return "unchanged";
  const provider = await providerForPayment(organizationId, row.provider);
  const answer = await provider.getRefund(hint.providerRefundId, row.provider_payment_id);
  if (answer.providerPaymentId !== row.provider_payment_id) return "unchanged";
  return applyProviderRefund(row.id, answer);
}

/**
 * Reconciliation (cron): refunds left PENDING for more than `olderThanMs` are read again (they have a
 * provider id) or executed again with their key. Each run claims a batch with SKIP LOCKED and stamps
 * updated_at, so several processes share the work and a refund is not picked twice in a row.
 */
export async function reconcilePendingRefunds(options: { olderThanMs?: number; batch?: number } = {}): Promise<{ checked: number; completed: number; failed: number; errors: number }> {
  const olderThan = new Date(Date.now() - (options.olderThanMs ?? 60_000));
  const claimed = await db.$queryRaw<{ id: string }[]>`
    UPDATE refunds SET updated_at = now()
     WHERE id IN (SELECT f.id FROM refunds f JOIN payments p ON p.id = f.payment_id
                   WHERE f.status = 'PENDING' AND f.updated_at <= ${olderThan} AND p.provider = ANY(${[...ONLINE_PROVIDERS]}::text[])
                   ORDER BY f.created_at LIMIT ${options.batch ?? 50}
                     FOR UPDATE OF f SKIP LOCKED)
    RETURNING id`;
  const result = { checked: claimed.length, completed: 0, failed: 0, errors: 0 };
  for (const { id } of claimed) {
    try {
      const outcome = await executeRefund(id);
      if (outcome === "completed") result.completed++;
      if (outcome === "failed") result.failed++;
    } catch {
      result.errors++;
    }
  }
  return result;
}

// ───────────────────────────── the organizer's services ─────────────────────────────

type PaymentScope = { id: string; organization_id: string; event_id: string; registration_id: string };

async function paymentScope(tx: DbClient, paymentId: string): Promise<PaymentScope | undefined> {
  const rows = await tx.$queryRaw<PaymentScope[]>`
    SELECT p.id, p.tenant_id AS organization_id, r.event_id, p.registration_id
      FROM payments p JOIN registrations r ON r.id = p.registration_id
     WHERE p.id = ${paymentId}::uuid`;
  return rows[0];
}

const uuidKey = z.uuid();

/**
 * The organizer refunds any amount of a payment (default: what is left) with a reason. Permission
 * `registrations.manage` on the payment's event (another organization's payment is "not found").
 * Idempotency-Key: a repeat returns the first answer.
 */
export async function refundPaymentAsOrganizer(options: {
  actor: Actor | null | undefined;
  paymentId: string;
  amountCents?: number | null;
  reason?: string | null;
  idempotencyKey: string;
}): Promise<{ refundId: string; replayed: boolean }> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.paymentId)) throw refundErrors.notFound();
  const key = uuidKey.safeParse(options.idempotencyKey);
  if (!key.success) throw refundErrors.keyInvalid();
  if (options.amountCents != null && (!Number.isSafeInteger(options.amountCents) || options.amountCents <= 0)) throw refundErrors.amountInvalid();
  const reason = options.reason?.trim() || null;
  if (reason && reason.length > REFUND_REASON_MAX) throw refundErrors.reasonTooLong();

  const request = {
    scope: `refund.organizer:${actor.userId}`,
    key: key.data.toLowerCase(),
    requestHash: hashRequest({ paymentId: options.paymentId, amountCents: options.amountCents ?? null, reason }),
  };
  const { value, replayed } = await withIdempotency(request, async (tx) => {
    const scope = await paymentScope(tx, options.paymentId);
    if (!scope) throw refundErrors.notFound();
    await authorizeEvent({ actor, eventId: scope.event_id, permission: "registrations.manage", tx });
    let amountCents = options.amountCents ?? null;
    if (amountCents == null) {
      const payment = await lockPayment(tx, scope.id);
      if (!payment || !REFUNDABLE_PAYMENT_STATUSES.includes(payment.status)) throw refundErrors.notRefundable();
      amountCents = await leftToRefund(tx, payment);
      if (amountCents <= 0) throw refundErrors.nothingLeft();
    }
    return requestRefundInTransaction(tx, { paymentId: scope.id, amountCents, reason, origin: "organizer", actorId: actor.userId });
  });
  return { ...value, replayed };
}

async function authorizedRefund(tx: Tx, actor: Actor, refundId: string): Promise<LockedRefund> {
  if (!isUuid(refundId)) throw refundErrors.notFound();
  const refund = await loadRefund(tx, refundId, true);
  if (!refund) throw refundErrors.notFound();
  const scope = await paymentScope(tx, refund.payment_id);
  if (!scope) throw refundErrors.notFound();
  await authorizeEvent({ actor, eventId: scope.event_id, permission: "registrations.manage", tx });
  return refund;
}

/** "Retry" on a FAILED refund: a new PENDING refund of the same amount (retry_of_id), carried out again. */
export async function retryFailedRefund(options: { actor: Actor | null | undefined; refundId: string }): Promise<{ refundId: string }> {
  const actor = requireActor(options.actor);
  return db.$transaction(async (tx) => {
    const refund = await authorizedRefund(tx, actor, options.refundId);
    if (refund.status !== "FAILED") throw refundErrors.notFailed();
    const retried = await tx.refund.findFirst({ where: { retryOfId: refund.id }, select: { id: true } });
    if (retried) throw refundErrors.alreadyRetried();
    const original = await tx.refund.findUniqueOrThrow({ where: { id: refund.id }, select: { origin: true } });
    return requestRefundInTransaction(tx, {
      paymentId: refund.payment_id,
      amountCents: refund.amount_cents,
      reason: refund.reason,
      origin: original.origin as RefundOrigin,
      actorId: actor.userId,
      retryOfId: refund.id,
    });
  }, TX_PROFILES.standard);
}

/** "Mark returned" on a manual payment's PENDING refund: the organizer gave the money back by hand. */
export async function markManualRefundDone(options: { actor: Actor | null | undefined; refundId: string }): Promise<{ refundId: string }> {
  const actor = requireActor(options.actor);
  return db.$transaction(async (tx) => {
    const refund = await authorizedRefund(tx, actor, options.refundId);
    if (isOnline(refund.provider)) throw refundErrors.notManual();
    if (refund.status !== "PENDING" || !(await completeRefund(tx, refund, null, actor.userId))) throw refundErrors.notPending();
    return { refundId: refund.id };
  }, TX_PROFILES.standard);
}

// ───────────────────────────── reading ─────────────────────────────

export type RegistrationPaymentView = {
  id: string;
  provider: string;
  status: PaymentStatus;
  amountCents: number;
  refundedCents: number;
  /** What a new refund may still take (amount less refunds that have not failed). */
  refundableCents: number;
  currency: Currency;
  createdAt: string;
  refunds: {
    id: string;
    status: RefundStatus;
    amountCents: number;
    reason: string | null;
    origin: RefundOrigin;
    failureReason: string | null;
    lastError: string | null;
    retried: boolean;
    createdAt: string;
    completedAt: string | null;
  }[];
};

/** A registration's payments with their refunds, for the organizer (`registrations.view`). */
export async function listRegistrationPayments(options: { actor: Actor | null | undefined; registrationId: string }): Promise<RegistrationPaymentView[]> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.registrationId)) throw refundErrors.notFound();
  const registration = await db.registration.findUnique({ where: { id: options.registrationId }, select: { eventId: true, organizationId: true } });
  if (!registration) throw refundErrors.notFound();
  await authorizeEvent({ actor, eventId: registration.eventId, permission: "registrations.view" });
  const payments = await db.payment.findMany({
    where: { registrationId: options.registrationId, organizationId: registration.organizationId },
    orderBy: { createdAt: "asc" },
    include: { refunds: { orderBy: { createdAt: "asc" }, include: { retries: { select: { id: true } } } } },
  });
  return payments.map((p) => ({
    id: p.id,
    provider: p.provider,
    status: p.status,
    amountCents: p.amountCents,
    refundedCents: p.refundedCents,
    refundableCents: REFUNDABLE_PAYMENT_STATUSES.includes(p.status)
      ? p.amountCents - p.refunds.filter((f) => f.status !== "FAILED").reduce((n, f) => n + f.amountCents, 0)
      : 0,
    currency: p.currency,
    createdAt: p.createdAt.toISOString(),
    refunds: p.refunds.map((f) => ({
      id: f.id,
      status: f.status,
      amountCents: f.amountCents,
      reason: f.reason,
      origin: f.origin as RefundOrigin,
      failureReason: f.failureReason,
      lastError: f.lastError,
      retried: f.retries.length > 0,
      createdAt: f.createdAt.toISOString(),
      completedAt: f.completedAt?.toISOString() ?? null,
    })),
  }));
}
