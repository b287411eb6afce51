"use server";
// Thin entry points of the organizer's event pages, behind the action edge (lib/http/action.ts): the
// input checked with the shared schema (field errors for the form; the services parse the client's
// input again — they are callable from anywhere), the caller from the session, one service (which
// authorizes: a moderator of another organization gets "not found"), then the dashboard and the cached
// public pages revalidated.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accepting, action, id } from "@/lib/http/action";
import { parseWith } from "@/lib/http/parse";
import type { Actor } from "@/lib/permissions";
import { revalidatePublicEvent } from "@/lib/public/revalidate";
import { cancelEventSchema, eventSchema, makeTicketTypeSchema, reorderTicketTypesSchema, type EventInput, type TicketTypeInput } from "@/lib/validation/events";
import {
  cancelEvent,
  completeEvent,
  createEvent,
  createTicketType,
  deleteTicketType,
  eventPublicRef,
  publishEvent,
  reorderTicketTypes,
  setTicketTypeActive,
  softDeleteEvent,
  unpublishEvent,
  updateEvent,
  updateTicketType,
} from "./index";

const DASHBOARD_PAGES = [
  "/[locale]/dashboard/o/[slug]",
  "/[locale]/dashboard/o/[slug]/events",
  "/[locale]/dashboard/o/[slug]/events/[eventId]",
] as const;

/** The dashboard pages (layouts included) and the event's public pages, after a committed change. */
async function revalidateEvent(eventId: string, previousSlug?: string | null) {
  for (const path of DASHBOARD_PAGES) revalidatePath(path, "layout");
  const ref = await eventPublicRef(eventId);
  if (ref) revalidatePublicEvent({ ...ref, previousSlug: previousSlug ?? null });
}

// ───────────────────────────── events ─────────────────────────────

const eventInput = accepting<EventInput>()(eventSchema);
const ticketTypeInput = accepting<TicketTypeInput>()(z.unknown());

export const createEventAction = action(z.tuple([id, eventInput]), async ([organizationId], { actor, raw }) => {
  const event = await createEvent({ actor, organizationId, input: raw[1] });
  await revalidateEvent(event.id);
  return { id: event.id };
});

export const updateEventAction = action(z.tuple([id, eventInput]), async ([eventId], { actor, raw }) => {
  const before = await eventPublicRef(eventId);
  const result = await updateEvent({ actor, eventId, input: raw[1] });
  if (result.changed.length > 0) await revalidateEvent(result.id, before?.slug);
  return { changed: result.changed, notified: result.notified };
});

/** A change of an event's state by its id alone. */
function eventStep(step: (options: { actor: Actor | null; eventId: string }) => Promise<unknown>) {
  return action(z.tuple([id]), async ([eventId], { actor }) => {
    await step({ actor, eventId });
    await revalidateEvent(eventId);
  });
}

export const publishEventAction = eventStep(publishEvent);
export const unpublishEventAction = eventStep(unpublishEvent);
export const completeEventAction = eventStep(completeEvent);
export const deleteEventAction = eventStep(softDeleteEvent);

export const cancelEventAction = action(z.tuple([id, cancelEventSchema]), async ([eventId, { reason }], { actor }) => {
  const result = await cancelEvent({ actor, eventId, reason });
  await revalidateEvent(eventId);
  return { cancelledRegistrations: result.cancelledRegistrations };
});

// ───────────────────────────── ticket types ─────────────────────────────
// `eventId` of the ticket-type actions only names what to revalidate: the services authorize by the
// ticket type itself. The schema depends on the event's time zone, so it is applied in the handler
// (a VALIDATION error carries the same field errors back).

export const createTicketTypeAction = action(z.tuple([id, z.string(), ticketTypeInput]), async ([eventId, timeZone], { actor, raw }) => {
  parseWith(makeTicketTypeSchema(timeZone), raw[2]);
  const created = await createTicketType({ actor, eventId, input: raw[2] });
  await revalidateEvent(eventId);
  return { id: created.id };
});

export const updateTicketTypeAction = action(z.tuple([id, id, z.string(), ticketTypeInput]), async ([eventId, ticketTypeId, timeZone], { actor, raw }) => {
  parseWith(makeTicketTypeSchema(timeZone), raw[3]);
  const result = await updateTicketType({ actor, ticketTypeId, input: raw[3] });
  if (result.changed.length > 0) await revalidateEvent(eventId);
});

export const setTicketTypeActiveAction = action(z.tuple([id, id, z.boolean()]), async ([eventId, ticketTypeId, isActive], { actor }) => {
  await setTicketTypeActive({ actor, ticketTypeId, isActive });
  await revalidateEvent(eventId);
});

export const deleteTicketTypeAction = action(z.tuple([id, id]), async ([eventId, ticketTypeId], { actor }) => {
  await deleteTicketType({ actor, ticketTypeId });
  await revalidateEvent(eventId);
});

export const reorderTicketTypesAction = action(
  z.tuple([id, reorderTicketTypesSchema.shape.ticketTypeIds]),
  async ([eventId, ticketTypeIds], { actor }) => {
    await reorderTicketTypes({ actor, eventId, ticketTypeIds });
    await revalidateEvent(eventId);
  },
);
