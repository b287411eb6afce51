// Pure rules of the registrations area: the transition table, the status a sale starts in, which
// counter a status occupies, the availability arithmetic, the payment plan and the request hash.
import { describe, expect, test } from "vitest";
import { computeAvailability } from "@/lib/registrations/availability";
import { REGISTRATION_TRANSITIONS, canTransition, initialStatusFor, isActiveStatus, seatCounterOf } from "@/lib/registrations/transitions";
import { planFirstPayment, prepaymentAmount } from "@/lib/payments/manual";
import { hashRequest, isValidIdempotencyKey } from "@/lib/idempotency";
import type { RegistrationStatus } from "@/lib/generated/prisma/enums";

const ALL: RegistrationStatus[] = ["RESERVED", "PENDING", "CONFIRMED", "CANCELLED", "CHECKED_IN", "EXPIRED"];

describe("REGISTRATION_TRANSITIONS (the domain model's diagram)", () => {
  test("exactly the diagram's arrows", () => {
    const arrows = ALL.flatMap((from) => ALL.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(arrows.sort()).toEqual(
      [
        "RESERVED→CONFIRMED",
        "RESERVED→EXPIRED",
        "RESERVED→CANCELLED",
        "PENDING→CONFIRMED",
        "PENDING→CANCELLED",
        "CONFIRMED→CHECKED_IN",
        "CONFIRMED→CANCELLED",
        "EXPIRED→CONFIRMED",
      ].sort(),
    );
  });

  test("final statuses have no way out; EXPIRED only by a late payment that found a seat", () => {
    for (const s of ["CANCELLED", "CHECKED_IN"] as const) expect(REGISTRATION_TRANSITIONS[s]).toEqual([]);
    expect(REGISTRATION_TRANSITIONS.EXPIRED).toEqual(["CONFIRMED"]);
  });

  test("counters by status: sold for CONFIRMED/CHECKED_IN, reserved for RESERVED/PENDING, none for final ones", () => {
    expect(ALL.map((s) => [s, seatCounterOf(s)])).toEqual([
      ["RESERVED", "reserved"],
      ["PENDING", "reserved"],
      ["CONFIRMED", "sold"],
      ["CANCELLED", null],
      ["CHECKED_IN", "sold"],
      ["EXPIRED", null],
    ]);
    expect(ALL.filter(isActiveStatus)).toEqual(["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN"]);
  });

  test("a sale starts CONFIRMED when free, RESERVED when paid with a reservation window, else PENDING", () => {
    expect(initialStatusFor({ priceCents: 0, reservationMinutes: null })).toBe("CONFIRMED");
    expect(initialStatusFor({ priceCents: 0, reservationMinutes: 30 })).toBe("CONFIRMED");
    expect(initialStatusFor({ priceCents: 100, reservationMinutes: 30 })).toBe("RESERVED");
    expect(initialStatusFor({ priceCents: 100, reservationMinutes: null })).toBe("PENDING");
  });
});

describe("availability arithmetic", () => {
  const base = { quantity: 10, soldCount: 0, reservedCount: 0, expiredReservations: 0, heldForWaitlist: 0, waiting: 0 };

  test("quantity − sold − active reservations − held", () => {
    expect(computeAvailability({ ...base, soldCount: 4, reservedCount: 3, heldForWaitlist: 1 })).toMatchObject({
      sold: 4,
      activeReservations: 2,
      heldForWaitlist: 1,
      available: 3,
      availableToPublic: 3,
      soldOut: false,
    });
  });

  test("a reservation past expires_at holds no seat (before any sweep)", () => {
    expect(computeAvailability({ ...base, quantity: 1, reservedCount: 1, expiredReservations: 1 })).toMatchObject({
      activeReservations: 0,
      available: 1,
      soldOut: false,
    });
  });

  test("seats held for offers and seats owed to waiters are not public", () => {
    expect(computeAvailability({ ...base, quantity: 2, soldCount: 1, reservedCount: 1, heldForWaitlist: 1 })).toMatchObject({
      available: 0,
      soldOut: true,
    });
    expect(computeAvailability({ ...base, quantity: 5, soldCount: 2, waiting: 2 })).toMatchObject({ available: 3, availableToPublic: 1, soldOut: false });
    expect(computeAvailability({ ...base, quantity: 5, soldCount: 2, waiting: 7 })).toMatchObject({ available: 3, availableToPublic: 0, soldOut: true });
  });

  test("unlimited never sells out", () => {
    expect(computeAvailability({ ...base, quantity: null, soldCount: 1_000_000, waiting: 3 })).toMatchObject({
      available: null,
      availableToPublic: null,
      soldOut: false,
    });
  });

  test("never negative", () => {
    expect(computeAvailability({ ...base, quantity: 3, soldCount: 5 })).toMatchObject({ available: 0, availableToPublic: 0, soldOut: true });
  });
});

describe("payment plan", () => {
  test("prepayment is ceil(price × percent / 100) in integer arithmetic", () => {
    expect(prepaymentAmount(10_001, 30)).toBe(3001);
    expect(prepaymentAmount(10_000, 30)).toBe(3000);
    expect(prepaymentAmount(1, 1)).toBe(1);
    expect(prepaymentAmount(999_999_999, 99)).toBe(990_000_000);
  });

  test("full price without a prepayment percent; anything else is refused", () => {
    expect(planFirstPayment(5000, null)).toEqual({ kind: "FULL", amountCents: 5000, remainingCents: 0 });
    expect(planFirstPayment(5000, null, 5000)).toEqual({ kind: "FULL", amountCents: 5000, remainingCents: 0 });
    expect(planFirstPayment(5000, null, 4000)).toBeNull();
    expect(planFirstPayment(0, null)).toBeNull();
  });

  test("with a prepayment percent: default = the minimum; from the minimum up to the price", () => {
    expect(planFirstPayment(10_001, 30)).toEqual({ kind: "PREPAYMENT", amountCents: 3001, remainingCents: 7000 });
    expect(planFirstPayment(10_001, 30, 5000)).toEqual({ kind: "PREPAYMENT", amountCents: 5000, remainingCents: 5001 });
    expect(planFirstPayment(10_001, 30, 10_001)).toEqual({ kind: "FULL", amountCents: 10_001, remainingCents: 0 });
    expect(planFirstPayment(10_001, 30, 3000)).toBeNull();
    expect(planFirstPayment(10_001, 30, 10_002)).toBeNull();
    expect(planFirstPayment(10_001, 30, 0)).toBeNull();
    expect(planFirstPayment(10_001, 30, 12.5)).toBeNull();
  });
});

describe("idempotency request hash", () => {
  test("canonical: key order and undefined fields do not matter, values do", () => {
    expect(hashRequest({ a: 1, b: { c: [1, 2], d: undefined } })).toBe(hashRequest({ b: { c: [1, 2] }, a: 1 }));
    expect(hashRequest({ a: 1 })).not.toBe(hashRequest({ a: 2 }));
    expect(hashRequest({ a: [1, 2] })).not.toBe(hashRequest({ a: [2, 1] }));
  });

  test("keys: 1–200 of letters, digits and -_.:", () => {
    expect(isValidIdempotencyKey("0b7c8f6e-9a1d-4c55-8a32-0f1e2d3c4b5a")).toBe(true);
    expect(isValidIdempotencyKey("")).toBe(false);
    expect(isValidIdempotencyKey("a b")).toBe(false);
    expect(isValidIdempotencyKey("x".repeat(201))).toBe(false);
  });
});
