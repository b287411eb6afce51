// Reservation expiry (cron every minute, and on demand): RESERVED registrations past expires_at →
// EXPIRED, their seats returned, `reservation.expired` sent, and each freed seat offered to the
// waitlist first.
//
// Correctness never waits on this job: a reservation past expires_at already holds no seat — the sale
// statement (register.ts) returns such seats itself and availability counts them out. The job sweeps
// and notifies. Rows are claimed with FOR UPDATE SKIP LOCKED and moved with a compare-and-set
// (status still RESERVED), in the same statement, so a payment (markPaid) or a cancellation racing the
// job on the same row wins or loses cleanly: exactly one outcome, the counter moved once. Idempotent:
// a second run finds nothing to do.
import "server-only";
import { writeAudits } from "@/lib/audit";
import { db, onPrisma, type Prisma, sql, type Sql, TX_PROFILES } from "@/lib/db";
import { offerSeats } from "@/lib/waitlist";
import { expireDue, reservationsDue } from "./sale";
import { loadNoticeContexts, notifyReservationExpired } from "./shared";


export type ExpiryResult = { expired: number; offered: number };

export async function expireReservations(
  options: { ticketTypeId?: string; eventId?: string; batchSize?: number; maxBatches?: number } = {},
): Promise<ExpiryResult> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 50;
  const where = sql`${options.ticketTypeId ? sql`r.ticket_type_id = ${options.ticketTypeId}::uuid` : sql`true`}
    AND ${options.eventId ? sql`r.event_id = ${options.eventId}::uuid` : sql`true`}`;
  const total: ExpiryResult = { expired: 0, offered: 0 };

  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await db.$transaction((tx) => expireDueInTransaction(tx, where, { skipLocked: true, limit: batchSize }), TX_PROFILES.standard);
    total.expired += result.expired;
    total.offered += result.offered;
    if (result.expired < batchSize) break;
  }
  return total;
}

/**
 * One batch of the sweep inside the caller's transaction: the RESERVED registrations matching `where`
 * (over alias `r`) past expires_at → EXPIRED, their seats returned, audited, their holders told, and the
 * freed seats offered to the waitlist. The sweep runs it with SKIP LOCKED; a late payment
 * (late-sale.ts) runs it for the ticket type it needs a seat of, waiting for the rows like a sale.
 */
export async function expireDueInTransaction(
  tx: Prisma.TransactionClient,
  where: Sql,
  options: { skipLocked?: boolean; limit?: number } = {},
): Promise<ExpiryResult> {
  // The sale's own fragments (sale.ts), claiming with SKIP LOCKED: a row a payment holds is left for the next run.
  const rows = (
    await onPrisma(tx).rows<{ id: string; ticket_type_id: string; event_id: string; tenant_id: string }>(
      sql`WITH due AS (${reservationsDue(where, options)}) ${expireDue()}`,
    )
  ).map((r) => ({ ...r, organization_id: r.tenant_id }));
  if (rows.length === 0) return { expired: 0, offered: 0 };

  const perType = new Map<string, { eventId: string; n: number }>();
  for (const r of rows) {
    const entry = perType.get(r.ticket_type_id) ?? { eventId: r.event_id, n: 0 };
    entry.n += 1;
    perType.set(r.ticket_type_id, entry);
  }
  // Ticket-type rows in a fixed order (no deadlock between two sweeps touching several types).
  const typeIds = [...perType.keys()].sort();
  for (const ticketTypeId of typeIds) {
    await tx.$executeRaw`
      UPDATE ticket_types SET reserved_count = reserved_count - ${perType.get(ticketTypeId)!.n}::int, updated_at = now()
       WHERE id = ${ticketTypeId}::uuid`;
  }
  await writeAudits(
    tx,
    rows.map((r) => ({
      organizationId: r.organization_id,
      actorId: null,
      entityType: "registration",
      entityId: r.id,
      action: "registration.expired",
      changes: { status: { from: "RESERVED", to: "EXPIRED" } },
    })),
  );
  const notices = await loadNoticeContexts(
    tx,
    rows.map((r) => r.id),
  );
  for (const r of rows) {
    const n = notices.get(r.id);
    if (n) await notifyReservationExpired(tx, n.registration, n.event, n.ticketTypeName);
  }
  let offered = 0;
  for (const ticketTypeId of typeIds) {
    const { eventId, n } = perType.get(ticketTypeId)!;
    offered += await offerSeats(tx, { eventId, ticketTypeId, seats: n });
  }
  return { expired: rows.length, offered };
}
