"use server";
// Row actions of the organizer's registrations view. Thin: parse with the shared schema, take the
// caller from the session, call one service (which authorizes `registrations.manage` on the
// registration's own event and runs under lib/idempotency with the dialog's key), answer a small DTO.
// The page re-renders through router.refresh() on the client (it is dynamic: nothing to revalidate).
import { toActionError, type ActionResult } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { markPaid, recordRemainingPayment } from "@/lib/payments";
import { actorOf } from "@/lib/permissions";
import { cancelRegistrationAsOrganizer } from "@/lib/registrations";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { cancelActionSchema, markPaidActionSchema, remainingActionSchema } from "@/components/registrations-admin/schemas";

const invalid = (error: Parameters<typeof fieldErrorsOf>[0]) =>
  ({ ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(error) }) as const;

async function actor() {
  return actorOf(await getCurrentUser());
}

export async function cancelRegistrationAction(input: unknown): Promise<ActionResult<{ replayed: boolean }>> {
  const parsed = cancelActionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const result = await cancelRegistrationAsOrganizer({ actor: await actor(), ...parsed.data });
    return { ok: true, replayed: result.replayed };
  } catch (error) {
    return toActionError(error);
  }
}

export async function markPaidAction(input: unknown): Promise<ActionResult<{ amountCents: number; currency: string; replayed: boolean }>> {
  const parsed = markPaidActionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const result = await markPaid({ actor: await actor(), ...parsed.data });
    return { ok: true, amountCents: result.amountCents, currency: result.currency, replayed: result.replayed };
  } catch (error) {
    return toActionError(error);
  }
}

export async function recordRemainingPaymentAction(input: unknown): Promise<ActionResult<{ amountCents: number; currency: string; replayed: boolean }>> {
  const parsed = remainingActionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const result = await recordRemainingPayment({ actor: await actor(), ...parsed.data });
    return { ok: true, amountCents: result.amountCents, currency: result.currency, replayed: result.replayed };
  } catch (error) {
    return toActionError(error);
  }
}
