// Seats of an event's ticket types, as the public page, the waitlist and the organizer see them.
//
// The ticket-type row carries two counters (docs/registrations.md):
//   sold_count     = registrations CONFIRMED or CHECKED_IN
//   reserved_count = registrations RESERVED or PENDING (awaiting payment)
//                  + waitlist offers NOTIFIED for this type (a seat held for the person offered it)
// and the database keeps `sold_count + reserved_count <= quantity` (CHECK).
//
// What is shown is evaluated where it is read: a RESERVED registration past its expires_at holds no
// seat any more even before the expiry job has run, so it is counted out here (the sale statement
// returns such seats in the same statement that sells). Seats held for waitlist offers are not
// available to the public, and neither are free seats the people WAITING for this type (or for any
// type) will be offered first: "freed seats reach waiters before the public".
import "server-only";
import { db, type DbClient } from "@/lib/db";

export type AvailabilityCounts = {
  quantity: number | null;
  soldCount: number;
  reservedCount: number;
  /** RESERVED registrations of the type already past expires_at (not yet swept). */
  expiredReservations: number;
  /** NOTIFIED waitlist offers holding a seat of the type. */
  heldForWaitlist: number;
  /** WAITING entries for the type or for any type of the event. */
  waiting: number;
};

export type Availability = {
  quantity: number | null;
  sold: number;
  /** RESERVED (not expired) + PENDING registrations: seats awaiting payment. */
  activeReservations: number;
  heldForWaitlist: number;
  waiting: number;
  /** Seats nobody holds: quantity − sold − active reservations − held for offers. Null = unlimited. */
  available: number | null;
  /** What a new public registration can take: available − waiting (never negative). Null = unlimited. */
  availableToPublic: number | null;
  soldOut: boolean;
};

/** The arithmetic (pure): see the file comment. */
export function computeAvailability(c: AvailabilityCounts): Availability {
  const held = Math.max(0, c.heldForWaitlist);
  const activeReservations = Math.max(0, c.reservedCount - held - c.expiredReservations);
  if (c.quantity === null) {
    return {
      quantity: null,
      sold: c.soldCount,
      activeReservations,
      heldForWaitlist: held,
      waiting: c.waiting,
      available: null,
      availableToPublic: null,
      soldOut: false,
    };
  }
  const available = Math.max(0, c.quantity - c.soldCount - activeReservations - held);
  const availableToPublic = Math.max(0, available - c.waiting);
  return {
    quantity: c.quantity,
    sold: c.soldCount,
    activeReservations,
    heldForWaitlist: held,
    waiting: c.waiting,
    available,
    availableToPublic,
    soldOut: availableToPublic === 0,
  };
}

export type TicketTypeAvailability = Availability & {
  ticketTypeId: string;
  name: string;
  priceCents: number;
  currency: "RUB" | "USD" | "EUR";
  isActive: boolean;
  salesStart: Date | null;
  salesEnd: Date | null;
  /** Active and inside its sales window now (database clock). */
  onSale: boolean;
};

type Row = {
  id: string;
  name: string;
  price_cents: number;
  currency: "RUB" | "USD" | "EUR";
  quantity: number | null;
  sold_count: number;
  reserved_count: number;
  is_active: boolean;
  sales_start: Date | null;
  sales_end: Date | null;
  on_sale: boolean;
  expired: number;
  held: number;
  waiting: number;
};

/** Every ticket type of the event (display order) with its availability, in one query. */
export async function getEventAvailability(eventId: string, options: { tx?: DbClient } = {}): Promise<TicketTypeAvailability[]> {
  const tx = options.tx ?? db;
  const rows = await tx.$queryRaw<Row[]>`
    SELECT t.id, t.name, t.price_cents, t.currency::text AS currency, t.quantity, t.sold_count, t.reserved_count,
           t.is_active, t.sales_start, t.sales_end,
           (t.is_active AND (t.sales_start IS NULL OR t.sales_start <= now()) AND (t.sales_end IS NULL OR t.sales_end > now())) AS on_sale,
           (SELECT count(*)::int FROM registrations r
             WHERE r.ticket_type_id = t.id AND r.status = 'RESERVED' AND r.expires_at <= now()) AS expired,
           (SELECT count(*)::int FROM waitlist_entries w
             WHERE w.offered_ticket_type_id = t.id AND w.status = 'NOTIFIED') AS held,
           (SELECT count(*)::int FROM waitlist_entries w
             WHERE w.event_id = t.event_id AND w.status = 'WAITING' AND (w.ticket_type_id IS NULL OR w.ticket_type_id = t.id)) AS waiting
      FROM ticket_types t
     WHERE t.event_id = ${eventId}::uuid
     ORDER BY t.sort_order, t.created_at, t.id`;
  return rows.map((r) => ({
    ticketTypeId: r.id,
    name: r.name,
    priceCents: r.price_cents,
    currency: r.currency,
    isActive: r.is_active,
    salesStart: r.sales_start,
    salesEnd: r.sales_end,
    onSale: r.on_sale,
    ...computeAvailability({
      quantity: r.quantity,
      soldCount: r.sold_count,
      reservedCount: r.reserved_count,
      expiredReservations: r.expired,
      heldForWaitlist: r.held,
      waiting: r.waiting,
    }),
  }));
}
