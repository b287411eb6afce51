// The embeddable widget's API (app/api/widget/**, docs/widget.md), called as scripts/server.mjs serves it,
// against a real PostgreSQL: CORS on every answer and the preflights; what the widget sees of an event
// (seats, fields, how each type is taken) and 404 for draft, private, deleted and unknown events; the
// guest sale through register() with field errors on the widget's fields, sold out, the idempotent
// retry, the named rate limit — and nothing written by any refusal.
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { describe, expect, test } from "vitest";
import { GET, OPTIONS as OPTIONS_EVENT } from "@/app/api/widget/events/[eventId]/route";
import { POST, OPTIONS as OPTIONS_REGISTRATIONS } from "@/app/api/widget/events/[eventId]/registrations/route";
import { db } from "@/lib/db";
import { authSecret } from "@/lib/env";
import { LIMITS, limitKey } from "@/lib/http/limits";
import type { Event, TicketType } from "@/lib/generated/prisma/client";
import { createSessionForUser } from "@/lib/identity/user-sessions";
import { getWidgetEvent } from "@/lib/widget";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { connectPayments, createEvent, createGroup, createOrganization, createTicketType, createUser, uniqueEmail } from "@/tests/helpers/factories";

const ORIGIN = "https://club.example";

function get(eventId: string, language = "en"): Promise<Response> {
  const request = new Request(`http://localhost/api/widget/events/${eventId}`, { headers: fromClient(uniqueIp(), { origin: ORIGIN, "accept-language": language }) });
  return GET(request, { params: Promise.resolve({ eventId }) });
}

function post(eventId: string, body: unknown, options: { key?: string; ip?: string; language?: string; raw?: string; cookie?: string } = {}): Promise<Response> {
  const headers = fromClient(options.ip ?? uniqueIp(), { origin: ORIGIN, "content-type": "application/json", "accept-language": options.language ?? "en" });
  if (options.key) headers.set("idempotency-key", options.key);
  if (options.cookie) headers.set("cookie", options.cookie);
  const request = new Request(`http://localhost/api/widget/events/${eventId}/registrations`, { method: "POST", headers, body: options.raw ?? JSON.stringify(body) });
  return POST(request, { params: Promise.resolve({ eventId }) });
}

async function world(options: { quantity?: number | null; settings?: object; event?: Parameters<typeof createEvent>[1] } = {}): Promise<{ event: Event; type: TicketType; organizationId: string }> {
  const { organization } = await createOrganization();
  const event = await createEvent(organization, { settings: { allowGuests: true, ...options.settings }, ...options.event });
  const type = await createTicketType(event, { quantity: options.quantity === undefined ? 10 : options.quantity });
  return { event, type, organizationId: organization.id };
}

const guest = (ticketTypeId: string, extra: object = {}) => ({ ticketTypeId, firstName: "Гость", lastName: "Виджетов", email: uniqueEmail("widget"), ...extra });
const registrationsOf = (eventId: string) => db.registration.count({ where: { eventId } });

function expectCors(res: Response) {
  expect(res.headers.get("access-control-allow-origin")).toBe("*");
  expect(res.headers.get("access-control-allow-credentials")).toBeNull();
}

describe("CORS", () => {
  test("preflights allow any origin, the widget's methods and headers (Idempotency-Key), for a day", async () => {
    for (const [res, method] of [
      [OPTIONS_EVENT(), "GET"],
      [OPTIONS_REGISTRATIONS(), "POST"],
    ] as const) {
      expect(res.status).toBe(204);
      expectCors(res);
      expect(res.headers.get("access-control-allow-methods")).toBe(`${method}, OPTIONS`);
      const allowed = res.headers.get("access-control-allow-headers")!.split(", ");
      expect(allowed).toEqual(expect.arrayContaining(["content-type", "idempotency-key", "accept-language"]));
      expect(Number(res.headers.get("access-control-max-age"))).toBe(86400);
    }
  });

  test("every answer carries them, errors included, and exposes the replay mark and Retry-After", async () => {
    const { event, type } = await world();
    const ok = await get(event.id);
    expectCors(ok);
    expect(ok.headers.get("access-control-expose-headers")).toBe("idempotent-replayed, retry-after");
    const missing = await get(randomUUID());
    expect(missing.status).toBe(404);
    expectCors(missing);
    const invalid = await post(event.id, { ticketTypeId: type.id });
    expect(invalid.status).toBe(400);
    expectCors(invalid);
  });
});

