"use server";
// Thin entry points of the organizer's event pages: check the input with the shared schema (the
// services parse again — they are callable from anywhere), take the caller from the session, call one
// service (which authorizes: a moderator of another organization gets "not found"), then revalidate
// the dashboard and the cached public pages, and answer with a small ActionResult.
import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/errors";
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
} from "@/lib/events";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { revalidatePublicEvent } from "@/lib/public/revalidate";
import { cancelEventSchema, eventFieldErrors, eventSchema, makeTicketTypeSchema, reorderTicketTypesSchema, type EventInput, type TicketTypeInput } from "@/lib/validation/events";

const DASHBOARD_PAGES = [
  "/[locale]/dashboard/o/[slug]",
  "/[locale]/dashboard/o/[slug]/events",
  "/[locale]/dashboard/o/[slug]/events/[eventId]",
] as const;

async function actor() {
  return actorOf(await getCurrentUser());
}

const invalid = (fieldErrors: Record<string, string>) => ({ ok: false as const, code: "VALIDATION" as const, message: "errors.validation", fieldErrors });

/** The dashboard pages (layouts included) and the event's public pages, after a committed change. */
async function revalidateEvent(eventId: string, previousSlug?: string | null) {
  for (const path of DASHBOARD_PAGES) revalidatePath(path, "layout");
  const ref = await eventPublicRef(eventId);
  if (ref) revalidatePublicEvent({ ...ref, previousSlug: previousSlug ?? null });
}

// ───────────────────────────── events ─────────────────────────────

export async function createEventAction(organizationId: string, input: EventInput): Promise<ActionResult<{ id: string }>> {
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) return invalid(eventFieldErrors(parsed.error));
  try {
    const event = await createEvent({ actor: await actor(), organizationId: String(organizationId), input });
    await revalidateEvent(event.id);
    return { ok: true, id: event.id };
  } catch (error) {
    return toActionError(error);
  }
}

export async function updateEventAction(eventId: string, input: EventInput): Promise<ActionResult<{ changed: string[]; notified: number }>> {
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) return invalid(eventFieldErrors(parsed.error));
  try {
    const before = await eventPublicRef(String(eventId));
    const result = await updateEvent({ actor: await actor(), eventId: String(eventId), input });
    if (result.changed.length > 0) await revalidateEvent(result.id, before?.slug);
    return { ok: true, changed: result.changed, notified: result.notified };
  } catch (error) {
    return toActionError(error);
  }
}

export async function publishEventAction(eventId: string): Promise<ActionResult> {
  try {
    await publishEvent({ actor: await actor(), eventId: String(eventId) });
    await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function unpublishEventAction(eventId: string): Promise<ActionResult> {
  try {
    await unpublishEvent({ actor: await actor(), eventId: String(eventId) });
    await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function cancelEventAction(eventId: string, input: { reason: string }): Promise<ActionResult<{ cancelledRegistrations: number }>> {
  const parsed = cancelEventSchema.safeParse(input);
  if (!parsed.success) return invalid(eventFieldErrors(parsed.error));
  try {
    const result = await cancelEvent({ actor: await actor(), eventId: String(eventId), reason: parsed.data.reason });
    await revalidateEvent(String(eventId));
    return { ok: true, cancelledRegistrations: result.cancelledRegistrations };
  } catch (error) {
    return toActionError(error);
  }
}

export async function completeEventAction(eventId: string): Promise<ActionResult> {
  try {
    await completeEvent({ actor: await actor(), eventId: String(eventId) });
    await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function deleteEventAction(eventId: string): Promise<ActionResult> {
  try {
    await softDeleteEvent({ actor: await actor(), eventId: String(eventId) });
    await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

// ───────────────────────────── ticket types ─────────────────────────────
// `eventId` of the ticket-type actions only names what to revalidate: the services authorize by the
// ticket type itself.

export async function createTicketTypeAction(eventId: string, timeZone: string, input: TicketTypeInput): Promise<ActionResult<{ id: string }>> {
  const parsed = makeTicketTypeSchema(String(timeZone)).safeParse(input);
  if (!parsed.success) return invalid(eventFieldErrors(parsed.error));
  try {
    const created = await createTicketType({ actor: await actor(), eventId: String(eventId), input });
    await revalidateEvent(String(eventId));
    return { ok: true, id: created.id };
  } catch (error) {
    return toActionError(error);
  }
}

export async function updateTicketTypeAction(eventId: string, ticketTypeId: string, timeZone: string, input: TicketTypeInput): Promise<ActionResult> {
  const parsed = makeTicketTypeSchema(String(timeZone)).safeParse(input);
  if (!parsed.success) return invalid(eventFieldErrors(parsed.error));
  try {
    const result = await updateTicketType({ actor: await actor(), ticketTypeId: String(ticketTypeId), input });
    if (result.changed.length > 0) await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function setTicketTypeActiveAction(eventId: string, ticketTypeId: string, isActive: boolean): Promise<ActionResult> {
  try {
    await setTicketTypeActive({ actor: await actor(), ticketTypeId: String(ticketTypeId), isActive: isActive === true });
    await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function deleteTicketTypeAction(eventId: string, ticketTypeId: string): Promise<ActionResult> {
  try {
    await deleteTicketType({ actor: await actor(), ticketTypeId: String(ticketTypeId) });
    await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function reorderTicketTypesAction(eventId: string, ticketTypeIds: string[]): Promise<ActionResult> {
  const parsed = reorderTicketTypesSchema.safeParse({ ticketTypeIds });
  if (!parsed.success) return invalid(eventFieldErrors(parsed.error));
  try {
    await reorderTicketTypes({ actor: await actor(), eventId: String(eventId), ticketTypeIds: parsed.data.ticketTypeIds });
    await revalidateEvent(String(eventId));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
