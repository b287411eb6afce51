// THE one settle path (docs/payments.md → "One settle path").
//
// Two layers:
//   applyPaymentToRegistration — what a completed payment does to its registration, shared by the
//     organizer's manual payment (manual.ts) and every online confirmation: RESERVED/PENDING → CONFIRMED
//     (seat reserved → sold), a first payment of kind PREPAYMENT also writes the Prepayment PARTIAL, a
//     REMAINDER completes it; a payment that arrives after the hold ended takes a seat only through the
//     late sale (lib/registrations/late-sale.ts: the sale's own seat condition); the audit rows, and
//     `payment.receipt` + the ticket queued through the outbox in the same transaction.
//   settlePayment — an online payment and the provider's state AS RE-READ from its API (never a webhook
//     body, never the buyer's return): in one transaction, locked registration → payment (the order every
//     writer of both uses), the compare-and-set walk along lib/payments/transitions.ts paymentPath makes
//     exactly one winner; only the winner applies the payment. The provider's amount or currency differing
//     from ours flags the payment (flag_reason) and confirms nothing. A success the registration can no
//     longer take (hold ended and no seat, cancelled, already paid, another active registration) keeps the
//     payment COMPLETED and requests a full refund at once (lib/payments/refunds, origin "late_payment"),
//     and the participant is told (`payment.late_refunded`).
import "server-only";
import { writeAudits } from "@/lib/audit";
import { db, Prisma, TX_PROFILES } from "@/lib/db";
import type { PaymentStatus, RegistrationStatus } from "@/lib/generated/prisma/enums";
import { dateVar, notify } from "@/lib/notifications";
import { requestRefundInTransaction } from "@/lib/payments/refunds";
import { lateSale } from "@/lib/registrations";
import {
  eventUrl,
  formatMoney,
  noticeEventOfColumns,
  noticeRecipient,
  notifyRegistrationConfirmed,
  ticketUrlOf,
  type NoticeEvent,
} from "@/lib/registrations/shared";
import type { ProviderPayment } from "./providers/types";
import { paymentPath } from "./transitions";

type Tx = Prisma.TransactionClient;

export type PaymentKind = "FULL" | "PREPAYMENT" | "REMAINDER";
export type Money = "RUB" | "USD" | "EUR";

// ───────────────────────────── the registration as a payment sees it ─────────────────────────────

export type PayableRow = {
  now: Date;
  id: string;
  organization_id: string;
  event_id: string;
  ticket_type_id: string;
  user_id: string | null;
  email: string | null;
  status: RegistrationStatus;
  expires_at: Date | null;
  expired: boolean;
  first_name: string;
  confirmation_code: string;
  price_cents: number;
  currency: Money;
  prepayment_percent: number | null;
  ticket_type_name: string;
  title: string;
  starts_at: Date;
  timezone: string;
  location_type: NoticeEvent["locationType"];
  location_address: string | null;
  event_slug: string;
  organization_slug: string;
  /** The user's language, or a guest registration's. */
  locale: "RU" | "EN";
  prepayment_id: string | null;
  prepayment_status: "PARTIAL" | "COMPLETED" | null;
  prepaid_cents: number | null;
  remaining_cents: number | null;
  due_date: Date | null;
};

/** The registration with what a payment needs; `lock` takes its row lock (FOR UPDATE OF r). */
export async function loadPayable(tx: Tx, registrationId: string, options: { lock?: boolean } = {}): Promise<PayableRow | undefined> {
  const rows = await tx.$queryRaw<PayableRow[]>`
    SELECT now() AS now, r.id, r.tenant_id AS organization_id, r.event_id, r.ticket_type_id, r.user_id, r.email, r.status::text AS status,
           r.expires_at, (r.status = 'RESERVED' AND r.expires_at <= now()) AS expired, r.first_name, r.confirmation_code, r.price_cents,
           r.currency::text AS currency, t.prepayment_percent, t.name AS ticket_type_name, e.title, e.starts_at, e.timezone,
           e.location_type::text AS location_type, e.location_address, e.slug AS event_slug, o.slug AS organization_slug,
           coalesce(u.locale, r.locale)::text AS locale,
           p.id AS prepayment_id, p.status::text AS prepayment_status, p.prepaid_cents, p.remaining_cents, p.due_date
      FROM registrations r
      JOIN ticket_types t ON t.id = r.ticket_type_id
      JOIN events e ON e.id = r.event_id
      JOIN organizations o ON o.id = e.tenant_id
      LEFT JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
      LEFT JOIN prepayments p ON p.registration_id = r.id
     WHERE r.id = ${registrationId}::uuid ${options.lock ? Prisma.sql`FOR UPDATE OF r` : Prisma.empty}`;
  return rows[0];
}

