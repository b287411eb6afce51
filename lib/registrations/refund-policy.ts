// The event's refund policy for a participant's own cancellation (docs/payments.md "Refund policy"):
// `percent` % of what is left of each payment until `untilHoursBeforeStart` hours before the start
// (0 = until the start), nothing after. Pure: the cancellation and its confirmation dialog use the same
// functions, so what the dialog promises is what the cancellation requests.
import type { RefundPolicy } from "@/lib/validation/events";

const HOUR_MS = 60 * 60 * 1000;

/** The moment after which a participant's own cancellation gives nothing back. */
export function refundCutoff(policy: RefundPolicy, startsAt: Date): Date {
  return new Date(startsAt.getTime() - policy.untilHoursBeforeStart * HOUR_MS);
}

/** The percent a participant's own cancellation at `now` refunds. */
export function policyRefundPercent(policy: RefundPolicy, startsAt: Date, now: Date): number {
  return now.getTime() < refundCutoff(policy, startsAt).getTime() ? policy.percent : 0;
}
