// The one edge of every route handler (app/api/**/route.ts). `route(spec, handler)` does, once and in
// this order:
//   1. same-origin check (spec.sameOrigin: cookie-authenticated writes from browsers);
//   2. the named rate limit's per-address rule (lib/http/limits.ts; over the pg pool, one statement);
//   3. zod parsing of the route params, the query string and the JSON body → VALIDATION with field errors;
//   4. the session (lib/identity resolveRequestSession: the Auth.js cookie, decrypted with jose, and its
//      session row) — with the named limit's per-user rule counted IN THE SAME STATEMENT;
//   5. the handler, which calls one service and returns a Response or a JSON-able value (200);
//   6. any throw → the JSON error body `{ ok: false, code, message, messageKey, fieldErrors }` in the
//      request's locale, with the AppError's status (RATE_LIMITED: 429 + Retry-After; anything that is
//      not an AppError: logged, 500 INTERNAL).
// The edge counts only the `ip` and `user` rules of the declared limit. A hot path that counts its
// limit inside its own statement (the door scan: subject `device`) declares the limit here and asks
// the context for the bucket (`ctx.composed(subject, value)`), so the round trips stay what they were.
import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError, isAppError, type ErrorCode, type FieldErrors } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-address";
import { readCookie } from "@/lib/http/cookies";
import { limitKeyPrefix, limitRule, LIMITS, type LimitName, type LimitRule, type LimitSubject, type SubjectOf } from "@/lib/http/limits";
import { translatorFor } from "@/lib/i18n/catalogue";
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, type Locale } from "@/lib/i18n/config";
import type { SessionUser } from "@/lib/identity/types";
import { resolveRequestSession } from "@/lib/identity/user-sessions";
import { composedLimit, consumeLimit, isRateLimitedError, rateLimitedError, type ComposedLimit } from "@/lib/rate-limit";
import { parseWith } from "@/lib/http/parse";

export { parseWith };

export const NO_STORE = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/** The JSON error body of every route handler (`details`: the AppError's extra facts, when it has any — e.g. the first check-in's time of a 409). */
export type ApiError = { ok: false; code: ErrorCode | string; message: string; messageKey: string; fieldErrors: FieldErrors; details?: Record<string, unknown> };

/** The request's UI language: the `locale` cookie, else Accept-Language (ru / en), else the default. */
export function localeOf(request: Request): Locale {
  const cookie = readCookie(request.headers.get("cookie"), LOCALE_COOKIE);
  if (isLocale(cookie)) return cookie;
  const header = request.headers.get("accept-language")?.toLowerCase() ?? "";
  for (const part of header.split(",")) {
    const tag = part.split(";")[0].trim();
    if (tag.startsWith("en")) return "en";
    if (tag.startsWith("ru")) return "ru";
  }
  return DEFAULT_LOCALE;
}

/**
 * A JSON answer with its Content-Length and no-store: with a known length Node's HTTP server sends the
 * response without chunked encoding (one socket write less per answer; the door scanner notices).
 */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...NO_STORE, ...headers },
  });
}

/** The JSON error answer of anything thrown (AppError: its status; else logged, 500). Texts in the request's locale. */
export function errorResponse(request: Request, error: unknown): Response {
  const appError = isAppError(error) ? error : null;
  if (!appError) console.error("[api]", new URL(request.url).pathname, error);
  const e = appError ?? new AppError("INTERNAL", "errors.internal");
  const t = translatorFor(localeOf(request));
  const fieldErrors: FieldErrors = {};
  for (const [field, key] of Object.entries(e.fieldErrors ?? {})) fieldErrors[field] = t.dynamic(key);
  const headers: Record<string, string> = {};
  if (isRateLimitedError(e)) headers["retry-after"] = String(e.retryAfterSeconds);
  const body: ApiError = { ok: false, code: e.apiCode, message: t.dynamic(e.message), messageKey: e.message, fieldErrors, ...(e.details ? { details: e.details } : {}) };
  return json(body, e.httpStatus, headers);
}

/** Requests from other sites are refused (cookies would otherwise make them count as the user's). */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") !== "cross-site";
  try {
    return origin === new URL(env().APP_URL).origin || origin === new URL(request.url).origin;
  } catch {
    return false;
  }
}

const invalidJson = () => new AppError("VALIDATION", "errors.validation", { _form: "api.errors.invalidJson" });

