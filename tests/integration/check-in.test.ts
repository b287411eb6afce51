// Check-in against a real PostgreSQL: exactly once under parallel scans, nonce idempotency, every
// refusal reason with nothing written, manual check-in, offline sync with the earliest-scan rule,
// counters, manifest and search. No timing assertions: exact rows and answers.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { checkIn, getCounters, getManifest, searchAttendees, syncScans } from "@/lib/check-in";
import { db } from "@/lib/db";
import type { Registration, TicketType, User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { signTicket, verifyTicket } from "@/lib/tickets/ticket-token";
import type { ScanResponse } from "@/lib/validation/check-in";
import { addMember, createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const nonce = () => `n-${randomUUID()}`;
const HOUR = 60 * 60 * 1000;

function qr(reg: Pick<Registration, "eventId" | "id" | "confirmationCode">): string {
  return signTicket({ eventId: reg.eventId, registrationId: reg.id, code: reg.confirmationCode });
}

async function setup() {
  const { organization, owner } = await createOrganization();
  const moderator = await createUser({ firstName: "Мария", lastName: "Модератор" });
  await addMember(organization, moderator, "MODERATOR");
  const event = await createEvent(organization, { publishedAt: new Date(Date.now() - 48 * HOUR) });
  const type = await createTicketType(event, { name: "Стандарт" });
  return { organization, owner, moderator, event, type };
}

/** What a refusal must leave behind: no check-in, no status change, no audit row, counters as they were. */
async function expectNothingWritten(reg: Registration, type: TicketType) {
  const after = await db.registration.findUniqueOrThrow({ where: { id: reg.id } });
  expect(after.status).toBe(reg.status);
  expect(after.updatedAt.getTime()).toBe(reg.updatedAt.getTime());
  expect(await db.checkIn.count({ where: { registrationId: reg.id } })).toBe(0);
  expect(await db.auditLog.count({ where: { entityId: reg.id, action: { startsWith: "registration.check" } } })).toBe(0);
  const t = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
  expect({ sold: t.soldCount, reserved: t.reservedCount }).toEqual({ sold: type.soldCount, reserved: type.reservedCount });
}

async function freshType(type: TicketType) {
  return db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
}

describe("one scan", () => {
  test("a CONFIRMED ticket becomes CHECKED_IN: one CheckIn row (method, by, nonce), audit row, sold_count unchanged", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type, { firstName: "Иван", lastName: "Петров" });
    const soldBefore = (await freshType(type)).soldCount;
    const n = nonce();
    const res = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: n, method: "QR_SCAN", payload: qr(reg), deviceId: "phone-1" } });
    expect(res.result).toBe("valid");
    if (res.result !== "valid") return;
    expect(res.nonce).toBe(n);
    expect(res.attendee).toMatchObject({ registrationId: reg.id, code: reg.confirmationCode, firstName: "Иван", lastName: "Петров", ticketTypeName: "Стандарт", status: "CHECKED_IN", checkedInByName: "Мария Модератор", email: reg.email });
    expect(res.attendee.checkedInAt).toBe(res.checkedInAt);

    const rows = await db.checkIn.findMany({ where: { registrationId: reg.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ method: "QR_SCAN", checkedInById: moderator.id, staffAccessId: null, clientNonce: n, deviceId: "phone-1", eventId: event.id });
    expect(rows[0].checkedInAt.toISOString()).toBe(res.checkedInAt);
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.id } })).status).toBe("CHECKED_IN");
    const audit = await db.auditLog.findMany({ where: { entityId: reg.id, action: "registration.checked_in" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: moderator.id, organizationId: event.organizationId });
    // CHECKED_IN stays counted in sold_count (docs/registrations.md).
    expect((await freshType(type)).soldCount).toBe(soldBefore);
  });

  test("20 parallel check-ins of one ticket → exactly one CheckIn, 19 already_checked_in with the winner's time and name", async () => {
    const { owner, moderator, event, type } = await setup();
    const reg = await createRegistration(event, type);
    const actors = [as(owner), as(moderator)];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        checkIn({ actor: actors[i % 2], eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg), deviceId: `phone-${i}` } }),
      ),
    );
    const valid = answers.filter((a) => a.result === "valid");
    const already = answers.filter((a) => a.result === "already_checked_in");
    expect(valid).toHaveLength(1);
    expect(already).toHaveLength(19);
    const rows = await db.checkIn.findMany({ where: { registrationId: reg.id } });
    expect(rows).toHaveLength(1);
    const winner = valid[0] as Extract<ScanResponse, { result: "valid" }>;
    expect(rows[0].clientNonce).toBe(winner.nonce);
    const winnerName = rows[0].checkedInById === owner.id ? `${owner.firstName} ${owner.lastName}` : "Мария Модератор";
    for (const a of already) {
      if (a.result !== "already_checked_in") continue;
      expect(a.checkedInAt).toBe(winner.checkedInAt);
      expect(a.checkedInByName).toBe(winnerName);
      expect(a.attendee.status).toBe("CHECKED_IN");
    }
    expect(await db.auditLog.count({ where: { entityId: reg.id, action: "registration.checked_in" } })).toBe(1);
  });

  test("the same nonce 10× in parallel → one row, ten identical answers; a later retry answers the same again", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type);
    const scan = { nonce: nonce(), method: "QR_SCAN" as const, payload: qr(reg), deviceId: "phone-1" };
    const answers = await Promise.all(Array.from({ length: 10 }, () => checkIn({ actor: as(moderator), eventId: event.id, scan })));
    expect(await db.checkIn.count({ where: { registrationId: reg.id } })).toBe(1);
    expect(answers[0].result).toBe("valid");
    for (const a of answers) expect(a).toEqual(answers[0]);
    const retry = await checkIn({ actor: as(moderator), eventId: event.id, scan });
    expect(retry).toEqual(answers[0]);
    // Even a retry whose body names another ticket returns the first result and writes nothing.
    const other = await createRegistration(event, type);
    const sneaky = await checkIn({ actor: as(moderator), eventId: event.id, scan: { ...scan, payload: qr(other) } });
    expect(sneaky).toEqual(answers[0]);
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(1);
    expect((await db.registration.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("CONFIRMED");
  });

  test("a second scan later (new nonce) → already_checked_in with the first time", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type);
    const first = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    const second = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect(second.result).toBe("already_checked_in");
    if (first.result !== "valid" || second.result !== "already_checked_in") return;
    expect(second.checkedInAt).toBe(first.checkedInAt);
    expect(second.checkedInByName).toBe("Мария Модератор");
  });

  test("a CHECKED_IN registration without a CheckIn row (older data) → already_checked_in, nothing written", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type, { status: "CHECKED_IN" });
    const res = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect(res).toMatchObject({ result: "already_checked_in", checkedInAt: reg.updatedAt.toISOString(), checkedInByName: null });
    expect(await db.checkIn.count({ where: { registrationId: reg.id } })).toBe(0);
  });

  test("MANUAL check-in by registration id", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type);
    const res = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "MANUAL", registrationId: reg.id } });
    expect(res.result).toBe("valid");
    const row = await db.checkIn.findUniqueOrThrow({ where: { registrationId: reg.id } });
    expect(row.method).toBe("MANUAL");
    expect(row.checkedInById).toBe(moderator.id);
  });
});

