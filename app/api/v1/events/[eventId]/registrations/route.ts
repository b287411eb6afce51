// GET  /api/v1/events/:eventId/registrations — the event's registrations, with an API token
//      (lib/api/v1/registrations.ts listEventRegistrations).
// POST /api/v1/events/:eventId/registrations — with `Authorization: Bearer <token>`: the organizer
//      registers a participant (lib/api/v1/registrations.ts createEventRegistration, the API edge);
//      without it, as below (the participant's own registration).
//
// POST without a token — register for an event (public REST API).
//
// Body (JSON): { ticketTypeId, firstName?, lastName?, email?, customFields?, promoCode? } (the price
// always comes from the server: the code is checked again at the sale, lib/promo/rules). Caller: the Auth.js
// session cookie (a signed-in user), else a guest where the event allows guests (lib/registrations).
// `Idempotency-Key` header: a retry with the same key and body returns the first result (201 again,
// `replayed: true`, header `Idempotent-Replayed: true`); the same key with another body → 409.
// Rate limit: `registration` (lib/http/limits.ts, shared with the register form) per client address
// (counted first, alone) and per signed-in user (in the session statement). Errors: `{ ok: false, code,
// message, messageKey, fieldErrors }` with the AppError's status (400 validation, 401, 404, 409 sold out
// / already registered, 429 + Retry-After) — the route edge, lib/http/route.ts.
import { z } from "zod";
import { createEventRegistration, listEventRegistrations } from "@/lib/api/v1/registrations";
import { apiHandler, hasBearerToken, type ApiRouteHandler } from "@/lib/http/api-route";
import { eventParams, json, route } from "@/lib/http/route";
import { actorOf } from "@/lib/permissions";
import { register } from "@/lib/registrations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const optionalText = z.string({ error: "api.errors.fieldInvalid" }).nullish();

/** Shape only; the service validates the values (names, email, extra fields) and the rules. */
const body = z.object({
  ticketTypeId: z.string({ error: "api.errors.ticketTypeRequired" }).trim().min(1, "api.errors.ticketTypeRequired"),
  firstName: optionalText,
  lastName: optionalText,
  email: optionalText,
  customFields: z.record(z.string(), z.unknown(), { error: "api.errors.fieldInvalid" }).nullish().transform((v) => v ?? undefined),
  promoCode: optionalText,
});

const asParticipant = route({ session: "optional", limit: "registration", params: eventParams, body }, async (ctx) => {
  const result = await register({
    actor: actorOf(ctx.user),
    eventId: ctx.params.eventId,
    ...ctx.body,
    idempotencyKey: ctx.request.headers.get("idempotency-key"),
    // A guest's private ticket link also goes by email, in the request's language: the sale queues it
    // with the registration (once: a replayed request runs no sale).
    locale: ctx.locale,
    clientAddress: ctx.ip,
  });
  return json({ ok: true, registration: result }, 201, result.replayed ? { "idempotent-replayed": "true" } : {});
});

/** A caller with `Authorization: Bearer …` goes to the API edge (the organizer's operation); anyone else registers themselves (above). */
const byCaller =
  (api: ApiRouteHandler): ApiRouteHandler =>
  (request, context) =>
    hasBearerToken(request) ? api(request, context) : asParticipant(request, context);

export const POST = byCaller(apiHandler(createEventRegistration));

export const GET = apiHandler(listEventRegistrations);