export const noticeEventOfPayable = (r: PayableRow): NoticeEvent => noticeEventOfColumns(r);

/** A payment notice's recipient: the registration's user, or the guest by email (docs/messages.md). */
export const payableRecipient = (r: Pick<PayableRow, "id" | "user_id" | "email" | "locale">) =>
  noticeRecipient({ id: r.id, userId: r.user_id, email: r.email, locale: r.locale });

async function sendReceipt(tx: Tx, r: PayableRow, paymentId: string, amountCents: number, paidAt: Date) {
  const to = payableRecipient(r);
  if (!to) return;
  await notify(tx, {
    ...to,
    templateCode: "payment.receipt",
    variables: {
      firstName: r.first_name,
      eventTitle: r.title,
      ticketTypeName: r.ticket_type_name,
      amount: formatMoney(amountCents, r.currency, r.locale ?? "RU"),
      paidAt: dateVar(paidAt, r.timezone),
      receiptNumber: paymentId.slice(0, 8).toUpperCase(),
      eventUrl: eventUrl(noticeEventOfPayable(r)),
      ticketUrl: ticketUrlOf({ id: r.id, userId: r.user_id }),
    },
    dedupeKey: `payment.receipt:${paymentId}`,
  });
}

// ───────────────────────────── applying a completed payment ─────────────────────────────

export type AppliedPayment = {
  id: string;
  provider: string;
  kind: PaymentKind;
  amountCents: number;
  completedAt: Date;
};

export type PrepaymentSummary = { prepaidCents: number; remainingCents: number; dueDate: string; status: "PARTIAL" | "COMPLETED" };

export type ApplyResult =
  | { ok: true; registrationStatus: RegistrationStatus; late: boolean; prepayment: PrepaymentSummary | null }
  | { ok: false; reason: "already_paid" | "expired" | "not_payable" | "no_remaining" | "no_seat" | "conflict" };

/**
 * What a completed payment does to its registration (see the file comment). `lateSale`: a payment whose
 * hold has ended may still take a free seat (online payments: the money is already taken); the organizer's
 * manual payment passes false (an expired reservation is refused). Never throws for a state the payment
 * cannot apply to: the caller decides (manual: an error; online: a refund).
 */
