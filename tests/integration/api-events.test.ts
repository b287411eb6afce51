// REST API v1 — organization, events, ticket types and promo codes, with tokens, against a real
// PostgreSQL. Every call goes through the contract harness (tests/integration/api/harness.ts), which
// validates each answer against the OpenAPI document: a passing test proves the document says what the
// API does. Journey; cursor pages and updatedSince; tenant isolation (another organization's token gets
// 404 for everything and changes nothing); scopes (403, nothing done); bad input (400 with field errors).
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { createEvent, createOrganization, createTicketType } from "@/tests/helpers/factories";
import { assertDocumented, callApi, ContractError } from "@/tests/integration/api/harness";
import { createTestToken } from "@/tests/integration/api/token-fixture";

const DAY = 24 * 60 * 60 * 1000;
const ALL = ["events:read", "events:write", "registrations:read", "registrations:write", "checkin"] as const;

/** An organization, its owner and a token of the owner with `scopes`. */
async function tenant(scopes: readonly (typeof ALL)[number][] = ["events:read", "events:write"]) {
  const { organization, owner } = await createOrganization();
  const { token } = await createTestToken({ userId: owner.id, organizationId: organization.id, scopes });
  return { organization, owner, token };
}

/** A whole-minute instant `days` ahead (the services store local wall-clock minutes). */
function future(days: number, hourUtc = 16): string {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
}

const key = () => ({ "idempotency-key": randomUUID() });

