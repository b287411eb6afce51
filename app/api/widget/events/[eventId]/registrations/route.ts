// POST /api/widget/events/:eventId/registrations — a guest registers from the embeddable widget on any
// site (docs/widget.md). The sale is the event page's own (lib/registrations register: seats, rules,
// the guest's ticket email, audit), with the named limit `registration` per client address (the same
// bucket as the register form and the REST endpoint) and the widget's `Idempotency-Key` (one per
// submission: a retried request answers the first result, `idempotent-replayed: true`). Never a
// session: CORS `*` carries no cookies, so the caller is always a guest (an event without guests → 401,
// the widget links to the event page instead). Errors: the route edge's JSON body, field errors keyed
// like the widget's fields (firstName, lastName, email, customFields.<key>), in Accept-Language.
import { z } from "zod";
import { corsHandler, corsPreflight } from "@/lib/http/cors";
import { eventParams, json, route } from "@/lib/http/route";
import { register } from "@/lib/registrations";
import { guestTicketUrl } from "@/lib/registrations/recipients";
import { forgetWidgetEvent } from "@/lib/widget";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const text = z.string({ error: "api.errors.fieldInvalid" }).max(1000, "api.errors.fieldInvalid").nullish();

/** Shape only (unknown fields refused); the service validates the values and the rules. */
const body = z.strictObject(
  {
    ticketTypeId: z.string({ error: "api.errors.ticketTypeRequired" }).trim().min(1, "api.errors.ticketTypeRequired"),
    firstName: text,
    lastName: text,
    email: text,
    customFields: z.record(z.string(), z.unknown(), { error: "api.errors.fieldInvalid" }).nullish().transform((v) => v ?? undefined),
  },
  { error: "widget.errors.unknownField" },
);

export const POST = corsHandler(
  route({ limit: "registration", params: eventParams, body, maxBodyBytes: 16 * 1024 }, async (ctx) => {
    let result;
    try {
      result = await register({
        actor: null,
        eventId: ctx.params.eventId,
        ...ctx.body,
        idempotencyKey: ctx.request.headers.get("idempotency-key"),
        locale: ctx.locale,
        clientAddress: ctx.ip,
      });
    } finally {
      // Sold, or refused (sold out: the seats the widget showed were stale): its next read is fresh.
      forgetWidgetEvent(ctx.params.eventId);
    }
    const registration = {
      registrationId: result.registrationId,
      status: result.status,
      confirmationCode: result.confirmationCode,
      expiresAt: result.expiresAt,
      priceCents: result.priceCents,
      currency: result.currency,
      replayed: result.replayed,
      // The guest's private ticket page (QR, cancellation, payment): only its hash is stored.
      ticketUrl: result.guestToken ? guestTicketUrl(result.guestToken) : null,
    };
    return json({ ok: true, registration }, 201, result.replayed ? { "idempotent-replayed": "true" } : {});
  }),
);

export function OPTIONS(): Response {
  return corsPreflight(["POST"]);
}
