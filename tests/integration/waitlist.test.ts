// Waitlist against a real PostgreSQL: join only when sold out, positions, leave, offers that HOLD a
// freed seat (cancellation, reservation expiry, quantity raised), the one-tap claim, offer expiry
// passing the seat on, and "freed seats reach waiters before the public".
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { Event, TicketType, User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { getEventAvailability } from "@/lib/registrations/availability";
import { cancelMyRegistration, cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import { expireReservations } from "@/lib/registrations/expiry";
import { register } from "@/lib/registrations/register";
import { waitlistClaimToken } from "@/lib/registrations/tokens";
import { cancelEvent } from "@/lib/events/lifecycle";
import {
  claimWaitlistOffer,
  expireWaitlistOffers,
  getMyWaitlistEntry,
  joinWaitlist,
  leaveWaitlist,
  offerAvailableSeats,
  waitlistClaimUrl,
} from "@/lib/waitlist/waitlist";
import { createEvent, createGroup, createOrganization, createTicketType, createUser, uniqueEmail } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const MINUTE = 60_000;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code} ${message ?? ""}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
  return error as AppError;
}

async function users(n: number): Promise<User[]> {
  return db.user.createManyAndReturn({ data: Array.from({ length: n }, (_, i) => ({ firstName: `Ждущий${i}`, email: uniqueEmail("wl") })) });
}

async function expectCountersConsistent(ticketTypeId: string) {
  const type = await db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId } });
  const byStatus = await db.registration.groupBy({ by: ["status"], where: { ticketTypeId }, _count: true });
  const count = (s: string) => byStatus.find((g) => g.status === s)?._count ?? 0;
  const held = await db.waitlistEntry.count({ where: { offeredTicketTypeId: ticketTypeId, status: "NOTIFIED" } });
  expect(type.soldCount).toBe(count("CONFIRMED") + count("CHECKED_IN"));
  expect(type.reservedCount).toBe(count("RESERVED") + count("PENDING") + held);
  return { sold: type.soldCount, reserved: type.reservedCount, held };
}

/** A published event with one type of `quantity` seats, sold out by `quantity` registrations. */
async function soldOut(quantity = 1, typeOverrides: Partial<TicketType> = {}, settings: Record<string, unknown> = { waitlistOfferMinutes: 30 }) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, { settings: settings as never });
  const type = await createTicketType(event, { quantity, ...typeOverrides } as never);
  const holders = await users(quantity);
  const registrations = [];
  for (const h of holders) registrations.push(await register({ actor: as(h), eventId: event.id, ticketTypeId: type.id }));
  return { organization, owner, event, type, holders, registrations };
}

const entryOf = (event: Pick<Event, "id">, user: Pick<User, "id">) => db.waitlistEntry.findFirstOrThrow({ where: { eventId: event.id, userId: user.id }, orderBy: { createdAt: "desc" } });

