// REST API v1: registrations (docs/api.md). Each operation calls ONE service of lib/registrations or
// lib/payments with the token's actor; the services authorize (registrations.view / .manage on the
// event's organization: another organization's id is 404) and keep their own rules.
//
//   GET  /events/{eventId}/registrations          list (status, ticketTypeId, q, updatedSince; cursor)
//   POST /events/{eventId}/registrations          the organizer registers a participant (the sale)
//   GET  /registrations/{registrationId}          one
//   POST /registrations/{registrationId}/cancel   cancel by the organizer, with a reason
//   POST /registrations/{registrationId}/mark-paid record an offline payment
import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { cursorFingerprint, decodeCursor, encodeCursor, listResponse, objectResponse, paginationShape } from "@/lib/api/pagination";
import { markPaid } from "@/lib/payments";
import { cancelRegistrationAsOrganizer, registerAsOrganizer } from "@/lib/registrations";
import { getEventRegistration, listEventRegistrationsAfter } from "@/lib/registrations/admin";
import {
  apiPaymentResult,
  fromKey,
  keyPosition,
  serviceKeyOf,
  toKey,
  apiRegistration,
  cancelRegistrationBody,
  createRegistrationBody,
  idParam,
  markPaidBody,
  registrationStatus,
  toApiRegistration,
} from "./schemas-b";

const eventParams = z.object({ eventId: idParam("The event's id.") });
const registrationParams = z.object({ registrationId: idParam("The registration's id.") });

const listQuery = z.object({
  ...paginationShape,
  status: registrationStatus.optional().meta({ description: "Only this status (RESERVED includes reservations past expiresAt, flagged `expired`)." }),
  ticketTypeId: z.string().max(100, { error: "api.errors.fieldInvalid" }).optional().meta({ description: "Only this ticket type." }),
  q: z.string().max(200, { error: "api.errors.fieldInvalid" }).optional().meta({ description: "Search: name, email or confirmation code." }),
});

export const listEventRegistrations = defineOperation({
  id: "listEventRegistrations",
  method: "GET",
  path: "/events/{eventId}/registrations",
  tag: "Registrations",
  scope: "registrations:read",
  summary: "List an event's registrations",
  description:
    "Oldest first, in cursor pages (`limit` ≤ 100; pass `nextCursor` back as `cursor`). With `updatedSince`: only registrations changed since that time, ordered by their change time — keep the last page's cursor to sync. A cursor is tied to its event and filters.",
  params: eventParams,
  query: listQuery,
  response: listResponse(apiRegistration),
  handler: async ({ actor, params, query }) => {
    const filters = { status: query.status ?? null, ticketTypeId: query.ticketTypeId ?? null, q: query.q?.trim() || null, updatedSince: query.updatedSince ?? null };
    const fingerprint = cursorFingerprint("listEventRegistrations", params.eventId, filters);
    const after = query.cursor ? toKey(decodeCursor(query.cursor, fingerprint, keyPosition)) : null;
    const page = await listEventRegistrationsAfter({ actor, eventId: params.eventId, ...filters, after, limit: query.limit });
    return {
      ok: true as const,
      data: page.items.map((r) => toApiRegistration(page.event.id, r)),
      nextCursor: page.next ? encodeCursor(fingerprint, fromKey(page.next)) : null,
    };
  },
});

export const createEventRegistration = defineOperation({
  id: "createEventRegistration",
  method: "POST",
  path: "/events/{eventId}/registrations",
  tag: "Registrations",
  scope: "registrations:write",
  summary: "Register a participant",
  description:
    "The organizer registers a participant (no account needed): the ordinary sale — seats, sales window, price from the server; a free ticket is CONFIRMED and sent to the email, a paid one is RESERVED (or PENDING) with a payment link by email. Sold out / already registered → 409. `Idempotency-Key` is claimed in the sale's own transaction: the same key returns the same registration, however many times it is sent at once. Without an `Authorization` header this path is the participant's own registration (session cookie or guest).",
  params: eventParams,
  body: createRegistrationBody,
  response: objectResponse(apiRegistration),
  status: 201,
  idempotency: "service",
  handler: async ({ actor, params, body, idempotencyKey, locale }) => {
    const result = await registerAsOrganizer({
      actor,
      eventId: params.eventId,
      ticketTypeId: body.ticketTypeId,
      firstName: body.firstName,
      lastName: body.lastName ?? null,
      email: body.email,
      customFields: body.customFields,
      idempotencyKey,
      locale,
    });
    const { event, registration } = await getEventRegistration({ actor, registrationId: result.registrationId, eventId: params.eventId });
    return { ok: true as const, data: toApiRegistration(event.id, registration) };
  },
});

export const getRegistration = defineOperation({
  id: "getRegistration",
  method: "GET",
  path: "/registrations/{registrationId}",
  tag: "Registrations",
  scope: "registrations:read",
  summary: "Get a registration",
  params: registrationParams,
  response: objectResponse(apiRegistration),
  handler: async ({ actor, params }) => {
    const { event, registration } = await getEventRegistration({ actor, registrationId: params.registrationId });
    return { ok: true as const, data: toApiRegistration(event.id, registration) };
  },
});

export const cancelRegistration = defineOperation({
  id: "cancelRegistration",
  method: "POST",
  path: "/registrations/{registrationId}/cancel",
  tag: "Registrations",
  scope: "registrations:write",
  summary: "Cancel a registration",
  description:
    "The organizer cancels with a reason (the participant is told; a paid registration's refund follows the event's refund rules). Already cancelled → 409.",
  params: registrationParams,
  body: cancelRegistrationBody,
  response: objectResponse(apiRegistration),
  handler: async ({ actor, params, body }) => {
    await cancelRegistrationAsOrganizer({ actor, registrationId: params.registrationId, reason: body.reason });
    const { event, registration } = await getEventRegistration({ actor, registrationId: params.registrationId });
    return { ok: true as const, data: toApiRegistration(event.id, registration) };
  },
});

export const markRegistrationPaid = defineOperation({
  id: "markRegistrationPaid",
  method: "POST",
  path: "/registrations/{registrationId}/mark-paid",
  tag: "Registrations",
  scope: "registrations:write",
  summary: "Mark a registration paid",
  description:
    "Records an offline payment for a RESERVED or PENDING registration (the full price, or the prepayment the ticket type asks for, or `amountCents`) and confirms it. Already paid, expired or cancelled → 409.",
  params: registrationParams,
  body: markPaidBody,
  response: objectResponse(apiPaymentResult),
  handler: async ({ actor, params, body, principal, idempotencyKey }) => {
    const r = await markPaid({
      actor,
      registrationId: params.registrationId,
      amountCents: body.amountCents ?? null,
      idempotencyKey: serviceKeyOf(principal.tokenId, "markRegistrationPaid", idempotencyKey),
    });
    return {
      ok: true as const,
      data: {
        paymentId: r.paymentId,
        registrationId: r.registrationId,
        kind: r.kind,
        amountCents: r.amountCents,
        currency: r.currency,
        registrationStatus: r.registrationStatus,
        prepayment: r.prepayment,
      },
    };
  },
});
