// The rules checked at the moment of sale (register), the statuses a sale starts in, price and
// currency from the server, guests, Telegram-only users and cancellation rules — against a real,
// fresh PostgreSQL. Races are in registration-concurrency.test.ts, permissions in
// permissions-registrations.test.ts.
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { getEventAvailability } from "@/lib/registrations/availability";
import { cancelGuestRegistration, cancelMyRegistration, cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import { register } from "@/lib/registrations/register";
import { purgeExpiredIdempotencyRecords } from "@/lib/idempotency";
import { createLocalStep } from "@/lib/jobs/define";
import { appRegistry } from "@/lib/worker";
import { registrationsSweepJob } from "@/lib/worker/functions/registrations";
import {
  createEvent,
  createGroup,
  createOrganization,
  createRegistration,
  createTicketType,
  createUser,
  uniqueEmail,
  uniqueTelegramId,
} from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const HOUR = 60 * 60 * 1000;

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

async function world(eventOverrides: Parameters<typeof createEvent>[1] = {}) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, eventOverrides);
  const type = await createTicketType(event, { quantity: 10 });
  return { organization, owner, event, type };
}

async function counters(ticketTypeId: string) {
  const t = await db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId }, select: { soldCount: true, reservedCount: true } });
  return t;
}

describe("register: statuses and what comes from the server", () => {
  test("free → CONFIRMED with a code, sold_count +1, the ticket queued with its QR photo", async () => {
    const { event, type, organization } = await world();
    const user = await createUser();
    const result = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
    expect(result).toMatchObject({ status: "CONFIRMED", expiresAt: null, priceCents: 0, currency: "RUB", guestToken: null, replayed: false });
    expect(result.confirmationCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    const row = await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } });
    expect(row).toMatchObject({
      organizationId: organization.id,
      userId: user.id,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      status: "CONFIRMED",
    });
    expect(row.confirmedAt).toBeInstanceOf(Date);
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    const notice = await db.notificationLog.findFirstOrThrow({ where: { userId: user.id, templateCode: "registration.confirmed" } });
    expect(notice.extra).toEqual({ photo: { kind: "ticket", registrationId: result.registrationId } });
    expect(notice.variables).toMatchObject({ confirmationCode: result.confirmationCode, ticketTypeName: type.name, eventTitle: event.title });
    expect(await db.auditLog.count({ where: { entityId: result.registrationId, action: "registration.created" } })).toBe(1);
  });

  test("paid with a reservation window → RESERVED until now + minutes; paid without → PENDING; both hold reserved_count", async () => {
    const { event } = await world();
    const reserved = await createTicketType(event, { quantity: 5, priceCents: 250_000, currency: "EUR", reservationMinutes: 20 });
    const pending = await createTicketType(event, { quantity: 5, priceCents: 99_900, currency: "USD" });
    const [a, b] = [await createUser(), await createUser()];
    const before = Date.now();
    const r1 = await register({ actor: as(a), eventId: event.id, ticketTypeId: reserved.id });
    expect(r1).toMatchObject({ status: "RESERVED", priceCents: 250_000, currency: "EUR" });
    const minutes = (new Date(r1.expiresAt!).getTime() - before) / 60_000;
    expect(minutes).toBeGreaterThan(19);
    expect(minutes).toBeLessThan(21);
    const r2 = await register({ actor: as(b), eventId: event.id, ticketTypeId: pending.id });
    expect(r2).toMatchObject({ status: "PENDING", expiresAt: null, priceCents: 99_900, currency: "USD" });
    expect(await counters(reserved.id)).toEqual({ soldCount: 0, reservedCount: 1 });
    expect(await counters(pending.id)).toEqual({ soldCount: 0, reservedCount: 1 });
    // No ticket before payment.
    expect(await db.notificationLog.count({ where: { userId: { in: [a.id, b.id] }, templateCode: "registration.confirmed" } })).toBe(0);
  });

  test("price and currency always come from the ticket type, never from input", async () => {
    const { event } = await world();
    const type = await createTicketType(event, { quantity: 5, priceCents: 150_000, currency: "RUB" });
    const user = await createUser();
    const tampered = { actor: as(user), eventId: event.id, ticketTypeId: type.id, priceCents: 0, currency: "USD", status: "CONFIRMED" } as never;
    const result = await register(tampered);
    expect(result).toMatchObject({ status: "PENDING", priceCents: 150_000, currency: "RUB" });
    expect(await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } })).toMatchObject({ priceCents: 150_000, currency: "RUB" });
    // A later price change does not touch a registration's price at sale.
    await db.ticketType.update({ where: { id: type.id }, data: { priceCents: 1 } });
    expect((await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } })).priceCents).toBe(150_000);
  });

  test("one active registration per person per event (any type); again after cancelling", async () => {
    const { event, type } = await world();
    const other = await createTicketType(event, { quantity: 5, name: "VIP" });
    const user = await createUser();
    const first = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
    await expectAppError(register({ actor: as(user), eventId: event.id, ticketTypeId: other.id }), "CONFLICT", "errors.alreadyRegistered");
    expect(await counters(other.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    await cancelMyRegistration({ actor: as(user), registrationId: first.registrationId });
    const again = await register({ actor: as(user), eventId: event.id, ticketTypeId: other.id });
    expect(again.status).toBe("CONFIRMED");
  });

  test("unlimited type never sells out", async () => {
    const { event } = await world();
    const type = await createTicketType(event, { quantity: null });
    for (let i = 0; i < 3; i++) await register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id });
    const availability = (await getEventAvailability(event.id)).find((a) => a.ticketTypeId === type.id)!;
    expect(availability).toMatchObject({ quantity: null, sold: 3, available: null, soldOut: false });
  });

  test("extra fields of the event are validated and stored cleaned", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization, {
      settings: {
        registrationFields: [
          { key: "team", label: "Команда", type: "text", required: true },
          { key: "size", label: "Размер", type: "select", required: false, options: ["S", "M", "L"] },
          { key: "rules", label: "Согласен с правилами", type: "checkbox", required: true },
        ],
      },
    });
    const type = await createTicketType(event, { quantity: 5 });
    const user = await createUser();
    const error = await expectAppError(
      register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, customFields: { size: "XXL" } }),
      "VALIDATION",
    );
    expect(error.fieldErrors).toMatchObject({
      "customFields.team": "events.validation.answerRequired",
      "customFields.size": "events.validation.answerNotAnOption",
      "customFields.rules": "events.validation.answerMustBeChecked",
    });
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    const ok = await register({
      actor: as(user),
      eventId: event.id,
      ticketTypeId: type.id,
      customFields: { team: "  Альфа ", size: "M", rules: "on", injected: "<script>" },
    });
    expect((await db.registration.findUniqueOrThrow({ where: { id: ok.registrationId } })).customFields).toEqual({ team: "Альфа", size: "M", rules: true });
  });
});