describe("GET /api/widget/events/:eventId", () => {
  test("the public event with its listed types, price, live seats and the guest form, cacheable a few seconds", async () => {
    const { event, type, organizationId } = await world({
      quantity: 5,
      settings: { registrationFields: [{ key: "company", label: "Компания", type: "text", required: true }] },
    });
    await createTicketType(event, { name: "Секретный", isHidden: true });
    await createTicketType(event, { name: "Старый", isActive: false });
    const res = await get(event.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=5, s-maxage=5, stale-while-revalidate=30");
    const body = await res.json();
    const org = await db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(body).toMatchObject({
      ok: true,
      event: {
        id: event.id,
        title: event.title,
        status: "PUBLISHED",
        open: true,
        startsAt: event.startsAt.toISOString(),
        timezone: "Europe/Moscow",
        locationAddress: event.locationAddress,
        organizationName: org.name,
        eventUrl: expect.stringMatching(new RegExp(`/e/${org.slug}/${event.slug}$`)),
        guests: true,
        fields: [{ key: "company", label: "Компания", type: "text", required: true }],
      },
    });
    expect(body.event.ticketTypes).toEqual([
      { id: type.id, name: type.name, description: null, priceCents: 0, currency: "RUB", onSale: true, soldOut: false, available: 5, mode: "inPlace" },
    ]);
  });

  test("draft, private (group), deleted, deleted organization, unknown and malformed ids → 404", async () => {
    const draft = await world({ event: { status: "DRAFT" } });
    const { organization } = await createOrganization();
    const group = await createGroup(organization);
    const privateEvent = await createEvent(organization, { groupId: group.id, settings: { allowGuests: true } });
    await createTicketType(privateEvent);
    const deleted = await world({ event: { deletedAt: new Date() } });
    const orphan = await world();
    await db.organization.update({ where: { id: orphan.organizationId }, data: { deletedAt: new Date() } });
    for (const id of [draft.event.id, privateEvent.id, deleted.event.id, orphan.event.id, randomUUID(), "not-a-uuid"]) {
      const res = await get(id);
      expect(res.status, id).toBe(404);
      expect(await res.json()).toMatchObject({ ok: false, code: "NOT_FOUND" });
    }
    // And no sale goes through either (the same rule in the sale).
    for (const [eventId, typeId] of [
      [draft.event.id, draft.type.id],
      [deleted.event.id, deleted.type.id],
    ]) {
      expect((await post(eventId, guest(typeId))).status).toBe(404);
      expect(await registrationsOf(eventId)).toBe(0);
    }
  });

  test("how each type is taken: free in place; paid in place with offline payment only; online payment or no guests → the event page", async () => {
    const { organization } = await createOrganization();
    await connectPayments(organization, ["manual"]);
    const event = await createEvent(organization, { settings: { allowGuests: true } });
    const free = await createTicketType(event, { name: "Free" });
    const paid = await createTicketType(event, { name: "Paid", priceCents: 150000, reservationMinutes: 30 });
    const modes = async () => Object.fromEntries((await getWidgetEvent({ eventId: event.id })).ticketTypes.map((t) => [t.name, t.mode]));
    expect(await modes()).toEqual({ Free: "inPlace", Paid: "inPlace" });
    await connectPayments(organization, ["demo"]);
    expect(await modes()).toEqual({ Free: "inPlace", Paid: "eventPage" });
    await db.event.update({ where: { id: event.id }, data: { settings: { allowGuests: false } } });
    const view = await getWidgetEvent({ eventId: event.id });
    expect(view.guests).toBe(false);
    expect(view.ticketTypes.map((t) => t.mode)).toEqual(["eventPage", "eventPage"]);
    expect([free.id, paid.id]).toEqual(view.ticketTypes.map((t) => t.id));
  });

  test("seats are live: a sale shows in the next read; a started event is not open", async () => {
    const { event, type } = await world({ quantity: 2 });
    expect((await getWidgetEvent({ eventId: event.id })).ticketTypes[0]).toMatchObject({ available: 2, soldOut: false });
    expect((await post(event.id, guest(type.id))).status).toBe(201);
    expect((await getWidgetEvent({ eventId: event.id })).ticketTypes[0]).toMatchObject({ available: 1, soldOut: false });
    expect((await post(event.id, guest(type.id))).status).toBe(201);
    expect((await getWidgetEvent({ eventId: event.id })).ticketTypes[0]).toMatchObject({ available: 0, soldOut: true });
    const later = new Date(event.startsAt.getTime() + 60_000);
    expect((await getWidgetEvent({ eventId: event.id, now: later })).open).toBe(false);
  });
});

describe("POST /api/widget/events/:eventId/registrations", () => {
  test("the read is kept a few seconds, but a sale through the widget shows in its next read at once", async () => {
    const { event, type } = await world({ quantity: 3 });
    const seats = async () => (await (await get(event.id)).json()).event.ticketTypes[0].available;
    expect(await seats()).toBe(3);
    // A sale elsewhere (straight in the table): the kept answer stays for its few seconds.
    await db.ticketType.update({ where: { id: type.id }, data: { soldCount: 1 } });
    expect(await seats()).toBe(3);
    // A sale through the widget forgets it.
    expect((await post(event.id, guest(type.id))).status).toBe(201);
    expect(await seats()).toBe(1);
  });

  test("a guest registers: 201 with the code and the private ticket link; the row is a guest's, the ticket mailed", async () => {
    const { event, type } = await world();
    const body = guest(type.id);
    const res = await post(event.id, body, { key: randomUUID(), language: "ru" });
    expect(res.status).toBe(201);
    expectCors(res);
    const answer = await res.json();
    expect(answer).toMatchObject({ ok: true, registration: { status: "CONFIRMED", priceCents: 0, currency: "RUB", replayed: false, expiresAt: null } });
    expect(answer.registration.ticketUrl).toMatch(/\/t\/[A-Za-z0-9_-]{43}$/);
    expect(answer.registration).not.toHaveProperty("guestToken");
    const row = await db.registration.findUniqueOrThrow({ where: { id: answer.registration.registrationId } });
    expect(row).toMatchObject({ userId: null, email: body.email, firstName: "Гость", lastName: "Виджетов", status: "CONFIRMED", confirmationCode: answer.registration.confirmationCode });
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).soldCount).toBe(1);
    const notices = await db.notificationLog.findMany({ where: { registrationId: row.id, templateCode: "registration.confirmed" } });
    expect(notices.map((n) => [n.channel, n.email, n.locale])).toEqual([["EMAIL", body.email, "RU"]]);
  });

  test("no cookies are read: a signed-in visitor's session does not register them, an event without guests → 401", async () => {
    const { event, type } = await world({ settings: { allowGuests: false } });
    const user = await createUser();
    const session = await createSessionForUser(user.id);
    const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: "authjs.session-token", maxAge: 3600 });
    const res = await post(event.id, guest(type.id), { cookie: `authjs.session-token=${token}` });
    expect(res.status).toBe(401);
    expectCors(res);
    expect(await registrationsOf(event.id)).toBe(0);
  });

  test("bad input → 400 with field errors keyed like the widget's fields, in its language; nothing written", async () => {
    const { event, type } = await world({ settings: { registrationFields: [{ key: "company", label: "Компания", type: "text", required: true }] } });
    const before = await db.auditLog.count({ where: { organizationId: event.organizationId } });

    const empty = await post(event.id, { ticketTypeId: type.id }, { language: "ru" });
    expect(empty.status).toBe(400);
    const emptyBody = await empty.json();
    expect(emptyBody).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(Object.keys(emptyBody.fieldErrors).sort()).toEqual(["customFields.company", "email", "firstName"]);
    expect(emptyBody.fieldErrors.email).toMatch(/[а-я]/i);

    const badEmail = await post(event.id, guest(type.id, { email: "not-an-email", customFields: { company: "ООО" } }));
    expect(badEmail.status).toBe(400);
    expect(Object.keys((await badEmail.json()).fieldErrors)).toEqual(["email"]);

    const unknown = await post(event.id, guest(type.id, { customFields: { company: "ООО" }, priceCents: 0 }));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).fieldErrors._form).toBe("The request has unknown fields.");

    const noType = await post(event.id, { firstName: "А" });
    expect((await noType.json()).fieldErrors.ticketTypeId).toBe("Choose a ticket type.");

    const notJson = await post(event.id, null, { raw: "{nope" });
    expect(notJson.status).toBe(400);
    const tooLarge = await post(event.id, null, { raw: JSON.stringify(guest(type.id, { lastName: "я".repeat(20_000) })) });
    expect(tooLarge.status).toBe(400);
    expect((await tooLarge.json()).fieldErrors._form).toBe("The request is too large.");

    // A ticket type of another event → not found, never a seat of that other event.
    const other = await world();
    expect((await post(event.id, guest(other.type.id, { customFields: { company: "ООО" } }))).status).toBe(404);

    expect(await registrationsOf(event.id)).toBe(0);
    expect(await registrationsOf(other.event.id)).toBe(0);
    expect(await db.auditLog.count({ where: { organizationId: event.organizationId } })).toBe(before);
  });

  test("sold out → 409, nothing written; many guests at once sell exactly the seats there are", async () => {
    const { event, type } = await world({ quantity: 5 });
    const results = await Promise.all(Array.from({ length: 20 }, () => post(event.id, guest(type.id), { key: randomUUID() })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    const refused = results.find((r) => r.status === 409)!;
    expectCors(refused);
    expect(await refused.json()).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "errors.soldOut" });
    expect(await registrationsOf(event.id)).toBe(5);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).soldCount).toBe(5);
  });

  test("a retried submission (same Idempotency-Key and body) answers the first result, even in parallel; another body → 409", async () => {
    const { event, type } = await world();
    const body = guest(type.id);
    const key = randomUUID();
    const first = await post(event.id, body, { key });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const again = await Promise.all(Array.from({ length: 5 }, () => post(event.id, body, { key })));
    for (const res of again) {
      expect(res.status).toBe(201);
      expect(res.headers.get("idempotent-replayed")).toBe("true");
      expect((await res.json()).registration).toEqual({ ...firstBody.registration, replayed: true });
    }
    const changed = await post(event.id, { ...body, firstName: "Другой" }, { key });
    expect(changed.status).toBe(409);
    expect((await changed.json()).messageKey).toBe("errors.idempotencyKeyReused");
    // Without the key the same person again is "already registered".
    const twice = await post(event.id, body, { key: randomUUID() });
    expect(twice.status).toBe(409);
    expect((await twice.json()).messageKey).toBe("errors.alreadyRegistered");
    expect(await registrationsOf(event.id)).toBe(1);
  });

  test("a paid type of an organization paying offline is reserved in place, with its deadline", async () => {
    const { organization } = await createOrganization();
    await connectPayments(organization, ["manual"], "Перевод по реквизитам");
    const event = await createEvent(organization, { settings: { allowGuests: true } });
    const type = await createTicketType(event, { priceCents: 99000, reservationMinutes: 60 });
    const res = await post(event.id, guest(type.id));
    expect(res.status).toBe(201);
    const { registration } = await res.json();
    expect(registration).toMatchObject({ status: "RESERVED", priceCents: 99000 });
    expect(new Date(registration.expiresAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).reservedCount).toBe(1);
  });

  test("the named limit `registration` per address: over it → 429 with Retry-After, nothing written", async () => {
    const { event, type } = await world();
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    await db.rateLimitBucket.upsert({
      where: { key: limitKey("registration", "ip", ip) },
      create: { key: limitKey("registration", "ip", ip), count: LIMITS.registration.rules.ip.limit, resetAt: new Date(Date.now() + 60_000) },
      update: { count: LIMITS.registration.rules.ip.limit, resetAt: new Date(Date.now() + 60_000) },
    });
    const res = await post(event.id, guest(type.id), { ip });
    expect(res.status).toBe(429);
    expectCors(res);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await registrationsOf(event.id)).toBe(0);
  });
});
