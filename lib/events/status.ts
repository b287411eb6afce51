// The event status machine (domain model, "Event → Статусы") and pure rules around it. Pure module:
// the services (lib/events/lifecycle.ts) enforce it, the UI uses it to show only possible actions.
//
//   [*] → DRAFT
//   DRAFT → PUBLISHED (publish)      PUBLISHED → DRAFT (unpublish)
//   PUBLISHED → CANCELLED (cancel)   DRAFT → CANCELLED (cancel)
//   PUBLISHED → COMPLETED (complete)
//   CANCELLED, COMPLETED: final
import type { EventStatus, RegistrationStatus } from "@/lib/generated/prisma/enums";

export const EVENT_TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  DRAFT: ["PUBLISHED", "CANCELLED"],
  PUBLISHED: ["DRAFT", "CANCELLED", "COMPLETED"],
  CANCELLED: [],
  COMPLETED: [],
};

export function canTransition(from: EventStatus, to: EventStatus): boolean {
  return EVENT_TRANSITIONS[from].includes(to);
}

export type EventAction = "publish" | "unpublish" | "cancel" | "complete";

/** The status each lifecycle action moves to. */
export const ACTION_TARGET: Record<EventAction, EventStatus> = {
  publish: "PUBLISHED",
  unpublish: "DRAFT",
  cancel: "CANCELLED",
  complete: "COMPLETED",
};

/** Statuses whose details (title, dates, place, ticket types) can still be edited. */
export const EDITABLE_EVENT_STATUSES: readonly EventStatus[] = ["DRAFT", "PUBLISHED"];
/** Statuses from which an event may be soft-deleted (a published event is cancelled first). */
export const DELETABLE_EVENT_STATUSES: readonly EventStatus[] = ["DRAFT", "CANCELLED"];

/**
 * Registrations of people taking part: cancelled together with the event (their seats go back),
 * told about date / place changes, reminded. CHECKED_IN is final (the person came) and is left alone.
 */
export const EVENT_PARTICIPANT_STATUSES: readonly RegistrationStatus[] = ["RESERVED", "PENDING", "CONFIRMED"];

/** Without an end time, an event counts as finished this long after its start. */
export const DEFAULT_EVENT_DURATION_MS = 6 * 60 * 60 * 1000;

/** When the event is over: its end, or start + 6 h when it has no end. */
export function eventFinishesAt(event: { startsAt: Date; endsAt: Date | null }): Date {
  return event.endsAt ?? new Date(event.startsAt.getTime() + DEFAULT_EVENT_DURATION_MS);
}

/** Which lifecycle actions the status allows (the UI's buttons; the services check again, with the clock and the data). */
export function availableActions(status: EventStatus): EventAction[] {
  return (Object.keys(ACTION_TARGET) as EventAction[]).filter((a) => canTransition(status, ACTION_TARGET[a]));
}