describe("register: checked at the moment of sale", () => {
  test("sales window: not started / ended → refused, counters untouched", async () => {
    const { event } = await world();
    const early = await createTicketType(event, { quantity: 5, salesStart: new Date(Date.now() + HOUR) });
    const late = await createTicketType(event, { quantity: 5, salesStart: new Date(Date.now() - 2 * HOUR), salesEnd: new Date(Date.now() - HOUR) });
    const user = await createUser();
    await expectAppError(register({ actor: as(user), eventId: event.id, ticketTypeId: early.id }), "CONFLICT", "errors.salesNotStarted");
    await expectAppError(register({ actor: as(user), eventId: event.id, ticketTypeId: late.id }), "CONFLICT", "errors.salesEnded");
    expect(await counters(early.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    expect(await counters(late.id)).toEqual({ soldCount: 0, reservedCount: 0 });
  });

  test("inactive ticket type → refused", async () => {
    const { event } = await world();
    const type = await createTicketType(event, { quantity: 5, isActive: false });
    await expectAppError(register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id }), "CONFLICT", "errors.ticketTypeInactive");
  });

  test("event not open: cancelled, completed, started → CONFLICT; draft, deleted, unknown → NOT_FOUND", async () => {
    const user = await createUser();
    const cases: [Parameters<typeof createEvent>[1], ErrorCode, string][] = [
      [{ status: "CANCELLED", cancelledAt: new Date() }, "CONFLICT", "errors.eventCancelled"],
      [{ status: "COMPLETED" }, "CONFLICT", "errors.eventCompleted"],
      [{ startsAt: new Date(Date.now() - HOUR) }, "CONFLICT", "errors.eventStarted"],
      [{ status: "DRAFT" }, "NOT_FOUND", "errors.notFound"],
      [{ deletedAt: new Date() }, "NOT_FOUND", "errors.notFound"],
    ];
    for (const [overrides, code, message] of cases) {
      const { event, type } = await world(overrides);
      await expectAppError(register({ actor: as(user), eventId: event.id, ticketTypeId: type.id }), code, message);
      expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    }
    const { type } = await world();
    await expectAppError(register({ actor: as(user), eventId: "5f0c0f7e-0000-4000-8000-000000000000", ticketTypeId: type.id }), "NOT_FOUND");
    await expectAppError(register({ actor: as(user), eventId: "not-a-uuid", ticketTypeId: type.id }), "NOT_FOUND");
  });

  test("a ticket type id of another event (tampered form) → NOT_FOUND, and that event's counters untouched", async () => {
    const mine = await world();
    const theirs = await world();
    await expectAppError(register({ actor: as(await createUser()), eventId: mine.event.id, ticketTypeId: theirs.type.id }), "NOT_FOUND");
    expect(await counters(theirs.type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    expect(await counters(mine.type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
  });

  test("private event: members only (non-member → NOT_FOUND, anonymous → UNAUTHENTICATED)", async () => {
    const { organization, owner } = await createOrganization();
    const member = await createUser();
    const group = await createGroup(organization, { members: [member] });
    const event = await createEvent(organization, { groupId: group.id, settings: { allowGuests: true } });
    const type = await createTicketType(event, { quantity: 5 });
    await expectAppError(register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id }), "NOT_FOUND");
    await expectAppError(
      register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Гость", email: uniqueEmail() }),
      "UNAUTHENTICATED",
    );
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    expect((await register({ actor: as(member), eventId: event.id, ticketTypeId: type.id })).status).toBe("CONFIRMED");
    void owner;
  });

  test("a deleted account cannot register", async () => {
    const { event, type } = await world();
    const user = await createUser({ deletedAt: new Date() });
    await expectAppError(register({ actor: as(user), eventId: event.id, ticketTypeId: type.id }), "UNAUTHENTICATED");
  });
});

describe("register: who may register", () => {
  test("guests only when the event allows them; email and first name required; a private ticket token returned once (hash stored)", async () => {
    const closed = await world();
    await expectAppError(
      register({ actor: null, eventId: closed.event.id, ticketTypeId: closed.type.id, firstName: "Гость", email: uniqueEmail() }),
      "UNAUTHENTICATED",
    );
    const { organization } = await createOrganization();
    const event = await createEvent(organization, { settings: { allowGuests: true } });
    const type = await createTicketType(event, { quantity: 5 });
    const noEmail = await expectAppError(register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Гость" }), "VALIDATION");
    expect(noEmail.fieldErrors).toMatchObject({ email: "registrations.validation.emailRequired" });
    const noName = await expectAppError(register({ actor: null, eventId: event.id, ticketTypeId: type.id, email: uniqueEmail() }), "VALIDATION");
    expect(noName.fieldErrors).toMatchObject({ firstName: "registrations.validation.firstNameRequired" });
    const bad = await expectAppError(register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Г", email: "nope" }), "VALIDATION");
    expect(bad.fieldErrors).toMatchObject({ email: "registrations.validation.emailInvalid" });

    const email = uniqueEmail("Guest").toUpperCase();
    const result = await register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: " Анна ", email: `  ${email} ` });
    expect(result.status).toBe("CONFIRMED");
    expect(result.guestToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } });
    expect(row).toMatchObject({ userId: null, firstName: "Анна", lastName: null, email: email.toLowerCase() });
    expect(row.guestTokenHash).toBe(createHash("sha256").update(result.guestToken!).digest("hex"));
    // Same email again → already registered (unique per event among active guest registrations).
    await expectAppError(
      register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Анна", email: email.toLowerCase() }),
      "CONFLICT",
      "errors.alreadyRegistered",
    );
    // The guest cancels through the link.
    await expectAppError(cancelGuestRegistration({ guestToken: "x".repeat(43) }), "NOT_FOUND");
    const cancelled = await cancelGuestRegistration({ guestToken: result.guestToken! });
    expect(cancelled).toMatchObject({ status: "CANCELLED", previousStatus: "CONFIRMED" });
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
  });

  test("a Telegram-only user (no email, no last name) registers", async () => {
    const { event, type } = await world();
    const user = await createUser({ email: null, telegramId: uniqueTelegramId(), lastName: null });
    const result = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
    expect(result.status).toBe("CONFIRMED");
    expect(await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } })).toMatchObject({
      email: null,
      lastName: null,
      firstName: user.firstName,
    });
  });

  test("a signed-in user may give other names / email for the ticket; last name optional", async () => {
    const { event, type } = await world();
    const user = await createUser();
    const result = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, firstName: "Иван", lastName: "", email: "Ivan@Example.com" });
    expect(await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } })).toMatchObject({
      firstName: "Иван",
      lastName: user.lastName,
      email: "ivan@example.com",
    });
  });
});

