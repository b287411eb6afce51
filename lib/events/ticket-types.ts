// Ticket types (F19) of an event: create, edit, deactivate / activate, delete, reorder
// (`events.manage`), and the public list of types on offer.
//
// - Capacity: `quantity` never goes below sold + reserved. One conditional statement decides it
//   (`UPDATE ticket_types SET quantity = $q WHERE id = $1 AND sold_count + reserved_count <= $q`),
//   so an edit racing registrations (which take seats with `… WHERE sold_count + reserved_count <
//   quantity`) can never leave more seats taken than exist; the CHECK ticket_types_capacity_check
//   backs it in the database. Never read-then-write.
// - A type with registrations (of any status) or waitlist entries cannot be deleted, only
//   deactivated (the foreign keys refuse it too).
// - Price and currency edits do not touch existing registrations: each stores its own price.
// - Changes lock the event row FOR SHARE: a parallel cancel / publish of the event waits, and the
//   event's status is checked under the lock (no ticket-type edits on cancelled / completed events).
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, onPrisma, sql, type DbClient, withTransaction } from "@/lib/db";
import { AppError, dbErrorInfo } from "@/lib/errors";
import type { Currency, Prisma } from "@/lib/generated/prisma/client";
import { assertCurrenciesPayable } from "@/lib/payments/guard";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { fromMinorUnits, makeTicketTypeSchema, reorderTicketTypesSchema, type TicketTypeInput } from "@/lib/validation/events";
import { seatsAvailable } from "./events";
import { assertEditable, conflict, diff, lockEditableEvent, notFound, parseOrThrow, validationError } from "./shared";
import { computeAvailability } from "./seats";
import { seatCountColumns, seatCountsByType, seatCountsOf, type SeatCountRow } from "./seats-sql";
import { toLocalDateTimeString } from "./time";

const TICKET_FIELDS = [
  "name",
  "description",
  "priceCents",
  "currency",
  "quantity",
  "reservationMinutes",
  "prepaymentPercent",
  "salesStart",
  "salesEnd",
  "sortOrder",
  "isActive",
  "isHidden",
] as const;
type TicketField = (typeof TICKET_FIELDS)[number];

const ticketSelect = {
  id: true,
  eventId: true,
  name: true,
  description: true,
  priceCents: true,
  currency: true,
  quantity: true,
  soldCount: true,
  reservedCount: true,
  reservationMinutes: true,
  prepaymentPercent: true,
  salesStart: true,
  salesEnd: true,
  sortOrder: true,
  isActive: true,
  isHidden: true,
} satisfies Prisma.TicketTypeSelect;
type TicketRow = Prisma.TicketTypeGetPayload<{ select: typeof ticketSelect }>;

/** What the ticket-type form holds for an existing type (price in major units, local times). */
export type TicketTypeFormValues = {
  name: string;
  description: string;
  price: string;
  currency: Currency;
  quantity: string;
  reservationMinutes: string;
  prepaymentPercent: string;
  salesStart: string;
  salesEnd: string;
  sortOrder: number;
  isActive: boolean;
  isHidden: boolean;
};

export function ticketTypeToFormValues(t: Omit<TicketRow, "id" | "eventId" | "soldCount" | "reservedCount">, timeZone: string): TicketTypeFormValues {
  return {
    name: t.name,
    description: t.description ?? "",
    price: fromMinorUnits(t.priceCents),
    currency: t.currency,
    quantity: t.quantity === null ? "" : String(t.quantity),
    reservationMinutes: t.reservationMinutes === null ? "" : String(t.reservationMinutes),
    prepaymentPercent: t.prepaymentPercent === null ? "" : String(t.prepaymentPercent),
    salesStart: t.salesStart ? toLocalDateTimeString(t.salesStart, timeZone) : "",
    salesEnd: t.salesEnd ? toLocalDateTimeString(t.salesEnd, timeZone) : "",
    sortOrder: t.sortOrder,
    isActive: t.isActive,
    isHidden: t.isHidden,
  };
}

type Access = Awaited<ReturnType<typeof authorizeEvent>>;

