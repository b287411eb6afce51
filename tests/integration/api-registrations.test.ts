// REST API v1 — registrations, check-ins, waitlist, payments and refunds, personal tickets — against a
// real PostgreSQL, every call through the contract harness (tests/integration/api/harness.ts callApi:
// each answer is validated against the generated OpenAPI document).
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { revokeApiToken } from "@/lib/api";
import type { ApiScope } from "@/lib/api/scopes";
import { ORGANIZATION_SCOPES } from "@/lib/api/scopes";
import { db } from "@/lib/db";
import type { Event, Organization, TicketType, User } from "@/lib/generated/prisma/client";
import { signTicket } from "@/lib/tickets/ticket-token";
import { callApi } from "@/tests/integration/api/harness";
import { createTestToken } from "@/tests/integration/api/token-fixture";
import { connectPayments, createEvent, createGroup, createOrganization, createRegistration, createTicketType, createUser, uniqueEmail } from "@/tests/helpers/factories";

type World = { organization: Organization; owner: User; event: Event; free: TicketType; paid: TicketType };

async function world(options: { freeSeats?: number } = {}): Promise<World> {
  const { organization, owner } = await createOrganization();
  await connectPayments(organization);
  const event = await createEvent(organization);
  const free = await createTicketType(event, { name: "Free", quantity: options.freeSeats ?? 100 });
  const paid = await createTicketType(event, { name: "Paid", priceCents: 150_000, reservationMinutes: 60, quantity: 50 });
  return { organization, owner, event, free, paid };
}

function tokenOf(w: Pick<World, "organization" | "owner">, scopes: readonly ApiScope[] = ORGANIZATION_SCOPES) {
  return createTestToken({ userId: w.owner.id, organizationId: w.organization.id, scopes });
}

const person = (firstName = "Анна") => ({ firstName, lastName: "Иванова", email: uniqueEmail("api-participant") });

async function register(token: string, w: Pick<World, "event">, ticketTypeId: string, extra: { key?: string; firstName?: string } = {}) {
  return callApi({
    method: "POST",
    path: `/events/${w.event.id}/registrations`,
    token,
    body: { ticketTypeId, ...person(extra.firstName) },
    headers: extra.key ? { "idempotency-key": extra.key } : {},
  });
}

