// The event status machine (exactly the domain model's diagram) and the pure rules around it.
import { describe, expect, test } from "vitest";
import {
  ACTION_TARGET,
  DELETABLE_EVENT_STATUSES,
  EDITABLE_EVENT_STATUSES,
  EVENT_PARTICIPANT_STATUSES,
  EVENT_TRANSITIONS,
  availableActions,
  availableSeats,
  canTransition,
  publicSeats,
  eventFinishesAt,
} from "@/lib/events/status";
import type { EventStatus } from "@/lib/generated/prisma/enums";
import { computeAvailability } from "@/lib/registrations/availability";

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

  test("available = quantity − sold − reservations that still hold a seat", () => {
    expect(availableSeats({ quantity: null, soldCount: 5, reservedCount: 5 })).toBeNull();
    expect(availableSeats({ quantity: 10, soldCount: 3, reservedCount: 2 })).toBe(5);
    expect(availableSeats({ quantity: 10, soldCount: 3, reservedCount: 2, expiredReservations: 2 })).toBe(7);
    expect(availableSeats({ quantity: 5, soldCount: 5, reservedCount: 0 })).toBe(0);
    // Counters that are off never give a negative number.
    expect(availableSeats({ quantity: 5, soldCount: 6, reservedCount: 0 })).toBe(0);
    expect(availableSeats({ quantity: 5, soldCount: 0, reservedCount: 1, expiredReservations: 3 })).toBe(5);
  });

  test("people waiting get freed seats before the public", () => {
    expect(publicSeats(5, 2)).toBe(3);
    expect(publicSeats(1, 4)).toBe(0);
    expect(publicSeats(null, 4)).toBeNull();
  });

  test("the same arithmetic as the registration service sells by (lib/registrations/availability.ts)", () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 500; i++) {
      const quantity = rnd(5) === 0 ? null : 1 + rnd(50);
      const held = rnd(4);
      const expired = rnd(4);
      const reservedCount = held + expired + rnd(10);
      const soldCount = rnd(40);
      const waiting = rnd(6);
      const theirs = computeAvailability({ quantity, soldCount, reservedCount, expiredReservations: expired, heldForWaitlist: held, waiting });
      const available = availableSeats({ quantity, soldCount, reservedCount, expiredReservations: expired });
      expect(available).toBe(theirs.available);
      expect(publicSeats(available, waiting)).toBe(theirs.availableToPublic);
    }
  });
});