/** Authorizes `events.manage` on the event of a ticket type; another tenant's type is NOT_FOUND. */
async function authorizeTicketType(tx: DbClient, actor: Actor | null | undefined, ticketTypeId: string): Promise<{ access: Access; eventId: string }> {
  requireActor(actor);
  if (!isUuid(ticketTypeId)) throw notFound();
  const type = await tx.ticketType.findUnique({ where: { id: ticketTypeId }, select: { eventId: true } });
  if (!type) throw notFound();
  const access = await authorizeEvent({ actor, eventId: type.eventId, permission: "events.manage", tx });
  return { access, eventId: type.eventId };
}

const defined = (input: object) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

// ───────────────────────────── create ─────────────────────────────

/**
 * Adds a ticket type to a DRAFT or PUBLISHED event. Without `sortOrder` it goes after the others.
 * Errors: UNAUTHENTICATED; NOT_FOUND; CONFLICT events.errors.eventClosed, errors.noWayToPay<CUR> (an
 * active paid type on a published event whose currency has no way to pay, lib/payments/guard.ts); VALIDATION.
 */
export async function createTicketType(options: {
  actor: Actor | null | undefined;
  eventId: string;
  input: TicketTypeInput;
  tx?: DbClient;
}): Promise<{ id: string }> {
  return withTransaction(options.tx, async (tx) => {
    const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.manage", tx });
    const event = await lockEditableEvent(tx, access.event.id);
    assertEditable(event.status, "eventClosed");
    const data = parseOrThrow(makeTicketTypeSchema(event.timezone), options.input);
    let sortOrder = data.sortOrder;
    if (sortOrder === undefined) {
      const last = await tx.ticketType.aggregate({ where: { eventId: access.event.id }, _max: { sortOrder: true } });
      sortOrder = last._max.sortOrder === null ? 0 : last._max.sortOrder + 1;
    }
    const row = { ...data, sortOrder, eventId: access.event.id };
    const created = await tx.ticketType.create({ data: row, select: { id: true } });
    // On a published event a paid type goes on sale now: its currency needs a way to pay.
    await assertCurrenciesPayable(tx, { eventId: access.event.id, ticketTypeId: created.id });
    await writeAudit(tx, {
      organizationId: access.event.organizationId,
      actorId: access.actor.userId,
      entityType: "ticket_type",
      entityId: created.id,
      action: "ticket_type.created",
      changes: { eventId: { from: null, to: access.event.id }, ...diff({} as Record<TicketField, unknown>, row, TICKET_FIELDS) },
    });
    return created;
  });
}

// ───────────────────────────── update ─────────────────────────────

/**
 * Edits a ticket type; `input` may be partial (fields left out keep their values). Lowering
 * `quantity` below the seats already sold + reserved is refused (VALIDATION, field `quantity`:
 * events.validation.quantityBelowTaken) by the conditional UPDATE itself.
 * Errors: UNAUTHENTICATED; NOT_FOUND; CONFLICT events.errors.eventClosed; VALIDATION.
 */
export async function updateTicketType(options: {
  actor: Actor | null | undefined;
  ticketTypeId: string;
  input: Partial<TicketTypeInput>;
  tx?: DbClient;
}): Promise<{ id: string; changed: string[] }> {
  return withTransaction(options.tx, async (tx) => {
    const { access, eventId } = await authorizeTicketType(tx, options.actor, options.ticketTypeId);
    const event = await lockEditableEvent(tx, eventId);
    assertEditable(event.status, "eventClosed");
    const current = await tx.ticketType.findUnique({ where: { id: options.ticketTypeId }, select: ticketSelect });
    if (!current) throw notFound();

    const input = defined(options.input ?? {}) as Partial<TicketTypeInput>;
    const data = parseOrThrow(makeTicketTypeSchema(event.timezone), { ...ticketTypeToFormValues(current, event.timezone), ...input });
    const next: Record<TicketField, unknown> = {
      ...data,
      // The sales window not in the input keeps its exact instants.
      salesStart: "salesStart" in input ? data.salesStart : current.salesStart,
      salesEnd: "salesEnd" in input ? data.salesEnd : current.salesEnd,
      sortOrder: data.sortOrder ?? current.sortOrder,
    };
    const changes = diff(current, next, TICKET_FIELDS);
    const changed = Object.keys(changes);
    if (changed.length === 0) return { id: current.id, changed };

    if (changes.quantity) {
      // The one statement that decides: it holds the row lock, and counts what is taken right now.
      const quantity = next.quantity as number | null;
      const updated = await tx.$queryRaw<{ id: string }[]>`
        UPDATE ticket_types SET quantity = ${quantity}::int, updated_at = now()
         WHERE id = ${current.id}::uuid AND (${quantity}::int IS NULL OR sold_count + reserved_count <= ${quantity}::int)
        RETURNING id`;
      if (updated.length === 0) throw validationError({ quantity: "events.validation.quantityBelowTaken" });
    }
    const { quantity: _quantity, ...rest } = next;
    try {
      await tx.ticketType.update({
        where: { id: current.id },
        data: {
          name: rest.name as string,
          description: rest.description as string | null,
          priceCents: rest.priceCents as number,
          currency: rest.currency as Currency,
          reservationMinutes: rest.reservationMinutes as number | null,
          prepaymentPercent: rest.prepaymentPercent as number | null,
          salesStart: rest.salesStart as Date | null,
          salesEnd: rest.salesEnd as Date | null,
          sortOrder: rest.sortOrder as number,
          isActive: rest.isActive as boolean,
          isHidden: rest.isHidden as boolean,
        },
      });
    } catch (e) {
      if (dbErrorInfo(e)?.message.includes("ticket_types_capacity_check")) throw validationError({ quantity: "events.validation.quantityBelowTaken" });
      throw e;
    }
    if (changes.priceCents || changes.currency || changes.isActive) await assertCurrenciesPayable(tx, { eventId, ticketTypeId: current.id });
    await writeAudit(tx, {
      organizationId: access.event.organizationId,
      actorId: access.actor.userId,
      entityType: "ticket_type",
      entityId: current.id,
      action: "ticket_type.updated",
      changes,
    });
    return { id: current.id, changed };
  });
}

