// REST API v1 — events: list (cursor, status, updatedSince), get, create, update, publish, cancel.
// Each operation calls one service of lib/events with the token's actor (the services authorize:
// another organization's event is 404, a missing scope 403); a write answers the event as it is now.
import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { cursorFingerprint, decodeCursor, objectResponse, listResponse, page, paginationShape } from "@/lib/api/pagination";
import { AppError } from "@/lib/errors";
import { cancelEvent, createEvent, getEventForManage, listEventsByKeyset, publishEvent, updateEvent } from "@/lib/events";
import type { EventInput } from "@/lib/validation/events";
import {
  apiEvent,
  cancelEventBody,
  createEventBody,
  eventParams,
  eventStatus,
  toApiEvent,
  toEventInput,
  updateEventBody,
} from "./schemas";

const eventResponse = objectResponse(apiEvent);

/** The position of a row in the keyset list: its time key and id. */
const position = z.tuple([z.iso.datetime(), z.uuid()]);

export const listEvents = defineOperation({
  id: "listEvents",
  method: "GET",
  path: "/events",
  tag: "Events",
  scope: "events:read",
  summary: "List events",
  description:
    "The organization's events (not deleted), oldest created first; with `updatedSince` only those changed at or after that time, by (updatedAt, id) — keep the last `updatedAt` you saw for the next sync. Pages: pass `nextCursor` as `cursor` until it is null.",
  query: z.strictObject({ ...paginationShape, status: eventStatus.optional().meta({ description: "Only events in this status." }) }),
  response: listResponse(apiEvent),
  handler: async ({ actor, principal, query }) => {
    if (!principal.organizationId) throw new AppError("NOT_FOUND", "errors.notFound");
    const fingerprint = cursorFingerprint("listEvents", principal.organizationId, { status: query.status, updatedSince: query.updatedSince });
    const after = query.cursor ? decodeCursor(query.cursor, fingerprint, position) : null;
    const rows = await listEventsByKeyset({
      actor,
      organizationId: principal.organizationId,
      status: query.status,
      updatedSince: query.updatedSince,
      after: after ? { at: new Date(after[0]), id: after[1] } : null,
      take: query.limit + 1,
    });
    const key = query.updatedSince ? "updatedAt" : "createdAt";
    return page(rows, query.limit, fingerprint, (e) => [e[key].toISOString(), e.id], toApiEvent);
  },
});

export const getEvent = defineOperation({
  id: "getEvent",
  method: "GET",
  path: "/events/{eventId}",
  tag: "Events",
  scope: "events:read",
  summary: "Get an event",
  params: eventParams,
  response: eventResponse,
  handler: async ({ actor, params }) => ({ ok: true as const, data: toApiEvent(await getEventForManage({ actor, eventId: params.eventId })) }),
});

export const createEventOperation = defineOperation({
  id: "createEvent",
  method: "POST",
  path: "/events",
  tag: "Events",
  scope: "events:write",
  summary: "Create an event",
  description: "Creates a DRAFT event; add ticket types, then publish it. Times are instants (ISO 8601 with Z or an offset); the event's pages show them in `timezone`.",
  body: createEventBody,
  status: 201,
  response: eventResponse,
  handler: async ({ actor, principal, body }) => {
    if (!principal.organizationId) throw new AppError("NOT_FOUND", "errors.notFound");
    const created = await createEvent({ actor, organizationId: principal.organizationId, input: toEventInput(body) as EventInput });
    return { ok: true as const, data: toApiEvent(await getEventForManage({ actor, eventId: created.id })) };
  },
});

export const updateEventOperation = defineOperation({
  id: "updateEvent",
  method: "PATCH",
  path: "/events/{eventId}",
  tag: "Events",
  scope: "events:write",
  summary: "Update an event",
  description:
    "Changes the fields given (a DRAFT or PUBLISHED event). A change of time or place is told to the participants. `settings` keys given replace those keys only.",
  params: eventParams,
  body: updateEventBody,
  response: eventResponse,
  handler: async ({ actor, params, body }) => {
    // Times given without a zone are local to the event's current zone; settings merge over the current ones.
    const needsCurrent = (body.timezone === undefined && (body.startsAt !== undefined || body.endsAt !== undefined)) || body.settings !== undefined;
    const current = needsCurrent ? await getEventForManage({ actor, eventId: params.eventId }) : undefined;
    await updateEvent({ actor, eventId: params.eventId, input: toEventInput(body, current) as Partial<EventInput> });
    return { ok: true as const, data: toApiEvent(await getEventForManage({ actor, eventId: params.eventId })) };
  },
});

export const publishEventOperation = defineOperation({
  id: "publishEvent",
  method: "POST",
  path: "/events/{eventId}/publish",
  tag: "Events",
  scope: "events:write",
  summary: "Publish an event",
  description: "DRAFT → PUBLISHED: needs an active ticket type, a start in the future and a way to pay for paid tickets (else 409).",
  params: eventParams,
  response: eventResponse,
  handler: async ({ actor, params }) => {
    await publishEvent({ actor, eventId: params.eventId });
    return { ok: true as const, data: toApiEvent(await getEventForManage({ actor, eventId: params.eventId })) };
  },
});

export const cancelEventOperation = defineOperation({
  id: "cancelEvent",
  method: "POST",
  path: "/events/{eventId}/cancel",
  tag: "Events",
  scope: "events:write",
  summary: "Cancel an event",
  description:
    "DRAFT / PUBLISHED → CANCELLED with a reason: every active registration is cancelled, paid ones get a refund recorded, participants are told. A second cancel is 409.",
  params: eventParams,
  body: cancelEventBody,
  response: objectResponse(
    apiEvent
      .extend({
        cancelledRegistrations: z.number().int().meta({ description: "Registrations this cancellation cancelled." }),
        refunds: z.number().int().meta({ description: "Refunds recorded (one per paid payment)." }),
      })
      .meta({ id: "CancelledEvent" }),
  ),
  handler: async ({ actor, params, body }) => {
    const result = await cancelEvent({ actor, eventId: params.eventId, reason: body.reason });
    const event = toApiEvent(await getEventForManage({ actor, eventId: params.eventId }));
    return { ok: true as const, data: { ...event, cancelledRegistrations: result.cancelledRegistrations, refunds: result.refunds } };
  },
});
