// The server-action edge (lib/http/action.ts) without a database or a request: the caller, the
// request headers and the bucket counts are stubbed; parsing, limits and error mapping are real.
import { beforeEach, describe, expect, test, vi } from "vitest";
import { z } from "zod";

const caller = vi.hoisted(() => ({ user: null as null | { id: string; sessionId: string; isPlatformAdmin: boolean } }));
vi.mock("@/lib/identity/session", () => ({ getCurrentUser: async () => caller.user }));
vi.mock("@/lib/i18n/server", () => ({ getLocale: async () => "en" }));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
const counted = vi.hoisted(() => ({ keys: [] as string[], over: new Set<string>() }));
vi.mock("@/lib/rate-limit", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/rate-limit")>();
  return {
    ...real,
    enforceLimit: async (name: "registration", subject: "ip", value: string | null) => {
      if (!value) return;
      const key = `${name}:${subject}:${value}`;
      counted.keys.push(key);
      if (counted.over.has(key)) throw real.rateLimitedError(name, { retryAfterSeconds: 30 });
    },
  };
});

import { AppError } from "@/lib/errors";
import { action } from "@/lib/http/action";

const schema = z.object({ title: z.string().min(3, "events.validation.titleTooShort") });

beforeEach(() => {
  caller.user = null;
  counted.keys.length = 0;
  counted.over.clear();
});

describe("action edge", () => {
  test("valid input → { ok: true, ...the handler's fields }; the handler gets the parsed input and the caller", async () => {
    caller.user = { id: "u1", sessionId: "s1", isPlatformAdmin: false };
    const act = action(schema, async (input, ctx) => ({ echoed: input.title, by: ctx.actor?.userId, locale: await ctx.locale() }));
    expect(await act({ title: "Hello" })).toEqual({ ok: true, echoed: "Hello", by: "u1", locale: "en" });
    const nothing = action(schema, async () => {});
    expect(await nothing({ title: "Hello" })).toEqual({ ok: true });
  });

  test("zod field errors come back keyed by the form's fields (tuples: without the argument index)", async () => {
    const run = vi.fn(async () => ({}));
    expect(await action(schema, run)({ title: "x" })).toEqual({
      ok: false,
      code: "VALIDATION",
      message: "errors.validation",
      fieldErrors: { title: "events.validation.titleTooShort" },
    });
    const twoArgs = action(z.tuple([z.string(), schema]), run);
    expect(await twoArgs("org-1", { title: "" })).toMatchObject({ code: "VALIDATION", fieldErrors: { title: "events.validation.titleTooShort" } });
    expect(await action(z.object({ id: z.uuid() }), run, { invalid: "not-found" })({ id: "x" })).toEqual({ ok: false, code: "NOT_FOUND", message: "errors.notFound" });
    expect(run).not.toHaveBeenCalled();
  });

  test("the named limit: ip for everyone, user when signed in; over it → RATE_LIMITED and the handler never runs", async () => {
    const run = vi.fn(async () => ({}));
    const act = action(schema, run, { limit: "registration" });
    await act({ title: "Hello" });
    expect(counted.keys).toEqual(["registration:ip:dev-local"]);
    caller.user = { id: "u9", sessionId: "s", isPlatformAdmin: false };
    counted.keys.length = 0;
    await act({ title: "Hello" });
    expect(counted.keys).toEqual(["registration:ip:dev-local", "registration:user:u9"]);
    counted.over.add("registration:user:u9");
    expect(await act({ title: "Hello" })).toEqual({ ok: false, code: "RATE_LIMITED", message: "errors.rateLimited", fieldErrors: undefined });
    expect(run).toHaveBeenCalledTimes(2);
  });

  test("errors: AppError → its code, message key and field errors; anything else → INTERNAL; session required → UNAUTHENTICATED", async () => {
    const fails = action(schema, async () => {
      throw new AppError("CONFLICT", "errors.soldOut", { ticketTypeId: "errors.soldOut" });
    });
    expect(await fails({ title: "Hello" })).toEqual({ ok: false, code: "CONFLICT", message: "errors.soldOut", fieldErrors: { ticketTypeId: "errors.soldOut" } });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const boom = action(schema, async () => {
      throw new Error("db down");
    });
    expect(await boom({ title: "Hello" })).toEqual({ ok: false, code: "INTERNAL", message: "errors.internal" });
    spy.mockRestore();
    expect(await action(schema, async () => ({}), { session: "required" })({ title: "Hello" })).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  test("Next's control flow (redirect) passes through untouched", async () => {
    const { redirect } = await import("next/navigation");
    const goes = action(schema, async () => redirect("/somewhere"));
    await expect(goes({ title: "Hello" })).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
  });
});
