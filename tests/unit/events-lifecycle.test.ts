// The event status machine (exactly the domain model's diagram) and the pure rules around it.
import { describe, expect, test } from "vitest";
import {
  ACTION_TARGET,
  DELETABLE_EVENT_STATUSES,
  EDITABLE_EVENT_STATUSES,
  EVENT_PARTICIPANT_STATUSES,
  EVENT_TRANSITIONS,
  availableActions,
  canTransition,
  eventFinishesAt,
} from "@/lib/events/status";
import { computeAvailability } from "@/lib/events/seats";
import type { EventStatus } from "@/lib/generated/prisma/enums";

const ALL: EventStatus[] = ["DRAFT", "PUBLISHED", "CANCELLED", "COMPLETED"];

describe("EVENT_TRANSITIONS", () => {
  test("is exactly the diagram", () => {
    const edges = ALL.flatMap((from) => ALL.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`)).sort();
    expect(edges).toEqual(["DRAFT→CANCELLED", "DRAFT→PUBLISHED", "PUBLISHED→CANCELLED", "PUBLISHED→COMPLETED", "PUBLISHED→DRAFT"]);
  });

  test("covers every status; CANCELLED and COMPLETED are final; no self-loops", () => {
    expect(Object.keys(EVENT_TRANSITIONS).sort()).toEqual([...ALL].sort());
    expect(EVENT_TRANSITIONS.CANCELLED).toEqual([]);
    expect(EVENT_TRANSITIONS.COMPLETED).toEqual([]);
    for (const s of ALL) expect(canTransition(s, s)).toBe(false);
  });

  test("a DRAFT cannot be completed, a COMPLETED event cannot be cancelled", () => {
    expect(canTransition("DRAFT", "COMPLETED")).toBe(false);
    expect(canTransition("COMPLETED", "CANCELLED")).toBe(false);
    expect(canTransition("CANCELLED", "PUBLISHED")).toBe(false);
  });

  test("actions per status", () => {
    expect(availableActions("DRAFT")).toEqual(["publish", "cancel"]);
    expect(availableActions("PUBLISHED")).toEqual(["unpublish", "cancel", "complete"]);
    expect(availableActions("CANCELLED")).toEqual([]);
    expect(availableActions("COMPLETED")).toEqual([]);
    for (const [action, to] of Object.entries(ACTION_TARGET)) expect(ALL.some((from) => canTransition(from, to)), action).toBe(true);
  });

  test("editable / deletable statuses and who takes part", () => {
    expect(EDITABLE_EVENT_STATUSES).toEqual(["DRAFT", "PUBLISHED"]);
    expect(DELETABLE_EVENT_STATUSES).toEqual(["DRAFT", "CANCELLED"]);
    expect([...EVENT_PARTICIPANT_STATUSES].sort()).toEqual(["CONFIRMED", "PENDING", "RESERVED"]);
  });
});

describe("time and seats", () => {
  test("an event without an end is over 6 h after its start", () => {
    const startsAt = new Date("2027-06-01T16:00:00Z");
    expect(eventFinishesAt({ startsAt, endsAt: null }).toISOString()).toBe("2027-06-01T22:00:00.000Z");
    expect(eventFinishesAt({ startsAt, endsAt: new Date("2027-06-01T18:00:00Z") }).toISOString()).toBe("2027-06-01T18:00:00.000Z");
  });

  // The one seat rule (lib/events/seats.ts); its SQL fragments are checked against it in tests/integration/seats.test.ts.
  const seats = (c: { quantity: number | null; soldCount: number; reservedCount: number; expiredReservations?: number; heldForWaitlist?: number; waiting?: number }) =>
    computeAvailability({ expiredReservations: 0, heldForWaitlist: 0, waiting: 0, ...c });

  test("available = quantity − sold − reservations that still hold a seat", () => {
    expect(seats({ quantity: null, soldCount: 5, reservedCount: 5 }).available).toBeNull();
    expect(seats({ quantity: 10, soldCount: 3, reservedCount: 2 }).available).toBe(5);
    expect(seats({ quantity: 10, soldCount: 3, reservedCount: 2, expiredReservations: 2 }).available).toBe(7);
    expect(seats({ quantity: 5, soldCount: 5, reservedCount: 0 }).available).toBe(0);
    // Counters that are off never give a negative number.
    expect(seats({ quantity: 5, soldCount: 6, reservedCount: 0 }).available).toBe(0);
    expect(seats({ quantity: 5, soldCount: 0, reservedCount: 1, expiredReservations: 3 }).available).toBe(5);
    // Held offers are inside reservedCount: they hold their seat, and the public's share ignores the split.
    expect(seats({ quantity: 10, soldCount: 3, reservedCount: 4, heldForWaitlist: 2 }).available).toBe(3);
  });

  test("people waiting get freed seats before the public", () => {
    expect(seats({ quantity: 10, soldCount: 5, reservedCount: 0, waiting: 2 }).availableToPublic).toBe(3);
    expect(seats({ quantity: 10, soldCount: 9, reservedCount: 0, waiting: 4 })).toMatchObject({ available: 1, availableToPublic: 0, soldOut: true });
    expect(seats({ quantity: null, soldCount: 9, reservedCount: 0, waiting: 4 })).toMatchObject({ availableToPublic: null, soldOut: false });
  });
});
