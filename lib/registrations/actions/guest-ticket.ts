"use server";
// Thin entry point: a guest cancels through the private ticket link (the token is the credential;
// the named limit `registration.cancel.guest` per address keeps guessing away).
import { action } from "@/lib/http/action";
import { cancelGuestRegistration } from "@/lib/registrations";
import { cancelGuestTicketSchema } from "@/lib/validation/registration-form";

export const cancelGuestTicketAction = action(
  cancelGuestTicketSchema,
  async ({ token, idempotencyKey }) => {
    await cancelGuestRegistration({ guestToken: token, idempotencyKey });
  },
  { limit: "registration.cancel.guest", invalid: "not-found" },
);