describe("cancel: rules", () => {
  test("participant: own registration until the event starts; organizer: with a reason, any time", async () => {
    const { owner, event, type } = await world();
    const user = await createUser();
    const reg = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
    await db.event.update({ where: { id: event.id }, data: { startsAt: new Date(Date.now() - HOUR), endsAt: null } });
    await expectAppError(cancelMyRegistration({ actor: as(user), registrationId: reg.registrationId }), "CONFLICT", "errors.eventStarted");
    const noReason = await expectAppError(cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: reg.registrationId, reason: "  " }), "VALIDATION");
    expect(noReason.fieldErrors).toEqual({ reason: "registrations.validation.reasonRequired" });
    const done = await cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: reg.registrationId, reason: "Нарушение правил" });
    expect(done).toMatchObject({ status: "CANCELLED", previousStatus: "CONFIRMED", refunds: 0 });
    const row = await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } });
    expect(row).toMatchObject({ status: "CANCELLED", cancellationReason: "Нарушение правил", cancelledById: owner.id });
    const notice = await db.notificationLog.findFirstOrThrow({ where: { userId: user.id, templateCode: "registration.cancelled" } });
    expect(notice.variables).toMatchObject({ cancelledByOrganizer: true, cancellationReason: "Нарушение правил" });
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
  });

  test("the seat goes back to the counter of the old status; final statuses cannot be cancelled", async () => {
    const { owner, event } = await world();
    const paid = await createTicketType(event, { quantity: 5, priceCents: 1000, reservationMinutes: 30 });
    const user = await createUser();
    const reg = await register({ actor: as(user), eventId: event.id, ticketTypeId: paid.id });
    expect(await counters(paid.id)).toEqual({ soldCount: 0, reservedCount: 1 });
    await cancelMyRegistration({ actor: as(user), registrationId: reg.registrationId });
    expect(await counters(paid.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    await expectAppError(cancelMyRegistration({ actor: as(user), registrationId: reg.registrationId }), "CONFLICT", "errors.alreadyCancelled");

    const free = await createTicketType(event, { quantity: 5 });
    const checkedIn = await createRegistration(event, free, { user: await createUser(), status: "CHECKED_IN" });
    await expectAppError(
      cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: checkedIn.id, reason: "r" }),
      "CONFLICT",
      "errors.registrationNotCancellable",
    );
    const expired = await createRegistration(event, free, { user: await createUser(), status: "EXPIRED" });
    await expectAppError(cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: expired.id, reason: "r" }), "CONFLICT", "errors.registrationNotCancellable");
    expect(await counters(free.id)).toEqual({ soldCount: 1, reservedCount: 0 });
  });
});