/** Deactivates (no new registrations; existing ones stay) or re-activates a ticket type. */
export async function setTicketTypeActive(options: {
  actor: Actor | null | undefined;
  ticketTypeId: string;
  isActive: boolean;
  tx?: DbClient;
}): Promise<{ id: string; isActive: boolean }> {
  return withTransaction(options.tx, async (tx) => {
    const { access, eventId } = await authorizeTicketType(tx, options.actor, options.ticketTypeId);
    const event = await lockEditableEvent(tx, eventId);
    assertEditable(event.status, "eventClosed");
    const { count } = await tx.ticketType.updateMany({ where: { id: options.ticketTypeId, isActive: !options.isActive }, data: { isActive: options.isActive } });
    if (count > 0) {
      if (options.isActive) await assertCurrenciesPayable(tx, { eventId, ticketTypeId: options.ticketTypeId });
      await writeAudit(tx, {
        organizationId: access.event.organizationId,
        actorId: access.actor.userId,
        entityType: "ticket_type",
        entityId: options.ticketTypeId,
        action: options.isActive ? "ticket_type.activated" : "ticket_type.deactivated",
        changes: { isActive: { from: !options.isActive, to: options.isActive } },
      });
    }
    return { id: options.ticketTypeId, isActive: options.isActive };
  });
}

export const deactivateTicketType = (options: { actor: Actor | null | undefined; ticketTypeId: string; tx?: DbClient }) =>
  setTicketTypeActive({ ...options, isActive: false });
export const activateTicketType = (options: { actor: Actor | null | undefined; ticketTypeId: string; tx?: DbClient }) =>
  setTicketTypeActive({ ...options, isActive: true });

// ───────────────────────────── delete ─────────────────────────────

/**
 * Deletes a ticket type that nobody registered for (no registrations of any status, no waitlist
 * entries). Otherwise CONFLICT events.errors.ticketTypeHasRegistrations: deactivate it instead.
 */
