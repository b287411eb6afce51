// The API edge (lib/http/api-route.ts apiHandler) with operations defined here, against a real
// PostgreSQL and real tokens: strict bodies, size limit, Idempotency-Key (replay, 409, a burst of
// duplicates runs the handler once, a failure releases the key), ETag / 304, cursors of another query,
// scopes, RateLimit-* headers, the error body in the request's language.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { cursorFingerprint, decodeCursor, listResponse, objectResponse, page, paginationShape } from "@/lib/api/pagination";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { apiHandler, apiRoutes, hasBearerToken } from "@/lib/http/api-route";
import { createOrganization } from "@/tests/helpers/factories";
import { apiRequest, createTestToken, routeParams } from "@/tests/integration/api/token-fixture";

const calls = new Map<string, number>();
const count = (name: string) => calls.get(name) ?? 0;
const bump = (name: string) => calls.set(name, count(name) + 1);

const echo = defineOperation({
  id: "testEcho",
  method: "POST",
  path: "/test/{thingId}/echo",
  tag: "Test",
  summary: "Echo",
  scope: "events:write",
  params: z.object({ thingId: z.string() }),
  body: z.object({
    run: z.string().min(1, "api.errors.fieldInvalid"),
    nested: z.strictObject({ a: z.number() }).optional(),
    fail: z.boolean().optional(),
  }),
  maxBodyBytes: 1024,
  status: 201,
  response: objectResponse(z.object({ run: z.string(), thingId: z.string(), call: z.number() })),
  handler: async ({ params, body }) => {
    bump(body.run);
    // slow enough for duplicates to arrive while the first one runs
    await new Promise((resolve) => setTimeout(resolve, 150));
    if (body.fail) throw new AppError("CONFLICT", "errors.conflict");
    return { ok: true as const, data: { run: body.run, thingId: params.thingId, call: count(body.run) } };
  },
});

const serviceKey = defineOperation({
  id: "testServiceKey",
  method: "PATCH",
  path: "/test/service-key",
  tag: "Test",
  summary: "The key passed to the service",
  scope: "events:write",
  idempotency: "service",
  response: objectResponse(z.object({ key: z.string().nullable() })),
  handler: async ({ idempotencyKey }) => ({ ok: true as const, data: { key: idempotencyKey } }),
});

const ITEMS = Array.from({ length: 7 }, (_, i) => ({ id: `item-${i}`, color: i % 2 ? "red" : "blue" }));
const list = defineOperation({
  id: "testList",
  method: "GET",
  path: "/test/items",
  tag: "Test",
  summary: "Items",
  scope: "events:read",
  query: z.object({ ...paginationShape, color: z.enum(["red", "blue"]).optional() }),
  response: listResponse(z.object({ id: z.string(), color: z.string() })),
  handler: async ({ query }) => {
    bump("list");
    const fingerprint = cursorFingerprint("testList", { color: query.color ?? null });
    const after = query.cursor ? decodeCursor(query.cursor, fingerprint, z.number().int().min(0)) : -1;
    const rows = ITEMS.map((item, index) => ({ item, index })).filter(({ item, index }) => index > after && (!query.color || item.color === query.color));
    return page(rows.slice(0, query.limit + 1), query.limit, fingerprint, (r) => r.index, (r) => r.item);
  },
});

const routes = apiRoutes(list, echo);
const POST = routes.POST;
const GET = routes.GET;
const PATCH = apiHandler(serviceKey);

let token = "";
let tokenId = "";
let readOnly = "";

beforeAll(async () => {
  const { organization, owner } = await createOrganization();
  ({ token, tokenId } = await createTestToken({ userId: owner.id, organizationId: organization.id, scopes: ["events:read", "events:write"] }));
  readOnly = (await createTestToken({ userId: owner.id, organizationId: organization.id, scopes: ["events:read"] })).token;
});

