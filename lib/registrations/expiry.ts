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
import { db, Prisma } from "@/lib/db";
import { offerSeats } from "@/lib/waitlist/waitlist";
import { loadNoticeContexts, notifyReservationExpired } from "./shared";

const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export type ExpiryResult = { expired: number; offered: number };

export async function expireReservations(
  options: { ticketTypeId?: string; eventId?: string; batchSize?: number; maxBatches?: number } = {},
): Promise<ExpiryResult> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 50;
  const byType = options.ticketTypeId ? Prisma.sql`AND ticket_type_id = ${options.ticketTypeId}::uuid` : Prisma.empty;
  const byEvent = options.eventId ? Prisma.sql`AND event_id = ${options.eventId}::uuid` : Prisma.empty;
  const total: ExpiryResult = { expired: 0, offered: 0 };

  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; ticket_type_id: string; event_id: string; organization_id: string }[]>`
        WITH due AS (
          SELECT id FROM registrations
           WHERE status = 'RESERVED' AND expires_at <= now() ${byType} ${byEvent}
           ORDER BY id
           LIMIT ${batchSize}::int
             FOR UPDATE SKIP LOCKED
        )
        UPDATE registrations r SET status = 'EXPIRED', updated_at = now()
          FROM due
         WHERE r.id = due.id AND r.status = 'RESERVED'
        RETURNING r.id, r.ticket_type_id, r.event_id, r.tenant_id AS organization_id`;
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
    }, TX_OPTIONS);
    total.expired += result.expired;
    total.offered += result.offered;
    if (result.expired < batchSize) break;
  }
  return total;
}