describe("REST v1 registrations: the journey with one token", () => {
  test("register → list in cursor pages and by updatedSince → mark paid → check in by code and by QR → second check-in 409 → refund → cancel", async () => {
    const w = await world();
    const { token } = await tokenOf(w);

    // register: a paid type reserves, a free one confirms
    const paidReg = await register(token, w, w.paid.id, { firstName: "Платный" });
    expect(paidReg.status).toBe(201);
    expect(paidReg.body.data).toMatchObject({ eventId: w.event.id, ticketTypeId: w.paid.id, status: "RESERVED", priceCents: 150_000, currency: "RUB", isGuest: true, paidCents: 0 });
    expect(paidReg.body.data.amountDue).toMatchObject({ kind: "FULL", amountCents: 150_000 });
    const freeA = await register(token, w, w.free.id, { firstName: "Первый" });
    const freeB = await register(token, w, w.free.id, { firstName: "Второй" });
    expect([freeA.status, freeB.status]).toEqual([201, 201]);
    expect(freeB.body.data.status).toBe("CONFIRMED");
    // the organizer's sale is audited as the organizer's, and the seats are counted
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: freeA.body.data.id, action: "registration.created" } });
    expect(audit.actorId).toBe(w.owner.id);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.free.id } })).soldCount).toBe(2);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.paid.id } })).reservedCount).toBe(1);

    // list: pages of 2, oldest first, no overlap; the last page says so
    const page1 = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token, query: { limit: 2 } });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((r: { id: string }) => r.id)).toEqual([paidReg.body.data.id, freeA.body.data.id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    expect(page1.headers.get("etag")).toBeTruthy();
    const page2 = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token, query: { limit: 2, cursor: page1.body.nextCursor } });
    expect(page2.body.data.map((r: { id: string }) => r.id)).toEqual([freeB.body.data.id]);
    expect(page2.body.nextCursor).toBeNull();
    // a cursor of another query (another filter) → 400 on `cursor`
    const foreign = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token, query: { limit: 2, cursor: page1.body.nextCursor, status: "CONFIRMED" } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.fieldErrors.cursor).toBeTruthy();
    // filters
    const confirmed = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token, query: { status: "CONFIRMED" } });
    expect(confirmed.body.data.map((r: { id: string }) => r.id).sort()).toEqual([freeA.body.data.id, freeB.body.data.id].sort());
    const searched = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token, query: { q: "Платный" } });
    expect(searched.body.data.map((r: { id: string }) => r.id)).toEqual([paidReg.body.data.id]);

    // mark paid; then updatedSince lists only what changed
    const since = new Date(Date.now() - 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const paid = await callApi({ method: "POST", path: `/registrations/${paidReg.body.data.id}/mark-paid`, token, body: {}, headers: { "idempotency-key": "pay-1" } });
    expect(paid.status).toBe(200);
    expect(paid.body.data).toMatchObject({ registrationId: paidReg.body.data.id, kind: "FULL", amountCents: 150_000, registrationStatus: "CONFIRMED" });
    const again = await callApi({ method: "POST", path: `/registrations/${paidReg.body.data.id}/mark-paid`, token, body: {}, headers: { "idempotency-key": "pay-1" } });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.data.paymentId).toBe(paid.body.data.paymentId);
    expect(await db.payment.count({ where: { registrationId: paidReg.body.data.id } })).toBe(1);
    const changed = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token, query: { updatedSince: since } });
    expect(changed.body.data.map((r: { id: string }) => r.id)).toEqual([paidReg.body.data.id]);
    const one = await callApi({ method: "GET", path: `/registrations/${paidReg.body.data.id}`, token });
    expect(one.body.data).toMatchObject({ status: "CONFIRMED", paidCents: 150_000, amountDue: null });

    // check in by the code (case and hyphens ignored), then again → 409 with the first time
    const code: string = paidReg.body.data.confirmationCode;
    const typed = `${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()}`;
    const checkIn = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: typed } });
    expect(checkIn.status).toBe(201);
    expect(checkIn.body.data).toMatchObject({ registrationId: paidReg.body.data.id, confirmationCode: code, status: "CHECKED_IN" });
    const twice = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("ALREADY_CHECKED_IN");
    expect(twice.body.details).toMatchObject({ registrationId: paidReg.body.data.id, checkedInAt: checkIn.body.data.checkedInAt });
    expect(await db.checkIn.count({ where: { registrationId: paidReg.body.data.id } })).toBe(1);

    // check in by the QR payload
    const payload = signTicket({ eventId: w.event.id, registrationId: freeA.body.data.id, code: freeA.body.data.confirmationCode });
    const byQr = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { qrPayload: payload } });
    expect(byQr.status).toBe(201);
    expect(byQr.body.data.registrationId).toBe(freeA.body.data.id);
    // a forged QR → 400 on qrPayload; both or neither → 400; nothing written
    const forged = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { qrPayload: `${payload.slice(0, -4)}AAAA` } });
    expect(forged.status).toBe(400);
    expect(forged.body.fieldErrors.qrPayload).toBeTruthy();
    const both = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code, qrPayload: payload } });
    expect(both.status).toBe(400);
    const unknownCode = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: "ZZZZZZZZ" } });
    expect(unknownCode.status).toBe(404);

    const checkIns = await callApi({ method: "GET", path: `/events/${w.event.id}/check-ins`, token, query: { limit: 1 } });
    expect(checkIns.body.data).toHaveLength(1);
    const checkIns2 = await callApi({ method: "GET", path: `/events/${w.event.id}/check-ins`, token, query: { limit: 1, cursor: checkIns.body.nextCursor } });
    expect([checkIns.body.data[0].registrationId, checkIns2.body.data[0].registrationId]).toEqual([paidReg.body.data.id, freeA.body.data.id]);
    expect(checkIns2.body.nextCursor).toBeNull();

    // payments: the manual payment, then a partial refund shows on it
    const payments = await callApi({ method: "GET", path: `/events/${w.event.id}/payments`, token });
    expect(payments.body.data).toHaveLength(1);
    expect(payments.body.data[0]).toMatchObject({ id: paid.body.data.paymentId, status: "COMPLETED", amountCents: 150_000, provider: "manual", registrationId: paidReg.body.data.id, refunds: [] });
    const refund = await callApi({ method: "POST", path: `/payments/${paid.body.data.paymentId}/refunds`, token, body: { amountCents: 50_000, reason: "Скидка" } });
    expect(refund.status).toBe(201);
    const afterRefund = await callApi({ method: "GET", path: `/events/${w.event.id}/payments`, token });
    expect(afterRefund.body.data[0].refunds).toEqual([expect.objectContaining({ id: refund.body.data.refundId, amountCents: 50_000, reason: "Скидка" })]);
    const tooMuch = await callApi({ method: "POST", path: `/payments/${paid.body.data.paymentId}/refunds`, token, body: { amountCents: 500_000 } });
    expect([400, 409]).toContain(tooMuch.status);
    expect(await db.refund.count({ where: { paymentId: paid.body.data.paymentId } })).toBe(1);

    // cancel by the organizer; again → 409
    const cancel = await callApi({ method: "POST", path: `/registrations/${freeB.body.data.id}/cancel`, token, body: { reason: "Мероприятие переполнено" } });
    expect(cancel.status).toBe(200);
    expect(cancel.body.data).toMatchObject({ status: "CANCELLED", cancellationReason: "Мероприятие переполнено" });
    const cancelAgain = await callApi({ method: "POST", path: `/registrations/${freeB.body.data.id}/cancel`, token, body: { reason: "Ещё раз" } });
    expect(cancelAgain.status).toBe(409);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.free.id } })).soldCount).toBe(1);
  });

  test("bad input: unknown field, missing name or email, an unknown ticket type → 4xx with field errors, nothing written", async () => {
    const w = await world();
    const { token } = await tokenOf(w);
    const path = `/events/${w.event.id}/registrations`;
    const unknownField = await callApi({ method: "POST", path, token, body: { ticketTypeId: w.free.id, ...person(), vip: true } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.fieldErrors.vip).toBeTruthy();
    const noEmail = await callApi({ method: "POST", path, token, body: { ticketTypeId: w.free.id, firstName: "Анна", email: "" } });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.fieldErrors.email).toBeTruthy();
    const badEmail = await callApi({ method: "POST", path, token, body: { ticketTypeId: w.free.id, firstName: "Анна", email: "not-an-email" } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.fieldErrors.email).toBeTruthy();
    const noType = await callApi({ method: "POST", path, token, body: { ticketTypeId: randomUUID(), ...person() } });
    expect(noType.status).toBe(404);
    const tooBig = await callApi({ method: "POST", path, token, body: JSON.stringify({ ticketTypeId: w.free.id, ...person(), customFields: { x: "y".repeat(70_000) } }) });
    expect(tooBig.status).toBe(400);
    const badLimit = await callApi({ method: "GET", path, token, query: { limit: 1000 } });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.fieldErrors.limit).toBeTruthy();
    expect(await db.registration.count({ where: { eventId: w.event.id } })).toBe(0);
  });
});

