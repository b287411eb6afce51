// The late sale: a payment that succeeded after its registration's hold ended (EXPIRED, or RESERVED past
// expires_at and not swept yet) takes a seat only when one is free — decided by the sale's own seat
// condition (lib/events publicSeatFree, the fragment of every sale), composed here, never re-stated:
//
//   1. this ticket type's other reservations past their time expire through the sweep's own code
//      (expiry.ts expireDueInTransaction, SKIP LOCKED: seats returned, holders told, freed seats offered
//      to the waitlist first — the waitlist keeps its priority);
//   2. this registration, if still RESERVED past expires_at, expires through reservationsDue/expireDue
//      (sale.ts) and returns its seat, silently (its holder has paid: the next message is the ticket or
//      the refund);
//   3. ONE statement: the ticket type's conditional UPDATE (publicSeatFree) that also requires the
//      registration to be EXPIRED and its person to have no other active registration for the event,
//      and, only when it sold, the registration EXPIRED → CONFIRMED (lib/registrations/transitions.ts:
//      "late payment, a seat was free").
// The caller holds the registration's row lock. Sales windows and is_active are not asked: the buyer's
// checkout opened while the hold was valid; only the seat decides.
import "server-only";
import { writeAudits } from "@/lib/audit";
import { onPrisma, type Prisma, sql } from "@/lib/db";
import { publicSeatFree } from "@/lib/events";
import { expireDueInTransaction } from "./expiry";
import { expireDue, reservationsDue } from "./sale";
import { ACTIVE_REGISTRATION_STATUSES } from "./transitions";

export type LateSaleRegistration = {
  id: string;
  organization_id: string;
  ticket_type_id: string;
  event_id: string;
  user_id: string | null;
  email: string | null;
};

/** True when the registration (EXPIRED now) was confirmed with a free seat; false when no seat could be sold. */
export async function lateSale(tx: Prisma.TransactionClient, r: LateSaleRegistration): Promise<boolean> {
  const run = onPrisma(tx);
  // SKIP LOCKED: a reservation another transaction holds is being paid (or swept) there; waiting for it
  // while it waits for ours would deadlock. Left counted, it only makes this sale more careful.
  await expireDueInTransaction(tx, sql`r.ticket_type_id = ${r.ticket_type_id}::uuid AND r.id <> ${r.id}::uuid`, { skipLocked: true });
  const [own] = await run.rows<{ n: number }>(sql`
    WITH due AS (${reservationsDue(sql`r.id = ${r.id}::uuid`)}), expired AS (${expireDue()}), freed AS (
      UPDATE ticket_types t SET reserved_count = t.reserved_count - 1, updated_at = now()
        FROM expired WHERE t.id = expired.ticket_type_id
      RETURNING t.id
    )
    SELECT count(*)::int AS n FROM freed`);
  if (own.n > 0) {
    await writeAudits(tx, [
      {
        organizationId: r.organization_id,
        actorId: null,
        entityType: "registration",
        entityId: r.id,
        action: "registration.expired",
        changes: { status: { from: "RESERVED", to: "EXPIRED" } },
      },
    ]);
  }
  const active = sql`${ACTIVE_REGISTRATION_STATUSES}::text[]`;
  const [row] = await run.rows<{ sold: number }>(sql`
    WITH sale AS (
      UPDATE ticket_types t SET sold_count = t.sold_count + 1, updated_at = now()
       WHERE t.id = ${r.ticket_type_id}::uuid
         AND ${publicSeatFree(sql`0`)}
         AND EXISTS (SELECT 1 FROM registrations x WHERE x.id = ${r.id}::uuid AND x.status = 'EXPIRED')
         AND NOT EXISTS (
           SELECT 1 FROM registrations o
            WHERE o.event_id = ${r.event_id}::uuid AND o.id <> ${r.id}::uuid AND o.status::text = ANY(${active})
              AND (${r.user_id ? sql`o.user_id = ${r.user_id}::uuid` : sql`o.user_id IS NULL AND o.email = ${r.email}`}))
      RETURNING t.id
    ), reg AS (
      UPDATE registrations r SET status = 'CONFIRMED', confirmed_at = now(), updated_at = now()
        FROM sale
       WHERE r.id = ${r.id}::uuid AND r.status = 'EXPIRED'
      RETURNING r.id
    )
    SELECT count(*)::int AS sold FROM reg`);
  return row.sold === 1;
}