export async function deleteTicketType(options: { actor: Actor | null | undefined; ticketTypeId: string; tx?: DbClient }): Promise<{ id: string }> {
  return withTransaction(options.tx, async (tx) => {
    const { access, eventId } = await authorizeTicketType(tx, options.actor, options.ticketTypeId);
    const event = await lockEditableEvent(tx, eventId);
    assertEditable(event.status, "eventClosed");
    // Lock the type: a registration taking a seat (its counter UPDATE) waits, then finds no row.
    const locked = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM ticket_types WHERE id = ${options.ticketTypeId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound();
    const [registrations, waitlist] = await Promise.all([
      tx.registration.count({ where: { ticketTypeId: options.ticketTypeId } }),
      tx.waitlistEntry.count({ where: { OR: [{ ticketTypeId: options.ticketTypeId }, { offeredTicketTypeId: options.ticketTypeId }] } }),
    ]);
    if (registrations > 0 || waitlist > 0) throw conflict("ticketTypeHasRegistrations");
    try {
      await tx.ticketType.delete({ where: { id: options.ticketTypeId } });
    } catch (e) {
      const info = dbErrorInfo(e);
      if (info && (info.prismaCode === "P2003" || info.sqlState === "23503")) throw conflict("ticketTypeHasRegistrations");
      throw e;
    }
    await writeAudit(tx, {
      organizationId: access.event.organizationId,
      actorId: access.actor.userId,
      entityType: "ticket_type",
      entityId: options.ticketTypeId,
      action: "ticket_type.deleted",
      changes: { name: { from: locked[0].name, to: null } },
    });
    return { id: options.ticketTypeId };
  });
}

// ───────────────────────────── reorder ─────────────────────────────

/** Sets the display order: `ticketTypeIds` must list exactly the event's types (VALIDATION otherwise). */
export async function reorderTicketTypes(options: {
  actor: Actor | null | undefined;
  eventId: string;
  ticketTypeIds: string[];
  tx?: DbClient;
}): Promise<{ id: string; order: string[] }> {
  return withTransaction(options.tx, async (tx) => {
    const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.manage", tx });
    const event = await lockEditableEvent(tx, access.event.id);
    assertEditable(event.status, "eventClosed");
    const { ticketTypeIds } = parseOrThrow(reorderTicketTypesSchema, { ticketTypeIds: options.ticketTypeIds });
    const existing = await tx.ticketType.findMany({ where: { eventId: access.event.id }, select: { id: true, sortOrder: true }, orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }] });
    const same = existing.length === ticketTypeIds.length && new Set(ticketTypeIds).size === ticketTypeIds.length && existing.every((t) => ticketTypeIds.includes(t.id));
    if (!same) throw new AppError("VALIDATION", "errors.validation", { ticketTypeIds: "events.validation.reorderMismatch" });
    const before = existing.map((t) => t.id);
    const sortOf = new Map(existing.map((t) => [t.id, t.sortOrder]));
    let moved = false;
    for (const [index, id] of ticketTypeIds.entries()) {
      if (sortOf.get(id) === index) continue;
      await tx.ticketType.update({ where: { id }, data: { sortOrder: index } });
      moved = true;
    }
    if (moved) {
      await writeAudit(tx, {
        organizationId: access.event.organizationId,
        actorId: access.actor.userId,
        entityType: "event",
        entityId: access.event.id,
        action: "ticket_types.reordered",
        changes: { ticketTypeOrder: { from: before, to: ticketTypeIds } },
      });
    }
    return { id: access.event.id, order: ticketTypeIds };
  });
}

// ───────────────────────────── public: on offer ─────────────────────────────

export type OfferedTicketType = {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: Currency;
  /** Null = unlimited. */
  quantity: number | null;
  /** Seats nobody holds (null = unlimited): quantity − sold − reservations and offers that still hold a seat. */
  available: number | null;
  /** What a new registration can take: `available` minus the people waiting (they get freed seats first). */
  availableToPublic: number | null;
  /** Nothing left for a new registration (the page offers the waitlist). */
  soldOut: boolean;
  reservationMinutes: number | null;
  prepaymentPercent: number | null;
  salesStart: Date | null;
  salesEnd: Date | null;
  sortOrder: number;
};

/**
 * The ticket types on offer for an event's public page: active, inside their sales window at `now`,
 * of a PUBLISHED, non-deleted event (otherwise []), in display order, with availability counted in
 * the query — a RESERVED registration past its expires_at holds no seat even before the sweep
 * releases it; NOTIFIED waitlist offers hold theirs; people WAITING get freed seats before the public
 * (the registration service's rules, lib/registrations/availability.ts). Sold-out types are listed
 * (soldOut: true) so the page can say so and offer the waitlist.
 * The caller decides whether the viewer may see the event at all (private group events).
 */
