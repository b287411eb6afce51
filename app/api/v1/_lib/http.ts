// Shared plumbing of the public REST API (app/api/v1/**): the caller from the Auth.js session cookie,
// the client's locale, and the JSON error body `{ ok: false, code, message, messageKey, fieldErrors }`
// with the AppError's HTTP status. Route handlers stay thin: parse → caller → one service → JSON.
import "server-only";
import { authSecret } from "@/lib/env";
import { AppError, isAppError, type ErrorCode, type FieldErrors } from "@/lib/errors";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { consumeOnPool } from "@/lib/rate-limit";
import { pgPool } from "@/lib/db";
import { fromDbLocale } from "@/lib/i18n/config";
import { LAST_SEEN_THROTTLE_MS, SESSION_COOKIE_NAMES } from "@/lib/identity/constants";
import { displayName, type SessionUser } from "@/lib/identity/types";
import { decryptSessionToken } from "./session-token";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const NO_STORE = { "cache-control": "no-store" } as const;

/** Cookies of a request header (`a=1; b=2`), last one wins. */
function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      out.set(name, raw);
    }
  }
  return out;
}

/** The session cookie's value (joined from `<name>.0`, `<name>.1`, … when Auth.js chunked it) and its name. */
function sessionCookie(cookies: Map<string, string>): { name: string; value: string } | null {
  for (const name of SESSION_COOKIE_NAMES) {
    const whole = cookies.get(name);
    if (whole) return { name, value: whole };
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return { name, value: chunks.join("") };
  }
  return null;
}

export type RateRule = { limit: number; windowSeconds: number };

/**
 * The signed-in user of an API request, or null (no cookie, a cookie that does not decrypt or has
 * expired, a revoked/expired session row, a deleted user). The same checks as Auth.js's jwt callback
 * (lib/identity/auth.ts): the encrypted cookie (salt = the cookie name, session-token.ts) carries `sub`
 * and `sid`, and the session row decides. Reads the Request itself, so a route handler works outside
 * Next's request scope too (tests call the exported handler with a plain Request).
 *
 * With `perUser`, the same statement also counts the request against `<perUser.prefix><userId>` in the
 * rate-limit table (lib/rate-limit.ts consume(): the same atomic upsert) — one round trip for both;
 * `retryAfter` is then the seconds until the window resets when over the limit, else null.
 */
export async function callerOf(
  request: Request,
  options: { perUser?: RateRule & { prefix: string } } = {},
): Promise<{ user: SessionUser | null; retryAfter: number | null }> {
  const none = { user: null, retryAfter: null };
  const cookie = sessionCookie(parseCookies(request.headers.get("cookie")));
  if (!cookie) return none;
  // Tampered, expired, another secret, malformed: simply signed out.
  const token = decryptSessionToken(cookie.value, authSecret(), cookie.name);
  if (!token || typeof token.sub !== "string" || typeof token.sid !== "string" || !UUID.test(token.sid)) return none;
  const found = await liveSession(token.sid, options.perUser ?? null);
  if (!found || found.user.id !== token.sub) return none;
  const limit = options.perUser?.limit;
  return { user: found.user, retryAfter: limit !== undefined && found.count !== null && found.count > limit ? found.retryAfter : null };
}

/** The signed-in user of an API request, or null (see callerOf). */
export async function sessionUserOf(request: Request): Promise<SessionUser | null> {
  return (await callerOf(request)).user;
}

type SessionRow = {
  session_id: string;
  stale: boolean;
  id: string;
  email: string | null;
  first_name: string;
  last_name: string | null;
  is_platform_admin: boolean;
  locale: string;
  rl_count: number | null;
  rl_retry_after: number | null;
};

/**
 * resolveSession() (lib/identity/user-sessions.ts) in one statement on the pg pool, because every API
 * request pays it: the session row not revoked, not expired, its user not deleted; lastSeenAt touched
 * at most once per LAST_SEEN_THROTTLE_MS (a conditional update, so parallel requests write once).
 */
async function liveSession(
  sessionId: string,
  perUser: (RateRule & { prefix: string }) | null,
): Promise<{ user: SessionUser; count: number | null; retryAfter: number | null } | null> {
  const now = new Date();
  const staleBefore = new Date(now.getTime() - LAST_SEEN_THROTTLE_MS);
  const { rows } = await pgPool().query<SessionRow>({
    name: "aq_api_session",
    text: `WITH s AS (
             SELECT s.id AS session_id, s.last_seen_at < $3 AS stale, u.id, u.email, u.first_name, u.last_name,
                    u.is_platform_admin, u.locale::text AS locale
               FROM user_sessions s JOIN users u ON u.id = s.user_id
              WHERE s.id = $1::uuid AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.deleted_at IS NULL
           ), rl AS (
             INSERT INTO "rate_limit_buckets" AS b ("key", "count", "reset_at")
             SELECT $4 || s.id::text, 1, now() + make_interval(secs => $5::int) FROM s WHERE $4::text IS NOT NULL
             ON CONFLICT ("key") DO UPDATE SET
               "count"    = CASE WHEN b."reset_at" <= now() THEN 1 ELSE b."count" + 1 END,
               "reset_at" = CASE WHEN b."reset_at" <= now() THEN now() + make_interval(secs => $5::int) ELSE b."reset_at" END
             RETURNING b."count", greatest(1, ceil(extract(epoch FROM b."reset_at" - now())))::int AS retry_after
           )
           SELECT s.*, rl.count AS rl_count, rl.retry_after AS rl_retry_after FROM s LEFT JOIN rl ON true`,
    values: [sessionId, now, staleBefore, perUser?.prefix ?? null, perUser?.windowSeconds ?? 1],
  });
  const row = rows[0];
  if (!row) return null;
  if (row.stale) {
    await pgPool().query(`UPDATE user_sessions SET last_seen_at = $2 WHERE id = $1::uuid AND last_seen_at < $3`, [sessionId, now, staleBefore]);
  }
  const user: SessionUser = {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    name: displayName({ firstName: row.first_name, lastName: row.last_name }),
    isPlatformAdmin: row.is_platform_admin,
    locale: fromDbLocale(row.locale),
    sessionId: row.session_id,
  };
  return { user, count: row.rl_count, retryAfter: row.rl_retry_after };
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
