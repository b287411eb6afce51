// REST API v1: an event's waitlist (docs/api.md), scope registrations:read (registrations.view on the
// event's organization; another organization's event is 404). lib/waitlist listEventWaitlist.
//
//   GET /events/{eventId}/waitlist   in queue order (status filter; cursor)
import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { cursorFingerprint, decodeCursor, encodeCursor, listResponse, pageCursor, pageLimit } from "@/lib/api/pagination";
import { listEventWaitlist } from "@/lib/waitlist";
import { WAITLIST_STATUS_VALUES, apiWaitlistEntry, idParam, toApiWaitlistEntry } from "./schemas-b";

export const listEventWaitlistEntries = defineOperation({
  id: "listEventWaitlist",
  method: "GET",
  path: "/events/{eventId}/waitlist",
  tag: "Waitlist",
  scope: "registrations:read",
  summary: "List an event's waitlist",
  description: "In queue order (position), in cursor pages. WAITING: in the queue; NOTIFIED: offered a seat until expiresAt; CONVERTED: registered; EXPIRED: left or lapsed.",
  params: z.object({ eventId: idParam("The event's id.") }),
  query: z.object({ limit: pageLimit, cursor: pageCursor.optional(), status: z.enum(WAITLIST_STATUS_VALUES).optional() }),
  response: listResponse(apiWaitlistEntry),
  handler: async ({ actor, params, query }) => {
    const fingerprint = cursorFingerprint("listEventWaitlist", params.eventId, { status: query.status ?? null });
    const afterPosition = query.cursor ? decodeCursor(query.cursor, fingerprint, z.int().min(0)) : null;
    const page = await listEventWaitlist({ actor, eventId: params.eventId, status: query.status ?? null, afterPosition, limit: query.limit });
    return { ok: true as const, data: page.items.map(toApiWaitlistEntry), nextCursor: page.next !== null ? encodeCursor(fingerprint, page.next) : null };
  },
});
