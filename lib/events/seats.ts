// The seat rule of a ticket type (pure: server and client alike). Its SQL twin-free counterpart is
// ./seats-sql.ts: the same arithmetic as fragments over the ticket-type row, which the sale statement,
// the availability reads and the waitlist compose (tests/integration/seats.test.ts checks the two
// agree on every case).
//
// The ticket-type row carries two counters (docs/registrations.md):
//   sold_count     = registrations CONFIRMED or CHECKED_IN
//   reserved_count = registrations RESERVED or PENDING (awaiting payment)
//                  + waitlist offers NOTIFIED for this type (a seat held for the person offered it)
// and the database keeps `sold_count + reserved_count <= quantity` (CHECK).
//
// What is shown and sold is evaluated where it is read: a RESERVED registration past its expires_at holds
// no seat any more even before the expiry job has run, so it is counted out. Seats held for waitlist
// offers are not available to the public, and neither are free seats the people WAITING for this type
// (or for any type) will be offered first: "freed seats reach waiters before the public".

export type SeatCounts = {
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

/** The arithmetic: see the file comment. */
export function computeAvailability(c: SeatCounts): Availability {
  const held = Math.max(0, c.heldForWaitlist);
  const activeReservations = Math.max(0, c.reservedCount - held - c.expiredReservations);
  if (c.quantity === null) {
    return { quantity: null, sold: c.soldCount, activeReservations, heldForWaitlist: held, waiting: c.waiting, available: null, availableToPublic: null, soldOut: false };
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
