// Public API of the events area (server side). Pure helpers the UI may import in client components
// live in their own modules: lib/events/time.ts, lib/events/status.ts, lib/events/slug.ts,
// lib/events/messages.ts, lib/validation/events.ts. Decisions: docs/events.md.
import "server-only";

export {
  createEvent,
  updateEvent,
  getEventForManage,
  listEvents,
  softDeleteEvent,
  eventToFormValues,
  eventPublicRef,
  EVENT_EDITABLE_FIELDS,
  EVENT_DATE_FIELDS,
  EVENT_PLACE_FIELDS,
  type CreatedEvent,
  type UpdatedEvent,
  type EventForManage,
  type EventFormValues,
  type ManagedTicketType,
  type EventList,
  type EventListItem,
  listEventsByKeyset,
  type EventSyncRow,
} from "./events";
export {
  publishEvent,
  unpublishEvent,
  cancelEvent,
  cancelEventParticipants,
  completeEvent,
  completeFinishedEvents,
  sendEventReminders,
  transitionEvent,
  reminderDedupeKey,
  morningReminderDedupeKey,
  MORNING_REMINDER_HOUR,
  REMINDER_LEAD_MS,
  type TransitionResult,
  type CancelEventResult,
} from "./lifecycle";
export {
  createTicketType,
  updateTicketType,
  setTicketTypeActive,
  activateTicketType,
  deactivateTicketType,
  deleteTicketType,
  reorderTicketTypes,
  listTicketTypesForManage,
  listOfferedTicketTypes,
  ticketTypeToFormValues,
  type OfferedTicketType,
  type TicketTypeFormValues,
  listTicketTypesForView,
  type TicketTypeView,
} from "./ticket-types";
export { eventPublicUrl, eventLocationText } from "./shared";
export { listEventActivity, ACTIVITY_PAGE_SIZE, type ActivityEntry, type ActivityChange, type EventActivity } from "./activity";
export {
  expiredReservationsOf,
  heldForWaitlistOf,
  waitingFor,
  seatCountColumns,
  seatCountsOf,
  publicSeatFree,
  unheldSeatFree,
  seatCountsByType,
  type SeatCountRow,
} from "./seats-sql";
export { publicEventPath } from "./paths";
export * from "./status";
export * from "./time";
