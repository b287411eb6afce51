// POST /api/v1/events/:eventId/registrations — the route handler called with a plain Request against a
// real PostgreSQL: the session cookie (made the way Auth.js makes it), guests, Idempotency-Key,
// sold out, bad input (4xx with field errors and nothing written), rate limits.
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { describe, expect, test } from "vitest";
import { POST } from "@/app/api/v1/events/[eventId]/registrations/route";
import { db } from "@/lib/db";
import { authSecret } from "@/lib/env";
import { LIMITS, limitKey } from "@/lib/http/limits";
import type { Event, TicketType, User } from "@/lib/generated/prisma/client";
import { createSessionForUser, revokeSession } from "@/lib/identity/user-sessions";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { createEvent, createOrganization, createTicketType, createUser, uniqueEmail } from "@/tests/helpers/factories";

const COOKIE = "authjs.session-token";

async function cookieFor(user: User): Promise<string> {
  const session = await createSessionForUser(user.id);
  const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
  return `${COOKIE}=${token}`;
}

function call(
  eventId: string,
  body: unknown,
  options: { cookie?: string; key?: string; ip?: string; language?: string; raw?: string } = {},
): Promise<Response> {
  // A client address of its own per call unless the test names one (nothing is exempt from per-IP limits).
  const headers = fromClient(options.ip ?? uniqueIp(), { "content-type": "application/json", "accept-language": options.language ?? "en" });
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.key) headers.set("idempotency-key", options.key);
  const request = new Request(`http://localhost/api/v1/events/${eventId}/registrations`, {
    method: "POST",
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ eventId }) });
}

async function world(quantity = 10, settings: object = {}): Promise<{ event: Event; type: TicketType }> {
  const { organization } = await createOrganization();
  const event = await createEvent(organization, { settings });
  const type = await createTicketType(event, { quantity });
  return { event, type };
}

const registrationsOf = (eventId: string) => db.registration.count({ where: { eventId } });