describe("REST v1 registrations: the organizer's sale and the door's refusals", () => {
  test("the organizer registers on a private event without guests, on a hidden type; still never past the seats or the sales window", async () => {
    const { organization, owner } = await createOrganization();
    const group = await createGroup(organization);
    const event = await createEvent(organization, { groupId: group.id, settings: { allowGuests: false } });
    const hidden = await createTicketType(event, { name: "Hidden", isHidden: true, quantity: 1 });
    const closed = await createTicketType(event, { name: "Closed", salesEnd: new Date(Date.now() - 60_000) });
    const { token } = await tokenOf({ organization, owner });
    const first = await register(token, { event }, hidden.id);
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ status: "CONFIRMED", isGuest: true, ticketTypeId: hidden.id });
    const soldOut = await register(token, { event }, hidden.id);
    expect(soldOut.status).toBe(409);
    const late = await register(token, { event }, closed.id);
    expect([400, 409]).toContain(late.status);
    expect(await db.registration.count({ where: { eventId: event.id } })).toBe(1);
  });

  test("check-in refusals: unpaid → 409 CHECK_IN_REFUSED, cancelled → 409; the same Idempotency-Key is the same scan; sync filters by updatedSince; ETag → 304", async () => {
    const w = await world();
    const { token } = await tokenOf(w);
    const reserved = await register(token, w, w.paid.id);
    const unpaid = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: reserved.body.data.confirmationCode } });
    expect(unpaid.status).toBe(409);
    expect(unpaid.body).toMatchObject({ code: "CHECK_IN_REFUSED", details: { reason: "unpaid", registrationId: reserved.body.data.id } });
    const cancelled = await createRegistration(w.event, w.free, { status: "CANCELLED" });
    const refused = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: cancelled.confirmationCode } });
    expect(refused.status).toBe(409);
    expect(refused.body.details.reason).toBe("cancelled");
    expect(await db.checkIn.count({ where: { eventId: w.event.id } })).toBe(0);

    const early = await createRegistration(w.event, w.free);
    const late = await createRegistration(w.event, w.free);
    const key = `door-${randomUUID()}`;
    const first = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: early.confirmationCode }, headers: { "idempotency-key": key } });
    const retry = await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: early.confirmationCode }, headers: { "idempotency-key": key } });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.data.checkedInAt).toBe(first.body.data.checkedInAt);
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: late.confirmationCode } });
    const all = await callApi({ method: "GET", path: `/events/${w.event.id}/check-ins`, token });
    expect(all.body.data.map((c: { registrationId: string }) => c.registrationId)).toEqual([early.id, late.id]);
    const changed = await callApi({ method: "GET", path: `/events/${w.event.id}/check-ins`, token, query: { updatedSince: since } });
    expect(changed.body.data.map((c: { registrationId: string }) => c.registrationId)).toEqual([late.id]);

    // a read answers an ETag; the same ETag back → 304 with no body
    const list = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token });
    const etag = list.headers.get("etag")!;
    const notModified = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token, headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    // payments: nothing yet, then a payment changed since
    const sincePay = new Date().toISOString();
    expect((await callApi({ method: "GET", path: `/events/${w.event.id}/payments`, token, query: { updatedSince: sincePay } })).body.data).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const paid = await callApi({ method: "POST", path: `/registrations/${reserved.body.data.id}/mark-paid`, token, body: {} });
    const payments = await callApi({ method: "GET", path: `/events/${w.event.id}/payments`, token, query: { updatedSince: sincePay } });
    expect(payments.body.data.map((p: { id: string }) => p.id)).toEqual([paid.body.data.paymentId]);
  });
});

