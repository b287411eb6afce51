// API tokens (lib/api/tokens.ts) through the service and the API edge (lib/http/api-route.ts), against
// a real PostgreSQL: shown once and stored as a hash; revoked / expired / wrong tokens → 401 and nothing
// done; scopes → 403; tenant isolation → 404; who may create and revoke; a creator who left → 401;
// one audit row per use; last use throttled; the per-token limit counted exactly under parallel load.
import { createHash, randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { createOrganizationToken, createPersonalToken, listOrganizationTokens, listPersonalTokens, revokeApiToken } from "@/lib/api";
import { defineOperation } from "@/lib/api/operation";
import { objectResponse } from "@/lib/api/pagination";
import { db } from "@/lib/db";
import { apiHandler } from "@/lib/http/api-route";
import { authorizeEvent } from "@/lib/permissions";
import { addMember, createEvent, createOrganization, createUser } from "@/tests/helpers/factories";
import { apiRequest, createTestToken, routeParams } from "@/tests/integration/api/token-fixture";

const writes: string[] = [];

/** A read of an event through the permission layer (events.view: scope events:read). */
const getEvent = defineOperation({
  id: "testGetEvent",
  method: "GET",
  path: "/events/{eventId}",
  tag: "Test",
  summary: "An event",
  scope: "events:read",
  params: z.object({ eventId: z.string() }),
  response: objectResponse(z.object({ id: z.string(), organizationId: z.string() })),
  handler: async ({ actor, params }) => {
    const access = await authorizeEvent({ actor, eventId: params.eventId, permission: "events.view" });
    return { ok: true as const, data: { id: access.event.id, organizationId: access.organization.id } };
  },
});

/** A write of an event (events.manage: scope events:write); records that it ran. */
const touchEvent = defineOperation({
  id: "testTouchEvent",
  method: "POST",
  path: "/events/{eventId}/touch",
  tag: "Test",
  summary: "Touch an event",
  scope: "events:write",
  params: z.object({ eventId: z.string() }),
  body: z.object({ note: z.string() }),
  response: objectResponse(z.object({ id: z.string() })),
  handler: async ({ actor, params, body }) => {
    const access = await authorizeEvent({ actor, eventId: params.eventId, permission: "events.manage" });
    writes.push(body.note);
    return { ok: true as const, data: { id: access.event.id } };
  },
});

const GET = apiHandler(getEvent);
const POST = apiHandler(touchEvent);

const read = (eventId: string, token: string | null, ip?: string) => GET(apiRequest(`/api/v1/events/${eventId}`, { token, ip }), routeParams({ eventId }));
const write = (eventId: string, token: string, note: string) =>
  POST(apiRequest(`/api/v1/events/${eventId}/touch`, { token, method: "POST", body: { note } }), routeParams({ eventId }));

async function world(scopes: Parameters<typeof createTestToken>[0]["scopes"] = ["events:read", "events:write"]) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization);
  const { token, tokenId } = await createTestToken({ userId: owner.id, organizationId: organization.id, scopes });
  return { organization, owner, event, token, tokenId };
}

const usedRows = (tokenId: string) => db.auditLog.count({ where: { entityType: "api_token", entityId: tokenId, action: "api_token.used" } });
const person = (userId: string) => ({ userId, isPlatformAdmin: false });

