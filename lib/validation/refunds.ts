// Shared by the organizer's refund dialog (react-hook-form + zodResolver) and its server actions. The
// service (lib/payments/refunds.ts) validates again and decides what is left under the payment's lock.
import { z } from "zod";

export const REFUND_REASON_MAX = 250;

const id = z.uuid({ error: "errors.notFound" });
const idempotencyKey = z.uuid({ error: "errors.idempotencyKeyInvalid" });

export const refundReasonSchema = z.string().trim().max(REFUND_REASON_MAX, "refunds.validation.reasonTooLong");

/** The dialog's amount field: major units as typed ("1500", "1 500,50"), converted to minor units. */
export const refundAmountSchema = z
  .string({ error: "refunds.validation.amountRequired" })
  .trim()
  .min(1, "refunds.validation.amountRequired")
  .transform((v) => v.replace(/[\s\u00a0]/g, "").replace(",", "."))
  .refine((v) => /^\d+(\.\d{1,2})?$/.test(v), "refunds.validation.amountInvalid")
  .transform((v) => Math.round(Number(v) * 100))
  .refine((v) => Number.isSafeInteger(v) && v > 0, "refunds.validation.amountInvalid");

export const refundFormSchema = z.object({ amount: refundAmountSchema, reason: refundReasonSchema });
export type RefundFormValues = z.input<typeof refundFormSchema>;
export type RefundFormOutput = z.output<typeof refundFormSchema>;

export const refundActionSchema = z.object({
  paymentId: id,
  amountCents: z.number({ error: "refunds.validation.amountInvalid" }).int("refunds.validation.amountInvalid").positive("refunds.validation.amountInvalid"),
  reason: refundReasonSchema,
  idempotencyKey,
});

export const refundIdSchema = z.object({ refundId: id });
export const registrationPaymentsSchema = z.object({ registrationId: id });