export async function listOfferedTicketTypes(eventId: string, now: Date = new Date(), tx: DbClient = db): Promise<OfferedTicketType[]> {
  if (!isUuid(eventId)) return [];
  const rows = await onPrisma(tx).rows<
    SeatCountRow & {
      id: string;
      name: string;
      description: string | null;
      priceCents: number;
      currency: Currency;
      quantity: number | null;
      reservationMinutes: number | null;
      prepaymentPercent: number | null;
      salesStart: Date | null;
      salesEnd: Date | null;
      sortOrder: number;
    }
  >(sql`
    SELECT t.id, t.name, t.description, t.price_cents AS "priceCents", t.currency::text AS currency, t.quantity,
           ${seatCountColumns(sql`${now}::timestamptz`)},
           t.reservation_minutes AS "reservationMinutes", t.prepayment_percent AS "prepaymentPercent",
           t.sales_start AS "salesStart", t.sales_end AS "salesEnd", t.sort_order AS "sortOrder"
      FROM ticket_types t
      JOIN events e ON e.id = t.event_id
     WHERE t.event_id = ${eventId}::uuid
       AND e.status = 'PUBLISHED' AND e.deleted_at IS NULL
       AND t.is_active AND NOT t.is_hidden -- hidden: sold only with a promo code naming it (lib/promo)
       AND (t.sales_start IS NULL OR t.sales_start <= ${now})
       AND (t.sales_end IS NULL OR t.sales_end > ${now})
     ORDER BY t.sort_order, t.created_at, t.id`);
  return rows.map((r) => {
    const { available, availableToPublic, soldOut } = computeAvailability(seatCountsOf(r));
    const { seat_quantity: _q, seat_sold: _s, seat_reserved: _r, seat_expired: _e, seat_held: _h, seat_waiting: _w, ...t } = r;
    return { ...t, available, availableToPublic, soldOut };
  });
}

/** All ticket types of an event for the dashboard (`events.manage`), with counters and availability. */
export async function listTicketTypesForManage(options: { actor: Actor | null | undefined; eventId: string; now?: Date; tx?: DbClient }) {
  const tx = options.tx ?? db;
  const now = options.now ?? new Date();
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.manage", tx });
  const [types, seats, event] = await Promise.all([
    tx.ticketType.findMany({
      where: { eventId: access.event.id },
      orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: { ...ticketSelect, _count: { select: { registrations: true } } },
    }),
    seatCountsByType(onPrisma(tx), access.event.id, now),
    tx.event.findUniqueOrThrow({ where: { id: access.event.id }, select: { timezone: true } }),
  ]);
  return types.map(({ _count, ...t }) => ({
    ...t,
    available: seatsAvailable(seats.get(t.id)),
    registrationCount: _count.registrations,
    canDelete: _count.registrations === 0,
    formValues: ticketTypeToFormValues(t, event.timezone),
  }));
}

// ───────────────────────────── read (REST API) ─────────────────────────────

export type TicketTypeView = TicketRow & { available: number | null; registrationCount: number; createdAt: Date; updatedAt: Date };

/**
 * The ticket types of an event for a reader (`events.view`: the REST API's events:read), in display
 * order with availability, and the event's time zone (the API converts instants to the local times the
 * write services take). `ticketTypeId`: only that type (another event's → NOT_FOUND).
 * Errors: UNAUTHENTICATED; NOT_FOUND; FORBIDDEN.
 */
export async function listTicketTypesForView(options: {
  actor: Actor | null | undefined;
  eventId: string;
  ticketTypeId?: string;
  now?: Date;
  tx?: DbClient;
}): Promise<{ eventId: string; timezone: string; items: TicketTypeView[] }> {
  const tx = options.tx ?? db;
  const now = options.now ?? new Date();
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.view", tx });
  if (options.ticketTypeId !== undefined && !isUuid(options.ticketTypeId)) throw notFound();
  const [types, seats, event] = await Promise.all([
    tx.ticketType.findMany({
      where: { eventId: access.event.id, ...(options.ticketTypeId !== undefined ? { id: options.ticketTypeId } : {}) },
      orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: { ...ticketSelect, createdAt: true, updatedAt: true, _count: { select: { registrations: true } } },
    }),
    seatCountsByType(onPrisma(tx), access.event.id, now),
    tx.event.findFirst({ where: { id: access.event.id, deletedAt: null }, select: { timezone: true } }),
  ]);
  if (!event || (options.ticketTypeId !== undefined && types.length === 0)) throw notFound();
  return {
    eventId: access.event.id,
    timezone: event.timezone,
    items: types.map(({ _count, ...t }) => ({ ...t, available: seatsAvailable(seats.get(t.id)), registrationCount: _count.registrations })),
  };
}