const post = (body: unknown, options: { key?: string; raw?: string; token?: string | null; language?: string } = {}) =>
  POST(
    apiRequest("/api/v1/test/t1/echo", {
      token: options.token === undefined ? token : options.token,
      method: "POST",
      body,
      raw: options.raw,
      language: options.language,
      headers: options.key ? { "idempotency-key": options.key } : {},
    }),
    routeParams({ thingId: "t1" }),
  );

describe("the API edge", () => {
  test("no token → 401 with WWW-Authenticate and a clear message; a wrong token → 401 tokenInvalid; nothing runs", async () => {
    const run = randomUUID();
    const missing = await post({ run }, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await missing.json()).toMatchObject({ ok: false, code: "UNAUTHENTICATED", messageKey: "api.errors.tokenMissing", message: expect.stringContaining("Authorization") });
    const wrong = await post({ run }, { token: "aq_org_" + "x".repeat(32) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((await wrong.json()).messageKey).toBe("api.errors.tokenInvalid");
    expect(count(run)).toBe(0);
    expect(hasBearerToken(apiRequest("/x", { token }))).toBe(true);
    expect(hasBearerToken(apiRequest("/x"))).toBe(false);
  });

  test("a token without the operation's scope → 403 naming the scope, with RateLimit headers; the handler does not run", async () => {
    const run = randomUUID();
    const res = await post({ run }, { token: readOnly, language: "ru" });
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "api.errors.scope", scope: "events:write" });
    expect(body.message).toContain("events:write");
    expect(body.message).toMatch(/[а-я]/); // Russian, as asked
    expect(res.headers.get("ratelimit-limit")).toBe("120");
    expect(count(run)).toBe(0);
  });

  test("a strict body: an unknown field (top level or nested) → 400 with a field error for it; bad values → field errors", async () => {
    const run = randomUUID();
    const res = await post({ run, colour: "red", nested: { a: 1, b: 2 } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { colour: "Unknown field.", "nested.b": "Unknown field." } });
    const bad = await (await post({ run: "" })).json();
    expect(bad.fieldErrors).toEqual({ run: "Invalid value." });
    const notJson = await post(undefined, { raw: "[1,2]" });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).fieldErrors._form).toBe("The request body must be a JSON object.");
    expect(count(run)).toBe(0);
  });

  test("a body over the operation's limit → 400 bodyTooLarge, nothing runs", async () => {
    const run = randomUUID();
    const res = await post({ run, pad: "x".repeat(2000) });
    expect(res.status).toBe(400);
    expect((await res.json()).fieldErrors._form).toBe("The request is too large.");
    expect(count(run)).toBe(0);
  });

  test("Idempotency-Key: the same key and body → the first answer, replayed; another body → 409; an invalid key → 400", async () => {
    const run = randomUUID();
    const key = randomUUID();
    const first = await post({ run }, { key });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstBody = await first.json();
    expect(firstBody).toEqual({ ok: true, data: { run, thingId: "t1", call: 1 } });

    const again = await post({ run }, { key });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(firstBody);
    expect(count(run)).toBe(1);

    const other = await post({ run, nested: { a: 1 } }, { key });
    expect(other.status).toBe(409);
    expect((await other.json()).messageKey).toBe("errors.idempotencyKeyReused");
    expect(count(run)).toBe(1);

    const invalid = await post({ run }, { key: "not a key!" });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).fieldErrors.idempotencyKey).toBeTruthy();
    expect(count(run)).toBe(1);

    // without a key every request runs
    await post({ run });
    expect(count(run)).toBe(2);
  });

  test("50 parallel requests with one key: the handler runs once, all get its answer", async () => {
    const run = randomUUID();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post({ run }, { key })));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(201));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toEqual({ ok: true, data: { run, thingId: "t1", call: 1 } });
    expect(answers.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(49);
    expect(count(run)).toBe(1);
  });

  test("a failed request releases its key: the error is not replayed, a retry runs again", async () => {
    const run = randomUUID();
    const key = randomUUID();
    const failed = await post({ run, fail: true }, { key });
    expect(failed.status).toBe(409);
    const retry = await post({ run, fail: true }, { key });
    expect(retry.status).toBe(409);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(count(run)).toBe(2);
  });

  test("a claim left without an answer by a process that died is taken over after 5 minutes; a fresh one is waited for", async () => {
    const run = randomUUID();
    const key = randomUUID();
    const { hashRequest } = await import("@/lib/idempotency");
    const requestHash = hashRequest({ params: { thingId: "t1" }, query: null, body: { run } });
    const scope = `api:${tokenId}:testEcho`;
    await db.$executeRaw`INSERT INTO idempotency_records (id, scope, key, request_hash, created_at, expires_at)
      VALUES (gen_random_uuid(), ${scope}, ${key}, ${requestHash}, now() - interval '6 minutes', now() + interval '1 day')`;
    const res = await post({ run }, { key });
    expect(res.status).toBe(201);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(count(run)).toBe(1);

    // a fresh claim without an answer (another request still running): the duplicate waits for its answer
    const key2 = randomUUID();
    const run2 = randomUUID();
    const hash2 = hashRequest({ params: { thingId: "t1" }, query: null, body: { run: run2 } });
    await db.$executeRaw`INSERT INTO idempotency_records (id, scope, key, request_hash, created_at, expires_at)
      VALUES (gen_random_uuid(), ${scope}, ${key2}, ${hash2}, now(), now() + interval '1 day')`;
    const waiting = post({ run: run2 }, { key: key2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await db.$executeRaw`UPDATE idempotency_records SET response = ${JSON.stringify({ text: JSON.stringify({ ok: true, data: { run: run2, thingId: "t1", call: 99 } }) })}::jsonb, status_code = 201
      WHERE scope = ${scope} AND key = ${key2}`;
    const answered = await waiting;
    expect(answered.status).toBe(201);
    expect(answered.headers.get("idempotent-replayed")).toBe("true");
    expect((await answered.json()).data.call).toBe(99);
    expect(count(run2)).toBe(0);
  });

  test('idempotency "service": the key is handed to the handler', async () => {
    const key = randomUUID();
    const res = await PATCH(apiRequest("/api/v1/test/service-key", { token, method: "PATCH", headers: { "idempotency-key": key } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, data: { key } });
  });

  test("GET: a weak ETag; If-None-Match → 304 without a body; RateLimit headers", async () => {
    const first = await GET(apiRequest("/api/v1/test/items?limit=3", { token: readOnly }));
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get("ratelimit-limit")).toBe("600");
    expect(Number(first.headers.get("ratelimit-remaining"))).toBeLessThan(600);
    expect(first.headers.get("ratelimit-policy")).toBe("600;w=60");
    expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    const again = await GET(apiRequest("/api/v1/test/items?limit=3", { token: readOnly, headers: { "if-none-match": etag! } }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    const changed = await GET(apiRequest("/api/v1/test/items?limit=4", { token: readOnly, headers: { "if-none-match": etag! } }));
    expect(changed.status).toBe(200);
  });

  test("cursor pagination: pages walk the list once; a cursor of another query or garbage → 400 fieldErrors.cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/test/items?limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const body = await (await GET(apiRequest(url, { token }))).json();
      seen.push(...body.data.map((item: { id: string }) => item.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ITEMS.map((item) => item.id));
    expect(pages).toBe(3);

    const firstRed = await (await GET(apiRequest("/api/v1/test/items?limit=1&color=red", { token }))).json();
    expect(firstRed.nextCursor).toEqual(expect.any(String));
    const foreign = await GET(apiRequest(`/api/v1/test/items?limit=1&color=blue&cursor=${firstRed.nextCursor}`, { token }));
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).fieldErrors).toEqual({ cursor: "The cursor does not belong to this query: start the list again." });
    const garbage = await GET(apiRequest("/api/v1/test/items?cursor=%7B%7D", { token }));
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).fieldErrors.cursor).toBeTruthy();
    const badLimit = await GET(apiRequest("/api/v1/test/items?limit=101", { token }));
    expect(badLimit.status).toBe(400);
    expect((await badLimit.json()).fieldErrors).toEqual({ limit: "Enter a number from 1 to 100." });
  });
});