describe("REST API v1: events journey with a token", () => {
  test("organization → create event → ticket types → publish → update → ETag → promo codes → cancel", async () => {
    const { organization, token } = await tenant();

    const org = await callApi({ method: "GET", path: "/organization", token });
    expect(org.status).toBe(200);
    expect(org.body.data).toMatchObject({ id: organization.id, slug: organization.slug, role: "OWNER" });
    expect(org.headers.get("ratelimit-limit")).toMatch(/^\d+$/);

    // create (Idempotency-Key: a retry answers the first result, nothing created twice)
    const startsAt = future(10);
    const createBody = {
      title: "API meetup",
      description: "Made by the **API**.",
      timezone: "Europe/Moscow",
      startsAt,
      endsAt: future(10, 19),
      locationType: "OFFLINE",
      locationAddress: "Moscow, Tverskaya 1",
      settings: { allowGuests: true },
    };
    const idem = key();
    const created = await callApi({ method: "POST", path: "/events", token, body: createBody, headers: idem });
    expect(created.status).toBe(201);
    const event = created.body.data;
    expect(event).toMatchObject({ organizationId: organization.id, status: "DRAFT", title: "API meetup", startsAt, timezone: "Europe/Moscow", publishedAt: null });
    expect(event.settings.allowGuests).toBe(true);
    expect(event.publicUrl).toContain(`/e/${organization.slug}/`);
    const replay = await callApi({ method: "POST", path: "/events", token, body: createBody, headers: idem });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.data.id).toBe(event.id);
    expect(await db.event.count({ where: { organizationId: organization.id } })).toBe(1);
    const row = await db.event.findUniqueOrThrow({ where: { id: event.id } });
    expect(row.startsAt.toISOString()).toBe(startsAt);
    expect(await db.auditLog.count({ where: { entityId: event.id, action: "event.created" } })).toBe(1);

    // publishing with no ticket type is a conflict, and changes nothing
    const early = await callApi({ method: "POST", path: `/events/${event.id}/publish`, token, headers: key() });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("CONFLICT");
    expect((await db.event.findUniqueOrThrow({ where: { id: event.id } })).status).toBe("DRAFT");

    // ticket types
    const salesEnd = future(9);
    const t1 = await callApi({ method: "POST", path: `/events/${event.id}/ticket-types`, token, body: { name: "Standard", quantity: 50 }, headers: key() });
    expect(t1.status).toBe(201);
    expect(t1.body.data).toMatchObject({ eventId: event.id, name: "Standard", priceCents: 0, currency: "RUB", quantity: 50, available: 50, soldCount: 0, isActive: true, sortOrder: 0 });
    const t2 = await callApi({
      method: "POST",
      path: `/events/${event.id}/ticket-types`,
      token,
      body: { name: "Speaker", quantity: null, isHidden: true, salesEnd },
      headers: key(),
    });
    expect(t2.status).toBe(201);
    expect(t2.body.data).toMatchObject({ name: "Speaker", quantity: null, available: null, isHidden: true, salesEnd: salesEnd, sortOrder: 1 });

    const types = await callApi({ method: "GET", path: `/events/${event.id}/ticket-types`, token });
    expect(types.body.data.map((t: { name: string }) => t.name)).toEqual(["Standard", "Speaker"]);
    const one = await callApi({ method: "GET", path: `/events/${event.id}/ticket-types/${t1.body.data.id}`, token });
    expect(one.body.data.id).toBe(t1.body.data.id);
    const patchedType = await callApi({
      method: "PATCH",
      path: `/events/${event.id}/ticket-types/${t1.body.data.id}`,
      token,
      body: { quantity: 80, description: "Main hall" },
      headers: key(),
    });
    expect(patchedType.status).toBe(200);
    expect(patchedType.body.data).toMatchObject({ quantity: 80, available: 80, description: "Main hall", name: "Standard" });

    // publish
    const published = await callApi({ method: "POST", path: `/events/${event.id}/publish`, token, headers: key() });
    expect(published.status).toBe(200);
    expect(published.body.data.status).toBe("PUBLISHED");
    expect(published.body.data.publishedAt).not.toBeNull();

    // update: a new start given as an instant (no zone: the event's zone), one setting merged
    const newStart = future(12, 15);
    const updated = await callApi({
      method: "PATCH",
      path: `/events/${event.id}`,
      token,
      body: { title: "API meetup #2", startsAt: newStart, endsAt: future(12, 18), settings: { waitlistOfferMinutes: 60 } },
      headers: key(),
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ title: "API meetup #2", startsAt: newStart, timezone: "Europe/Moscow", status: "PUBLISHED" });
    expect(updated.body.data.settings).toMatchObject({ allowGuests: true, waitlistOfferMinutes: 60 });

    // a read answers an ETag, and If-None-Match the same → 304 (no body)
    const read = await callApi({ method: "GET", path: `/events/${event.id}`, token });
    expect(read.status).toBe(200);
    const etag = read.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const notModified = await callApi({ method: "GET", path: `/events/${event.id}`, token, headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();

    // promo codes
    const promo = await callApi({
      method: "POST",
      path: `/events/${event.id}/promo-codes`,
      token,
      body: { code: "early10", discountKind: "PERCENT", discountValue: 10, usageLimit: 5, validUntil: future(8) },
      headers: key(),
    });
    expect(promo.status).toBe(201);
    expect(promo.body.data).toMatchObject({ eventId: event.id, code: "EARLY10", discountKind: "PERCENT", discountValue: 10, usageLimit: 5, usedCount: 0, isActive: true, state: "active" });
    const taken = await callApi({ method: "POST", path: `/events/${event.id}/promo-codes`, token, body: { code: "EARLY10", discountKind: "PERCENT", discountValue: 5 }, headers: key() });
    expect(taken.status).toBe(400);
    expect(taken.body.fieldErrors.code).toBeTruthy();
    const fixed = await callApi({
      method: "POST",
      path: `/events/${event.id}/promo-codes`,
      token,
      body: { code: "MINUS500", discountKind: "FIXED", discountValue: 50000, currency: "RUB", ticketTypeId: t1.body.data.id },
      headers: key(),
    });
    expect(fixed.status).toBe(201);
    expect(fixed.body.data).toMatchObject({ discountKind: "FIXED", discountValue: 50000, currency: "RUB", ticketTypeId: t1.body.data.id });
    const codes = await callApi({ method: "GET", path: `/events/${event.id}/promo-codes`, token });
    expect(codes.body.data.map((p: { code: string }) => p.code).sort()).toEqual(["EARLY10", "MINUS500"]);
    const off = await callApi({ method: "POST", path: `/promo-codes/${promo.body.data.id}/deactivate`, token, headers: key() });
    expect(off.status).toBe(200);
    expect(off.body.data).toMatchObject({ id: promo.body.data.id, isActive: false, state: "inactive" });

    // cancel, with the participants' registrations; a second cancel is a conflict
    const cancelled = await callApi({ method: "POST", path: `/events/${event.id}/cancel`, token, body: { reason: "Venue closed" }, headers: key() });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: "CANCELLED", cancellationReason: "Venue closed", cancelledRegistrations: 0, refunds: 0 });
    const again = await callApi({ method: "POST", path: `/events/${event.id}/cancel`, token, body: { reason: "Again" }, headers: key() });
    expect(again.status).toBe(409);
    const closed = await callApi({ method: "PATCH", path: `/events/${event.id}`, token, body: { title: "Too late" }, headers: key() });
    expect(closed.status).toBe(409);
  });
});

