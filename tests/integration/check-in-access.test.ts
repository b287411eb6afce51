// Who may check in: the permission matrix of every check-in service, door-staff links (create, list,
// revoke, redeem — as a service, through the HTTP routes with the door cookie, and through the bot's
// /start staff_<token>), and the rule that door staff never receive an attendee's email.
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { limitKey } from "@/lib/http/limits";
import type { Event, Registration, User } from "@/lib/generated/prisma/client";
import { startFakeTelegram } from "@/tests/fakes/telegram-bot-api";
import { fromClient } from "@/tests/helpers/client-address";
import { addMember, createEvent, createOrganization, createRegistration, createTicketType, createUser, uniqueTelegramId } from "@/tests/helpers/factories";

// The environment is read once per process (lib/env.ts): set it before any app module runs.
const BOT_USERNAME = "aqstream_test_bot";
const tg = await startFakeTelegram();
process.env.TELEGRAM_BOT_TOKEN = "123456789:TEST_bot-token";
process.env.TELEGRAM_API_ROOT = tg.url;
process.env.TELEGRAM_BOT_USERNAME = BOT_USERNAME;
process.env.APP_URL = "http://checkin.test";
delete process.env.TELEGRAM_WEBHOOK_URL;

const svc = await import("@/lib/check-in");
const { actorOf } = await import("@/lib/permissions");
const { signTicket } = await import("@/lib/tickets/ticket-token");
const { authSecret } = await import("@/lib/env");
const { createSessionForUser } = await import("@/lib/identity/user-sessions");
const { handleUpdate } = await import("@/lib/telegram/bot");
const redeemRoute = await import("@/app/api/check-in/staff/[token]/route");
const scanRoute = await import("@/app/api/check-in/[eventId]/scan/route");
const manifestRoute = await import("@/app/api/check-in/[eventId]/manifest/route");
const searchRoute = await import("@/app/api/check-in/[eventId]/search/route");
const countersRoute = await import("@/app/api/check-in/[eventId]/counters/route");
const staffRoute = await import("@/app/api/check-in/[eventId]/staff/route");
const revokeRoute = await import("@/app/api/check-in/[eventId]/staff/[accessId]/route");

afterAll(async () => {
  await tg.stop();
});

type Actor = NonNullable<ReturnType<typeof actorOf>>;
const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const nonce = () => `n-${randomUUID()}`;
const HOUR = 3600_000;
const qr = (r: Pick<Registration, "eventId" | "id" | "confirmationCode">) => signTicket({ eventId: r.eventId, registrationId: r.id, code: r.confirmationCode });

async function world() {
  const { organization, owner } = await createOrganization();
  const moderator = await createUser({ firstName: "Мария", lastName: "Модератор" });
  await addMember(organization, moderator, "MODERATOR");
  const event = await createEvent(organization);
  const type = await createTicketType(event);
  const reg = await createRegistration(event, type, { firstName: "Анна", lastName: "Гостева", email: `anna-${randomUUID()}@example.test` });
  return { organization, owner, moderator, event, type, reg };
}

/** A door access row made directly (for states the service would not create: expired, revoked). */
async function doorRow(event: Pick<Event, "id">, createdBy: Pick<User, "id">, data: { expiresAt?: Date; revokedAt?: Date | null; label?: string } = {}) {
  return db.eventStaffAccess.create({
    data: {
      eventId: event.id,
      label: data.label ?? "Вход А",
      tokenHash: svc.hashStaffToken(randomUUID()),
      createdById: createdBy.id,
      expiresAt: data.expiresAt ?? new Date(Date.now() + 24 * HOUR),
      revokedAt: data.revokedAt ?? null,
    },
  });
}

/** Every service a scanner calls, with this principal. */
function allCalls(principal: { actor?: Actor | null; doorAccess?: { accessId: string } | null }, eventId: string, regId: string) {
  return {
    scan: () => svc.checkIn({ ...principal, eventId, scan: { nonce: nonce(), method: "MANUAL", registrationId: regId } }),
    sync: () => svc.syncScans({ ...principal, eventId, body: { scans: [{ nonce: nonce(), method: "MANUAL", registrationId: regId }] } }),
    manifest: () => svc.getManifest({ ...principal, eventId }),
    counters: () => svc.getCounters({ ...principal, eventId }),
    search: () => svc.searchAttendees({ ...principal, eventId, q: "Анна" }),
  };
}