describe("jobs", () => {
  test("the every-minute sweep expires reservations and is registered with the app; a second run does nothing", async () => {
    expect(appRegistry().get("registrations-sweep")).toBeDefined();
    expect(appRegistry().subscribers("registrations/sweep-requested").map((j) => j.id)).toEqual(["registrations-sweep-requested"]);
    const { event } = await world();
    const type = await createTicketType(event, { quantity: 3, priceCents: 500, reservationMinutes: 10 });
    const user = await createUser();
    const reg = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 minute' WHERE id = ${reg.registrationId}::uuid`;
    const run = () => registrationsSweepJob.run({ event: { name: "inngest/scheduled.timer", data: {} }, step: createLocalStep(), attempt: 0, runId: "test" });
    expect(await run()).toMatchObject({ reservations: { expired: 1 } });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("EXPIRED");
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    expect(await run()).toMatchObject({ reservations: { expired: 0 }, offersExpired: 0 });
  });

  test("idempotency records past their expiry are purged", async () => {
    await db.idempotencyRecord.createMany({
      data: [
        { scope: "test", key: "old", requestHash: "x", expiresAt: new Date(Date.now() - HOUR) },
        { scope: "test", key: "new", requestHash: "x", expiresAt: new Date(Date.now() + HOUR) },
      ],
    });
    expect(await purgeExpiredIdempotencyRecords()).toBeGreaterThanOrEqual(1);
    expect((await db.idempotencyRecord.findMany({ where: { scope: "test" }, select: { key: true } })).map((r) => r.key)).toEqual(["new"]);
  });
});