describe("refusals: the right reason and nothing written", () => {
  test("garbage, forged signature, tampered body → malformed / bad_signature", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type);
    const typeNow = await freshType(type);
    const good = qr(reg);
    const [prefix, body, sig] = good.split(".");
    // Flip one byte of the signature (re-encoded canonically, so it is a well-formed payload).
    const sigBytes = Buffer.from(sig, "base64url");
    sigBytes[10] ^= 0x01;
    const flippedSig = `${prefix}.${body}.${sigBytes.toString("base64url")}`;
    // Tamper the body: another registration id with the original signature.
    const bodyBytes = Buffer.from(body, "base64url");
    bodyBytes[20] ^= 0x01;
    const tamperedBody = `${prefix}.${bodyBytes.toString("base64url")}.${sig}`;
    expect(verifyTicket(flippedSig)).toEqual({ ok: false, reason: "bad_signature" });

    const cases: [string, string][] = [
      ["hello world", "malformed"],
      ["https://example.com/ticket/ABC", "malformed"],
      [`AQ1.${body}`, "malformed"],
      [flippedSig, "bad_signature"],
      [tamperedBody, "bad_signature"],
    ];
    for (const [payload, reason] of cases) {
      const res = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload } });
      expect(res).toMatchObject({ result: "refused", reason });
      expect("attendee" in res && res.attendee).toBeFalsy();
    }
    await expectNothingWritten(reg, typeNow);
  });

  test("a valid ticket of another event → other_event (no attendee data), nothing written", async () => {
    const { moderator, event } = await setup();
    const otherEvent = await createEvent(await db.organization.findUniqueOrThrow({ where: { id: event.organizationId } }));
    const otherType = await createTicketType(otherEvent);
    const reg = await createRegistration(otherEvent, otherType);
    const typeNow = await freshType(otherType);
    const res = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect(res).toEqual({ result: "refused", reason: "other_event", nonce: res.nonce });
    await expectNothingWritten(reg, typeNow);
  });

  test("a signed ticket whose registration does not exist → not_found; MANUAL of another event's registration → not_found", async () => {
    const { moderator, event } = await setup();
    const payload = signTicket({ eventId: event.id, registrationId: randomUUID(), code: "ABCDEFGH" });
    expect(await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload } })).toMatchObject({
      result: "refused",
      reason: "not_found",
    });
    const otherEvent = await createEvent(await db.organization.findUniqueOrThrow({ where: { id: event.organizationId } }));
    const foreign = await createRegistration(otherEvent, await createTicketType(otherEvent));
    expect(
      await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "MANUAL", registrationId: foreign.id } }),
    ).toMatchObject({ result: "refused", reason: "not_found" });
    expect(await db.checkIn.count({ where: { registrationId: foreign.id } })).toBe(0);
  });

  test.each([
    ["CANCELLED", "cancelled"],
    ["EXPIRED", "expired"],
    ["RESERVED", "unpaid"],
    ["PENDING", "unpaid"],
  ] as const)("%s → %s, with the attendee, nothing written", async (status, reason) => {
    const { moderator, event } = await setup();
    const paid = await createTicketType(event, { priceCents: 50000, reservationMinutes: 30 });
    const reg = await createRegistration(event, paid, { status });
    const typeNow = await freshType(paid);
    for (const method of ["QR_SCAN", "MANUAL"] as const) {
      const scan = method === "QR_SCAN" ? { nonce: nonce(), method, payload: qr(reg) } : { nonce: nonce(), method, registrationId: reg.id };
      const res = await checkIn({ actor: as(moderator), eventId: event.id, scan });
      expect(res).toMatchObject({ result: "refused", reason, attendee: { registrationId: reg.id, status } });
    }
    await expectNothingWritten(reg, typeNow);
  });

  test("a RESERVED registration past its expiry is 'expired' before the sweep runs", async () => {
    const { moderator, event } = await setup();
    const paid = await createTicketType(event, { priceCents: 50000, reservationMinutes: 30 });
    const reg = await createRegistration(event, paid, { status: "RESERVED", expiresAt: new Date(Date.now() - 60_000) });
    const res = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
    expect(res).toMatchObject({ result: "refused", reason: "expired", attendee: { status: "EXPIRED" } });
  });

  test("event cancelled or still a draft → event_not_open, nothing written", async () => {
    for (const status of ["CANCELLED", "DRAFT"] as const) {
      const { moderator, event, type } = await setup();
      const reg = await createRegistration(event, type);
      const typeNow = await freshType(type);
      await db.event.update({ where: { id: event.id }, data: { status } });
      const res = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(reg) } });
      expect(res).toMatchObject({ result: "refused", reason: "event_not_open" });
      await expectNothingWritten(reg, typeNow);
    }
  });

  test("a scan body that breaks the contract → VALIDATION, nothing written", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type);
    for (const scan of [{ nonce: "short", method: "QR_SCAN", payload: qr(reg) }, { nonce: nonce(), method: "MANUAL" }, { nonce: nonce(), method: "QR_SCAN" }]) {
      await expect(checkIn({ actor: as(moderator), eventId: event.id, scan })).rejects.toMatchObject({ code: "VALIDATION" });
    }
    expect(await db.checkIn.count({ where: { registrationId: reg.id } })).toBe(0);
  });
});