async function expectAllRejected(calls: Record<string, () => Promise<unknown>>, expected: { code: string; message?: string }) {
  for (const [name, call] of Object.entries(calls)) {
    await expect(call(), name).rejects.toMatchObject(expected);
  }
}

describe("permission matrix", () => {
  test("anonymous → UNAUTHENTICATED for every service; nothing written", async () => {
    const { event, reg } = await world();
    await expectAllRejected(allCalls({}, event.id, reg.id), { code: "UNAUTHENTICATED" });
    await expect(svc.createStaffLink({ actor: null, eventId: event.id, input: { label: "x" } })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(0);
  });

  test("a user of another organization (even its owner) → NOT_FOUND; a malformed event id → NOT_FOUND", async () => {
    const { event, reg } = await world();
    const other = await createOrganization();
    const stranger = await createUser();
    for (const user of [other.owner, stranger]) {
      await expectAllRejected(allCalls({ actor: as(user) }, event.id, reg.id), { code: "NOT_FOUND" });
      await expect(svc.listStaffLinks({ actor: as(user), eventId: event.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expectAllRejected(allCalls({ actor: as(other.owner) }, "not-a-uuid", reg.id), { code: "NOT_FOUND" });
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(0);
  });

  test("owner, moderator and a platform admin (not a member) may scan", async () => {
    const { owner, moderator, event, type } = await world();
    const admin = await createUser({ isPlatformAdmin: true });
    for (const user of [owner, moderator, admin]) {
      const reg = await createRegistration(event, type);
      const res = await svc.checkIn({ actor: as(user), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
      expect(res.result).toBe("valid");
      expect((await svc.getManifest({ actor: as(user), eventId: event.id })).viewer.kind).toBe("staff");
    }
  });

  test("a door-staff access of another event → refused (FORBIDDEN accessOtherEvent)", async () => {
    const { owner, event, reg } = await world();
    const otherEvent = await createEvent((await db.organization.findUniqueOrThrow({ where: { id: event.organizationId } })));
    const access = await doorRow(otherEvent, owner);
    await expectAllRejected(allCalls({ doorAccess: { accessId: access.id } }, event.id, reg.id), {
      code: "FORBIDDEN",
      message: "checkIn.server.errors.accessOtherEvent",
    });
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(0);
  });

  test("revoked / expired / unknown door access → refused with the reason; nothing written", async () => {
    const { owner, event, reg } = await world();
    const revoked = await doorRow(event, owner, { revokedAt: new Date() });
    const expired = await doorRow(event, owner, { expiresAt: new Date(Date.now() - 1000) });
    await expectAllRejected(allCalls({ doorAccess: { accessId: revoked.id } }, event.id, reg.id), { code: "FORBIDDEN", message: "checkIn.server.errors.accessRevoked" });
    await expectAllRejected(allCalls({ doorAccess: { accessId: expired.id } }, event.id, reg.id), { code: "FORBIDDEN", message: "checkIn.server.errors.accessExpired" });
    await expectAllRejected(allCalls({ doorAccess: { accessId: randomUUID() } }, event.id, reg.id), { code: "FORBIDDEN", message: "checkIn.server.errors.accessInvalid" });
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(0);
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.id } })).status).toBe("CONFIRMED");
  });

  test("door staff scan: recorded with the access and its label; no email anywhere in their answers; email search only exact", async () => {
    const { owner, event, type, reg } = await world();
    const access = await doorRow(event, owner, { label: "Волонтёр Пётр" });
    const door = { doorAccess: { accessId: access.id } };
    const res = await svc.checkIn({ ...door, eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect(res.result).toBe("valid");
    if (res.result !== "valid") return;
    expect(res.attendee).not.toHaveProperty("email");
    expect(res.attendee.checkedInByName).toBe("Волонтёр Пётр");
    const row = await db.checkIn.findUniqueOrThrow({ where: { registrationId: reg.id } });
    expect(row).toMatchObject({ staffAccessId: access.id, checkedInById: null });

    const again = await svc.checkIn({ ...door, eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect(again).toMatchObject({ result: "already_checked_in", checkedInByName: "Волонтёр Пётр" });
    expect(JSON.stringify(again)).not.toContain(reg.email!);

    const cancelled = await createRegistration(event, type, { status: "CANCELLED", email: `c-${randomUUID()}@example.test` });
    const refused = await svc.checkIn({ ...door, eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(cancelled) } });
    expect(refused).toMatchObject({ result: "refused", reason: "cancelled" });
    expect(JSON.stringify(refused)).not.toContain(cancelled.email!);

    const manifest = await svc.getManifest({ ...door, eventId: event.id });
    expect(manifest.viewer).toEqual({ kind: "door", name: "Волонтёр Пётр" });
    expect(manifest.attendees.length).toBe(2);
    for (const a of manifest.attendees) expect(a).not.toHaveProperty("email");
    expect(JSON.stringify(manifest)).not.toContain("@example.test");

    const byName = await svc.searchAttendees({ ...door, eventId: event.id, q: "Гостев" });
    expect(byName.results.map((r) => r.registrationId)).toEqual([reg.id]);
    expect(byName.results[0]).not.toHaveProperty("email");
    // Part of an email finds nothing for door staff (no address oracle); the exact address does.
    expect((await svc.searchAttendees({ ...door, eventId: event.id, q: reg.email!.slice(0, 8) })).results).toEqual([]);
    expect((await svc.searchAttendees({ ...door, eventId: event.id, q: reg.email!.toUpperCase() })).results.map((r) => r.registrationId)).toEqual([reg.id]);
    // Organization staff see the email.
    const staffView = await svc.searchAttendees({ actor: as(owner), eventId: event.id, q: reg.email!.slice(0, 8) });
    expect(staffView.results[0]).toMatchObject({ registrationId: reg.id, email: reg.email });
  });

  test("door staff cannot manage links; a signed-in participant with a door cookie still scans as door staff", async () => {
    const { owner, event, type } = await world();
    const access = await doorRow(event, owner);
    await expect(svc.createStaffLink({ actor: null, eventId: event.id, input: { label: "x" } })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const participant = await createUser();
    const reg = await createRegistration(event, type);
    const res = await svc.checkIn({ actor: as(participant), doorAccess: { accessId: access.id }, eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect(res.result).toBe("valid");
    await expect(svc.listStaffLinks({ actor: as(participant), eventId: event.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("door-staff links", () => {
  test("create: token shown once, only its SHA-256 stored, default expiry = end + 12 h; limits on expiry; list; revoke (idempotent, audited)", async () => {
    const { moderator, owner, event } = await world();
    const link = await svc.createStaffLink({ actor: as(moderator), eventId: event.id, input: { label: "  Вход Б " } });
    expect(link).toMatchObject({ label: "Вход Б", status: "active", checkIns: 0, createdByName: "Мария Модератор" });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.url).toBe(`http://checkin.test/api/check-in/staff/${link.token}`);
    expect(link.telegramUrl).toBe(`https://t.me/${BOT_USERNAME}?start=staff_${link.token}`);
    expect(new Date(link.expiresAt).getTime()).toBe(event.endsAt!.getTime() + 12 * HOUR);
    const row = await db.eventStaffAccess.findUniqueOrThrow({ where: { id: link.id } });
    expect(row.tokenHash).toBe(svc.hashStaffToken(link.token));
    expect(row.tokenHash).not.toContain(link.token);

    const tooLate = new Date(event.endsAt!.getTime() + 8 * 24 * HOUR).toISOString();
    await expect(svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "x", expiresAt: tooLate } })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { expiresAt: "checkIn.server.errors.expiresTooLate" },
    });
    await expect(
      svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "x", expiresAt: new Date(Date.now() - 1000).toISOString() } }),
    ).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { expiresAt: "checkIn.server.errors.expiresPast" } });
    await expect(svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "" } })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { label: "checkIn.server.errors.labelRequired" },
    });
    const custom = new Date(Date.now() + 2 * HOUR);
    const second = await svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "Короткая", expiresAt: custom.toISOString() } });
    expect(new Date(second.expiresAt).getTime()).toBe(custom.getTime());

    const listed = await svc.listStaffLinks({ actor: as(owner), eventId: event.id });
    expect(listed.links.map((l) => l.id)).toEqual([second.id, link.id]);
    expect(JSON.stringify(listed)).not.toContain(link.token);

    const revoked = await svc.revokeStaffLink({ actor: as(owner), eventId: event.id, accessId: link.id });
    expect(revoked.status).toBe("revoked");
    const again = await svc.revokeStaffLink({ actor: as(owner), eventId: event.id, accessId: link.id });
    expect(again.revokedAt).toBe(revoked.revokedAt);
    expect(await db.auditLog.count({ where: { entityId: link.id, action: "check_in.staff_link_revoked" } })).toBe(1);
    // Another event's link id is "not found" here.
    const otherEvent = await createEvent(await db.organization.findUniqueOrThrow({ where: { id: event.organizationId } }));
    await expect(svc.revokeStaffLink({ actor: as(owner), eventId: otherEvent.id, accessId: second.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await svc.redeemStaffToken(link.token)).ok).toBe(false);
  });

  test("redeem: ok / revoked / expired / invalid", async () => {
    const { owner, event } = await world();
    const link = await svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "Л" } });
    expect(await svc.redeemStaffToken(link.token)).toMatchObject({ ok: true, accessId: link.id, eventId: event.id });
    expect(await svc.redeemStaffToken("nope")).toEqual({ ok: false, reason: "invalid" });
    expect(await svc.redeemStaffToken("A".repeat(43))).toEqual({ ok: false, reason: "invalid" });
    await db.eventStaffAccess.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await svc.redeemStaffToken(link.token)).toEqual({ ok: false, reason: "expired" });
    await db.eventStaffAccess.update({ where: { id: link.id }, data: { revokedAt: new Date() } });
    expect(await svc.redeemStaffToken(link.token)).toEqual({ ok: false, reason: "revoked" });
  });
});