describe("REST v1 registrations: tenant isolation", () => {
  test("a token of organization B gets 404 for the event, registration and payment of A, and nothing changes", async () => {
    const a = await world();
    const b = await world();
    const { token: tokenA } = await tokenOf(a);
    const { token: tokenB } = await tokenOf(b);
    const reg = await register(tokenA, a, a.paid.id);
    const paid = await callApi({ method: "POST", path: `/registrations/${reg.body.data.id}/mark-paid`, token: tokenA, body: {} });
    expect(paid.status).toBe(200);
    const pending = await register(tokenA, a, a.paid.id);
    const regId = pending.body.data.id;
    const paymentId = paid.body.data.paymentId;
    const before = await db.registration.findMany({ where: { eventId: a.event.id }, orderBy: { id: "asc" } });

    const calls = [
      callApi({ method: "GET", path: `/events/${a.event.id}/registrations`, token: tokenB }),
      callApi({ method: "POST", path: `/events/${a.event.id}/registrations`, token: tokenB, body: { ticketTypeId: a.free.id, ...person() } }),
      callApi({ method: "GET", path: `/registrations/${regId}`, token: tokenB }),
      callApi({ method: "POST", path: `/registrations/${regId}/cancel`, token: tokenB, body: { reason: "чужой" } }),
      callApi({ method: "POST", path: `/registrations/${regId}/mark-paid`, token: tokenB, body: {} }),
      callApi({ method: "GET", path: `/events/${a.event.id}/check-ins`, token: tokenB }),
      callApi({ method: "POST", path: `/events/${a.event.id}/check-ins`, token: tokenB, body: { code: reg.body.data.confirmationCode } }),
      callApi({ method: "GET", path: `/events/${a.event.id}/waitlist`, token: tokenB }),
      callApi({ method: "GET", path: `/events/${a.event.id}/payments`, token: tokenB }),
      callApi({ method: "POST", path: `/payments/${paymentId}/refunds`, token: tokenB, body: {} }),
    ];
    const answers = await Promise.all(calls);
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 404));
    // B's own event with A's code: the code is not of this event
    const crossCode = await callApi({ method: "POST", path: `/events/${b.event.id}/check-ins`, token: tokenB, body: { code: reg.body.data.confirmationCode } });
    expect(crossCode.status).toBe(404);
    expect(await db.registration.findMany({ where: { eventId: a.event.id }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.checkIn.count({ where: { eventId: a.event.id } })).toBe(0);
    expect(await db.refund.count({ where: { paymentId } })).toBe(0);
    expect(await db.payment.count({ where: { registrationId: regId } })).toBe(0);
  });
});