describe("REST API v1: parallel writes", () => {
  test("10 parallel creates with one Idempotency-Key make one event; 10 with their own keys make 10, each with its own slug", async () => {
    const { organization, token } = await tenant();
    const body = { title: "Parallel", startsAt: future(6), locationType: "ONLINE", locationUrl: "https://meet.example.com/p" };
    const same = key();
    const answers = await Promise.all(Array.from({ length: 10 }, () => callApi({ method: "POST", path: "/events", token, body, headers: same })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.data.id)).size).toBe(1);
    expect(await db.event.count({ where: { organizationId: organization.id } })).toBe(1);

    // the same title ten times at once: ten events, each with a slug of its own
    const distinct = await Promise.all(Array.from({ length: 10 }, () => callApi({ method: "POST", path: "/events", token, body, headers: key() })));
    expect(distinct.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set([answers[0], ...distinct].map((a) => a.body.data.slug)).size).toBe(11);
    expect(await db.event.count({ where: { organizationId: organization.id } })).toBe(11);
  });
});

describe("REST API v1: lists with cursor pages and updatedSince", () => {
  test("pages of 2 walk every event once in creation order; the cursor belongs to its query", async () => {
    const { organization, token } = await tenant(["events:read", "events:write"]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createEvent(organization, { status: i % 2 ? "DRAFT" : "PUBLISHED" })).id);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await callApi({ method: "GET", path: "/events", token, query: { limit: 2, cursor } });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    const drafts = await callApi({ method: "GET", path: "/events", token, query: { status: "DRAFT" } });
    expect(drafts.body.data.map((e: { id: string }) => e.id)).toEqual([ids[1], ids[3]]);
    expect(drafts.body.nextCursor).toBeNull();

    // a cursor of another query (another filter) or garbage → 400 on `cursor`
    const first = await callApi({ method: "GET", path: "/events", token, query: { limit: 1 } });
    const other = await callApi({ method: "GET", path: "/events", token, query: { limit: 1, status: "DRAFT", cursor: first.body.nextCursor } });
    expect(other.status).toBe(400);
    expect(other.body.fieldErrors.cursor).toBeTruthy();
    const garbage = await callApi({ method: "GET", path: "/events", token, query: { cursor: "not-a-cursor" } });
    expect(garbage.status).toBe(400);
    expect(garbage.body.fieldErrors.cursor).toBeTruthy();
    // another organization's cursor of the same filter is another query too
    const b = await tenant(["events:read"]);
    const foreign = await callApi({ method: "GET", path: "/events", token: b.token, query: { limit: 1, cursor: first.body.nextCursor } });
    expect(foreign.status).toBe(400);
  });

  test("updatedSince: only the events changed at or after that time, by update time, paged", async () => {
    const { organization, token } = await tenant();
    const old = new Date(Date.now() - 60_000);
    const events = [];
    for (let i = 0; i < 4; i++) events.push(await createEvent(organization, { status: "DRAFT", updatedAt: old, createdAt: old }));
    const since = new Date();
    await new Promise((r) => setTimeout(r, 5));
    for (const e of [events[2], events[0]]) {
      const res = await callApi({ method: "PATCH", path: `/events/${e.id}`, token, body: { title: `Changed ${e.id.slice(0, 4)}` }, headers: key() });
      expect(res.status).toBe(200);
    }
    const page1 = await callApi({ method: "GET", path: "/events", token, query: { updatedSince: since.toISOString(), limit: 1 } });
    expect(page1.body.data.map((e: { id: string }) => e.id)).toEqual([events[2].id]);
    const page2 = await callApi({ method: "GET", path: "/events", token, query: { updatedSince: since.toISOString(), limit: 1, cursor: page1.body.nextCursor } });
    expect(page2.body.data.map((e: { id: string }) => e.id)).toEqual([events[0].id]);
    expect(page2.body.nextCursor).toBeNull();

    const bad = await callApi({ method: "GET", path: "/events", token, query: { updatedSince: "yesterday" } });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.updatedSince).toBeTruthy();
  });
});

