// REST API v1 — the ticket types of an event: list, get (events:read), create, update (events:write).
// Prices are minor units; the sales window is instants (the write services take local times of the
// event's zone: the handler converts with the zone listTicketTypesForView reports).
import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { objectResponse } from "@/lib/api/pagination";
import { AppError } from "@/lib/errors";
import { createTicketType, listTicketTypesForView, updateTicketType } from "@/lib/events";
import type { TicketTypeInput } from "@/lib/validation/events";
import { apiTicketType, createTicketTypeBody, eventParams, ticketTypeParams, toApiTicketType, toTicketTypeInput, updateTicketTypeBody } from "./schemas";

const ticketTypeResponse = objectResponse(apiTicketType);

/** One ticket type of one event, as it is now (another event's type → 404). */
async function readOne(actor: Parameters<typeof listTicketTypesForView>[0]["actor"], eventId: string, ticketTypeId: string) {
  const { items } = await listTicketTypesForView({ actor, eventId, ticketTypeId });
  const found = items[0];
  if (!found) throw new AppError("NOT_FOUND", "errors.notFound");
  return toApiTicketType(found);
}

export const listTicketTypes = defineOperation({
  id: "listTicketTypes",
  method: "GET",
  path: "/events/{eventId}/ticket-types",
  tag: "Ticket types",
  scope: "events:read",
  summary: "List an event's ticket types",
  description: "Every ticket type of the event (active or not, hidden or not) in display order, with seats sold, reserved and available. Not paged: an event has few types.",
  params: eventParams,
  response: z.object({ ok: z.literal(true), data: z.array(apiTicketType) }),
  handler: async ({ actor, params }) => {
    const { items } = await listTicketTypesForView({ actor, eventId: params.eventId });
    return { ok: true as const, data: items.map(toApiTicketType) };
  },
});

export const getTicketType = defineOperation({
  id: "getTicketType",
  method: "GET",
  path: "/events/{eventId}/ticket-types/{ticketTypeId}",
  tag: "Ticket types",
  scope: "events:read",
  summary: "Get a ticket type",
  params: ticketTypeParams,
  response: ticketTypeResponse,
  handler: async ({ actor, params }) => ({ ok: true as const, data: await readOne(actor, params.eventId, params.ticketTypeId) }),
});

export const createTicketTypeOperation = defineOperation({
  id: "createTicketType",
  method: "POST",
  path: "/events/{eventId}/ticket-types",
  tag: "Ticket types",
  scope: "events:write",
  summary: "Add a ticket type",
  description: "Adds a ticket type to a DRAFT or PUBLISHED event (409 on a cancelled or completed one). Without `sortOrder` it goes after the others.",
  params: eventParams,
  body: createTicketTypeBody,
  status: 201,
  response: ticketTypeResponse,
  handler: async ({ actor, params, body }) => {
    // A sales window is local to the event's zone in the service: read the zone first when one is given.
    const timezone = body.salesStart || body.salesEnd ? (await listTicketTypesForView({ actor, eventId: params.eventId })).timezone : "UTC";
    const created = await createTicketType({ actor, eventId: params.eventId, input: toTicketTypeInput(body, timezone) as TicketTypeInput });
    return { ok: true as const, data: await readOne(actor, params.eventId, created.id) };
  },
});

export const updateTicketTypeOperation = defineOperation({
  id: "updateTicketType",
  method: "PATCH",
  path: "/events/{eventId}/ticket-types/{ticketTypeId}",
  tag: "Ticket types",
  scope: "events:write",
  summary: "Update a ticket type",
  description:
    "Changes the fields given. `quantity` never goes below the seats already sold and reserved (400 on `quantity`); `isActive: false` stops new registrations and keeps the existing ones.",
  params: ticketTypeParams,
  body: updateTicketTypeBody,
  response: ticketTypeResponse,
  handler: async ({ actor, params, body }) => {
    // Reading it first checks that the type belongs to this event (else 404) and gives the event's zone.
    const { timezone } = await listTicketTypesForView({ actor, eventId: params.eventId, ticketTypeId: params.ticketTypeId });
    await updateTicketType({ actor, ticketTypeId: params.ticketTypeId, input: toTicketTypeInput(body, timezone) as Partial<TicketTypeInput> });
    return { ok: true as const, data: await readOne(actor, params.eventId, params.ticketTypeId) };
  },
});