describe("join, position, leave", () => {
  test("join only when sold out; positions in order; one live entry per user; registered people cannot join", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event, { quantity: 1 });
    const [a, b, c] = await users(3);
    await expectAppError(joinWaitlist({ actor: as(a), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.ticketsStillAvailable");
    await register({ actor: as(a), eventId: event.id, ticketTypeId: type.id });
    await expectAppError(joinWaitlist({ actor: as(a), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.alreadyRegistered");

    const first = await joinWaitlist({ actor: as(b), eventId: event.id, ticketTypeId: type.id });
    expect(first).toMatchObject({ status: "WAITING", position: 1, ahead: 0, offer: null });
    const second = await joinWaitlist({ actor: as(c), eventId: event.id });
    expect(second).toMatchObject({ status: "WAITING", position: 2, ahead: 1, ticketTypeId: null });
    await expectAppError(joinWaitlist({ actor: as(b), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.alreadyOnWaitlist");
    expect(await getMyWaitlistEntry({ actor: as(c), eventId: event.id })).toMatchObject({ position: 2, ahead: 1 });

    expect(await leaveWaitlist({ actor: as(b), eventId: event.id })).toEqual({ left: true });
    expect(await leaveWaitlist({ actor: as(b), eventId: event.id })).toEqual({ left: false });
    expect(await getMyWaitlistEntry({ actor: as(b), eventId: event.id })).toBeNull();
    expect(await getMyWaitlistEntry({ actor: as(c), eventId: event.id })).toMatchObject({ position: 2, ahead: 0 });
    // Rejoining goes to the end of the queue.
    expect(await joinWaitlist({ actor: as(b), eventId: event.id, ticketTypeId: type.id })).toMatchObject({ position: 3, ahead: 1 });
  });

  test("10 parallel joins get 10 distinct positions (the unique (event, position) retry)", async () => {
    const { event, type } = await soldOut(1);
    const waiting = await users(10);
    const results = await Promise.all(waiting.map((u) => joinWaitlist({ actor: as(u), eventId: event.id, ticketTypeId: type.id })));
    expect(results.map((r) => r.position).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test("any-type entries need every type on sale to be sold out", async () => {
    const { event } = await soldOut(1);
    const open = await createTicketType(event, { quantity: 3, name: "Ещё есть" });
    const [u] = await users(1);
    await expectAppError(joinWaitlist({ actor: as(u), eventId: event.id }), "CONFLICT", "errors.ticketsStillAvailable");
    await db.ticketType.update({ where: { id: open.id }, data: { isActive: false } });
    expect(await joinWaitlist({ actor: as(u), eventId: event.id })).toMatchObject({ position: 1, ticketTypeId: null });
  });

  test("private events: members only", async () => {
    const { organization } = await createOrganization();
    const member = await createUser();
    const group = await createGroup(organization, { members: [member] });
    const event = await createEvent(organization, { groupId: group.id });
    const type = await createTicketType(event, { quantity: 0 });
    await expectAppError(joinWaitlist({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id }), "NOT_FOUND");
    await expectAppError(joinWaitlist({ actor: null, eventId: event.id, ticketTypeId: type.id }), "UNAUTHENTICATED");
    expect(await joinWaitlist({ actor: as(member), eventId: event.id, ticketTypeId: type.id })).toMatchObject({ position: 1 });
  });
});

describe("offers hold the freed seat", () => {
  test("a cancellation offers the seat to the first waiter (type or any type, by position) and holds it from the public", async () => {
    const { event, type, holders, registrations } = await soldOut(1);
    const [anyType, typed, publicUser] = await users(3);
    await joinWaitlist({ actor: as(anyType), eventId: event.id });
    await joinWaitlist({ actor: as(typed), eventId: event.id, ticketTypeId: type.id });

    const before = Date.now();
    const result = await cancelMyRegistration({ actor: as(holders[0]), registrationId: registrations[0].registrationId });
    expect(result.offeredToWaitlist).toBe(true);
    const offered = await entryOf(event, anyType);
    expect(offered).toMatchObject({ status: "NOTIFIED", offeredTicketTypeId: type.id });
    const minutes = (offered.expiresAt!.getTime() - before) / MINUTE;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThan(31);
    expect((await entryOf(event, typed)).status).toBe("WAITING");
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 1, held: 1 });

    // The public cannot take the held seat.
    const [availability] = await getEventAvailability(event.id);
    expect(availability).toMatchObject({ heldForWaitlist: 1, available: 0, soldOut: true });
    await expectAppError(register({ actor: as(publicUser), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.soldOut");

    // The offer message: claim link + inline button.
    const notice = await db.notificationLog.findFirstOrThrow({ where: { userId: anyType.id, templateCode: "waitlist.available" } });
    const claimUrl = waitlistClaimUrl(offered.id);
    expect(claimUrl).toMatch(new RegExp(`/waitlist/claim/${offered.id}\\?t=[A-Za-z0-9_-]{43}$`));
    expect(notice.variables).toMatchObject({ claimUrl, ticketTypeName: type.name, eventTitle: event.title });
    expect(notice.extra).toEqual({ buttons: [{ text: { ru: "Занять место", en: "Claim the seat" }, url: claimUrl }] });
    expect(await getMyWaitlistEntry({ actor: as(anyType), eventId: event.id })).toMatchObject({
      status: "NOTIFIED",
      offer: { ticketTypeId: type.id, claimUrl },
    });
  });

  test("claim: the entry's user with the link's token; converts once; claiming again returns the same registration", async () => {
    const { event, type, holders, registrations } = await soldOut(1);
    const [waiter, stranger] = await users(2);
    await joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: type.id });
    await cancelMyRegistration({ actor: as(holders[0]), registrationId: registrations[0].registrationId });
    const entry = await entryOf(event, waiter);
    const token = waitlistClaimToken(entry.id);

    await expectAppError(claimWaitlistOffer({ actor: as(waiter), entryId: entry.id, token: "x".repeat(43) }), "NOT_FOUND");
    await expectAppError(claimWaitlistOffer({ actor: as(stranger), entryId: entry.id, token }), "NOT_FOUND");
    await expectAppError(claimWaitlistOffer({ actor: null, entryId: entry.id, token }), "UNAUTHENTICATED");

    const claimed = await claimWaitlistOffer({ actor: as(waiter), entryId: entry.id, token });
    expect(claimed).toMatchObject({ status: "CONFIRMED", ticketTypeId: type.id, replayed: false });
    expect(await db.waitlistEntry.findUniqueOrThrow({ where: { id: entry.id } })).toMatchObject({
      status: "CONVERTED",
      convertedRegistrationId: claimed.registrationId,
    });
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 1, reserved: 0, held: 0 });
    expect(await db.notificationLog.count({ where: { userId: waiter.id, templateCode: "registration.confirmed" } })).toBe(1);

    const again = await claimWaitlistOffer({ actor: as(waiter), entryId: entry.id, token });
    expect(again).toMatchObject({ registrationId: claimed.registrationId, replayed: true });
    expect(await db.registration.count({ where: { eventId: event.id, userId: waiter.id } })).toBe(1);
  });

  test("claiming a paid type with reservations: the hold becomes the reservation (counters unchanged)", async () => {
    const { event, type, holders, registrations } = await soldOut(1, { priceCents: 5000, reservationMinutes: 20 });
    const [waiter] = await users(1);
    await joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: type.id });
    await cancelMyRegistration({ actor: as(holders[0]), registrationId: registrations[0].registrationId });
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 1, held: 1 });
    const entry = await entryOf(event, waiter);
    const claimed = await claimWaitlistOffer({ actor: as(waiter), entryId: entry.id, token: waitlistClaimToken(entry.id) });
    expect(claimed).toMatchObject({ status: "RESERVED", priceCents: 5000 });
    expect(claimed.expiresAt).not.toBeNull();
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 1, held: 0 });
  });

  test("an offer that lapses passes the seat to the next waiter; with nobody left the seat goes back to the public", async () => {
    const { event, type, holders, registrations, owner } = await soldOut(1);
    const [first, second, publicUser] = await users(3);
    await joinWaitlist({ actor: as(first), eventId: event.id, ticketTypeId: type.id });
    await joinWaitlist({ actor: as(second), eventId: event.id, ticketTypeId: type.id });
    await cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: registrations[0].registrationId, reason: "Освободили место" });
    void holders;
    const firstEntry = await entryOf(event, first);
    expect(firstEntry.status).toBe("NOTIFIED");

    // Not yet due: nothing happens.
    expect(await expireWaitlistOffers()).toBe(0);
    await db.waitlistEntry.update({ where: { id: firstEntry.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectAppError(
      claimWaitlistOffer({ actor: as(first), entryId: firstEntry.id, token: waitlistClaimToken(firstEntry.id) }),
      "CONFLICT",
      "errors.waitlistOfferExpired",
    );
    // Even lapsed, the hold is not public until the sweep passes it on.
    await expectAppError(register({ actor: as(publicUser), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.soldOut");
    expect(await expireWaitlistOffers()).toBe(1);
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: firstEntry.id } })).status).toBe("EXPIRED");
    const secondEntry = await entryOf(event, second);
    expect(secondEntry).toMatchObject({ status: "NOTIFIED", offeredTicketTypeId: type.id });
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 1, held: 1 });

    await db.waitlistEntry.update({ where: { id: secondEntry.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await expireWaitlistOffers()).toBe(1);
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 0, held: 0 });
    expect((await register({ actor: as(publicUser), eventId: event.id, ticketTypeId: type.id })).status).toBe("CONFIRMED");
  });

  test("leaving with an open offer passes the seat on", async () => {
    const { event, type, holders, registrations } = await soldOut(1);
    const [first, second] = await users(2);
    await joinWaitlist({ actor: as(first), eventId: event.id, ticketTypeId: type.id });
    await joinWaitlist({ actor: as(second), eventId: event.id, ticketTypeId: type.id });
    await cancelMyRegistration({ actor: as(holders[0]), registrationId: registrations[0].registrationId });
    expect((await entryOf(event, first)).status).toBe("NOTIFIED");
    expect(await leaveWaitlist({ actor: as(first), eventId: event.id })).toEqual({ left: true });
    expect((await entryOf(event, second)).status).toBe("NOTIFIED");
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 1, held: 1 });
  });

  test("a reservation expiring offers its seat to the waitlist (job), and a public sale never takes an expired seat a waiter is owed", async () => {
    const { event, type, registrations } = await soldOut(2, { priceCents: 1000, reservationMinutes: 15 });
    const [waiter, publicUser] = await users(2);
    await joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: type.id });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 second' WHERE id = ${registrations[0].registrationId}::uuid`;
    // The public sale finds the expired reservation but somebody waits: SOLD_OUT, and the seat is
    // swept and offered right away (no cron needed).
    await expectAppError(register({ actor: as(publicUser), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.soldOut");
    expect((await db.registration.findUniqueOrThrow({ where: { id: registrations[0].registrationId } })).status).toBe("EXPIRED");
    expect((await entryOf(event, waiter)).status).toBe("NOTIFIED");
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 2, held: 1 });

    // The job path: the second reservation expires, nobody waits → back to the public.
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 second' WHERE id = ${registrations[1].registrationId}::uuid`;
    expect(await expireReservations()).toMatchObject({ expired: 1, offered: 0 });
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 1, held: 1 });
    expect((await register({ actor: as(publicUser), eventId: event.id, ticketTypeId: type.id })).status).toBe("RESERVED");
  });

  test("quantity raised: waiters are offered first, the rest is public", async () => {
    const { event, type } = await soldOut(1);
    const waiting = await users(2);
    for (const u of waiting) await joinWaitlist({ actor: as(u), eventId: event.id, ticketTypeId: type.id });
    await db.ticketType.update({ where: { id: type.id }, data: { quantity: 4 } });
    // Before the offers run, two of the three new seats are owed to the waiters.
    const [before] = await getEventAvailability(event.id);
    expect(before).toMatchObject({ available: 3, waiting: 2, availableToPublic: 1 });
    expect(await offerAvailableSeats({ eventId: event.id })).toBe(2);
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 1, reserved: 2, held: 2 });
    const [after] = await getEventAvailability(event.id);
    expect(after).toMatchObject({ available: 1, waiting: 0, availableToPublic: 1 });
    const [publicUser, late] = await users(2);
    expect((await register({ actor: as(publicUser), eventId: event.id, ticketTypeId: type.id })).status).toBe("CONFIRMED");
    await expectAppError(register({ actor: as(late), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.soldOut");
  });

  test("no offers after the event started or while the type is off sale", async () => {
    const { event, type, holders, registrations, owner } = await soldOut(1);
    const [waiter] = await users(1);
    await joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: type.id });
    await db.ticketType.update({ where: { id: type.id }, data: { isActive: false } });
    const result = await cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: registrations[0].registrationId, reason: "r" });
    void holders;
    expect(result.offeredToWaitlist).toBe(false);
    expect((await entryOf(event, waiter)).status).toBe("WAITING");
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 0, held: 0 });
  });
});

