// TEMPORARY in branch pay-core, until pay-refund (helper "refund") is merged: it owns this file and
// replaces it with the real service (provider execution, idempotency key, job). Here only what the
// settle path needs to compile and to be tested: the PENDING refund row written under the payment's
// lock in the caller's transaction, as lib/registrations/cancel.ts records refunds today.
import "server-only";
import type { Prisma } from "@/lib/db";

export type RefundOrigin = "participant_cancel" | "organizer" | "organizer_cancel" | "event_cancelled" | "late_payment";

export async function requestRefundInTransaction(
  tx: Prisma.TransactionClient,
  options: { paymentId: string; amountCents: number; reason: string | null; origin: RefundOrigin; actorId: string | null },
): Promise<{ refundId: string }> {
  await tx.$queryRaw`SELECT id FROM payments WHERE id = ${options.paymentId}::uuid FOR UPDATE`;
  const refund = await tx.refund.create({
    data: { paymentId: options.paymentId, amountCents: options.amountCents, reason: options.reason, status: "PENDING" },
    select: { id: true },
  });
  return { refundId: refund.id };
}

export async function syncRefund(
  _organizationId: string,
  _hint: { providerRefundId: string; providerPaymentId: string | null; refundId: string | null },
): Promise<void> {
  throw new Error("syncRefund arrives with pay-refund");
}
