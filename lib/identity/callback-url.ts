// Where to go after signing in. Only a same-origin relative path is accepted, so `callbackUrl` can
// never send someone to another site (open redirect). Pure module: used by the proxy, pages and actions.
import { AFTER_SIGN_IN_PATH, SIGN_IN_PATH } from "./constants";

const BASE = "http://aqstream.invalid";

/**
 * The path (with query and hash) if `value` is a safe same-origin relative URL, else `fallback`.
 * Rejects absolute URLs, protocol-relative `//host`, backslashes (`/\host` is `//host` to browsers),
 * control characters, and links back to the sign-in page (no loops).
 */
export function safeCallbackUrl(value: unknown, fallback: string = AFTER_SIGN_IN_PATH): string {
  if (typeof value !== "string") return fallback;
  const raw = value.trim();
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.length > 2000) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  if (url.pathname === SIGN_IN_PATH || url.pathname === "/register" || url.pathname.startsWith("/api/auth")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/login?callbackUrl=<path>` for a path the user tried to open. */
export function signInUrlFor(path: string): string {
  return `${SIGN_IN_PATH}?callbackUrl=${encodeURIComponent(safeCallbackUrl(path))}`;
}
