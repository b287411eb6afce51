// POST /api/v1/registrations/:registrationId/payments — start (or resume) paying for a registration
// (public REST API; the same service as the ticket page's "Pay" button: lib/payments/checkout.ts).
//
// Body (JSON): { purpose?: "full" | "prepayment" | "remainder" (default "full"), guestToken? }. Caller:
// the registration's owner (Auth.js session cookie), or whoever holds its private guest ticket token.
// The amount, currency, provider and return URL are the server's; nothing else in the body counts.
// Answers 200 with { ok: true, checkout } where checkout is one of
//   { kind: "redirect", paymentId, redirectUrl }  — send the buyer there (the provider's checkout);
//   { kind: "manual", instructions }              — the organization takes this currency by hand;
//   { kind: "pending", paymentId }                — the provider did not answer; try again shortly.
// An open checkout of the registration is resumed, not duplicated. Errors: the route edge's JSON body
// (404 unknown or not yours, 409 not payable / no payment method, 429 + Retry-After). Limit
// `payment.checkout` (per address, per user).
import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { startCheckout } from "@/lib/payments";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ registrationId: z.string() });
const body = z
  .object({
    purpose: z.enum(["full", "prepayment", "remainder"], { error: "api.errors.fieldInvalid" }).default("full"),
    guestToken: z.string({ error: "api.errors.fieldInvalid" }).max(200, "api.errors.fieldInvalid").nullish(),
  })
  .default({ purpose: "full" });

export const POST = route({ session: "optional", limit: "payment.checkout", params, body }, async (ctx) => {
  const checkout = await startCheckout({
    actor: actorOf(ctx.user),
    guestToken: ctx.body.guestToken ?? null,
    registrationId: ctx.params.registrationId,
    purpose: ctx.body.purpose,
    locale: ctx.locale,
  });
  return json({ ok: true, checkout });
});
