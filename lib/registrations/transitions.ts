// Registration statuses: the transition table of the domain model's diagram and the rules that tie a
// status to the ticket-type counters. Pure module (no database): unit-tested, shared by every service
// that changes a registration (register, cancel, expiry, payment, check-in). Pure but for the SQL
// fragment of the initial status (lib/db/sql, no connection).
//
//   [*] → RESERVED (paid, timed) | PENDING (paid, no timer) | CONFIRMED (free)
//   RESERVED → CONFIRMED (payment) | EXPIRED (timer) | CANCELLED
//   PENDING  → CONFIRMED (payment) | CANCELLED
//   CONFIRMED → CHECKED_IN | CANCELLED (refund)
//   EXPIRED  → CONFIRMED (late payment, a seat was free: lib/registrations/late-sale.ts)
//   CANCELLED, CHECKED_IN: final
//
// Every write is a compare-and-set on the old status (`UPDATE … WHERE id = $1 AND status = $from`):
// 0 rows means someone else moved it first, and the caller reports a conflict.
import { sql, type Sql } from "@/lib/db/sql";
import type { RegistrationStatus } from "@/lib/generated/prisma/enums";

export const REGISTRATION_TRANSITIONS: Record<RegistrationStatus, readonly RegistrationStatus[]> = {
  RESERVED: ["CONFIRMED", "EXPIRED", "CANCELLED"],
  PENDING: ["CONFIRMED", "CANCELLED"],
  CONFIRMED: ["CHECKED_IN", "CANCELLED"],
  CANCELLED: [],
  CHECKED_IN: [],
  // An online payment that succeeded after the hold ended takes a seat when one is free (late-sale.ts).
  EXPIRED: ["CONFIRMED"],
};

/** Statuses a registration may be created in. */
export const INITIAL_REGISTRATION_STATUSES: readonly RegistrationStatus[] = ["RESERVED", "PENDING", "CONFIRMED"];

export function canTransition(from: RegistrationStatus, to: RegistrationStatus): boolean {
  return REGISTRATION_TRANSITIONS[from].includes(to);
}

/** Statuses that hold a seat (and block a second registration of the same person for the event). */
export const ACTIVE_REGISTRATION_STATUSES: readonly RegistrationStatus[] = ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN"];

export function isActiveStatus(status: RegistrationStatus): boolean {
  return ACTIVE_REGISTRATION_STATUSES.includes(status);
}

/**
 * Which ticket-type counter a registration in this status occupies: sold_count for CONFIRMED and
 * CHECKED_IN, reserved_count for RESERVED and PENDING (awaiting payment), none for final statuses.
 * (reserved_count also carries the seats held for waitlist offers — see docs/registrations.md.)
 */
export function seatCounterOf(status: RegistrationStatus): "sold" | "reserved" | null {
  switch (status) {
    case "CONFIRMED":
    case "CHECKED_IN":
      return "sold";
    case "RESERVED":
    case "PENDING":
      return "reserved";
    case "CANCELLED":
    case "EXPIRED":
      return null;
  }
}

/**
 * The status a new registration starts in, from the ticket type only (never from input):
 * free → CONFIRMED; paid with a reservation window → RESERVED (expires after it); paid → PENDING.
 * initialStatusSql() below is the same rule over the locked ticket-type row of the sale statement (the
 * only place a registration is inserted: lib/registrations/sale.ts); the caller predicts the status with
 * this function and the statement's row is checked against the prediction.
 * tests/integration/seats.test.ts runs both on every case.
 */
export function initialStatusFor(ticketType: { priceCents: number; reservationMinutes: number | null }): "CONFIRMED" | "RESERVED" | "PENDING" {
  if (ticketType.priceCents === 0) return "CONFIRMED";
  return ticketType.reservationMinutes ? "RESERVED" : "PENDING";
}

/** initialStatusFor() over a ticket-type row `row` (price_cents, reservation_minutes) in SQL. */
export function initialStatusSql(row: Sql): Sql {
  return sql`(CASE WHEN ${row}.price_cents = 0 THEN 'CONFIRMED'
                   WHEN ${row}.reservation_minutes IS NOT NULL THEN 'RESERVED'
                   ELSE 'PENDING' END)::"RegistrationStatus"`;
}
