// The seat rule (./seats.ts) as SQL fragments over a ticket-type row aliased `t`: the counts the
// arithmetic needs, and the sale's condition. Every query that reads or decides seats composes these —
// the sale statement, the sale context, availability, the organizer's ticket list, the waitlist — so
// the rule is written once in SQL and once in TypeScript, and tests/integration/seats.test.ts checks
// that the two agree.
import "server-only";
import { sql, type Sql, type SqlRunner } from "@/lib/db";
import type { SeatCounts } from "./seats";

/** RESERVED registrations of `t` past expires_at (`now`: the statement's clock by default). */
export function expiredReservationsOf(now: Sql = sql`now()`): Sql {
  return sql`(SELECT count(*)::int FROM registrations r WHERE r.ticket_type_id = t.id AND r.status = 'RESERVED' AND r.expires_at <= ${now})`;
}

/** NOTIFIED waitlist offers holding a seat of `t`. */
export function heldForWaitlistOf(): Sql {
  return sql`(SELECT count(*)::int FROM waitlist_entries w WHERE w.offered_ticket_type_id = t.id AND w.status = 'NOTIFIED')`;
}

/**
 * WAITING waitlist entries for `t` or for any type of its event. A hidden type (sold only with a promo
 * code naming it, lib/promo) is never offered to "any type" waiters, so they do not hold its seats.
 */
export function waitingFor(): Sql {
  return sql`(SELECT count(*)::int FROM waitlist_entries w
     WHERE w.event_id = t.event_id AND w.status = 'WAITING' AND ((w.ticket_type_id IS NULL AND NOT t.is_hidden) OR w.ticket_type_id = t.id))`;
}

/** The columns of SeatCounts over `t` (read with seatCountsOf()). */
export function seatCountColumns(now?: Sql): Sql {
  return sql`t.quantity AS seat_quantity, t.sold_count AS seat_sold, t.reserved_count AS seat_reserved,
         ${expiredReservationsOf(now)} AS seat_expired, ${heldForWaitlistOf()} AS seat_held, ${waitingFor()} AS seat_waiting`;
}

export type SeatCountRow = {
  seat_quantity: number | null;
  seat_sold: number;
  seat_reserved: number;
  seat_expired: number;
  seat_held: number;
  seat_waiting: number;
};

export function seatCountsOf(r: SeatCountRow): SeatCounts {
  return {
    quantity: r.seat_quantity,
    soldCount: r.seat_sold,
    reservedCount: r.seat_reserved,
    expiredReservations: r.seat_expired,
    heldForWaitlist: r.seat_held,
    waiting: r.seat_waiting,
  };
}

/**
 * The sale's condition on the locked row `t`: a seat for the public remains — computeAvailability's
 * `availableToPublic > 0`, i.e. sold + reserved − expired reservations + waiting < quantity (held offers
 * are in reserved). `freed` is the number of expired reservations the same statement returns.
 */
export function publicSeatFree(freed: Sql): Sql {
  return sql`(t.quantity IS NULL OR t.sold_count + t.reserved_count - ${freed} + ${waitingFor()} < t.quantity)`;
}

/** A seat nobody holds remains (computeAvailability's `available > 0` with no expired reservations): the waitlist's offers. */
export function unheldSeatFree(): Sql {
  return sql`(t.quantity IS NOT NULL AND t.sold_count + t.reserved_count < t.quantity)`;
}

/** The seat counts of every ticket type of an event, by id (`now`: the clock expired reservations are judged by). */
export async function seatCountsByType(run: SqlRunner, eventId: string, now?: Date): Promise<Map<string, SeatCounts>> {
  const rows = await run.rows<SeatCountRow & { id: string }>(
    sql`SELECT t.id, ${seatCountColumns(now ? sql`${now}::timestamptz` : undefined)} FROM ticket_types t WHERE t.event_id = ${eventId}::uuid`,
  );
  return new Map(rows.map((r) => [r.id, seatCountsOf(r)]));
}
