// Ticket types against a real PostgreSQL: create / edit / deactivate / delete / reorder, the capacity
// rule (quantity never below sold + reserved, decided by one conditional UPDATE — also with edits
// racing registrations), prices not touching existing registrations, and the public list of types
// on offer (active, in the sales window, expired reservations not holding seats).
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import { cancelEvent } from "@/lib/events/lifecycle";
import {
  createTicketType,
  deactivateTicketType,
  activateTicketType,
  deleteTicketType,
  listOfferedTicketTypes,
  listTicketTypesForManage,
  reorderTicketTypes,
  updateTicketType,
} from "@/lib/events/ticket-types";
import type { Event, TicketType, User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { generateCode } from "@/lib/tickets/codes";
import {
  connectPayments,
  createEvent,
  createOrganization,
  createRegistration,
  createTicketType as createTicketTypeRow,
  createUser,
  expectDbRejects,
} from "@/tests/helpers/factories";

const HOUR = 60 * 60 * 1000;
const as = (user: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(user)!;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(code);
  if (message) expect(appError.message).toBe(message);
  return appError;
}

async function setup(eventOverrides: Parameters<typeof createEvent>[1] = {}) {
  const { organization, owner } = await createOrganization();
  // paid types go on sale on published events: manual payments take every currency (lib/payments/guard.ts)
  await connectPayments(organization);
  const event = await createEvent(organization, eventOverrides);
  return { organization, owner, actor: as(owner), event };
}

/**
 * What a registration does to take a seat (the registration service's sale statement): one
 * conditional UPDATE of the counter, then the row, in one transaction. Returns false when sold out.
 */
async function takeSeat(event: Pick<Event, "id" | "organizationId">, type: Pick<TicketType, "id">, status: "CONFIRMED" | "PENDING" = "CONFIRMED"): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const taken =
      status === "CONFIRMED"
        ? await tx.$executeRaw`UPDATE ticket_types SET sold_count = sold_count + 1
             WHERE id = ${type.id}::uuid AND is_active AND (quantity IS NULL OR sold_count + reserved_count < quantity)`
        : await tx.$executeRaw`UPDATE ticket_types SET reserved_count = reserved_count + 1
             WHERE id = ${type.id}::uuid AND is_active AND (quantity IS NULL OR sold_count + reserved_count < quantity)`;
    if (taken === 0) return false;
    await tx.registration.create({
      data: {
        organizationId: event.organizationId,
        eventId: event.id,
        ticketTypeId: type.id,
        status,
        confirmationCode: generateCode(),
        firstName: "Гость",
        email: `race-${randomUUID()}@test.aqstream.local`,
      },
    });
    return true;
  });
}

async function countersMatchRows(ticketTypeId: string) {
  const type = await db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId } });
  const sold = await db.registration.count({ where: { ticketTypeId, status: { in: ["CONFIRMED", "CHECKED_IN"] } } });
  const reserved = await db.registration.count({ where: { ticketTypeId, status: { in: ["RESERVED", "PENDING"] } } });
  expect({ sold: type.soldCount, reserved: type.reservedCount }).toEqual({ sold, reserved });
  return type;
}

// ───────────────────────────── create / update ─────────────────────────────

