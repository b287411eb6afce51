// Payment and refund statuses: the transition tables of the domain model's diagrams. Pure module (no
// database): every service that moves a payment or a refund checks here, and the database enforces the
// same tables with a trigger (migration …_payments_online: payments_status_transition /
// refunds_status_transition), so a write that skips the service is refused too.
// tests/unit/payment-transitions.test.ts and tests/integration/payments-transitions-db.test.ts keep the
// two in step.
//
//   Payment: [*] → PENDING → PROCESSING → COMPLETED | FAILED
//            COMPLETED → PARTIALLY_REFUNDED | REFUNDED;  PARTIALLY_REFUNDED → PARTIALLY_REFUNDED | REFUNDED
//            [*] → COMPLETED for a manual payment recorded by the organizer (cash, transfer: the money is
//            already in hand, there is no provider step) — the one entry point besides PENDING.
//   Refund:  [*] → PENDING → COMPLETED | FAILED
//
// Every write is a compare-and-set on the old status (`UPDATE … WHERE id = $1 AND status = $from`).
import type { PaymentStatus, RefundStatus } from "@/lib/generated/prisma/enums";

export const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  PENDING: ["PROCESSING"],
  PROCESSING: ["COMPLETED", "FAILED"],
  COMPLETED: ["PARTIALLY_REFUNDED", "REFUNDED"],
  // A second partial refund keeps the status (the refunded sum grows): a self-transition.
  PARTIALLY_REFUNDED: ["PARTIALLY_REFUNDED", "REFUNDED"],
  FAILED: [],
  REFUNDED: [],
};

export const INITIAL_PAYMENT_STATUSES: readonly PaymentStatus[] = ["PENDING", "COMPLETED"];

export const REFUND_TRANSITIONS: Record<RefundStatus, readonly RefundStatus[]> = {
  PENDING: ["COMPLETED", "FAILED"],
  COMPLETED: [],
  FAILED: [],
};

export function canPaymentTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

export function canRefundTransition(from: RefundStatus, to: RefundStatus): boolean {
  return REFUND_TRANSITIONS[from].includes(to);
}

/**
 * The path from `from` to a provider's final answer, one table step at a time (a webhook saying
 * "succeeded" for a payment still PENDING walks PENDING → PROCESSING → COMPLETED). Null if unreachable.
 */
export function paymentPath(from: PaymentStatus, to: PaymentStatus): PaymentStatus[] | null {
  if (from === to) return [];
  const seen = new Set<PaymentStatus>([from]);
  const queue: { at: PaymentStatus; path: PaymentStatus[] }[] = [{ at: from, path: [] }];
  while (queue.length) {
    const { at, path } = queue.shift()!;
    for (const next of PAYMENT_TRANSITIONS[at]) {
      if (next === to) return [...path, next];
      if (!seen.has(next)) {
        seen.add(next);
        queue.push({ at: next, path: [...path, next] });
      }
    }
  }
  return null;
}

/** Statuses in which money is (still partly) with the organizer: refunds may be made from them. */
export const REFUNDABLE_PAYMENT_STATUSES: readonly PaymentStatus[] = ["COMPLETED", "PARTIALLY_REFUNDED"];

/** Statuses of a payment still in flight: at most one per registration (a partial unique index). */
export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = ["PENDING", "PROCESSING"];

/** The status a payment takes after its refunds: all of it back → REFUNDED, some → PARTIALLY_REFUNDED. */
export function statusAfterRefunds(amountCents: number, refundedCents: number): "COMPLETED" | "PARTIALLY_REFUNDED" | "REFUNDED" {
  if (refundedCents <= 0) return "COMPLETED";
  return refundedCents >= amountCents ? "REFUNDED" : "PARTIALLY_REFUNDED";
}
