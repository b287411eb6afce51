// Registration never oversells: parallel calls against a real PostgreSQL, exact counts (no timing
// assertions). Every scenario ends with the counter invariant:
//   sold_count     = registrations CONFIRMED + CHECKED_IN
//   reserved_count = registrations RESERVED + PENDING + waitlist offers NOTIFIED for the type
// and the database's own CHECK (sold + reserved <= quantity) never fired.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { TicketType, User } from "@/lib/generated/prisma/client";
import { markPaid } from "@/lib/payments/manual";
import { actorOf, type Actor } from "@/lib/permissions";
import { getEventAvailability } from "@/lib/registrations/availability";
import { cancelMyRegistration, cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import { expireReservations } from "@/lib/registrations/expiry";
import { register } from "@/lib/registrations/register";
import { claimWaitlistOffer, joinWaitlist } from "@/lib/waitlist/waitlist";
import { waitlistClaimToken } from "@/lib/registrations/tokens";
import { createEvent, createOrganization, createTicketType, createUser, uniqueEmail, uniqueIdempotencyKey } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;

async function manyUsers(n: number): Promise<User[]> {
  return db.user.createManyAndReturn({
    data: Array.from({ length: n }, (_, i) => ({ firstName: `Участник${i}`, lastName: null, email: uniqueEmail("rush") })),
  });
}

/** Outcome counts of settled promises: "ok" or the AppError message key. */
function outcomes(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    let key = "ok";
    if (r.status === "rejected") key = r.reason instanceof AppError ? r.reason.message : `unexpected: ${String(r.reason?.stack ?? r.reason)}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

async function expectCountersConsistent(ticketTypeId: string) {
  const type = await db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId } });
  const byStatus = await db.registration.groupBy({ by: ["status"], where: { ticketTypeId }, _count: true });
  const count = (s: string) => byStatus.find((g) => g.status === s)?._count ?? 0;
  const held = await db.waitlistEntry.count({ where: { offeredTicketTypeId: ticketTypeId, status: "NOTIFIED" } });
  expect(type.soldCount).toBe(count("CONFIRMED") + count("CHECKED_IN"));
  expect(type.reservedCount).toBe(count("RESERVED") + count("PENDING") + held);
  if (type.quantity !== null) expect(type.soldCount + type.reservedCount).toBeLessThanOrEqual(type.quantity);
  return type;
}

async function setup(typeOverrides: Partial<TicketType> = {}) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization);
  const type = await createTicketType(event, { quantity: 50, ...typeOverrides } as never);
  return { organization, owner, event, type };
}

describe("rush: many people, few seats", () => {
  test("200 parallel registrations of 200 users for 50 seats → exactly 50, sold_count 50, 150 SOLD_OUT", async () => {
    const { event, type } = await setup({ quantity: 50 });
    const users = await manyUsers(200);
    const results = await Promise.allSettled(users.map((u) => register({ actor: as(u), eventId: event.id, ticketTypeId: type.id })));
    expect(outcomes(results)).toEqual({ ok: 50, "errors.soldOut": 150 });
    expect(await db.registration.count({ where: { ticketTypeId: type.id, status: "CONFIRMED" } })).toBe(50);
    const after = await expectCountersConsistent(type.id);
    expect(after.soldCount).toBe(50);
    expect(after.reservedCount).toBe(0);
    const [availability] = await getEventAvailability(event.id);
    expect(availability).toMatchObject({ available: 0, availableToPublic: 0, soldOut: true });
    // Every sale queued its ticket (after commit), nothing for the refused ones.
    expect(await db.notificationLog.count({ where: { templateCode: "registration.confirmed", userId: { in: users.map((u) => u.id) } } })).toBe(50);
  });

  test("one user 10 times in parallel → exactly one registration, the rest ALREADY_REGISTERED, counter moved once", async () => {
    const { event, type } = await setup({ quantity: 50 });
    const user = await createUser();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => register({ actor: as(user), eventId: event.id, ticketTypeId: type.id })));
    expect(outcomes(results)).toEqual({ ok: 1, "errors.alreadyRegistered": 9 });
    expect(await db.registration.count({ where: { eventId: event.id, userId: user.id } })).toBe(1);
    expect((await expectCountersConsistent(type.id)).soldCount).toBe(1);
  });

  test("the same with a paid type with reservations: 50 RESERVED, reserved_count 50; one user ×10 → one", async () => {
    const { event, type } = await setup({ quantity: 50, priceCents: 150_000, reservationMinutes: 30 });
    const users = await manyUsers(200);
    const results = await Promise.allSettled(users.map((u) => register({ actor: as(u), eventId: event.id, ticketTypeId: type.id })));
    expect(outcomes(results)).toEqual({ ok: 50, "errors.soldOut": 150 });
    expect(await db.registration.count({ where: { ticketTypeId: type.id, status: "RESERVED" } })).toBe(50);
    const after = await expectCountersConsistent(type.id);
    expect(after).toMatchObject({ soldCount: 0, reservedCount: 50 });

    const second = await setup({ quantity: 5, priceCents: 1000, reservationMinutes: 10 });
    const user = await createUser();
    const again = await Promise.allSettled(
      Array.from({ length: 10 }, () => register({ actor: as(user), eventId: second.event.id, ticketTypeId: second.type.id })),
    );
    expect(outcomes(again)).toEqual({ ok: 1, "errors.alreadyRegistered": 9 });
    expect(await expectCountersConsistent(second.type.id)).toMatchObject({ soldCount: 0, reservedCount: 1 });
  });

  test("a paid type without reservations: PENDING holds reserved_count; 30 users for 10 seats → 10", async () => {
    const { event, type } = await setup({ quantity: 10, priceCents: 5000 });
    const users = await manyUsers(30);
    const results = await Promise.allSettled(users.map((u) => register({ actor: as(u), eventId: event.id, ticketTypeId: type.id })));
    expect(outcomes(results)).toEqual({ ok: 10, "errors.soldOut": 20 });
    expect(await db.registration.count({ where: { ticketTypeId: type.id, status: "PENDING" } })).toBe(10);
    expect(await expectCountersConsistent(type.id)).toMatchObject({ soldCount: 0, reservedCount: 10 });
  });
});

describe("time-based states and races", () => {
  test("a reservation past expires_at holds no seat before any job runs", async () => {
    const { event, type } = await setup({ quantity: 1, priceCents: 1000, reservationMinutes: 15 });
    const [first, second] = await manyUsers(2);
    const held = await register({ actor: as(first), eventId: event.id, ticketTypeId: type.id });
    expect(held.status).toBe("RESERVED");
    await expect(register({ actor: as(second), eventId: event.id, ticketTypeId: type.id })).rejects.toMatchObject({ message: "errors.soldOut" });

    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 second' WHERE id = ${held.registrationId}::uuid`;
    // Read side: the seat is available again although the row is still RESERVED and reserved_count 1.
    const [availability] = await getEventAvailability(event.id);
    expect(availability).toMatchObject({ available: 1, availableToPublic: 1, soldOut: false, activeReservations: 0 });
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).reservedCount).toBe(1);

    // Write side: the next sale returns the seat and takes it in one statement.
    const taken = await register({ actor: as(second), eventId: event.id, ticketTypeId: type.id });
    expect(taken.status).toBe("RESERVED");
    expect((await db.registration.findUniqueOrThrow({ where: { id: held.registrationId } })).status).toBe("EXPIRED");
    expect(await expectCountersConsistent(type.id)).toMatchObject({ soldCount: 0, reservedCount: 1 });
    expect(await db.notificationLog.count({ where: { userId: first.id, templateCode: "reservation.expired" } })).toBe(1);
    // The job has nothing left to do.
    expect(await expireReservations({ ticketTypeId: type.id })).toEqual({ expired: 0, offered: 0 });
  });

  test("expiry racing a payment on a reservation just past expires_at → exactly one outcome (expired), counters consistent", async () => {
    const { owner, event, type } = await setup({ quantity: 3, priceCents: 2000, reservationMinutes: 15 });
    const user = await createUser();
    const reg = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '5 milliseconds' WHERE id = ${reg.registrationId}::uuid`;

    const [job, payment] = await Promise.allSettled([
      expireReservations({ ticketTypeId: type.id }),
      markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() }),
    ]);
    expect(job).toMatchObject({ status: "fulfilled", value: { expired: 1 } });
    expect(payment).toMatchObject({ status: "rejected", reason: { message: "errors.reservationExpired" } });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("EXPIRED");
    expect(await db.payment.count({ where: { registrationId: reg.registrationId } })).toBe(0);
    expect(await expectCountersConsistent(type.id)).toMatchObject({ soldCount: 0, reservedCount: 0 });
  });

  test("expiry racing a payment at the deadline, repeated → each time exactly one of (paid, expired)", async () => {
    const { owner, event, type } = await setup({ quantity: 20, priceCents: 2000, reservationMinutes: 15 });
    const users = await manyUsers(12);
    const seen = { paid: 0, expired: 0 };
    for (const user of users) {
      const reg = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
      // The deadline falls somewhere around the moment both calls run.
      await db.$executeRaw`UPDATE registrations SET expires_at = now() + interval '15 milliseconds' WHERE id = ${reg.registrationId}::uuid`;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 25)));
      const [job, payment] = await Promise.allSettled([
        expireReservations({ ticketTypeId: type.id }),
        markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() }),
      ]);
      expect(job.status).toBe("fulfilled");
      const row = await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } });
      const payments = await db.payment.count({ where: { registrationId: reg.registrationId } });
      if (payment.status === "fulfilled") {
        expect(row.status).toBe("CONFIRMED");
        expect(payments).toBe(1);
        seen.paid += 1;
      } else {
        expect(payment.reason).toMatchObject({ message: "errors.reservationExpired" });
        // Not paid: either the job expired it, or it expired by time and the next sweep does.
        await expireReservations({ ticketTypeId: type.id });
        expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("EXPIRED");
        expect(payments).toBe(0);
        seen.expired += 1;
      }
      await expectCountersConsistent(type.id);
    }
    expect(seen.paid + seen.expired).toBe(users.length);
    const type2 = await expectCountersConsistent(type.id);
    expect(type2.soldCount).toBe(seen.paid);
    expect(type2.reservedCount).toBe(0);
  });

  test("a waitlist claim racing public registrations for the last seat → the waiter gets the held seat, zero oversell", async () => {
    const { event, type } = await setup({ quantity: 1 });
    const [holder, waiter, ...public_] = await manyUsers(22);
    const first = await register({ actor: as(holder), eventId: event.id, ticketTypeId: type.id });
    await joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: type.id });
    // The seat frees up and is offered (held) in the cancellation's own transaction.
    const cancelled = await cancelMyRegistration({ actor: as(holder), registrationId: first.registrationId });
    expect(cancelled.offeredToWaitlist).toBe(true);
    const entry = await db.waitlistEntry.findFirstOrThrow({ where: { eventId: event.id, userId: waiter.id } });
    expect(entry.status).toBe("NOTIFIED");

    const results = await Promise.allSettled([
      claimWaitlistOffer({ actor: as(waiter), entryId: entry.id, token: waitlistClaimToken(entry.id) }),
      ...public_.map((u) => register({ actor: as(u), eventId: event.id, ticketTypeId: type.id })),
    ]);
    expect(results[0]).toMatchObject({ status: "fulfilled", value: { status: "CONFIRMED" } });
    expect(outcomes(results.slice(1))).toEqual({ "errors.soldOut": 20 });
    const active = await db.registration.findMany({ where: { eventId: event.id, status: "CONFIRMED" }, select: { userId: true } });
    expect(active).toEqual([{ userId: waiter.id }]);
    expect(await expectCountersConsistent(type.id)).toMatchObject({ soldCount: 1, reservedCount: 0 });
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: entry.id } })).status).toBe("CONVERTED");
  });

  test("20 parallel cancellations of one registration → one cancellation, the counter decremented once", async () => {
    const { owner, event, type } = await setup({ quantity: 10 });
    const user = await createUser();
    const reg = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? cancelMyRegistration({ actor: as(user), registrationId: reg.registrationId })
          : cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: reg.registrationId, reason: "Дубль" }),
      ),
    );
    expect(outcomes(results)).toEqual({ ok: 1, "errors.alreadyCancelled": 19 });
    expect(await expectCountersConsistent(type.id)).toMatchObject({ soldCount: 0, reservedCount: 0 });
    expect(await db.auditLog.count({ where: { entityId: reg.registrationId, action: { startsWith: "registration.cancelled" } } })).toBe(1);
    expect(await db.notificationLog.count({ where: { userId: user.id, templateCode: "registration.cancelled" } })).toBe(1);
  });
});

describe("idempotency", () => {
  test("a retried registration with the same key returns the first result; parallel duplicates make one registration", async () => {
    const { event, type } = await setup({ quantity: 5 });
    const user = await createUser();
    const key = uniqueIdempotencyKey();
    const input = { actor: as(user), eventId: event.id, ticketTypeId: type.id, idempotencyKey: key };
    const first = await register(input);
    expect(first.replayed).toBe(false);
    const retry = await register(input);
    expect(retry).toEqual({ ...first, replayed: true });

    const other = await createUser();
    const parallelKey = uniqueIdempotencyKey();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => register({ actor: as(other), eventId: event.id, ticketTypeId: type.id, idempotencyKey: parallelKey })),
    );
    expect(new Set(results.map((r) => r.registrationId)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await db.registration.count({ where: { eventId: event.id, userId: other.id } })).toBe(1);
    expect(await expectCountersConsistent(type.id)).toMatchObject({ soldCount: 2 });

    // The same key with another body is refused.
    const otherType = await createTicketType(event, { quantity: 5, name: "VIP" });
    await expect(register({ ...input, ticketTypeId: otherType.id })).rejects.toMatchObject({ code: "CONFLICT", message: "errors.idempotencyKeyReused" });
  });

  test("a guest's retry gets the same private ticket token back", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization, { settings: { allowGuests: true } });
    const type = await createTicketType(event, { quantity: 3 });
    const key = uniqueIdempotencyKey();
    const input = { actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Гость", email: uniqueEmail("guest"), idempotencyKey: key };
    const first = await register(input);
    expect(first.guestToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const retry = await register(input);
    expect(retry).toEqual({ ...first, replayed: true });
    const record = await db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(JSON.stringify(record.response)).not.toContain(first.guestToken!);
  });
});