describe("create and update", () => {
  test("create: price in minor units, sales window in the event's zone, appended to the order, audited", async () => {
    const { actor, event, owner } = await setup({ timezone: "Asia/Yekaterinburg" });
    const first = await createTicketType({ actor, eventId: event.id, input: { name: "Стандарт" } });
    const second = await createTicketType({
      actor,
      eventId: event.id,
      input: { name: "VIP", price: "2 500,50", currency: "RUB", quantity: "20", prepaymentPercent: "30", reservationMinutes: "60", salesStart: "2031-05-01T10:00", salesEnd: "2031-05-31T23:59" },
    });
    const rows = await db.ticketType.findMany({ where: { eventId: event.id }, orderBy: { sortOrder: "asc" } });
    expect(rows.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(rows[0]).toMatchObject({ priceCents: 0, quantity: null, sortOrder: 0, isActive: true });
    expect(rows[1]).toMatchObject({
      priceCents: 250_050,
      quantity: 20,
      prepaymentPercent: 30,
      reservationMinutes: 60,
      sortOrder: 1,
      salesStart: new Date("2031-05-01T05:00:00Z"),
      salesEnd: new Date("2031-05-31T18:59:00Z"),
    });
    const [audit] = await db.auditLog.findMany({ where: { entityId: second.id } });
    expect(audit).toMatchObject({ entityType: "ticket_type", action: "ticket_type.created", actorId: owner.id });
    expect(audit.changes).toMatchObject({ name: { from: null, to: "VIP" }, priceCents: { from: null, to: 250_050 } });
  });

  test("update is partial, audits only what changed; price changes leave existing registrations' prices alone", async () => {
    const { actor, event } = await setup();
    const type = await createTicketTypeRow(event, { name: "Стандарт", priceCents: 100_000, quantity: 10, salesStart: new Date(Date.now() + 1234) });
    const registration = await createRegistration(event, type, { user: await createUser() });
    expect(registration.priceCents).toBe(100_000);

    const result = await updateTicketType({ actor, ticketTypeId: type.id, input: { price: "1500", currency: "EUR" } });
    expect(result.changed.sort()).toEqual(["currency", "priceCents"]);
    expect(await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).toMatchObject({ priceCents: 150_000, currency: "EUR", salesStart: type.salesStart });
    expect(await db.registration.findUniqueOrThrow({ where: { id: registration.id } })).toMatchObject({ priceCents: 100_000, currency: "RUB" });
    const [audit] = await db.auditLog.findMany({ where: { entityId: type.id, action: "ticket_type.updated" } });
    expect(audit.changes).toEqual({ priceCents: { from: 100_000, to: 150_000 }, currency: { from: "RUB", to: "EUR" } });

    expect(await updateTicketType({ actor, ticketTypeId: type.id, input: {} })).toMatchObject({ changed: [] });
    const error = await expectAppError(updateTicketType({ actor, ticketTypeId: type.id, input: { price: "0", prepaymentPercent: "50" } }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ prepaymentPercent: "events.validation.prepaymentOnlyPaid" });
  });

  test("no ticket-type changes on a cancelled or completed event", async () => {
    const { actor, event } = await setup();
    const type = await createTicketTypeRow(event);
    await cancelEvent({ actor, eventId: event.id, reason: "Отмена" });
    await expectAppError(createTicketType({ actor, eventId: event.id, input: { name: "x" } }), "CONFLICT", "events.errors.eventClosed");
    await expectAppError(updateTicketType({ actor, ticketTypeId: type.id, input: { name: "x" } }), "CONFLICT", "events.errors.eventClosed");
    await expectAppError(deactivateTicketType({ actor, ticketTypeId: type.id }), "CONFLICT", "events.errors.eventClosed");
  });
});

// ───────────────────────────── capacity ─────────────────────────────

describe("quantity never below sold + reserved", () => {
  test("refused by the conditional UPDATE with a field error; equal, higher and unlimited are fine", async () => {
    const { actor, event } = await setup();
    const type = await createTicketTypeRow(event, { quantity: 10, priceCents: 1000 });
    for (let i = 0; i < 3; i++) await takeSeat(event, type);
    for (let i = 0; i < 2; i++) await takeSeat(event, type, "PENDING");
    const error = await expectAppError(updateTicketType({ actor, ticketTypeId: type.id, input: { quantity: 4, name: "Переименован" } }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ quantity: "events.validation.quantityBelowTaken" });
    // The whole edit rolled back (the name too).
    expect(await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).toMatchObject({ quantity: 10, name: "Стандартный" });

    await updateTicketType({ actor, ticketTypeId: type.id, input: { quantity: 5 } });
    expect(await takeSeat(event, type)).toBe(false); // exactly full
    await updateTicketType({ actor, ticketTypeId: type.id, input: { quantity: null } });
    expect(await takeSeat(event, type)).toBe(true);
    await expectAppError(updateTicketType({ actor, ticketTypeId: type.id, input: { quantity: 5 } }), "VALIDATION");
    await countersMatchRows(type.id);
  });

  test("the database CHECK holds even for a write that skips the service", async () => {
    const { event } = await setup();
    const type = await createTicketTypeRow(event, { quantity: 10 });
    for (let i = 0; i < 3; i++) await takeSeat(event, type);
    await expectDbRejects(db.ticketType.update({ where: { id: type.id }, data: { quantity: 2 } }), "ticket_types_capacity_check");
  });

  test("10 parallel edits racing 20 registrations: never more seats taken than exist, counters equal rows", async () => {
    for (let round = 0; round < 3; round++) {
      const { actor, event } = await setup();
      const type = await createTicketTypeRow(event, { quantity: 25 });
      for (let i = 0; i < 12; i++) await takeSeat(event, type);

      const quantities = [8, 10, 11, 12, 13, 14, 16, 18, 20, 24];
      const edits = quantities.map((q) => updateTicketType({ actor, ticketTypeId: type.id, input: { quantity: q } }).then(() => q));
      const sales = Array.from({ length: 20 }, () => takeSeat(event, type));
      const [editResults, saleResults] = await Promise.all([Promise.allSettled(edits), Promise.all(sales)]);

      const final = await countersMatchRows(type.id);
      const taken = final.soldCount + final.reservedCount;
      expect(taken).toBeLessThanOrEqual(final.quantity!);
      expect(taken).toBe(12 + saleResults.filter(Boolean).length);
      for (const [i, r] of editResults.entries()) {
        if (r.status === "rejected") {
          // Refused cleanly, on the field — never a raw database error.
          expect(r.reason).toBeInstanceOf(AppError);
          expect((r.reason as AppError).fieldErrors).toEqual({ quantity: "events.validation.quantityBelowTaken" });
        } else {
          expect(quantities[i]).toBeGreaterThanOrEqual(12);
        }
      }
      // Below the 12 seats taken before the race: always refused.
      for (const [i, q] of quantities.entries()) if (q < 12) expect(editResults[i].status).toBe("rejected");
    }
  });
});

// ───────────────────────────── delete / deactivate / reorder ─────────────────────────────

describe("delete, deactivate, reorder", () => {
  test("a type with registrations (even cancelled ones) cannot be deleted, only deactivated", async () => {
    const { actor, event } = await setup();
    const type = await createTicketTypeRow(event);
    await createRegistration(event, type, { user: await createUser(), status: "CANCELLED" });
    await expectAppError(deleteTicketType({ actor, ticketTypeId: type.id }), "CONFLICT", "events.errors.ticketTypeHasRegistrations");
    expect(await db.ticketType.count({ where: { id: type.id } })).toBe(1);
    // The database refuses it as well (registrations.ticket_type_id is a restricting foreign key).
    await expectDbRejects(db.ticketType.delete({ where: { id: type.id } }), "23503");

    expect(await deactivateTicketType({ actor, ticketTypeId: type.id })).toEqual({ id: type.id, isActive: false });
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).isActive).toBe(false);
    expect(await db.auditLog.count({ where: { entityId: type.id, action: "ticket_type.deactivated" } })).toBe(1);
    await deactivateTicketType({ actor, ticketTypeId: type.id }); // already inactive: no second audit row
    expect(await db.auditLog.count({ where: { entityId: type.id, action: "ticket_type.deactivated" } })).toBe(1);
    await activateTicketType({ actor, ticketTypeId: type.id });
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).isActive).toBe(true);

    const manage = await listTicketTypesForManage({ actor, eventId: event.id });
    expect(manage[0]).toMatchObject({ id: type.id, canDelete: false, registrationCount: 1 });
  });

  test("a type nobody registered for is deleted, with an audit row", async () => {
    const { actor, event } = await setup();
    const type = await createTicketTypeRow(event, { name: "Лишний" });
    expect(await deleteTicketType({ actor, ticketTypeId: type.id })).toEqual({ id: type.id });
    expect(await db.ticketType.count({ where: { id: type.id } })).toBe(0);
    expect(await db.auditLog.findFirst({ where: { entityId: type.id, action: "ticket_type.deleted" } })).toMatchObject({ changes: { name: { from: "Лишний", to: null } } });
    await expectAppError(deleteTicketType({ actor, ticketTypeId: type.id }), "NOT_FOUND");
  });

  test("deleting races a registration: either the delete or the registration wins, never an orphan", async () => {
    for (let round = 0; round < 5; round++) {
      const { actor, event } = await setup();
      const type = await createTicketTypeRow(event, { quantity: 5 });
      const [deleted, sold] = await Promise.allSettled([deleteTicketType({ actor, ticketTypeId: type.id }), takeSeat(event, type)]);
      const exists = (await db.ticketType.count({ where: { id: type.id } })) === 1;
      const registrations = await db.registration.count({ where: { eventId: event.id } });
      if (deleted.status === "fulfilled") {
        expect(exists).toBe(false);
        expect(registrations).toBe(0);
      } else {
        expect((deleted.reason as AppError).message).toBe("events.errors.ticketTypeHasRegistrations");
        expect(exists).toBe(true);
        expect(sold).toEqual({ status: "fulfilled", value: true });
      }
    }
  });

  test("reorder: exactly the event's types, in the new order", async () => {
    const { actor, event } = await setup();
    const a = await createTicketType({ actor, eventId: event.id, input: { name: "A" } });
    const b = await createTicketType({ actor, eventId: event.id, input: { name: "B" } });
    const c = await createTicketType({ actor, eventId: event.id, input: { name: "C" } });
    await reorderTicketTypes({ actor, eventId: event.id, ticketTypeIds: [c.id, a.id, b.id] });
    const order = await db.ticketType.findMany({ where: { eventId: event.id }, orderBy: { sortOrder: "asc" }, select: { id: true } });
    expect(order.map((t) => t.id)).toEqual([c.id, a.id, b.id]);
    for (const bad of [[a.id, b.id], [a.id, b.id, c.id, randomUUID()], [a.id, a.id, b.id]]) {
      const error = await expectAppError(reorderTicketTypes({ actor, eventId: event.id, ticketTypeIds: bad }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ ticketTypeIds: "events.validation.reorderMismatch" });
    }
    const other = await setup();
    const foreign = await createTicketTypeRow(other.event);
    await expectAppError(reorderTicketTypes({ actor, eventId: event.id, ticketTypeIds: [c.id, a.id, foreign.id] }), "VALIDATION");
  });
});