describe("REST v1 registrations: scopes and tokens", () => {
  test("a read-only token cannot write (403); a checkin-only token cannot read registrations or payments (403); nothing written", async () => {
    const w = await world();
    const { token: full } = await tokenOf(w);
    const { token: readOnly } = await tokenOf(w, ["registrations:read"]);
    const { token: checkinOnly } = await tokenOf(w, ["checkin"]);
    const reg = await register(full, w, w.paid.id);
    const regId = reg.body.data.id;

    const writes = await Promise.all([
      callApi({ method: "POST", path: `/events/${w.event.id}/registrations`, token: readOnly, body: { ticketTypeId: w.free.id, ...person() } }),
      callApi({ method: "POST", path: `/registrations/${regId}/cancel`, token: readOnly, body: { reason: "нет" } }),
      callApi({ method: "POST", path: `/registrations/${regId}/mark-paid`, token: readOnly, body: {} }),
      callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token: readOnly, body: { code: reg.body.data.confirmationCode } }),
    ]);
    expect(writes.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    const reads = await Promise.all([
      callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token: checkinOnly }),
      callApi({ method: "GET", path: `/registrations/${regId}`, token: checkinOnly }),
      callApi({ method: "GET", path: `/events/${w.event.id}/payments`, token: checkinOnly }),
      callApi({ method: "GET", path: `/events/${w.event.id}/waitlist`, token: checkinOnly }),
      callApi({ method: "GET", path: `/me/tickets`, token: checkinOnly }),
    ]);
    expect(reads.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    // what each can do
    expect((await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token: readOnly })).status).toBe(200);
    expect((await callApi({ method: "GET", path: `/events/${w.event.id}/check-ins`, token: checkinOnly })).status).toBe(200);
    expect(await db.registration.count({ where: { eventId: w.event.id } })).toBe(1);
    expect(await db.payment.count({ where: { registrationId: regId } })).toBe(0);
    expect((await db.registration.findUniqueOrThrow({ where: { id: regId } })).status).toBe("RESERVED");
  });

  test("a revoked, expired or wrong token → 401 and nothing written", async () => {
    const w = await world();
    const revoked = await tokenOf(w);
    await revokeApiToken({ actor: { userId: w.owner.id, isPlatformAdmin: false }, tokenId: revoked.tokenId });
    const expired = await createTestToken({ userId: w.owner.id, organizationId: w.organization.id, scopes: ORGANIZATION_SCOPES, expiresAt: new Date(Date.now() + 24 * 3600_000) });
    await db.apiToken.update({ where: { id: expired.tokenId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const token of [revoked.token, expired.token, "aq_org_wrongwrongwrongwrongwrongwrong12"]) {
      const res = await callApi({ method: "POST", path: `/events/${w.event.id}/registrations`, token, body: { ticketTypeId: w.free.id, ...person() } });
      expect(res.status).toBe(401);
      expect(res.body.ok).toBe(false);
      const list = await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token });
      expect(list.status).toBe(401);
    }
    expect(await db.registration.count({ where: { eventId: w.event.id } })).toBe(0);
  });
});

