// The seat rule is written once in TypeScript (lib/events/seats.ts computeAvailability) and once as SQL
// fragments (lib/events/seats-sql.ts), and the initial status once in each too (lib/registrations/
// transitions.ts). The sale statement decides with the SQL; pages, the fast sold-out answer and the
// waitlist decide with the TypeScript. This test runs both on the same rows, case by case, so the two
// cannot drift apart.
import { describe, expect, test } from "vitest";
import { db, onPrisma, sql } from "@/lib/db";
import { computeAvailability } from "@/lib/events/seats";
import { expiredReservationsOf, publicSeatFree, seatCountColumns, seatCountsOf, unheldSeatFree, type SeatCountRow } from "@/lib/events/seats-sql";
import { initialStatusFor, initialStatusSql } from "@/lib/registrations/transitions";
import { createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const MINUTE = 60_000;

type Case = { quantity: number | null; sold: number; active: number; expired: number; held: number; waiting: number };

/** A ticket type whose counters and rows are exactly `c` (counters set directly, as the services keep them). */
async function typeWith(c: Case) {
  const { organization } = await createOrganization();
  const event = await createEvent(organization);
  const type = await createTicketType(event, { quantity: c.quantity, priceCents: 1000, reservationMinutes: 30 });
  const reservations = c.active + c.expired;
  for (let i = 0; i < reservations; i++) {
    // The first `expired` reservations are past their time.
    await createRegistration(event, type, { user: await createUser(), status: "RESERVED", expiresAt: new Date(Date.now() + (i < c.expired ? -MINUTE : 30 * MINUTE)) });
  }
  for (let i = 0; i < c.held + c.waiting; i++) {
    const user = await createUser();
    const held = i < c.held;
    await db.waitlistEntry.create({
      data: {
        eventId: event.id,
        userId: user.id,
        position: i + 1,
        status: held ? "NOTIFIED" : "WAITING",
        offeredTicketTypeId: held ? type.id : null,
        expiresAt: held ? new Date(Date.now() + 30 * MINUTE) : null,
        notifiedAt: held ? new Date() : null,
      },
    });
  }
  await db.ticketType.update({ where: { id: type.id }, data: { soldCount: c.sold, reservedCount: reservations + c.held } });
  return type;
}

const cases: Case[] = [
  { quantity: null, sold: 3, active: 1, expired: 1, held: 0, waiting: 2 },
  { quantity: 10, sold: 0, active: 0, expired: 0, held: 0, waiting: 0 },
  { quantity: 10, sold: 9, active: 0, expired: 0, held: 0, waiting: 0 },
  { quantity: 10, sold: 10, active: 0, expired: 0, held: 0, waiting: 0 },
  { quantity: 10, sold: 8, active: 1, expired: 1, held: 0, waiting: 0 },
  { quantity: 10, sold: 8, active: 0, expired: 2, held: 0, waiting: 1 },
  { quantity: 10, sold: 8, active: 0, expired: 2, held: 0, waiting: 2 },
  { quantity: 10, sold: 6, active: 1, expired: 1, held: 2, waiting: 0 },
  { quantity: 10, sold: 6, active: 0, expired: 0, held: 2, waiting: 2 },
  { quantity: 10, sold: 5, active: 2, expired: 0, held: 1, waiting: 1 },
  { quantity: 5, sold: 0, active: 0, expired: 3, held: 2, waiting: 4 },
];

describe("the seat rule: SQL fragments agree with computeAvailability", () => {
  test.each(cases.map((c) => [JSON.stringify(c), c] as const))("%s", async (_name, c) => {
    const type = await typeWith(c);
    const run = onPrisma(db);
    const [row] = await run.rows<SeatCountRow & { public_free: boolean; unheld_free: boolean }>(
      sql`SELECT ${seatCountColumns()}, ${publicSeatFree(expiredReservationsOf())} AS public_free, ${unheldSeatFree()} AS unheld_free
            FROM ticket_types t WHERE t.id = ${type.id}::uuid`,
    );
    const counts = seatCountsOf(row);
    // The counts the fragments read are the rows made above.
    expect(counts).toEqual({
      quantity: c.quantity,
      soldCount: c.sold,
      reservedCount: c.active + c.expired + c.held,
      expiredReservations: c.expired,
      heldForWaitlist: c.held,
      waiting: c.waiting,
    });
    const ts = computeAvailability(counts);
    // The sale's condition (with the statement returning the expired seats) = a seat for the public.
    expect(row.public_free).toBe(!ts.soldOut);
    // The waitlist's "a seat nobody holds" = available > 0 once expired reservations are swept.
    const swept = computeAvailability({ ...counts, expiredReservations: 0 });
    expect(row.unheld_free).toBe(c.quantity !== null && (swept.available ?? 0) > 0);
  });
});

describe("the initial status: SQL agrees with initialStatusFor", () => {
  test.each([
    [0, null],
    [0, 30],
    [1000, null],
    [1000, 15],
  ] as const)("price %i, reservation %s minutes", async (priceCents, reservationMinutes) => {
    const [row] = await onPrisma(db).rows<{ status: string }>(
      sql`SELECT ${initialStatusSql(sql`x`)}::text AS status FROM (SELECT ${priceCents}::int AS price_cents, ${reservationMinutes}::int AS reservation_minutes) x`,
    );
    expect(row.status).toBe(initialStatusFor({ priceCents, reservationMinutes }));
  });
});
