"use server";
// Thin entry point: a guest cancels through the private ticket link (the token is the credential;
// the named limit `registration.cancel.guest` per address keeps guessing away).
import { action } from "@/lib/http/action";
import { cancelGuestRegistration, previewGuestCancellation } from "@/lib/registrations";
import { cancelGuestTicketSchema } from "@/lib/validation/registration-form";

export const cancelGuestTicketAction = action(
  cancelGuestTicketSchema,
  async ({ token, idempotencyKey }) => {
    await cancelGuestRegistration({ guestToken: token, idempotencyKey });
  },
  { limit: "registration.cancel.guest", invalid: "not-found" },
);

/** What the guest's cancellation would give back now (shown in the confirmation dialog). */
export const previewGuestCancellationAction = action(
  cancelGuestTicketSchema.pick({ token: true }),
  async ({ token }) => ({ preview: await previewGuestCancellation({ guestToken: token }) }),
  { limit: "registration.cancel.guest", invalid: "not-found" },
);