describe("REST v1 registrations: concurrency", () => {
  test("100 parallel API registrations for 40 seats: exactly 40 created, the rest 409, sold count 40", async () => {
    const w = await world({ freeSeats: 40 });
    const { token } = await tokenOf(w);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => register(token, w, w.free.id, { firstName: `Участник ${i}` })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(40);
    expect(statuses.filter((s) => s === 409)).toHaveLength(60);
    expect(await db.registration.count({ where: { eventId: w.event.id, status: "CONFIRMED" } })).toBe(40);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.free.id } })).soldCount).toBe(40);
    expect(new Set(answers.filter((r) => r.status === 201).map((r) => r.body.data.id)).size).toBe(40);
  });

  test("the same Idempotency-Key sent 20 times at once → one registration, the same answer; the key with another body → 409", async () => {
    const w = await world();
    const { token } = await tokenOf(w);
    const key = `reg-${randomUUID()}`;
    const body = { ticketTypeId: w.free.id, ...person("Единственная") };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => callApi({ method: "POST", path: `/events/${w.event.id}/registrations`, token, body, headers: { "idempotency-key": key } })),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 201));
    expect(new Set(answers.map((r) => r.body.data.id)).size).toBe(1);
    expect(await db.registration.count({ where: { eventId: w.event.id } })).toBe(1);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.free.id } })).soldCount).toBe(1);
    const other = await callApi({ method: "POST", path: `/events/${w.event.id}/registrations`, token, body: { ...body, firstName: "Другая" }, headers: { "idempotency-key": key } });
    expect(other.status).toBe(409);
    expect(await db.registration.count({ where: { eventId: w.event.id } })).toBe(1);
  });
});

describe("REST v1 check-ins and payments: concurrency", () => {
  test("one ticket checked in by 10 parallel requests: one 201, nine 409 with the winner's time (message in the caller's language); 10 parallel mark-paid: one payment", async () => {
    const w = await world();
    const { token } = await tokenOf(w);
    const ticket = await createRegistration(w.event, w.free);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        callApi({ method: "POST", path: `/events/${w.event.id}/check-ins`, token, body: { code: ticket.confirmationCode }, headers: { "accept-language": "ru" } }),
      ),
    );
    const won = answers.filter((r) => r.status === 201);
    const lost = answers.filter((r) => r.status === 409);
    expect([won.length, lost.length]).toEqual([1, 9]);
    for (const r of lost) {
      expect(r.body).toMatchObject({ code: "ALREADY_CHECKED_IN", message: "Участник уже отмечен на входе.", details: { checkedInAt: won[0].body.data.checkedInAt } });
    }
    expect(await db.checkIn.count({ where: { registrationId: ticket.id } })).toBe(1);

    const reserved = await register(token, w, w.paid.id);
    const paying = await Promise.all(
      Array.from({ length: 10 }, () => callApi({ method: "POST", path: `/registrations/${reserved.body.data.id}/mark-paid`, token, body: {} })),
    );
    expect(paying.filter((r) => r.status === 200)).toHaveLength(1);
    expect(paying.filter((r) => r.status === 409)).toHaveLength(9);
    expect(await db.payment.count({ where: { registrationId: reserved.body.data.id } })).toBe(1);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.paid.id } }))).toMatchObject({ soldCount: 1, reservedCount: 0 });
  });
});

