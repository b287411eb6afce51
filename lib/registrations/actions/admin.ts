"use server";
// Row actions of the organizer's registrations view, behind the action edge (lib/http/action.ts):
// parse with the shared schema, the caller from the session, one service (which authorizes
// `registrations.manage` on the registration's own event and runs under lib/idempotency with the
// dialog's key). The page re-renders through router.refresh() on the client (nothing to revalidate).
import { action } from "@/lib/http/action";
import { markPaid, recordRemainingPayment } from "@/lib/payments";
import { cancelActionSchema, markPaidActionSchema, remainingActionSchema } from "@/lib/validation/registrations-admin";
import { cancelRegistrationAsOrganizer } from "../index";

export const cancelRegistrationAction = action(cancelActionSchema, async (input, { actor }) => {
  const result = await cancelRegistrationAsOrganizer({ actor, ...input });
  return { replayed: result.replayed };
});

export const markPaidAction = action(markPaidActionSchema, async (input, { actor }) => {
  const result = await markPaid({ actor, ...input });
  return { amountCents: result.amountCents, currency: result.currency, replayed: result.replayed };
});

export const recordRemainingPaymentAction = action(remainingActionSchema, async (input, { actor }) => {
  const result = await recordRemainingPayment({ actor, ...input });
  return { amountCents: result.amountCents, currency: result.currency, replayed: result.replayed };
});
