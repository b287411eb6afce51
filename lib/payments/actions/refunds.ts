"use server";
// The organizer's refund actions (registrations view → payments dialog), behind the action edge
// (lib/http/action.ts): parse, the caller from the session, one service that authorizes
// `registrations.manage` / `registrations.view` on the payment's own event.
import { action } from "@/lib/http/action";
import { refundIdSchema, refundActionSchema, registrationPaymentsSchema } from "@/lib/validation/refunds";
import { listRegistrationPayments, markManualRefundDone, refundPaymentAsOrganizer, retryFailedRefund } from "../refunds";

export const registrationPaymentsAction = action(
  registrationPaymentsSchema,
  async (input, { actor }) => ({ payments: await listRegistrationPayments({ actor, registrationId: input.registrationId }) }),
  { session: "required", invalid: "not-found" },
);

export const refundPaymentAction = action(
  refundActionSchema,
  async (input, { actor }) => {
    const result = await refundPaymentAsOrganizer({ actor, ...input, reason: input.reason || null });
    return { refundId: result.refundId, replayed: result.replayed };
  },
  { session: "required" },
);

export const retryRefundAction = action(
  refundIdSchema,
  async (input, { actor }) => retryFailedRefund({ actor, refundId: input.refundId }),
  { session: "required", invalid: "not-found" },
);

export const markRefundReturnedAction = action(
  refundIdSchema,
  async (input, { actor }) => markManualRefundDone({ actor, refundId: input.refundId }),
  { session: "required", invalid: "not-found" },
);
