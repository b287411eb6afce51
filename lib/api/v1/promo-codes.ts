// REST API v1 — promo codes of an event: list, create, deactivate. Codes are the organizer's secrets:
// the service (lib/promo) needs `events.manage`, so every operation here needs the events:write scope.
import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { objectResponse } from "@/lib/api/pagination";
import { AppError } from "@/lib/errors";
import { getEventForManage } from "@/lib/events";
import { createPromoCode, deactivatePromoCode, listPromoCodes } from "@/lib/promo";
import { apiPromoCode, createPromoCodeBody, eventParams, promoCodeParams, toApiPromoCode, toPromoCodeInput } from "./schemas";

type Actor = Parameters<typeof listPromoCodes>[0]["actor"];

async function readOne(actor: Actor, eventId: string, promoCodeId: string) {
  const found = (await listPromoCodes({ actor, eventId })).find((p) => p.id === promoCodeId);
  if (!found) throw new AppError("NOT_FOUND", "errors.notFound");
  return toApiPromoCode(found, eventId);
}

export const listPromoCodesOperation = defineOperation({
  id: "listPromoCodes",
  method: "GET",
  path: "/events/{eventId}/promo-codes",
  tag: "Promo codes",
  scope: "events:write",
  summary: "List an event's promo codes",
  description: "Newest first, with uses and state. Needs `events:write`: codes are the organizer's secrets.",
  params: eventParams,
  response: z.object({ ok: z.literal(true), data: z.array(apiPromoCode) }),
  handler: async ({ actor, params }) => {
    const items = await listPromoCodes({ actor, eventId: params.eventId });
    return { ok: true as const, data: items.map((p) => toApiPromoCode(p, params.eventId)) };
  },
});

export const createPromoCodeOperation = defineOperation({
  id: "createPromoCode",
  method: "POST",
  path: "/events/{eventId}/promo-codes",
  tag: "Promo codes",
  scope: "events:write",
  summary: "Create a promo code",
  description: "A PERCENT or FIXED discount for the whole event or one ticket type, with an optional use limit and validity window. A code taken in this event → 400 on `code`.",
  params: eventParams,
  body: createPromoCodeBody,
  status: 201,
  response: objectResponse(apiPromoCode),
  handler: async ({ actor, params, body }) => {
    // The window is local to the event's zone in the service: read the zone first when one is given.
    const timezone = body.validFrom || body.validUntil ? (await getEventForManage({ actor, eventId: params.eventId })).timezone : "UTC";
    const created = await createPromoCode({ actor, input: toPromoCodeInput(params.eventId, body, timezone) });
    return { ok: true as const, data: await readOne(actor, params.eventId, created.id) };
  },
});

export const deactivatePromoCodeOperation = defineOperation({
  id: "deactivatePromoCode",
  method: "POST",
  path: "/promo-codes/{promoCodeId}/deactivate",
  tag: "Promo codes",
  scope: "events:write",
  summary: "Deactivate a promo code",
  description: "The code stops applying at once; registrations made with it keep their price. Deactivating an inactive code changes nothing (200).",
  params: promoCodeParams,
  response: objectResponse(apiPromoCode),
  handler: async ({ actor, params }) => {
    const result = await deactivatePromoCode({ actor, promoCodeId: params.promoCodeId });
    return { ok: true as const, data: await readOne(actor, result.eventId, result.id) };
  },
});
