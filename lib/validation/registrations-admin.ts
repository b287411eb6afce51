// Shared by the row-action dialogs (react-hook-form + zodResolver) and their server actions. The
// services validate again (lib/registrations/cancel.ts, lib/payments/manual.ts).
import { z } from "zod";

export const CANCEL_REASON_MAX = 500;

/** A key per dialog submission (docs/registrations.md, "Idempotency"): a v4 UUID (payments require one). */
export const idempotencyKeySchema = z.uuid({ error: "errors.idempotencyKeyInvalid" });
const registrationIdSchema = z.uuid({ error: "errors.notFound" });

export const cancelReasonSchema = z
  .string({ error: "registrationsAdmin.validation.reasonRequired" })
  .trim()
  .min(1, "registrationsAdmin.validation.reasonRequired")
  .max(CANCEL_REASON_MAX, "registrationsAdmin.validation.reasonTooLong");

export const cancelFormSchema = z.object({ reason: cancelReasonSchema });
export type CancelFormValues = z.input<typeof cancelFormSchema>;

export const cancelActionSchema = z.object({ registrationId: registrationIdSchema, reason: cancelReasonSchema, idempotencyKey: idempotencyKeySchema });

export const markPaidActionSchema = z.object({
  registrationId: registrationIdSchema,
  /** The amount the organizer confirmed (shown from the server's plan); the service checks it again. */
  amountCents: z.number().int().positive(),
  idempotencyKey: idempotencyKeySchema,
});

export const remainingActionSchema = z.object({ registrationId: registrationIdSchema, idempotencyKey: idempotencyKeySchema });