export async function applyPaymentToRegistration(
  tx: Tx,
  r: PayableRow,
  payment: AppliedPayment,
  options: { actorId: string | null; lateSale: boolean },
): Promise<ApplyResult> {
  if (payment.kind === "REMAINDER") return applyRemainder(tx, r, payment, options.actorId);

  if (r.status === "CONFIRMED" || r.status === "CHECKED_IN") return { ok: false, reason: "already_paid" };
  if (r.status === "CANCELLED") return { ok: false, reason: "not_payable" };
  const remainingCents = r.price_cents - payment.amountCents;
  if (payment.kind === "PREPAYMENT" ? remainingCents <= 0 : remainingCents !== 0) return { ok: false, reason: "not_payable" };

  let late = false;
  const from = r.status;
  if ((r.status === "RESERVED" && !r.expired) || r.status === "PENDING") {
    // Compare-and-set: still awaiting payment and, if timed, not expired (database clock).
    const changed = await tx.$executeRaw`
      UPDATE registrations SET status = 'CONFIRMED', confirmed_at = now(), updated_at = now()
       WHERE id = ${r.id}::uuid AND status = ${r.status}::"RegistrationStatus"
         AND (status <> 'RESERVED' OR expires_at > now())`;
    if (changed === 0) {
      const current = await loadPayable(tx, r.id);
      if (current?.status === "CONFIRMED" || current?.status === "CHECKED_IN") return { ok: false, reason: "already_paid" };
      if (current?.status === "EXPIRED" || current?.expired) {
        if (!options.lateSale) return { ok: false, reason: "expired" };
        if (!(await lateSale(tx, current))) return { ok: false, reason: "no_seat" };
        late = true;
      } else {
        return { ok: false, reason: "conflict" };
      }
    } else {
      await tx.$executeRaw`
        UPDATE ticket_types SET reserved_count = reserved_count - 1, sold_count = sold_count + 1, updated_at = now()
         WHERE id = ${r.ticket_type_id}::uuid`;
    }
  } else if (r.status === "EXPIRED" || r.expired) {
    if (!options.lateSale) return { ok: false, reason: "expired" };
    if (!(await lateSale(tx, r))) return { ok: false, reason: "no_seat" };
    late = true;
  } else {
    return { ok: false, reason: "not_payable" };
  }

  let prepayment: PrepaymentSummary | null = null;
  if (payment.kind === "PREPAYMENT") {
    const created = await tx.prepayment.create({
      data: { paymentId: payment.id, registrationId: r.id, prepaidCents: payment.amountCents, remainingCents, status: "PARTIAL", dueDate: r.starts_at },
      select: { prepaidCents: true, remainingCents: true, dueDate: true, status: true },
    });
    prepayment = { ...created, dueDate: created.dueDate.toISOString() };
  }
  await writeAudits(tx, [
    {
      organizationId: r.organization_id,
      actorId: options.actorId,
      entityType: "registration",
      entityId: r.id,
      action: "registration.paid",
      changes: { status: { from: late ? (from === "RESERVED" ? "EXPIRED" : from) : from, to: "CONFIRMED" }, ...(late ? { latePayment: true } : {}) },
    },
    {
      organizationId: r.organization_id,
      actorId: options.actorId,
      entityType: "payment",
      entityId: payment.id,
      action: "payment.recorded",
      changes: { provider: payment.provider, kind: payment.kind, amountCents: payment.amountCents, remainingCents: Math.max(remainingCents, 0) },
    },
  ]);
  await sendReceipt(tx, r, payment.id, payment.amountCents, payment.completedAt);
  await notifyRegistrationConfirmed(
    tx,
    { id: r.id, userId: r.user_id, email: r.email, firstName: r.first_name, confirmationCode: r.confirmation_code, locale: r.locale },
    noticeEventOfPayable(r),
    r.ticket_type_name,
  );
  return { ok: true, registrationStatus: "CONFIRMED", late, prepayment };
}

async function applyRemainder(tx: Tx, r: PayableRow, payment: AppliedPayment, actorId: string | null): Promise<ApplyResult> {
  if (!r.prepayment_id || r.prepayment_status !== "PARTIAL") return { ok: false, reason: "no_remaining" };
  if (r.status !== "CONFIRMED" && r.status !== "CHECKED_IN") return { ok: false, reason: "not_payable" };
  const remaining = r.remaining_cents ?? 0;
  if (payment.amountCents !== remaining) return { ok: false, reason: "not_payable" };
  const completed = await tx.prepayment.updateMany({
    where: { id: r.prepayment_id, status: "PARTIAL" },
    data: { status: "COMPLETED", completedAt: new Date(), remainingCents: 0 },
  });
  if (completed.count === 0) return { ok: false, reason: "no_remaining" };
  await writeAudits(tx, [
    {
      organizationId: r.organization_id,
      actorId,
      entityType: "prepayment",
      entityId: r.prepayment_id,
      action: "prepayment.completed",
      changes: { status: { from: "PARTIAL", to: "COMPLETED" }, remainingCents: { from: remaining, to: 0 } },
    },
    {
      organizationId: r.organization_id,
      actorId,
      entityType: "payment",
      entityId: payment.id,
      action: "payment.recorded",
      changes: { provider: payment.provider, kind: "REMAINDER", amountCents: remaining },
    },
  ]);
  await sendReceipt(tx, r, payment.id, remaining, payment.completedAt);
  return {
    ok: true,
    registrationStatus: r.status,
    late: false,
    prepayment: { prepaidCents: r.prepaid_cents ?? 0, remainingCents: 0, dueDate: r.due_date!.toISOString(), status: "COMPLETED" },
  };
}