describe("event cancelled", () => {
  test("the waitlist closes: offers and waiting entries end, the held seat returns, counters stay consistent", async () => {
    const { event, type, owner, holders, registrations } = await soldOut(2);
    const [first, second] = await users(2);
    await joinWaitlist({ actor: as(first), eventId: event.id, ticketTypeId: type.id });
    await joinWaitlist({ actor: as(second), eventId: event.id });
    await cancelMyRegistration({ actor: as(holders[0]), registrationId: registrations[0].registrationId });
    expect((await entryOf(event, first)).status).toBe("NOTIFIED");
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 1, reserved: 1, held: 1 });

    await cancelEvent({ actor: as(owner), eventId: event.id, reason: "Площадка закрыта" });

    expect((await entryOf(event, first)).status).toBe("EXPIRED");
    expect((await entryOf(event, second)).status).toBe("EXPIRED");
    expect(await expectCountersConsistent(type.id)).toEqual({ sold: 0, reserved: 0, held: 0 });
    // Nobody is offered anything for a cancelled event afterwards.
    await expireWaitlistOffers();
    await offerAvailableSeats({ eventId: event.id });
    expect(await db.waitlistEntry.count({ where: { eventId: event.id, status: { in: ["WAITING", "NOTIFIED"] } } })).toBe(0);
  });
});