// ───────────────────────────── on offer ─────────────────────────────

describe("listOfferedTicketTypes", () => {
  test("active types inside their sales window, in display order; other events' states give nothing", async () => {
    const now = new Date();
    const { event } = await setup();
    const open = await createTicketTypeRow(event, { name: "Открыт", sortOrder: 2 });
    const windowed = await createTicketTypeRow(event, { name: "В окне", sortOrder: 1, salesStart: new Date(now.getTime() - HOUR), salesEnd: new Date(now.getTime() + HOUR) });
    await createTicketTypeRow(event, { name: "Выключен", isActive: false });
    await createTicketTypeRow(event, { name: "Ещё не продаётся", salesStart: new Date(now.getTime() + HOUR) });
    await createTicketTypeRow(event, { name: "Уже не продаётся", salesEnd: new Date(now.getTime() - 1) });
    const startsNow = await createTicketTypeRow(event, { name: "С этой секунды", sortOrder: 3, salesStart: now });
    await createTicketTypeRow(event, { name: "До этой секунды", salesEnd: now });

    const offered = await listOfferedTicketTypes(event.id, now);
    expect(offered.map((t) => t.id)).toEqual([windowed.id, open.id, startsNow.id]);
    expect(offered[1]).toMatchObject({ name: "Открыт", priceCents: 0, currency: "RUB", quantity: 100, available: 100, soldOut: false });

    const { organization } = await createOrganization();
    for (const status of ["DRAFT", "CANCELLED", "COMPLETED"] as const) {
      const closed = await createEvent(organization, { status });
      await createTicketTypeRow(closed);
      expect(await listOfferedTicketTypes(closed.id, now), status).toEqual([]);
    }
    const deleted = await createEvent(organization, { deletedAt: now });
    await createTicketTypeRow(deleted);
    expect(await listOfferedTicketTypes(deleted.id, now)).toEqual([]);
    expect(await listOfferedTicketTypes("not-a-uuid", now)).toEqual([]);
  });

  test("availability = quantity − sold − holds that still hold a seat (an expired reservation does not); waiters first", async () => {
    const now = new Date();
    const { event } = await setup();
    const type = await createTicketTypeRow(event, { quantity: 10, priceCents: 5000, reservationMinutes: 30 });
    for (let i = 0; i < 3; i++) await createRegistration(event, type, { user: await createUser() });
    await createRegistration(event, type, { user: await createUser(), status: "RESERVED", expiresAt: new Date(now.getTime() + 10 * 60_000) });
    await createRegistration(event, type, { user: await createUser(), status: "PENDING" });
    // Expired a minute ago, not swept yet: still in reserved_count, but holds no seat.
    await createRegistration(event, type, { user: await createUser(), status: "RESERVED", expiresAt: new Date(now.getTime() - 60_000) });
    const counters = await countersMatchRows(type.id);
    expect(counters).toMatchObject({ soldCount: 3, reservedCount: 3 });

    const [offered] = await listOfferedTicketTypes(event.id, now);
    expect(offered).toMatchObject({ id: type.id, quantity: 10, available: 5, availableToPublic: 5, soldOut: false });
    // Eleven minutes later the other reservation has expired too.
    const [later] = await listOfferedTicketTypes(event.id, new Date(now.getTime() + 11 * 60_000));
    expect(later.available).toBe(6);

    // A waitlist offer holds a seat (in reserved_count); people waiting get freed seats before the public.
    const offeredTo = await createUser();
    await db.waitlistEntry.create({
      data: { eventId: event.id, userId: offeredTo.id, position: 1, status: "NOTIFIED", offeredTicketTypeId: type.id, notifiedAt: now, expiresAt: new Date(now.getTime() + HOUR) },
    });
    await db.ticketType.update({ where: { id: type.id }, data: { reservedCount: { increment: 1 } } });
    for (const [i, ticketTypeId] of [type.id, null].entries()) {
      await db.waitlistEntry.create({ data: { eventId: event.id, userId: (await createUser()).id, position: 2 + i, status: "WAITING", ticketTypeId } });
    }
    const [withWaitlist] = await listOfferedTicketTypes(event.id, now);
    expect(withWaitlist).toMatchObject({ available: 4, availableToPublic: 2, soldOut: false });

    const unlimited = await createTicketTypeRow(event, { quantity: null, sortOrder: 5 });
    await createRegistration(event, unlimited, { user: await createUser() });
    const full = await createTicketTypeRow(event, { quantity: 1, sortOrder: 6 });
    await createRegistration(event, full, { user: await createUser() });
    const list = await listOfferedTicketTypes(event.id, now);
    expect(list.find((t) => t.id === unlimited.id)).toMatchObject({ quantity: null, available: null, availableToPublic: null, soldOut: false });
    expect(list.find((t) => t.id === full.id)).toMatchObject({ available: 0, availableToPublic: 0, soldOut: true });
  });
});
