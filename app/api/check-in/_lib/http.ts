// Plumbing of the check-in API (app/api/check-in/**): the caller (a signed-in user from the Auth.js
// cookie and/or the door-staff cookie of this event), the per-device rate limit, JSON answers with
// Cache-Control: no-store and errors as `{ ok: false, code, message, messageKey, fieldErrors }`.
// Authorization itself happens in lib/check-in on every call.
import "server-only";
import { sessionUserOf, readJsonObject } from "@/app/api/v1/_lib/http";
import { doorAccessFromCookieHeader, type CheckInPrincipal } from "@/lib/check-in";
import { CheckInRateLimited, type CheckInRateLimit } from "@/lib/check-in/access";
import { AppError, isAppError, type FieldErrors } from "@/lib/errors";
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, type Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { actorOf } from "@/lib/permissions";
import { clientIp } from "@/lib/http/client-address";
import { consume } from "@/lib/rate-limit";
import { readCookie } from "@/lib/check-in/door-cookie";

export { readJsonObject };

export const NO_STORE = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/**
 * Requests per (caller, device) per minute, counted in the shared rate_limit_buckets table (all app
 * servers). A door scanner makes ~1 scan a second at its busiest plus a counters poll every few
 * seconds: 600/min per device leaves ample room. On top, a per-caller ceiling (ten phones on one link)
 * kept in this process's memory: a shared row per caller would be a hot row every scan of the door
 * waits on (its lock is held until the commit's WAL flush), which is what the door can least afford.
 */
export const CHECK_IN_RATE_LIMITS = {
  perDevice: { limit: 600, windowSeconds: 60 },
  perCallerPerServer: { limit: 6000, windowSeconds: 60 },
} as const;

export type CheckInCaller = CheckInPrincipal & { key: string | null };

/** The caller of a check-in request for this event. */
export async function callerOf(request: Request, eventId: string): Promise<CheckInCaller> {
  const cookieHeader = request.headers.get("cookie");
  const doorAccess = doorAccessFromCookieHeader(cookieHeader, eventId);
  const user = await sessionUserOf(request);
  const actor = actorOf(user);
  const key = actor ? `u:${actor.userId}` : doorAccess ? `d:${doorAccess.accessId}` : null;
  return { actor, doorAccess, key };
}

/** The device a request comes from: X-Device-Id (the scanner's id), else its address. */
function deviceOf(request: Request, bodyDeviceId?: string | null): string {
  const header = request.headers.get("x-device-id")?.trim();
  const device = header || bodyDeviceId?.trim() || `ip:${clientIp(request.headers)}`;
  return device.slice(0, 100);
}

const localWindows = new Map<string, { count: number; resetAt: number }>();

/** Fixed-window count in this process; returns the seconds to wait when over the limit, else 0. */
function consumeLocal(key: string, rule: { limit: number; windowSeconds: number }, now = Date.now()): number {
  if (localWindows.size > 10_000) {
    for (const [k, w] of localWindows) if (w.resetAt <= now) localWindows.delete(k);
  }
  let w = localWindows.get(key);
  if (!w || w.resetAt <= now) {
    w = { count: 0, resetAt: now + rule.windowSeconds * 1000 };
    localWindows.set(key, w);
  }
  w.count += 1;
  return w.count > rule.limit ? Math.max(1, Math.ceil((w.resetAt - now) / 1000)) : 0;
}

/**
 * The rate limit of one request of an identified caller: the in-memory per-caller ceiling is checked
 * here (throws RATE_LIMITED), and the per-device bucket is returned for the service, which counts it
 * in its access query (one round trip for both). Anonymous requests are refused by the service
 * without touching the database, so they are not counted.
 */
export function rateLimitFor(request: Request, caller: CheckInCaller, bodyDeviceId?: string | null): CheckInRateLimit | undefined {
  if (!caller.key) return undefined;
  const wait = consumeLocal(`checkin:${caller.key}`, CHECK_IN_RATE_LIMITS.perCallerPerServer);
  if (wait) throw new CheckInRateLimited(wait);
  const { perDevice } = CHECK_IN_RATE_LIMITS;
  return { key: `checkin:${caller.key}:${deviceOf(request, bodyDeviceId)}`, limit: perDevice.limit, windowSeconds: perDevice.windowSeconds };
}

/** Counts one request now (routes whose service does not take `rateLimit`: staff-link management). */
export async function limitCheckIn(request: Request, caller: CheckInCaller): Promise<void> {
  const rule = rateLimitFor(request, caller);
  if (!rule) return;
  const result = await consume(rule.key, rule.limit, rule.windowSeconds);
  if (!result.allowed) throw new CheckInRateLimited(result.retryAfterSeconds);
}

/** The UI language: the locale cookie, else Accept-Language, else the default. */
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
 * A JSON answer with its Content-Length: with a known length Node's HTTP server sends the response
 * without chunked encoding, i.e. without the separate terminating-chunk write on every answer (one
 * socket write less per scan; writes are a visible share of the door's CPU — docs/check-in.md).
 */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...NO_STORE, ...headers },
  });
}

/** `{ ok: false, code, message, messageKey, fieldErrors }` with the AppError's status (else 500, logged). */
export function errorResponse(request: Request, error: unknown): Response {
  const appError = isAppError(error) ? error : null;
  if (!appError) console.error("[check-in api]", error);
  const e = appError ?? new AppError("INTERNAL", "errors.internal");
  const t = translatorFor(localeOf(request));
  const fieldErrors: FieldErrors = {};
  for (const [field, key] of Object.entries(e.fieldErrors ?? {})) fieldErrors[field] = t.dynamic(key);
  const headers: Record<string, string> = {};
  if (e instanceof CheckInRateLimited) headers["retry-after"] = String(e.retryAfterSeconds);
  return json({ ok: false, code: e.code, message: t.dynamic(e.message), messageKey: e.message, fieldErrors }, e.httpStatus, headers);
}

/** Runs a handler: any throw becomes the JSON error answer. */
export async function handle(request: Request, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    return errorResponse(request, error);
  }
}

export type EventRouteContext = { params: Promise<{ eventId: string }> };

export function deviceIdOf(body: Record<string, unknown>): string | null {
  return typeof body.deviceId === "string" ? body.deviceId : null;
}

export type { FieldErrors };
