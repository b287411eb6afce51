// The route edge (lib/http/route.ts) without a database: the session and the bucket counts are stubbed,
// everything else — parsing, limits, error mapping, locale — is the real code.
import { beforeEach, describe, expect, test, vi } from "vitest";
import { z } from "zod";

const session = vi.hoisted(() => ({ resolveRequestSession: vi.fn() }));
vi.mock("@/lib/identity/user-sessions", () => session);
const counted = vi.hoisted(() => ({ calls: [] as { key: string; limit: number; windowSeconds: number }[], over: new Set<string>() }));
vi.mock("@/lib/rate-limit", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/rate-limit")>();
  const consumeOnPool = async (key: string, limit: number, windowSeconds: number) => {
    counted.calls.push({ key, limit, windowSeconds });
    const over = counted.over.has(key);
    return { allowed: !over, count: over ? limit + 1 : 1, limit, remaining: 0, resetAt: new Date(), retryAfterSeconds: 42 };
  };
  return {
    ...real,
    consumeLimit: async (name: string, subject: string, value: string | null) =>
      value ? consumeOnPool(`${name}:${subject}:${value}`, 1, 60) : null,
  };
});

import { AppError } from "@/lib/errors";
import { RateLimitedError } from "@/lib/rate-limit";
import { errorResponse, localeOf, route } from "@/lib/http/route";

const user = { id: "u1", email: null, firstName: "A", lastName: null, name: "A", isPlatformAdmin: false, locale: "ru", sessionId: "s1" };

function request(init: { method?: string; body?: string; headers?: Record<string, string>; url?: string } = {}): Request {
  return new Request(init.url ?? "http://localhost/api/x", { method: init.method ?? (init.body ? "POST" : "GET"), body: init.body, headers: init.headers });
}

beforeEach(() => {
  counted.calls.length = 0;
  counted.over.clear();
  session.resolveRequestSession.mockReset();
  session.resolveRequestSession.mockResolvedValue(null);
});

describe("route edge", () => {
  test("parses params, query and body with zod; the handler's value is JSON 200, no-store, with its length", async () => {
    const handler = route(
      { params: z.object({ id: z.string() }), query: z.object({ q: z.string() }), body: z.object({ n: z.number() }) },
      async ({ params, query, body }) => ({ id: params.id, q: query.q, n: body.n }),
    );
    const res = await handler(request({ url: "http://localhost/api/x?q=hi", body: JSON.stringify({ n: 3 }) }), { params: Promise.resolve({ id: "7" }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ id: "7", q: "hi", n: 3 });
  });

  test("zod field errors → 400 VALIDATION with the field messages translated in the request's locale", async () => {
    const handler = route({ body: z.object({ ticketTypeId: z.string({ error: "api.errors.ticketTypeRequired" }) }) }, async () => ({}));
    const res = await handler(request({ body: "{}", headers: { "accept-language": "en" } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      code: "VALIDATION",
      message: expect.any(String),
      messageKey: "errors.validation",
      fieldErrors: { ticketTypeId: "Choose a ticket type." },
    });
    const notJson = await handler(request({ body: "nope", headers: { cookie: "locale=ru" } }));
    expect((await notJson.json()).fieldErrors._form).toBe("Тело запроса должно быть JSON-объектом.");
  });

  test("the named limit's ip rule is counted first; over it → 429 with Retry-After and the handler never runs", async () => {
    const run = vi.fn(async () => ({ ok: true }));
    const handler = route({ limit: "telegram-bot-login.start" }, run);
    expect((await handler(request({ method: "POST" }))).status).toBe(200);
    expect(counted.calls.map((c) => c.key)).toEqual(["telegram-bot-login.start:ip:dev-local"]);
    counted.over.add("telegram-bot-login.start:ip:dev-local");
    const limited = await handler(request({ method: "POST" }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("42");
    expect((await limited.json()).code).toBe("RATE_LIMITED");
    expect(run).toHaveBeenCalledTimes(1);
  });

  test("the user rule goes into the session statement; over it → 429", async () => {
    session.resolveRequestSession.mockResolvedValue({ user, rateLimit: { allowed: false, count: 21, limit: 20, remaining: 0, resetAt: new Date(), retryAfterSeconds: 9 } });
    const handler = route({ session: "optional", limit: "registration" }, async () => ({ ok: true }));
    const res = await handler(request({ method: "POST" }));
    expect(session.resolveRequestSession).toHaveBeenCalledWith(null, { perUser: { prefix: "registration:user:", limit: 20, windowSeconds: 60 } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("9");
  });

  test("session: required → 401 without one; none → no lookup at all", async () => {
    const required = route({ session: "required" }, async ({ user }) => ({ id: user.id }));
    expect((await required(request())).status).toBe(401);
    session.resolveRequestSession.mockResolvedValue({ user, rateLimit: null });
    expect(await (await required(request())).json()).toEqual({ id: "u1" });
    session.resolveRequestSession.mockClear();
    await route({}, async () => ({}))(request());
    expect(session.resolveRequestSession).not.toHaveBeenCalled();
  });

  test("composed limits: the handler gets the bucket, the edge counts nothing for it", async () => {
    const handler = route({ limit: "checkin" }, async ({ composed }) => composed("device", "u:1:phone"));
    expect(await (await handler(request())).json()).toEqual({ key: "checkin:device:u:1:phone", limit: 600, windowSeconds: 60 });
    expect(counted.calls).toEqual([]);
  });

  test("errors: an AppError keeps its status and finer code; anything else is 500 INTERNAL; cross-site → 403", async () => {
    const err = new AppError("VALIDATION", "media.errors.tooLarge", { file: "media.errors.tooLarge" }, { httpStatus: 413, apiCode: "TOO_LARGE" });
    const res = errorResponse(request({ headers: { "accept-language": "en" } }), err);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "TOO_LARGE", messageKey: "media.errors.tooLarge" });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const boom = await route({}, async () => {
      throw new Error("db down");
    })(request());
    expect(boom.status).toBe(500);
    expect((await boom.json()).code).toBe("INTERNAL");
    spy.mockRestore();
    expect(errorResponse(request(), new RateLimitedError(5)).headers.get("retry-after")).toBe("5");
    const crossSite = await route({ sameOrigin: true }, async () => ({}))(request({ method: "POST", headers: { origin: "https://evil.example" } }));
    expect(crossSite.status).toBe(403);
  });

  test("locale: the cookie, else Accept-Language, else the default", () => {
    expect(localeOf(request({ headers: { cookie: "locale=en", "accept-language": "ru" } }))).toBe("en");
    expect(localeOf(request({ headers: { "accept-language": "en-GB,en;q=0.9" } }))).toBe("en");
    expect(localeOf(request())).toBe("ru");
  });
});