describe("offline sync", () => {
  async function syncSetup() {
    const s = await setup();
    const past = new Date(Date.now() - 3 * HOUR);
    const reg = await createRegistration(s.event, s.type, { confirmedAt: past });
    return { ...s, reg };
  }

  test("two devices scanned one ticket offline: the earliest scan wins (also when it syncs second); the other is a conflict", async () => {
    const { moderator, owner, event, reg } = await syncSetup();
    const early = new Date(Date.now() - 20 * 60_000).toISOString();
    const late = new Date(Date.now() - 5 * 60_000).toISOString();
    const nA = nonce();
    const nB = nonce();
    // Device A (later scan) syncs first.
    const a = await syncScans({ actor: as(owner), eventId: event.id, body: { scans: [{ nonce: nA, method: "QR_SCAN", payload: qr(reg), deviceId: "A", scannedAt: late }] } });
    expect(a.results[0]).toMatchObject({ result: "valid", checkedInAt: late });
    expect(a.conflicts).toEqual([]);
    // Device B (earlier scan) syncs second: the check-in moves to B's scan, A's becomes the conflict.
    const b = await syncScans({ actor: as(moderator), eventId: event.id, body: { scans: [{ nonce: nB, method: "QR_SCAN", payload: qr(reg), deviceId: "B", scannedAt: early }] } });
    expect(b.results[0]).toMatchObject({ result: "valid", checkedInAt: early, nonce: nB });
    expect(b.conflicts).toEqual([
      { registrationId: reg.id, code: reg.confirmationCode, name: `${reg.firstName} ${reg.lastName}`, winnerAt: early, winnerBy: "Мария Модератор", loserNonce: nA, loserScannedAt: late },
    ]);
    const rows = await db.checkIn.findMany({ where: { registrationId: reg.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ clientNonce: nB, deviceId: "B", checkedInById: moderator.id });
    expect(rows[0].checkedInAt.toISOString()).toBe(early);
    expect(await db.auditLog.count({ where: { entityId: reg.id, action: "registration.check_in_earlier_scan" } })).toBe(1);

    // A later sync of a third, later scan loses to the earliest.
    const c = await syncScans({ actor: as(owner), eventId: event.id, body: { scans: [{ nonce: nonce(), method: "MANUAL", registrationId: reg.id, deviceId: "C", scannedAt: late }] } });
    expect(c.results[0]).toMatchObject({ result: "already_checked_in", checkedInAt: early, checkedInByName: "Мария Модератор" });
    expect(c.conflicts).toHaveLength(1);
    expect(c.conflicts[0]).toMatchObject({ winnerAt: early, loserScannedAt: late });
  });

  test("one batch with both devices' scans (out of order): processed by scannedAt, earliest wins, one conflict; retry of the batch counts nothing twice", async () => {
    const { moderator, event, reg, type } = await syncSetup();
    const reg2 = await createRegistration(event, type, { confirmedAt: new Date(Date.now() - 3 * HOUR) });
    const t1 = new Date(Date.now() - 30 * 60_000).toISOString();
    const t2 = new Date(Date.now() - 10 * 60_000).toISOString();
    const body = {
      scans: [
        { nonce: nonce(), method: "QR_SCAN", payload: qr(reg), deviceId: "A", scannedAt: t2 },
        { nonce: nonce(), method: "QR_SCAN", payload: qr(reg), deviceId: "B", scannedAt: t1 },
        { nonce: nonce(), method: "MANUAL", registrationId: reg2.id, deviceId: "A", scannedAt: t2 },
        { nonce: nonce(), method: "QR_SCAN", payload: "garbage", deviceId: "A", scannedAt: t1 },
      ],
    };
    const res = await syncScans({ actor: as(moderator), eventId: event.id, body });
    expect(res.results.map((r) => r.result)).toEqual(["already_checked_in", "valid", "valid", "refused"]);
    expect(res.results.map((r) => r.nonce)).toEqual(body.scans.map((s) => s.nonce));
    expect(res.results[1]).toMatchObject({ checkedInAt: t1 });
    expect(res.conflicts).toEqual([expect.objectContaining({ registrationId: reg.id, winnerAt: t1, loserNonce: body.scans[0].nonce, loserScannedAt: t2 })]);
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(2);

    const again = await syncScans({ actor: as(moderator), eventId: event.id, body });
    expect(again.results.slice(1)).toEqual(res.results.slice(1));
    expect(await db.checkIn.count({ where: { eventId: event.id } })).toBe(2);
  });

  test("scan times are clamped: never in the future, never before the registration was confirmed", async () => {
    const { moderator, event, type } = await setup();
    const confirmedAt = new Date(Date.now() - HOUR);
    const r1 = await createRegistration(event, type, { confirmedAt });
    const r2 = await createRegistration(event, type, { confirmedAt });
    const res = await syncScans({
      actor: as(moderator),
      eventId: event.id,
      body: {
        scans: [
          { nonce: nonce(), method: "MANUAL", registrationId: r1.id, scannedAt: new Date(Date.now() + 24 * HOUR).toISOString() },
          { nonce: nonce(), method: "MANUAL", registrationId: r2.id, scannedAt: new Date(Date.now() - 400 * 24 * HOUR).toISOString() },
        ],
      },
    });
    const [a, b] = res.results;
    if (a.result !== "valid" || b.result !== "valid") throw new Error("expected two valid check-ins");
    expect(new Date(a.checkedInAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(b.checkedInAt).getTime()).toBe(confirmedAt.getTime());
  });
});

describe("reads", () => {
  async function populated() {
    const s = await setup();
    const vip = await createTicketType(s.event, { name: "VIP", sortOrder: 1 });
    const paid = await createTicketType(s.event, { name: "Платный", priceCents: 1000, sortOrder: 2 });
    const a = await createRegistration(s.event, s.type, { firstName: "Анна", lastName: "Иванова", email: "anna@example.test" });
    const b = await createRegistration(s.event, s.type, { firstName: "Борис", lastName: "Смирнов" });
    const c = await createRegistration(s.event, vip, { firstName: "Вера", lastName: "Кузнецова" });
    await createRegistration(s.event, paid, { status: "PENDING" });
    await createRegistration(s.event, s.type, { status: "CANCELLED" });
    await checkIn({ actor: as(s.moderator), eventId: s.event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(a) } });
    await checkIn({ actor: as(s.moderator), eventId: s.event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(c) } });
    return { ...s, vip, paid, a, b, c };
  }

  test("counters: checked in / expected (CONFIRMED + CHECKED_IN), in total and per ticket type", async () => {
    const { moderator, event, type, vip, paid } = await populated();
    const counters = await getCounters({ actor: as(moderator), eventId: event.id });
    expect(counters.checkedIn).toBe(2);
    expect(counters.expected).toBe(3);
    expect(counters.perType).toEqual([
      { ticketTypeId: type.id, name: "Стандарт", checkedIn: 1, expected: 2 },
      { ticketTypeId: vip.id, name: "VIP", checkedIn: 1, expected: 1 },
      { ticketTypeId: paid.id, name: "Платный", checkedIn: 0, expected: 0 },
    ]);
  });

  test("manifest: every registration with status, the public key (verifies a real ticket), counters; no emails", async () => {
    const { moderator, event, a } = await populated();
    const m = await getManifest({ actor: as(moderator), eventId: event.id });
    expect(m.viewer).toEqual({ kind: "staff", name: "Мария Модератор" });
    expect(m.attendees).toHaveLength(5);
    const anna = m.attendees.find((x) => x.registrationId === a.id)!;
    expect(anna).toMatchObject({ status: "CHECKED_IN", firstName: "Анна Иванова", checkedInByName: "Мария Модератор" });
    // The door needs no emails (format 2 carries none, for staff either; the online search finds them).
    expect(JSON.stringify(m)).not.toContain("anna@example.test");
    expect(m.counters.checkedIn).toBe(2);
    // The SPKI key verifies the payload the server signed.
    const { createPublicKey, verify } = await import("node:crypto");
    const key = createPublicKey({ key: Buffer.from(m.publicKeySpki, "base64"), format: "der", type: "spki" });
    const payload = qr(a);
    const [p, body, sig] = payload.split(".");
    expect(verify(null, Buffer.from(`${p}.${body}`, "ascii"), key, Buffer.from(sig, "base64url"))).toBe(true);
  });

  test("search: by name, code prefix and email (staff); at most 20; wildcards are literal", async () => {
    const { moderator, event, a, b } = await populated();
    const actor = as(moderator);
    expect((await searchAttendees({ actor, eventId: event.id, q: "смирн" })).results.map((r) => r.registrationId)).toEqual([b.id]);
    expect((await searchAttendees({ actor, eventId: event.id, q: a.confirmationCode.slice(0, 5).toLowerCase() })).results[0].registrationId).toBe(a.id);
    expect((await searchAttendees({ actor, eventId: event.id, q: "anna@exa" })).results.map((r) => r.registrationId)).toEqual([a.id]);
    expect((await searchAttendees({ actor, eventId: event.id, q: "%" })).results).toEqual([]);
    expect((await searchAttendees({ actor, eventId: event.id, q: "" })).results).toEqual([]);
    const type = await createTicketType(event, { quantity: null });
    for (let i = 0; i < 25; i++) await createRegistration(event, type, { firstName: "Дублёр", lastName: `Номер${i}` });
    expect((await searchAttendees({ actor, eventId: event.id, q: "Дублёр" })).results).toHaveLength(20);
  });
});