describe("HTTP: redeem route, door cookie, JSON errors", () => {
  const eventParams = (eventId: string) => ({ params: Promise.resolve({ eventId }) });

  function req(url: string, init: { method?: string; cookie?: string; body?: unknown; accept?: string; device?: string } = {}) {
    const headers = fromClient("10.1.2.3", { "accept-language": "en" });
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.accept) headers.set("accept", init.accept);
    if (init.device) headers.set("x-device-id", init.device);
    if (init.body !== undefined) headers.set("content-type", "application/json");
    return new Request(`http://checkin.test${url}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  }

  async function sessionCookie(user: User): Promise<string> {
    const name = "authjs.session-token";
    const session = await createSessionForUser(user.id);
    return `${name}=${await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: name, maxAge: 3600 })}`;
  }

  test("a valid link sets an httpOnly, sameSite=lax cookie for its event and redirects to the scanner; the cookie scans; revoking it → 403 JSON", async () => {
    const { owner, event, reg } = await world();
    const link = await svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "Дверь" } });
    const res = await redeemRoute.GET(req(`/api/check-in/staff/${link.token}`), { params: Promise.resolve({ token: link.token }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`http://checkin.test/check-in/${event.id}`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toContain(`aq_door_${event.id}=`);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).toContain("Path=/");
    const cookie = setCookie.split(";")[0];

    const scan = await scanRoute.POST(
      req(`/api/check-in/${event.id}/scan`, { method: "POST", cookie, body: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg), deviceId: "door-1" } }),
      eventParams(event.id),
    );
    expect(scan.status).toBe(200);
    expect(scan.headers.get("cache-control")).toBe("no-store");
    const body = await scan.json();
    expect(body).toMatchObject({ result: "valid", attendee: { registrationId: reg.id, checkedInByName: "Дверь" } });
    expect(body.attendee).not.toHaveProperty("email");
    expect(JSON.stringify(await (await manifestRoute.GET(req(`/api/check-in/${event.id}/manifest`, { cookie }), eventParams(event.id))).json())).not.toContain(
      reg.email!,
    );

    // The cookie is bound to its event: presented for another event it is not even read.
    const otherEvent = await createEvent(await db.organization.findUniqueOrThrow({ where: { id: event.organizationId } }));
    const foreign = await countersRoute.GET(req(`/api/check-in/${otherEvent.id}/counters`, { cookie: cookie.replace(event.id, otherEvent.id) }), eventParams(otherEvent.id));
    expect(foreign.status).toBe(401);
    // A tampered cookie is no cookie.
    const tampered = await countersRoute.GET(req(`/api/check-in/${event.id}/counters`, { cookie: `${cookie.slice(0, -2)}xx` }), eventParams(event.id));
    expect(tampered.status).toBe(401);

    await svc.revokeStaffLink({ actor: as(owner), eventId: event.id, accessId: link.id });
    const after = await countersRoute.GET(req(`/api/check-in/${event.id}/counters`, { cookie }), eventParams(event.id));
    expect(after.status).toBe(403);
    expect(await after.json()).toMatchObject({ ok: false, code: "FORBIDDEN", message: "The organizer has revoked this door link.", messageKey: "checkIn.server.errors.accessRevoked" });

    // Redeeming the revoked link: a redirect to the page that says so (or 403 JSON for an API client).
    const again = await redeemRoute.GET(req(`/api/check-in/staff/${link.token}`), { params: Promise.resolve({ token: link.token }) });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("http://checkin.test/check-in/staff-refused?reason=revoked");
    expect(again.headers.get("set-cookie")).toBeNull();
    const asJson = await redeemRoute.GET(req(`/api/check-in/staff/${link.token}`, { accept: "application/json" }), { params: Promise.resolve({ token: link.token }) });
    expect(asJson.status).toBe(403);
    expect(await asJson.json()).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  test("anonymous → 401 JSON; stranger's session → 404; moderator's session → scan, search with email, staff links via routes", async () => {
    const { owner, moderator, event, reg } = await world();
    const anon = await scanRoute.POST(req(`/api/check-in/${event.id}/scan`, { method: "POST", body: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } }), eventParams(event.id));
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });

    const stranger = await sessionCookie(await createUser());
    const s = await searchRoute.GET(req(`/api/check-in/${event.id}/search?q=Анна`, { cookie: stranger }), eventParams(event.id));
    expect(s.status).toBe(404);

    const cookie = await sessionCookie(moderator);
    const found = await searchRoute.GET(req(`/api/check-in/${event.id}/search?q=${encodeURIComponent("Анна")}`, { cookie }), eventParams(event.id));
    expect(found.status).toBe(200);
    expect((await found.json()).results[0]).toMatchObject({ registrationId: reg.id, email: reg.email });

    const bad = await scanRoute.POST(req(`/api/check-in/${event.id}/scan`, { method: "POST", cookie, body: { nonce: "x", method: "QR_SCAN" } }), eventParams(event.id));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: "VALIDATION" });

    const created = await staffRoute.POST(req(`/api/check-in/${event.id}/staff`, { method: "POST", cookie, body: { label: "Вход В" } }), eventParams(event.id));
    expect(created.status).toBe(201);
    const link = await created.json();
    expect(link).toMatchObject({ label: "Вход В", status: "active" });
    const list = await (await staffRoute.GET(req(`/api/check-in/${event.id}/staff`, { cookie }), eventParams(event.id))).json();
    expect(list.links.map((l: { id: string }) => l.id)).toEqual([link.id]);
    const del = await revokeRoute.DELETE(req(`/api/check-in/${event.id}/staff/${link.id}`, { method: "DELETE", cookie }), {
      params: Promise.resolve({ eventId: event.id, accessId: link.id }),
    });
    expect(del.status).toBe(200);
    expect(await del.json()).toMatchObject({ id: link.id, status: "revoked" });
    void owner;
  });

  test("rate limit: 600 requests a minute per device; the 601st → 429 with Retry-After", async () => {
    const { owner, event } = await world();
    const access = await doorRow(event, owner);
    const cookie = `aq_door_${event.id}=${svc.signDoorCookie({ id: access.id, eventId: event.id, expiresAt: access.expiresAt })}`;
    const device = `dev-${randomUUID()}`;
    // This device has used up its minute (600 counted requests).
    await db.rateLimitBucket.create({ data: { key: limitKey("checkin", "device", `d:${access.id}:${device}`), count: 600, resetAt: new Date(Date.now() + 60_000) } });
    const limited = await countersRoute.GET(req(`/api/check-in/${event.id}/counters`, { cookie, device }), eventParams(event.id));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const otherDevice = await countersRoute.GET(req(`/api/check-in/${event.id}/counters`, { cookie, device: `${device}-2` }), eventParams(event.id));
    expect(otherDevice.status).toBe(200);
  });

  test("one-statement door scan (QR): over the limit, revoked mid-shift, event cancelled or deleted → refused, nothing written", async () => {
    const { owner, event, type } = await world();
    const access = await doorRow(event, owner);
    const door = { doorAccess: { accessId: access.id } };
    const rateLimit = { key: `checkin:test:${randomUUID()}`, limit: 2, windowSeconds: 60 };
    const regs = await Promise.all([1, 2, 3, 4].map(() => createRegistration(event, type)));
    const scan = (reg: Registration) => svc.checkIn({ ...door, eventId: event.id, rateLimit, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect((await scan(regs[0])).result).toBe("valid");
    expect((await scan(regs[1])).result).toBe("valid");
    // Third request of the window: RATE_LIMITED, and the ticket stays CONFIRMED.
    await expect(scan(regs[2])).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect((await db.registration.findUniqueOrThrow({ where: { id: regs[2].id } })).status).toBe("CONFIRMED");
    Object.assign(rateLimit, { key: `checkin:test:${randomUUID()}`, limit: 100 });
    // A bad signature still answers the access error first.
    await db.eventStaffAccess.update({ where: { id: access.id }, data: { revokedAt: new Date() } });
    await expect(svc.checkIn({ ...door, eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: "AQ1.x.y" } })).rejects.toMatchObject({ message: "checkIn.server.errors.accessRevoked" });
    await expect(scan(regs[2])).rejects.toMatchObject({ code: "FORBIDDEN", message: "checkIn.server.errors.accessRevoked" });
    await db.eventStaffAccess.update({ where: { id: access.id }, data: { revokedAt: null } });
    await db.event.update({ where: { id: event.id }, data: { status: "CANCELLED" } });
    expect(await scan(regs[2])).toMatchObject({ result: "refused", reason: "event_not_open" });
    await db.event.update({ where: { id: event.id }, data: { status: "PUBLISHED", deletedAt: new Date() } });
    await expect(scan(regs[3])).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(2);
    expect(await db.registration.count({ where: { id: { in: [regs[2].id, regs[3].id] }, status: "CONFIRMED" } })).toBe(2);
  });
});

