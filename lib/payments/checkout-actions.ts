"use server";
// Thin entry points of the participant's pay flow (lib/http/action.ts): "Pay" on a ticket — signed in
// (the registration's owner) or through a guest's private ticket link (the token is the credential).
// Nothing about the amount, currency or return URL comes from here: the service takes them from the
// server. Rate limit `payment.checkout` per address and per user.
import { z } from "zod";
import { action } from "@/lib/http/action";
import { startCheckout } from "@/lib/payments";

const startCheckoutSchema = z.object({
  registrationId: z.string().uuid(),
  purpose: z.enum(["full", "prepayment", "remainder"]),
  /** A guest's private ticket-link token. */
  token: z.string().max(100).nullish(),
});

export const startCheckoutAction = action(
  startCheckoutSchema,
  async ({ registrationId, purpose, token }, ctx) => {
    const result = await startCheckout({ actor: ctx.actor, guestToken: token ?? null, registrationId, purpose, locale: await ctx.locale() });
    return { checkout: result };
  },
  { limit: "payment.checkout", invalid: "not-found" },
);
