// Seats of an event's ticket types, as the public page, the waitlist and the organizer see them. The
// rule itself is lib/events/seats.ts (TypeScript) and lib/events/seats-sql.ts (its SQL fragments).

import "server-only";
import { db, onPrisma, sql, type DbClient } from "@/lib/db";
import { computeAvailability, type Availability, type SeatCounts } from "@/lib/events/seats";
import { seatCountColumns, seatCountsOf, type SeatCountRow } from "@/lib/events";

export { computeAvailability, type Availability };
export type AvailabilityCounts = SeatCounts;

export type TicketTypeAvailability = Availability & {
  ticketTypeId: string;
  name: string;
  priceCents: number;
  currency: "RUB" | "USD" | "EUR";
  isActive: boolean;
  /** Sold only with a promo code naming it: never listed, counted or priced on public pages (lib/promo). */
  isHidden: boolean;
  salesStart: Date | null;
  salesEnd: Date | null;
  /** Active and inside its sales window now (database clock). */
  onSale: boolean;
};

type Row = SeatCountRow & {
  id: string;
  name: string;
  price_cents: number;
  currency: "RUB" | "USD" | "EUR";
  is_active: boolean;
  is_hidden: boolean;
  sales_start: Date | null;
  sales_end: Date | null;
  on_sale: boolean;
};

/** Every ticket type of the event (display order) with its availability, in one query. */
export async function getEventAvailability(eventId: string, options: { tx?: DbClient } = {}): Promise<TicketTypeAvailability[]> {
  const rows = await onPrisma(options.tx ?? db).rows<Row>(sql`
    SELECT t.id, t.name, t.price_cents, t.currency::text AS currency, t.is_active, t.is_hidden, t.sales_start, t.sales_end,
           (t.is_active AND (t.sales_start IS NULL OR t.sales_start <= now()) AND (t.sales_end IS NULL OR t.sales_end > now())) AS on_sale,
           ${seatCountColumns()}
      FROM ticket_types t
     WHERE t.event_id = ${eventId}::uuid
     ORDER BY t.sort_order, t.created_at, t.id`);
  return rows.map((r) => ({
    ticketTypeId: r.id,
    name: r.name,
    priceCents: r.price_cents,
    currency: r.currency,
    isActive: r.is_active,
    isHidden: r.is_hidden,
    salesStart: r.sales_start,
    salesEnd: r.sales_end,
    onSale: r.on_sale,
    ...computeAvailability(seatCountsOf(r)),
  }));
}
