// Identity constants. Pure module: proxy.ts, client code and services may import it.

/** A signed-in session (the UserSession row and the session cookie) lasts 30 days. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** UserSession.lastSeenAt is written at most this often per session. */
export const LAST_SEEN_THROTTLE_MS = 5 * 60 * 1000;

/** Consecutive failed password sign-ins that lock an account, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

/**
 * Auth.js session cookie names (plain http and https). Large tokens are split into chunks named
 * `<name>.0`, `<name>.1`, …
 */
export const SESSION_COOKIE_NAMES = ["authjs.session-token", "__Secure-authjs.session-token"] as const;

/** Whether a cookie name is (a chunk of) the session cookie: the proxy's optimistic check. */
export function isSessionCookieName(name: string): boolean {
  return SESSION_COOKIE_NAMES.some((base) => name === base || name.startsWith(`${base}.`));
}

export const SIGN_IN_PATH = "/login";
export const AFTER_SIGN_IN_PATH = "/dashboard";

/** Request header set by proxy.ts with the path being opened (the dashboard layout's callbackUrl). */
export const PATHNAME_HEADER = "x-aq-pathname";
