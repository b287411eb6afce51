// Shared plumbing of the public REST API (app/api/v1/**): the caller from the Auth.js session cookie,
// the client's locale, and the JSON error body `{ ok: false, code, message, messageKey, fieldErrors }`
// with the AppError's HTTP status. Route handlers stay thin: parse → caller → one service → JSON.
import "server-only";
import { AppError, isAppError, type ErrorCode, type FieldErrors } from "@/lib/errors";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { consumeOnPool } from "@/lib/rate-limit";
import { resolveRequestSession } from "@/lib/identity/user-sessions";
import type { SessionUser } from "@/lib/identity/types";

export const NO_STORE = { "cache-control": "no-store" } as const;

export type RateRule = { limit: number; windowSeconds: number };

/**
 * The signed-in user of an API request, or null: lib/identity's resolveRequestSession() (the one
 * session check). With `perUser`, the same statement also counts the request against
 * `<perUser.prefix><userId>`; `retryAfter` is then the seconds until the window resets when over the
 * limit, else null.
 */
export async function callerOf(
  request: Request,
  options: { perUser?: RateRule & { prefix: string } } = {},
): Promise<{ user: SessionUser | null; retryAfter: number | null }> {
  const found = await resolveRequestSession(request.headers.get("cookie"), { perUser: options.perUser ?? null });
  if (!found) return { user: null, retryAfter: null };
  const limited = found.rateLimit && !found.rateLimit.allowed ? found.rateLimit.retryAfterSeconds : null;
  return { user: found.user, retryAfter: limited };
}

/** The signed-in user of an API request, or null (see callerOf). */
export async function sessionUserOf(request: Request): Promise<SessionUser | null> {
  return (await callerOf(request)).user;
}

/** The client's language from Accept-Language (ru / en), else the default. */
export function localeOf(request: Request): Locale {
  const header = request.headers.get("accept-language")?.toLowerCase() ?? "";
  for (const part of header.split(",")) {
    const tag = part.split(";")[0].trim();
    if (tag.startsWith("en")) return "en";
    if (tag.startsWith("ru")) return "ru";
  }
  return DEFAULT_LOCALE;
}

export type ApiError = { ok: false; code: ErrorCode; message: string; messageKey: string; fieldErrors: FieldErrors };

/** The JSON error response of an AppError (anything else: logged, 500 INTERNAL). Texts in the client's language. */
export function errorResponse(request: Request, error: unknown, headers: Record<string, string> = {}): Response {
  const appError = isAppError(error) ? error : null;
  if (!appError) console.error("[api]", error);
  const e = appError ?? new AppError("INTERNAL", "errors.internal");
  const t = translatorFor(localeOf(request));
  const fieldErrors: FieldErrors = {};
  for (const [field, key] of Object.entries(e.fieldErrors ?? {})) fieldErrors[field] = t.dynamic(key);
  const body: ApiError = { ok: false, code: e.code, message: t.dynamic(e.message), messageKey: e.message, fieldErrors };
  return Response.json(body, { status: e.httpStatus, headers: { ...NO_STORE, ...headers } });
}

/** The request's JSON body as an object, or VALIDATION (`_form`). */
export async function readJsonObject(request: Request, maxBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > maxBytes) throw new AppError("VALIDATION", "errors.validation", { _form: "api.errors.bodyTooLarge" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "errors.validation", { _form: "api.errors.invalidJson" });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AppError("VALIDATION", "errors.validation", { _form: "api.errors.invalidJson" });
  }
  return value as Record<string, unknown>;
}

/**
 * One request counted against `key` (at most `limit` per `windowSeconds`): lib/rate-limit.ts consumeOnPool(),
 * the same single atomic upsert on the same table, sent over the pg pool (API hot paths). Returns null
 * when allowed, else the seconds until the window resets (Retry-After).
 */
export async function consumeRateLimit(key: string, rule: { limit: number; windowSeconds: number }): Promise<number | null> {
  const result = await consumeOnPool(key, rule.limit, rule.windowSeconds);
  return result.allowed ? null : result.retryAfterSeconds;
}