// ───────────────────────────── settling an online payment ─────────────────────────────

export type SettleOutcome =
  /** this call moved the payment to COMPLETED and the registration took it */
  | "completed"
  /** this call moved the payment to COMPLETED; the registration could not take it: a full refund was requested */
  | "refunded"
  | "failed"
  /** the provider has not decided yet (the payment is PROCESSING) */
  | "pending"
  /** the provider's amount or currency differ from ours: flagged for the organizer, nothing confirmed */
  | "flagged"
  /** nothing to do: already final, or another call won */
  | "unchanged";

export type SettleResult = { outcome: SettleOutcome; paymentId: string; paymentStatus: PaymentStatus; late?: boolean; refundId?: string };

type PaymentRow = {
  id: string;
  organization_id: string;
  registration_id: string;
  provider: string;
  provider_payment_id: string | null;
  status: PaymentStatus;
  amount_cents: number;
  currency: Money;
  kind: PaymentKind;
  flag_reason: string | null;
};

async function readPayment(tx: Tx, paymentId: string, lock: boolean): Promise<PaymentRow | undefined> {
  const rows = lock
    ? await tx.$queryRaw<PaymentRow[]>`
      SELECT id, tenant_id AS organization_id, registration_id, provider, provider_payment_id, status::text AS status,
             amount_cents, currency::text AS currency, kind, flag_reason
        FROM payments WHERE id = ${paymentId}::uuid FOR UPDATE`
    : await tx.$queryRaw<PaymentRow[]>`
      SELECT id, tenant_id AS organization_id, registration_id, provider, provider_payment_id, status::text AS status,
             amount_cents, currency::text AS currency, kind, flag_reason
        FROM payments WHERE id = ${paymentId}::uuid`;
  return rows[0];
}

/** Compare-and-set along the table, one step at a time; false when another writer moved the row first. */
async function walk(tx: Tx, paymentId: string, from: PaymentStatus, to: PaymentStatus, state: ProviderPayment): Promise<boolean> {
  const path = paymentPath(from, to);
  if (!path) return false;
  let at = from;
  for (const next of path) {
    const changed = await tx.$executeRaw`
      UPDATE payments
         SET status = ${next}::"PaymentStatus", updated_at = now(),
             provider_payment_id = coalesce(provider_payment_id, NULLIF(${state.providerPaymentId}, '')),
             provider_metadata = provider_metadata || ${JSON.stringify(state.metadata ?? {})}::jsonb,
             checkout_url = CASE WHEN ${next} = 'PROCESSING' THEN coalesce(${state.checkoutUrl}, checkout_url) ELSE checkout_url END,
             completed_at = CASE WHEN ${next} = 'COMPLETED' THEN now() ELSE completed_at END,
             failure_reason = CASE WHEN ${next} = 'FAILED' THEN ${state.failureReason ?? "failed"} ELSE failure_reason END
       WHERE id = ${paymentId}::uuid AND status = ${at}::"PaymentStatus"`;
    if (changed === 0) return false;
    at = next;
  }
  return true;
}

export const LATE_REFUND_REASON = {
  RU: "Оплата пришла после окончания брони, а свободных мест не осталось: деньги возвращены",
  EN: "The payment arrived after the hold ended and no seat was left: the money is refunded",
} as const;
const ALREADY_PAID_REASON = {
  RU: "Регистрация уже была оплачена или отменена: деньги возвращены",
  EN: "The registration was already paid or cancelled: the money is refunded",
} as const;

/**
 * Settles an online payment from the provider's re-read state (see the file comment). Idempotent: any
 * number of calls in any order give one COMPLETED, one registration move, one receipt, at most one refund.
 * `organizationId` scopes the lookup (a webhook of one organization never settles another's payment).
 */