describe("REST API v1: tenant isolation", () => {
  test("a token of organization B gets 404 for every id of organization A, and changes nothing", async () => {
    const a = await tenant();
    const b = await tenant(ALL);
    const event = await createEvent(a.organization, { status: "DRAFT" });
    const type = await createTicketType(event);
    const promo = await db.promoCode.create({
      data: { organizationId: a.organization.id, eventId: event.id, code: "SECRET", discountKind: "PERCENT", discountValue: 50, createdById: a.owner.id },
    });
    const before = await db.event.findUniqueOrThrow({ where: { id: event.id } });

    const calls = [
      { method: "GET", path: `/events/${event.id}` },
      { method: "PATCH", path: `/events/${event.id}`, body: { title: "Hijacked" } },
      { method: "POST", path: `/events/${event.id}/publish` },
      { method: "POST", path: `/events/${event.id}/cancel`, body: { reason: "Hijacked" } },
      { method: "GET", path: `/events/${event.id}/ticket-types` },
      { method: "POST", path: `/events/${event.id}/ticket-types`, body: { name: "Hijacked" } },
      { method: "GET", path: `/events/${event.id}/ticket-types/${type.id}` },
      { method: "PATCH", path: `/events/${event.id}/ticket-types/${type.id}`, body: { quantity: 1 } },
      { method: "GET", path: `/events/${event.id}/promo-codes` },
      { method: "POST", path: `/events/${event.id}/promo-codes`, body: { code: "HIJACK", discountKind: "PERCENT", discountValue: 100 } },
      { method: "POST", path: `/promo-codes/${promo.id}/deactivate` },
    ] as const;
    for (const call of calls) {
      const res = await callApi({ ...call, token: b.token, headers: call.method === "GET" ? {} : key() });
      expect(res.status, `${call.method} ${call.path}`).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
    }
    // a ticket type of A under an event of B is not found either
    const bEvent = await createEvent(b.organization, { status: "DRAFT" });
    const crossed = await callApi({ method: "GET", path: `/events/${bEvent.id}/ticket-types/${type.id}`, token: b.token });
    expect(crossed.status).toBe(404);
    const crossedPatch = await callApi({ method: "PATCH", path: `/events/${bEvent.id}/ticket-types/${type.id}`, token: b.token, body: { quantity: 1 }, headers: key() });
    expect(crossedPatch.status).toBe(404);

    const list = await callApi({ method: "GET", path: "/events", token: b.token });
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([bEvent.id]);
    const org = await callApi({ method: "GET", path: "/organization", token: b.token });
    expect(org.body.data.id).toBe(b.organization.id);

    expect(await db.event.findUniqueOrThrow({ where: { id: event.id } })).toEqual(before);
    expect(await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).toMatchObject({ quantity: type.quantity, name: type.name });
    expect(await db.ticketType.count({ where: { eventId: event.id } })).toBe(1);
    expect(await db.promoCode.count({ where: { eventId: event.id } })).toBe(1);
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: promo.id } })).isActive).toBe(true);
  });

  test("unknown and malformed ids are 404", async () => {
    const { token } = await tenant();
    for (const id of [randomUUID(), "not-a-uuid"]) {
      expect((await callApi({ method: "GET", path: `/events/${id}`, token })).status).toBe(404);
      expect((await callApi({ method: "GET", path: `/events/${id}/ticket-types`, token })).status).toBe(404);
      expect((await callApi({ method: "POST", path: `/promo-codes/${id}/deactivate`, token, headers: key() })).status).toBe(404);
    }
  });
});

describe("REST API v1: scopes and tokens", () => {
  test("events:read reads but cannot write (403, nothing done); registrations:read cannot read events", async () => {
    const { organization, token } = await tenant(["events:read"]);
    const event = await createEvent(organization, { status: "DRAFT" });
    const type = await createTicketType(event);
    expect((await callApi({ method: "GET", path: "/organization", token })).status).toBe(200);
    expect((await callApi({ method: "GET", path: `/events/${event.id}`, token })).status).toBe(200);
    expect((await callApi({ method: "GET", path: `/events/${event.id}/ticket-types/${type.id}`, token })).status).toBe(200);

    const writes = [
      { method: "POST", path: "/events", body: { title: "Nope", startsAt: future(5) } },
      { method: "PATCH", path: `/events/${event.id}`, body: { title: "Nope" } },
      { method: "POST", path: `/events/${event.id}/publish` },
      { method: "POST", path: `/events/${event.id}/cancel`, body: { reason: "Nope" } },
      { method: "POST", path: `/events/${event.id}/ticket-types`, body: { name: "Nope" } },
      { method: "PATCH", path: `/events/${event.id}/ticket-types/${type.id}`, body: { quantity: 1 } },
      { method: "GET", path: `/events/${event.id}/promo-codes` },
      { method: "POST", path: `/events/${event.id}/promo-codes`, body: { code: "NOPE", discountKind: "PERCENT", discountValue: 1 } },
    ] as const;
    for (const call of writes) {
      const res = await callApi({ ...call, token, headers: call.method === "GET" ? {} : key() });
      expect(res.status, `${call.method} ${call.path}`).toBe(403);
      expect(res.body).toMatchObject({ code: "FORBIDDEN", scope: "events:write" });
    }
    expect(await db.event.count({ where: { organizationId: organization.id } })).toBe(1);
    expect(await db.event.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ title: event.title, status: "DRAFT" });
    expect(await db.ticketType.count({ where: { eventId: event.id } })).toBe(1);

    const other = await tenant(["registrations:read"]);
    const denied = await callApi({ method: "GET", path: "/events", token: other.token });
    expect(denied.status).toBe(403);
    expect(denied.body.scope).toBe("events:read");
  });

  test("no token, a wrong token → 401 with the error body", async () => {
    const none = await callApi({ method: "GET", path: "/events" });
    expect(none.status).toBe(401);
    expect(none.body.ok).toBe(false);
    const wrong = await callApi({ method: "GET", path: "/events", token: "aq_org_00000000000000000000000000000000" });
    expect(wrong.status).toBe(401);
  });
});