describe("REST v1 waitlist", () => {
  test("an event's waitlist in queue order, in cursor pages, with a status filter", async () => {
    const w = await world();
    const { token } = await tokenOf(w);
    const users = await Promise.all([createUser(), createUser(), createUser()]);
    const entries = [];
    for (const [i, user] of users.entries()) {
      entries.push(
        await db.waitlistEntry.create({ data: { eventId: w.event.id, userId: user.id, position: i + 1, status: i === 2 ? "EXPIRED" : "WAITING", ticketTypeId: w.free.id } }),
      );
    }
    const first = await callApi({ method: "GET", path: `/events/${w.event.id}/waitlist`, token, query: { limit: 2 } });
    expect(first.status).toBe(200);
    expect(first.body.data.map((e: { id: string }) => e.id)).toEqual([entries[0].id, entries[1].id]);
    expect(first.body.data[0]).toMatchObject({ position: 1, status: "WAITING", email: users[0].email, firstName: users[0].firstName });
    const second = await callApi({ method: "GET", path: `/events/${w.event.id}/waitlist`, token, query: { limit: 2, cursor: first.body.nextCursor } });
    expect(second.body.data.map((e: { id: string }) => e.id)).toEqual([entries[2].id]);
    expect(second.body.nextCursor).toBeNull();
    const waiting = await callApi({ method: "GET", path: `/events/${w.event.id}/waitlist`, token, query: { status: "WAITING" } });
    expect(waiting.body.data).toHaveLength(2);
  });
});

describe("REST v1 personal tokens: my tickets", () => {
  test("a personal token sees only its owner's tickets, with the QR payload; another person's id → 404", async () => {
    const w = await world();
    const me = await createUser();
    const other = await createUser();
    const mine = await createRegistration(w.event, w.free, { user: me });
    const theirs = await createRegistration(w.event, w.free, { user: other });
    const { token } = await createTestToken({ userId: me.id, organizationId: null });

    const list = await callApi({ method: "GET", path: "/me/tickets", token });
    expect(list.status).toBe(200);
    expect(list.body.data.map((t: { id: string }) => t.id)).toEqual([mine.id]);
    expect(list.body.data[0]).toMatchObject({ status: "CONFIRMED", confirmationCode: mine.confirmationCode, event: { id: w.event.id } });
    expect(list.body.data[0].qrPayload).toMatch(/^AQ1\./);
    const one = await callApi({ method: "GET", path: `/me/tickets/${mine.id}`, token });
    expect(one.status).toBe(200);
    expect(one.body.data.id).toBe(mine.id);
    expect((await callApi({ method: "GET", path: `/me/tickets/${theirs.id}`, token })).status).toBe(404);
    expect((await callApi({ method: "GET", path: `/me/tickets/not-a-uuid`, token })).status).toBe(404);
    // a personal token holds no organization permission
    expect((await callApi({ method: "GET", path: `/events/${w.event.id}/registrations`, token })).status).toBe(403);
    // and an organization token has no tickets:read
    const { token: orgToken } = await tokenOf(w);
    expect((await callApi({ method: "GET", path: "/me/tickets", token: orgToken })).status).toBe(403);
  });
});