describe("API tokens: the service", () => {
  test("created once: the text is returned, only its SHA-256 is stored, lists never carry it; audit api_token.created", async () => {
    const { organization, owner } = await createOrganization();
    const { token, record } = await createOrganizationToken({
      actor: person(owner.id),
      organizationId: organization.id,
      name: "  CRM sync  ",
      scopes: ["registrations:read", "events:read", "events:read"],
    });
    expect(token).toMatch(/^aq_org_[0-9A-Za-z]{32}$/);
    expect(record).toMatchObject({ kind: "organization", organizationId: organization.id, userId: owner.id, name: "CRM sync", prefix: token.slice(0, 12), scopes: ["events:read", "registrations:read"], expiresAt: null, revokedAt: null });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await listOrganizationTokens({ actor: person(owner.id), organizationId: organization.id });
    expect(listed.map((t) => t.id)).toEqual([record.id]);
    expect(JSON.stringify(listed)).not.toContain(row.tokenHash);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(await db.auditLog.count({ where: { entityId: record.id, action: "api_token.created", actorId: owner.id, organizationId: organization.id } })).toBe(1);
  });

  test("bad input → VALIDATION with field errors, nothing created", async () => {
    const { organization, owner } = await createOrganization();
    const actor = person(owner.id);
    const attempt = (input: { name: unknown; scopes: unknown; expiresAt?: unknown }) =>
      createOrganizationToken({ actor, organizationId: organization.id, ...input }).then(
        () => null,
        (e: { code: string; fieldErrors?: Record<string, string> }) => ({ code: e.code, fieldErrors: e.fieldErrors }),
      );
    expect(await attempt({ name: "", scopes: ["events:read"] })).toEqual({ code: "VALIDATION", fieldErrors: { name: "apiTokens.validation.nameRequired" } });
    expect(await attempt({ name: "x".repeat(101), scopes: ["events:read"] })).toMatchObject({ fieldErrors: { name: "apiTokens.validation.nameTooLong" } });
    expect(await attempt({ name: "a", scopes: [] })).toMatchObject({ fieldErrors: { scopes: "apiTokens.validation.scopesRequired" } });
    expect(await attempt({ name: "a", scopes: ["tickets:read"] })).toMatchObject({ code: "VALIDATION" });
    expect(await attempt({ name: "a", scopes: ["events:read"], expiresAt: new Date(Date.now() - 1000) })).toMatchObject({ fieldErrors: { expiresAt: "apiTokens.validation.expiryPast" } });
    expect(await db.apiToken.count({ where: { organizationId: organization.id } })).toBe(0);
  });

  test("a moderator cannot create, list or revoke (403); another organization's owner gets 404; a token cannot make tokens", async () => {
    const { organization, owner, tokenId } = await world();
    const moderator = await createUser();
    await addMember(organization, moderator, "MODERATOR");
    const stranger = (await createOrganization()).owner;
    const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: { code: string }) => e.code);

    expect(await codeOf(createOrganizationToken({ actor: person(moderator.id), organizationId: organization.id, name: "m", scopes: ["events:read"] }))).toBe("FORBIDDEN");
    expect(await codeOf(listOrganizationTokens({ actor: person(moderator.id), organizationId: organization.id }))).toBe("FORBIDDEN");
    expect(await codeOf(revokeApiToken({ actor: person(moderator.id), tokenId }))).toBe("FORBIDDEN");
    expect(await codeOf(createOrganizationToken({ actor: person(stranger.id), organizationId: organization.id, name: "s", scopes: ["events:read"] }))).toBe("NOT_FOUND");
    expect(await codeOf(listOrganizationTokens({ actor: person(stranger.id), organizationId: organization.id }))).toBe("NOT_FOUND");
    expect(await codeOf(revokeApiToken({ actor: person(stranger.id), tokenId }))).toBe("NOT_FOUND");
    expect(await codeOf(revokeApiToken({ actor: person(owner.id), tokenId: "not-a-uuid" }))).toBe("NOT_FOUND");
    const tokenActor = { ...person(owner.id), token: { id: tokenId, kind: "organization" as const, organizationId: organization.id, scopes: ["events:write" as const] } };
    expect(await codeOf(createOrganizationToken({ actor: tokenActor, organizationId: organization.id, name: "t", scopes: ["events:read"] }))).toBe("FORBIDDEN");
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: tokenId } })).revokedAt).toBeNull();
    expect(await db.apiToken.count({ where: { organizationId: organization.id } })).toBe(1);
  });

  test("personal tokens: any person, scope tickets:read, listed and revoked only by that person", async () => {
    const me = await createUser();
    const other = await createUser();
    const { token, record } = await createPersonalToken({ actor: person(me.id), name: "My tickets" });
    expect(token).toMatch(/^aq_pat_[0-9A-Za-z]{32}$/);
    expect(record).toMatchObject({ kind: "personal", organizationId: null, scopes: ["tickets:read"] });
    expect((await listPersonalTokens({ actor: person(me.id) })).map((t) => t.id)).toEqual([record.id]);
    expect(await listPersonalTokens({ actor: person(other.id) })).toEqual([]);
    await expect(revokeApiToken({ actor: person(other.id), tokenId: record.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const revoked = await revokeApiToken({ actor: person(me.id), tokenId: record.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    // twice: harmless, one audit row
    await revokeApiToken({ actor: person(me.id), tokenId: record.id });
    expect(await db.auditLog.count({ where: { entityId: record.id, action: "api_token.revoked" } })).toBe(1);
  });
});

describe("API tokens at the edge", () => {
  test("a live token reads its organization's event; one audit row per use with method, path and address", async () => {
    const { organization, owner, event, token, tokenId } = await world();
    const res = await read(event.id, token, "203.0.113.77");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, data: { id: event.id, organizationId: organization.id } });
    await read(event.id, token);
    expect(await usedRows(tokenId)).toBe(2);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: tokenId, action: "api_token.used" }, orderBy: { createdAt: "asc" } });
    expect(audit).toMatchObject({ organizationId: organization.id, actorId: owner.id, entityType: "api_token", changes: { method: "GET", path: `/api/v1/events/${event.id}`, ip: "203.0.113.77" } });
  });

  test("revoked, expired, unknown token → 401 with a clear message, nothing done, nothing audited", async () => {
    const { owner, event, token, tokenId } = await world();
    await revokeApiToken({ actor: person(owner.id), tokenId });
    const revoked = await write(event.id, token, "revoked");
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: "UNAUTHENTICATED", messageKey: "api.errors.tokenRevoked", message: "The API token has been revoked. Create a new token." });

    const second = await world();
    await db.apiToken.update({ where: { id: second.tokenId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await write(second.event.id, second.token, "expired");
    expect(expired.status).toBe(401);
    expect((await expired.json()).messageKey).toBe("api.errors.tokenExpired");

    const unknown = await write(event.id, `aq_org_${"A".repeat(32)}`, "unknown");
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).messageKey).toBe("api.errors.tokenInvalid");

    expect(writes).not.toContain("revoked");
    expect(writes).not.toContain("expired");
    expect(writes).not.toContain("unknown");
    expect(await usedRows(tokenId)).toBe(0);
    expect(await usedRows(second.tokenId)).toBe(0);
    expect(await db.apiToken.findUniqueOrThrow({ where: { id: tokenId } })).toMatchObject({ lastUsedAt: null });
  });

  test("a token without the scope → 403 naming it, nothing done; a personal token on an organization endpoint → 403", async () => {
    const { event, token } = await world(["events:read"]);
    const res = await write(event.id, token, "no-scope");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "FORBIDDEN", messageKey: "api.errors.scope", scope: "events:write" });
    expect(writes).not.toContain("no-scope");
    const me = await createUser();
    const personal = await createTestToken({ userId: me.id, organizationId: null });
    expect((await read(event.id, personal.token)).status).toBe(403);
  });

  test("a token of organization B on organization A's event → 404 (read and write), nothing done", async () => {
    const a = await world();
    const b = await world();
    const res = await read(a.event.id, b.token);
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe("NOT_FOUND");
    const w = await write(a.event.id, b.token, "cross-tenant");
    expect(w.status).toBe(404);
    expect(writes).not.toContain("cross-tenant");
    // and the same token works on its own event
    expect((await read(b.event.id, b.token)).status).toBe(200);
  });

  test("the creator removed from the organization → 401 tokenInvalid; the organization deleted → 401", async () => {
    const { organization, owner, event, token, tokenId } = await world();
    expect((await read(event.id, token)).status).toBe(200);
    const successor = await createUser();
    await db.$transaction(async (tx) => {
      await tx.organizationMember.update({ where: { organizationId_userId: { organizationId: organization.id, userId: owner.id } }, data: { role: "MODERATOR" } });
      await tx.organizationMember.create({ data: { organizationId: organization.id, userId: successor.id, role: "OWNER" } });
      await tx.organization.update({ where: { id: organization.id }, data: { ownerId: successor.id } });
    });
    // still a member (a moderator now): reading still works, narrowed by the role
    expect((await read(event.id, token)).status).toBe(200);
    await db.organizationMember.delete({ where: { organizationId_userId: { organizationId: organization.id, userId: owner.id } } });
    const res = await read(event.id, token);
    expect(res.status).toBe(401);
    expect((await res.json()).messageKey).toBe("api.errors.tokenInvalid");
    expect(await usedRows(tokenId)).toBe(2);

    const other = await world();
    await db.organization.update({ where: { id: other.organization.id }, data: { deletedAt: new Date() } });
    expect((await read(other.event.id, other.token)).status).toBe(401);
  });

  test("last use (time and address) is written at most once per 10 s", async () => {
    const { event, token, tokenId } = await world();
    await read(event.id, token, "198.51.100.1");
    const first = await db.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(first.lastUsedIp).toBe("198.51.100.1");
    expect(first.lastUsedAt).toBeInstanceOf(Date);
    await read(event.id, token, "198.51.100.2");
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedIp).toBe("198.51.100.1");
    await db.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: new Date(Date.now() - 11_000) } });
    await read(event.id, token, "198.51.100.3");
    const third = await db.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(third.lastUsedIp).toBe("198.51.100.3");
    expect(third.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 5_000);
    expect(await usedRows(tokenId)).toBe(3);
  });

  test("100 parallel reads with one token: all answered, the limit counts exactly 100, 100 audit rows", async () => {
    const { event, token, tokenId } = await world();
    const answers = await Promise.all(Array.from({ length: 100 }, () => read(event.id, token)));
    expect(answers.map((r) => r.status)).toEqual(Array(100).fill(200));
    const remaining = answers.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((x, y) => x - y);
    expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => 500 + i));
    const bucket = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: `api.read:token:${tokenId}` } });
    expect(bucket.count).toBe(100);
    expect(await usedRows(tokenId)).toBe(100);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt).toBeInstanceOf(Date);
  });

  test("over the per-token write limit (120/min) → 429 with Retry-After and RateLimit headers; exactly 120 ran", async () => {
    const { event, token } = await world();
    const run = randomUUID();
    const answers = await Promise.all(Array.from({ length: 130 }, (_, i) => write(event.id, token, `${run}:${i}`)));
    const ok = answers.filter((r) => r.status === 200);
    const limited = answers.filter((r) => r.status === 429);
    expect(ok).toHaveLength(120);
    expect(limited).toHaveLength(10);
    expect(writes.filter((note) => note.startsWith(run))).toHaveLength(120);
    const one = limited[0];
    expect(Number(one.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(one.headers.get("ratelimit-limit")).toBe("120");
    expect(one.headers.get("ratelimit-remaining")).toBe("0");
    expect(one.headers.get("ratelimit-policy")).toBe("120;w=60");
    expect(await one.json()).toMatchObject({ code: "RATE_LIMITED", messageKey: "api.errors.rateLimited" });
    // reads are a limit of their own
    expect((await read(event.id, token)).status).toBe(200);
  });
});