describe("REST API v1: bad input → 400 with field errors, nothing written", () => {
  test("unknown fields (top level and nested), wrong types, bad times, an oversized body", async () => {
    const { organization, token } = await tenant();
    const base = { title: "Valid", startsAt: future(5), locationType: "ONLINE", locationUrl: "https://meet.example.com/x" };

    const unknown = await callApi({ method: "POST", path: "/events", token, body: { ...base, price: 100 }, headers: key() });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fieldErrors.price).toBeTruthy();

    const nested = await callApi({ method: "POST", path: "/events", token, body: { ...base, settings: { allowGuests: true, color: "red" } }, headers: key() });
    expect(nested.status).toBe(400);
    expect(nested.body.fieldErrors["settings.color"]).toBeTruthy();

    const types = await callApi({ method: "POST", path: "/events", token, body: { ...base, title: 42, remindersEnabled: "yes" }, headers: key() });
    expect(types.status).toBe(400);
    expect(Object.keys(types.body.fieldErrors).sort()).toEqual(["remindersEnabled", "title"]);

    const time = await callApi({ method: "POST", path: "/events", token, body: { ...base, startsAt: "next friday" }, headers: key() });
    expect(time.status).toBe(400);
    expect(time.body.fieldErrors.startsAt).toBeTruthy();

    // values the service refuses come back on the same fields
    const past = await callApi({ method: "POST", path: "/events", token, body: { ...base, locationType: "OFFLINE", locationUrl: undefined }, headers: key() });
    expect(past.status).toBe(400);
    expect(past.body.fieldErrors.locationAddress).toBeTruthy();

    const huge = await callApi({ method: "POST", path: "/events", token, body: { ...base, description: "x".repeat(70 * 1024) }, headers: key() });
    expect(huge.status).toBe(400);
    expect(huge.body.fieldErrors._form).toBeTruthy();

    const notJson = await callApi({ method: "POST", path: "/events", token, body: "{not json", headers: key() });
    expect(notJson.status).toBe(400);

    const limit = await callApi({ method: "GET", path: "/events", token, query: { limit: 1000 } });
    expect(limit.status).toBe(400);
    expect(limit.body.fieldErrors.limit).toBeTruthy();
    const unknownFilter = await callApi({ method: "GET", path: "/events", token, query: { color: "red" } });
    expect(unknownFilter.status).toBe(400);

    expect(await db.event.count({ where: { organizationId: organization.id } })).toBe(0);

    // a ticket type below the seats taken: the service's field error, the type unchanged
    const event = await createEvent(organization, { status: "DRAFT" });
    const type = await createTicketType(event, { quantity: 10, soldCount: 5 });
    const below = await callApi({ method: "PATCH", path: `/events/${event.id}/ticket-types/${type.id}`, token, body: { quantity: 3 }, headers: key() });
    expect(below.status).toBe(400);
    expect(below.body.fieldErrors.quantity).toBeTruthy();
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).quantity).toBe(10);
  });

  test("the harness refuses an answer the document does not describe", async () => {
    const { token } = await tenant();
    await expect(callApi({ method: "DELETE", path: "/events", token })).rejects.toThrow(ContractError);
    await expect(callApi({ method: "GET", path: "/no-such-thing", token })).rejects.toThrow(ContractError);
    // a body that breaks the documented schema, a status the operation does not document, a 304 with a body
    const event = { ok: true, data: { id: randomUUID(), title: 42 } };
    expect(() => assertDocumented("GET", `/events/${randomUUID()}`, 200, JSON.stringify(event))).toThrow(ContractError);
    expect(() => assertDocumented("GET", `/events/${randomUUID()}`, 500, "{}")).toThrow(/not documented/);
    expect(() => assertDocumented("GET", `/events/${randomUUID()}`, 304, "{}")).toThrow(/no body/);
    expect(() => assertDocumented("GET", "/events", 401, JSON.stringify({ ok: false, code: "UNAUTHENTICATED" }))).toThrow(ContractError);
  });
});