describe("Telegram: /start staff_<token>", () => {
  async function send(from: { id: number }, text: string) {
    await handleUpdate({
      update_id: Math.floor(Math.random() * 1e9),
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private" }, from: { ...from, is_bot: false, first_name: "Пётр", language_code: "ru" }, text },
    });
  }
  const lastMessage = (chatId: number) => tg.sent("sendMessage").filter((c) => String(c.params.chat_id) === String(chatId)).at(-1)!;

  test("a valid link: the scanner link as a button; revoked / expired / garbage: the reason", async () => {
    const { owner, event } = await world();
    const link = await svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "Вход <А>" } });
    const from = { id: Number(uniqueTelegramId()) };
    await send(from, `/start staff_${link.token}`);
    const msg = lastMessage(from.id);
    expect(String(msg.params.text)).toContain(event.title);
    expect(String(msg.params.text)).toContain("Вход &lt;А&gt;");
    const button = (msg.params.reply_markup as { inline_keyboard: { text: string; url: string }[][] }).inline_keyboard[0][0];
    expect(button).toEqual({ text: "Открыть сканер", url: `http://checkin.test/api/check-in/staff/${link.token}` });
    // Nothing is granted by the bot itself: no access row changes.
    expect((await db.eventStaffAccess.findUniqueOrThrow({ where: { id: link.id } })).userId).toBeNull();

    await svc.revokeStaffLink({ actor: as(owner), eventId: event.id, accessId: link.id });
    await send(from, `/start staff_${link.token}`);
    expect(String(lastMessage(from.id).params.text)).toBe("Организатор отозвал эту ссылку для входа.");

    const expired = await svc.createStaffLink({ actor: as(owner), eventId: event.id, input: { label: "Б" } });
    await db.eventStaffAccess.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await send(from, `/start staff_${expired.token}`);
    expect(String(lastMessage(from.id).params.text)).toBe("Срок действия ссылки для входа истёк.");

    await send(from, "/start staff_garbage");
    expect(String(lastMessage(from.id).params.text)).toContain("недействительна");
  });
});