export async function settlePayment(options: { paymentId: string; organizationId?: string; state: ProviderPayment }): Promise<SettleResult> {
  const { state } = options;
  return db.$transaction(async (tx) => {
    const seen = await readPayment(tx, options.paymentId, false);
    if (!seen || (options.organizationId && seen.organization_id !== options.organizationId)) {
      throw new Error(`settlePayment: payment ${options.paymentId} not found`);
    }
    // Lock order: registration, then payment (as cancellation and checkout take them).
    const r = await loadPayable(tx, seen.registration_id, { lock: true });
    const p = (await readPayment(tx, options.paymentId, true))!;
    const unchanged: SettleResult = { outcome: "unchanged", paymentId: p.id, paymentStatus: p.status };
    if (p.provider === "manual") return unchanged;
    if (p.status !== "PENDING" && p.status !== "PROCESSING") return unchanged;
    if (p.provider_payment_id && state.providerPaymentId && p.provider_payment_id !== state.providerPaymentId) {
      console.warn(`[payments] settle: provider id ${state.providerPaymentId} does not match payment ${p.id}; ignored`);
      return unchanged;
    }

    if (state.status === "pending") {
      if (p.status === "PENDING" && state.providerPaymentId) {
        const moved = await walk(tx, p.id, "PENDING", "PROCESSING", state);
        return { outcome: moved ? "pending" : "unchanged", paymentId: p.id, paymentStatus: "PROCESSING" };
      }
      return { outcome: "pending", paymentId: p.id, paymentStatus: p.status };
    }
    if (state.status === "failed") {
      if (!(await walk(tx, p.id, p.status, "FAILED", state))) return unchanged;
      return { outcome: "failed", paymentId: p.id, paymentStatus: "FAILED" };
    }

    // succeeded: is it what we asked for?
    if (state.amountCents !== p.amount_cents || state.currency !== p.currency) {
      if (p.flag_reason) return { outcome: "flagged", paymentId: p.id, paymentStatus: p.status };
      if (p.status === "PENDING") await walk(tx, p.id, "PENDING", "PROCESSING", state);
      const reason = `amount_mismatch: provider ${state.amountCents} ${state.currency}, expected ${p.amount_cents} ${p.currency}`;
      await tx.$executeRaw`UPDATE payments SET flag_reason = ${reason}, updated_at = now() WHERE id = ${p.id}::uuid`;
      console.warn(`[payments] payment ${p.id} flagged: ${reason}`);
      return { outcome: "flagged", paymentId: p.id, paymentStatus: "PROCESSING" };
    }
    if (!(await walk(tx, p.id, p.status, "COMPLETED", state))) return unchanged;
    const payment: AppliedPayment = { id: p.id, provider: p.provider, kind: p.kind, amountCents: p.amount_cents, completedAt: new Date() };
    const applied = r ? await applyPaymentToRegistration(tx, r, payment, { actorId: null, lateSale: true }) : ({ ok: false, reason: "not_payable" } as const);
    if (applied.ok) return { outcome: "completed", paymentId: p.id, paymentStatus: "COMPLETED", late: applied.late };

    // The registration cannot take the money: all of it goes back, and the participant is told.
    const locale = r?.locale ?? "RU";
    const reasonText = applied.reason === "no_seat" || applied.reason === "expired" ? LATE_REFUND_REASON[locale] : ALREADY_PAID_REASON[locale];
    const { refundId } = await requestRefundInTransaction(tx, {
      paymentId: p.id,
      amountCents: p.amount_cents,
      reason: reasonText,
      origin: "late_payment",
      actorId: null,
    });
    const to = r ? payableRecipient(r) : null;
    if (r && to) {
      await notify(tx, {
        ...to,
        templateCode: "payment.late_refunded",
        variables: {
          firstName: r.first_name,
          eventTitle: r.title,
          amount: formatMoney(p.amount_cents, p.currency, locale),
          refundReason: reasonText,
          eventUrl: eventUrl(noticeEventOfPayable(r)),
          ticketUrl: ticketUrlOf({ id: r.id, userId: r.user_id }),
        },
        dedupeKey: `payment.late_refunded:${p.id}`,
      });
    }
    console.info(`[payments] payment ${p.id} completed after its registration could not take it (${applied.reason}): refund ${refundId} requested`);
    return { outcome: "refunded", paymentId: p.id, paymentStatus: "COMPLETED", refundId };
  }, TX_PROFILES.standard);
}