describe("POST /api/v1/events/:eventId/registrations", () => {
  test("a signed-in user registers: 201, CONFIRMED, name and email from the profile, the seat counted", async () => {
    const { event, type } = await world();
    const user = await createUser();
    const res = await call(event.id, { ticketTypeId: type.id }, { cookie: await cookieFor(user), key: randomUUID() });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, registration: { status: "CONFIRMED", eventId: event.id, ticketTypeId: type.id, priceCents: 0, replayed: false, guestToken: null } });
    const row = await db.registration.findUniqueOrThrow({ where: { id: body.registration.registrationId } });
    expect(row).toMatchObject({ userId: user.id, firstName: user.firstName, email: user.email, status: "CONFIRMED" });
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).soldCount).toBe(1);
    // The ticket message and its delivery job, written by the sale statement as notify() + enqueue() would.
    const notice = await db.notificationLog.findFirstOrThrow({ where: { dedupeKey: `registration.confirmed:${row.id}` } });
    expect(notice).toMatchObject({ userId: user.id, templateCode: "registration.confirmed", status: "PENDING", extra: { photo: { kind: "ticket", registrationId: row.id } } });
    expect(notice.variables).toMatchObject({ confirmationCode: row.confirmationCode, ticketTypeName: type.name, eventTitle: event.title });
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: `deliver-notification:notification:${notice.id}` } });
    expect(job).toMatchObject({ name: "deliver-notification", eventName: "notification/requested", payload: { notificationId: notice.id }, status: "PENDING", maxAttempts: 11 });
  });

  test("a retry with the same Idempotency-Key returns the first result, writes nothing new; another key → already registered", async () => {
    const { event, type } = await world();
    const user = await createUser();
    const cookie = await cookieFor(user);
    const key = randomUUID();
    const first = await call(event.id, { ticketTypeId: type.id, firstName: "Анна" }, { cookie, key });
    expect(first.status).toBe(201);
    const firstBody = await first.json();

    const [a, b] = await Promise.all([
      call(event.id, { ticketTypeId: type.id, firstName: "Анна" }, { cookie, key }),
      call(event.id, { ticketTypeId: type.id, firstName: "Анна" }, { cookie, key }),
    ]);
    for (const again of [a, b]) {
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      const body = await again.json();
      expect(body.registration).toEqual({ ...firstBody.registration, replayed: true });
    }
    expect(await registrationsOf(event.id)).toBe(1);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).soldCount).toBe(1);

    // The same key with another body is refused; another key is a second attempt → already registered.
    const reused = await call(event.id, { ticketTypeId: type.id, firstName: "Борис" }, { cookie, key });
    expect(reused.status).toBe(409);
    expect((await reused.json()).messageKey).toBe("errors.idempotencyKeyReused");
    const second = await call(event.id, { ticketTypeId: type.id }, { cookie, key: randomUUID() });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "errors.alreadyRegistered" });
    expect(await registrationsOf(event.id)).toBe(1);
  });

  test("sold out → 409 errors.soldOut, nothing written", async () => {
    const { event, type } = await world(1);
    const [u1, u2] = [await createUser(), await createUser()];
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: await cookieFor(u1) })).status).toBe(201);
    const res = await call(event.id, { ticketTypeId: type.id }, { cookie: await cookieFor(u2), key: randomUUID() });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "errors.soldOut", fieldErrors: {} });
    expect(await registrationsOf(event.id)).toBe(1);
    expect(await db.idempotencyRecord.count({ where: { scope: `registration.create:user:${u2.id}` } })).toBe(0);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).soldCount).toBe(1);
  });

  test("bad input → 400 with field errors in the client's language, nothing written", async () => {
    const { event, type } = await world(10, { registrationFields: [{ key: "company", label: "Компания", type: "text", required: true }] });
    const user = await createUser();
    const cookie = await cookieFor(user);
    const before = await db.auditLog.count({ where: { organizationId: event.organizationId } });

    const missingType = await call(event.id, { firstName: 5, customFields: [] }, { cookie });
    expect(missingType.status).toBe(400);
    const body = await missingType.json();
    expect(body).toMatchObject({ ok: false, code: "VALIDATION", messageKey: "errors.validation" });
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["customFields", "firstName", "ticketTypeId"]);
    expect(body.fieldErrors.ticketTypeId).toBe("Choose a ticket type.");

    const notJson = await call(event.id, null, { cookie, raw: "{not json", language: "ru" });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).fieldErrors._form).toBe("Тело запроса должно быть JSON-объектом.");

    const badEmail = await call(event.id, { ticketTypeId: type.id, email: "not-an-email" }, { cookie });
    expect(badEmail.status).toBe(400);
    expect((await badEmail.json()).fieldErrors).toHaveProperty("email");

    const missingAnswer = await call(event.id, { ticketTypeId: type.id }, { cookie, key: randomUUID() });
    expect(missingAnswer.status).toBe(400);
    expect((await missingAnswer.json()).fieldErrors).toHaveProperty(["customFields.company"]);

    // A ticket type id of another event (tampered) is "not found", never a seat of that other event.
    const other = await world(10);
    const tampered = await call(event.id, { ticketTypeId: other.type.id }, { cookie });
    expect(tampered.status).toBe(404);

    expect(await registrationsOf(event.id)).toBe(0);
    expect(await registrationsOf(other.event.id)).toBe(0);
    expect(await db.auditLog.count({ where: { organizationId: event.organizationId } })).toBe(before);
    expect(await db.idempotencyRecord.count({ where: { scope: `registration.create:user:${user.id}` } })).toBe(0);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).soldCount).toBe(0);
  });

  test("no session: 401 unless the event allows guests; a guest gets a ticket-link token once", async () => {
    const closed = await world();
    const res = await call(closed.event.id, { ticketTypeId: closed.type.id, firstName: "Гость", email: uniqueEmail("guest") });
    expect(res.status).toBe(401);
    expect(await registrationsOf(closed.event.id)).toBe(0);

    const open = await world(10, { allowGuests: true });
    const noEmail = await call(open.event.id, { ticketTypeId: open.type.id, firstName: "Гость" });
    expect(noEmail.status).toBe(400);
    expect((await noEmail.json()).fieldErrors).toHaveProperty("email");

    const email = uniqueEmail("guest");
    const key = randomUUID();
    const guest = await call(open.event.id, { ticketTypeId: open.type.id, firstName: "Гость", email }, { key });
    expect(guest.status).toBe(201);
    const body = await guest.json();
    expect(body.registration.guestToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const replay = await call(open.event.id, { ticketTypeId: open.type.id, firstName: "Гость", email }, { key });
    expect((await replay.json()).registration).toEqual({ ...body.registration, replayed: true });
    expect(await db.registration.count({ where: { eventId: open.event.id, userId: null, email } })).toBe(1);
    // The ticket with its private link goes by email once (not again for the replay): the free sale wrote
    // one registration.confirmed notice for the guest's address, in the request's language.
    const notices = await db.notificationLog.findMany({ where: { templateCode: "registration.confirmed", registrationId: body.registration.registrationId } });
    expect(notices.map((n) => [n.channel, n.email, n.locale])).toEqual([["EMAIL", email, "EN"]]);
    expect(notices[0].variables).toMatchObject({ ticketUrl: expect.stringContaining(`/t/${body.registration.guestToken}`) });
  });

  test("the session cookie as Auth.js makes it (either name, chunked) decrypts to its user", async () => {
    const user = await createUser();
    const session = await createSessionForUser(user.id);
    for (const name of [COOKIE, `__Secure-${COOKIE}`]) {
      const { event, type } = await world();
      const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: name, maxAge: 3600 });
      const half = Math.ceil(token.length / 2);
      const chunked = `${name}.0=${token.slice(0, half)}; other=1; ${name}.1=${token.slice(half)}`;
      const res = await call(event.id, { ticketTypeId: type.id }, { cookie: name === COOKIE ? chunked : `${name}=${token}` });
      expect(res.status).toBe(201);
      expect(await db.registration.count({ where: { eventId: event.id, userId: user.id } })).toBe(1);
    }
  });

  test("a revoked session, a cookie of another secret or a forged subject is a guest, not that user", async () => {
    const { event, type } = await world();
    const user = await createUser();
    const session = await createSessionForUser(user.id);
    const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
    await revokeSession({ sessionId: session.id });
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: `${COOKIE}=${token}` })).status).toBe(401);

    const foreign = await encode({ token: { sub: user.id, sid: (await createSessionForUser(user.id)).id }, secret: "another-secret-of-at-least-32-characters!!", salt: COOKIE, maxAge: 3600 });
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: `${COOKIE}=${foreign}` })).status).toBe(401);

    // A tampered token (one character of the ciphertext changed) and an expired one.
    const live = await encode({ token: { sub: user.id, sid: (await createSessionForUser(user.id)).id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
    const parts = live.split(".");
    parts[3] = (parts[3][0] === "A" ? "B" : "A") + parts[3].slice(1);
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: `${COOKIE}=${parts.join(".")}` })).status).toBe(401);
    const expired = await encode({ token: { sub: user.id, sid: (await createSessionForUser(user.id)).id }, secret: authSecret(), salt: COOKIE, maxAge: -60 });
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: `${COOKIE}=${expired}` })).status).toBe(401);
    // The secure cookie name (https) is its own salt: the same token under the other name does not decrypt.
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: `__Secure-${COOKIE}=${live}` })).status).toBe(401);

    const other = await createUser();
    const forged = await encode({ token: { sub: other.id, sid: (await createSessionForUser(user.id)).id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: `${COOKIE}=${forged}` })).status).toBe(401);
    expect(await registrationsOf(event.id)).toBe(0);
  });

  test("rate limits: per address and per user beyond the limit → 429 with Retry-After (loopback too), nothing written", async () => {
    const { event, type } = await world(500);
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    await db.rateLimitBucket.create({ data: { key: limitKey("registration", "ip", ip), count: LIMITS.registration.rules.ip.limit, resetAt: new Date(Date.now() + 60_000) } });
    const limited = await call(event.id, { ticketTypeId: type.id }, { cookie: await cookieFor(await createUser()), ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).code).toBe("RATE_LIMITED");
    expect(await registrationsOf(event.id)).toBe(0);

    // Per signed-in user, whatever the address.
    const busy = await createUser();
    await db.rateLimitBucket.create({ data: { key: limitKey("registration", "user", busy.id), count: LIMITS.registration.rules.user.limit, resetAt: new Date(Date.now() + 60_000) } });
    const perUser = await call(event.id, { ticketTypeId: type.id }, { cookie: await cookieFor(busy) });
    expect(perUser.status).toBe(429);
    expect(Number(perUser.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await registrationsOf(event.id)).toBe(0);
    const counted = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: limitKey("registration", "user", busy.id) } });
    expect(counted.count).toBe(LIMITS.registration.rules.user.limit + 1);

    // Loopback is an address like any other: nothing is exempt unless RATE_LIMIT_EXEMPT_IPS names it.
    await db.rateLimitBucket.upsert({
      where: { key: limitKey("registration", "ip", "127.0.0.1") },
      create: { key: limitKey("registration", "ip", "127.0.0.1"), count: LIMITS.registration.rules.ip.limit, resetAt: new Date(Date.now() + 60_000) },
      update: { count: LIMITS.registration.rules.ip.limit, resetAt: new Date(Date.now() + 60_000) },
    });
    expect((await call(event.id, { ticketTypeId: type.id }, { cookie: await cookieFor(await createUser()), ip: "127.0.0.1" })).status).toBe(429);
    expect(await registrationsOf(event.id)).toBe(0);
  });
});