/** The request's JSON body as an object, or VALIDATION (`_form`: too large / not a JSON object). */
export async function readJsonObject(request: Request, maxBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > maxBytes) throw new AppError("VALIDATION", "errors.validation", { _form: "api.errors.bodyTooLarge" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalidJson();
  return value as Record<string, unknown>;
}

/** A JSON object whose fields the service validates itself (it is callable from anywhere and parses again). */
export const jsonObject = z.record(z.string(), z.unknown());

/** Route params `{ eventId }` (the service checks that it is a UUID and visible: else NOT_FOUND). */
export const eventParams = z.object({ eventId: z.string() });

type Session = "none" | "optional" | "required";

export type RouteSpec<N extends LimitName, P, Q, B, S extends Session> = {
  /** "none" (default: no session lookup), "optional" (ctx.user may be null), "required" (else 401). */
  session?: S;
  /**
   * The named limit (lib/http/limits.ts). Its `ip` rule is counted before anything else, its `user`
   * rule in the session statement (only for a signed-in caller); other subjects are the handler's
   * (ctx.enforce / ctx.composed).
   */
  limit?: N;
  params?: P;
  query?: Q;
  /** The JSON body's schema (the body must be a JSON object of at most `maxBodyBytes`, default 64 KiB). */
  body?: B;
  maxBodyBytes?: number;
  /** Refuse cross-site requests (403) before anything else. */
  sameOrigin?: boolean;
};

type Out<T extends z.ZodType | undefined> = T extends z.ZodType ? z.output<T> : undefined;

export type RouteContext<N extends LimitName, P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, S extends Session> = {
  request: Request;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  user: S extends "required" ? SessionUser : SessionUser | null;
  locale: Locale;
  /** The client address (lib/http/client-address.ts). */
  ip: string;
  /** Counts one request of `value` under a subject of the declared limit now; RATE_LIMITED (429) when over. */
  enforce: (subject: SubjectOf<N>, value: string | null | undefined) => Promise<void>;
  /** The bucket of a subject of the declared limit, for a statement that counts it itself. */
  composed: (subject: SubjectOf<N>, value: string) => ComposedLimit;
};

type NextContext = { params?: Promise<Record<string, string | string[]>> };

/**
 * Wraps a route handler in the edge (see the top of this file). The handler returns a Response, or any
 * other value, answered as JSON 200 with no-store.
 */
export function route<
  N extends LimitName = never,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  S extends Session = "none",
>(
  spec: RouteSpec<N, P, Q, B, S>,
  handler: (ctx: RouteContext<N, P, Q, B, S>) => Promise<unknown>,
): (request: Request, context?: NextContext) => Promise<Response> {
  const name = spec.limit as LimitName | undefined;
  const rules = name ? (LIMITS[name].rules as Partial<Record<LimitSubject, LimitRule>>) : {};
  const edgeCounts = (subject: LimitSubject) => Boolean(rules[subject]);

  return async (request, context) => {
    try {
      if (spec.sameOrigin && !isSameOrigin(request)) throw new AppError("FORBIDDEN", "errors.forbidden");
      const ip = clientIp(request.headers);
      if (name && edgeCounts("ip")) {
        const result = await consumeLimit(name, "ip" as never, ip, { onPool: true });
        if (result && !result.allowed) throw rateLimitedError(name, result);
      }

      const session = spec.session ?? "none";
      const perUser = name && edgeCounts("user") ? { prefix: limitKeyPrefix(name, "user" as never), ...limitRule(name, "user" as never) } : null;
      const [found, params, query, body] = await Promise.all([
        session === "none" ? null : resolveRequestSession(request.headers.get("cookie"), { perUser }),
        spec.params ? context?.params?.then((p) => parseWith(spec.params!, p)) : undefined,
        spec.query ? Promise.resolve(new URL(request.url).searchParams).then((q) => parseWith(spec.query!, Object.fromEntries(q))) : undefined,
        spec.body ? readJsonObject(request, spec.maxBodyBytes).then((raw) => parseWith(spec.body!, raw)) : undefined,
      ]);
      if (session === "required" && !found) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
      if (name && found?.rateLimit && !found.rateLimit.allowed) throw rateLimitedError(name, found.rateLimit);

      const ctx = {
        request,
        params,
        query,
        body,
        user: found?.user ?? null,
        get locale() {
          return localeOf(request);
        },
        ip,
        enforce: async (subject: LimitSubject, value: string | null | undefined) => {
          if (!name) throw new Error("route: ctx.enforce() needs spec.limit");
          const result = await consumeLimit(name, subject as never, value);
          if (result && !result.allowed) throw rateLimitedError(name, result);
        },
        composed: (subject: LimitSubject, value: string) => {
          if (!name) throw new Error("route: ctx.composed() needs spec.limit");
          return composedLimit(name, subject as never, value);
        },
      } as unknown as RouteContext<N, P, Q, B, S>;
      const out = await handler(ctx);
      return out instanceof Response ? out : json(out);
    } catch (error) {
      return errorResponse(request, error);
    }
  };
}
