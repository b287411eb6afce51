// The client address of a request: the one function the app asks (rate limits, session rows).
//
// Next 16 gives route handlers and server actions no socket address, and X-Forwarded-For is whatever
// the client or a proxy wrote. The production server (scripts/server.mjs, run by `npm start`) resolves
// the address from the socket and X-Forwarded-For per TRUSTED_PROXIES and passes it in one internal
// header, x-aq-client-ip, replacing any value the client sent. The app reads only that header, and
// only when it runs inside that server (which marks the process); anywhere else a client could write
// the header itself, so it is ignored:
//   - `next dev` (npm run dev) and tests without the mark: every request is "dev-local" (one shared
//     bucket; put dev-local into RATE_LIMIT_EXEMPT_IPS to switch per-IP limits off locally);
//   - a production process not started through scripts/server.mjs (a bare `next start`): every request
//     is "unresolved" — one shared bucket, so limits bite early instead of never — and the first such
//     request logs an error saying how to start the server.
// Nothing is exempt from per-IP limits unless RATE_LIMIT_EXEMPT_IPS names it.
import "server-only";
import { env } from "@/lib/env";

/** The header scripts/server.mjs sets (scripts/lib/client-address.mjs: CLIENT_ADDRESS_HEADER). */
export const CLIENT_ADDRESS_HEADER = "x-aq-client-ip";

/** Set on globalThis by scripts/server.mjs: this process is served by it, so the header is its own. */
export const CLIENT_ADDRESS_SERVER_MARK = Symbol.for("aqstream.client-address-server");

/** The address of every request under `next dev` / tests (the socket is out of the app's reach). */
export const DEV_CLIENT_ADDRESS = "dev-local";

/** The address of every request of a production process not started by scripts/server.mjs. */
export const UNRESOLVED_CLIENT_ADDRESS = "unresolved";

type HeaderSource = { get(name: string): string | null };

let warned = false;

function servedByAddressServer(): boolean {
  return (globalThis as Record<symbol, unknown>)[CLIENT_ADDRESS_SERVER_MARK] === true;
}

/** The client address of the request with these headers (never empty, never "unknown"). */
export function clientIp(headers: HeaderSource): string {
  if (servedByAddressServer()) {
    const value = headers.get(CLIENT_ADDRESS_HEADER)?.trim();
    if (value) return value;
  }
  if (process.env.NODE_ENV !== "production") return DEV_CLIENT_ADDRESS;
  if (!warned) {
    warned = true;
    console.error(
      "[aqstream] the client address is unknown: this production server was not started by scripts/server.mjs (npm start / node scripts/server.mjs), " +
        `so every request shares the per-IP rate-limit bucket "${UNRESOLVED_CLIENT_ADDRESS}". Start it with node scripts/server.mjs instead of next start.`,
    );
  }
  return UNRESOLVED_CLIENT_ADDRESS;
}

/** The addresses of RATE_LIMIT_EXEMPT_IPS ("none" and empty: nobody), written as the server writes them. */
export function parseExemptAddresses(value: string | undefined): ReadonlySet<string> {
  const text = value?.trim() ?? "";
  if (text === "" || text.toLowerCase() === "none") return new Set();
  return new Set(text.split(",").map(normalizeListed).filter(Boolean));
}

function normalizeListed(entry: string): string {
  const s = entry.trim().toLowerCase();
  return s.startsWith("::ffff:") && /^\d+\.\d+\.\d+\.\d+$/.test(s.slice(7)) ? s.slice(7) : s;
}

let cachedList: { value: string | undefined; set: ReadonlySet<string> } | undefined;

function configuredExemptions(): string | undefined {
  try {
    return env().RATE_LIMIT_EXEMPT_IPS;
  } catch {
    // The environment is validated at start-up; never fail a request over it.
    return process.env.RATE_LIMIT_EXEMPT_IPS;
  }
}

/**
 * Whether per-IP limits skip this address: only when RATE_LIMIT_EXEMPT_IPS names it explicitly
 * (benchmarks and the e2e server do, for their own loopback client). Default: nobody.
 */
export function isRateLimitExemptIp(ip: string | null | undefined, configured: string | undefined = configuredExemptions()): boolean {
  if (!ip) return false;
  let list = cachedList;
  if (!list || list.value !== configured) list = cachedList = { value: configured, set: parseExemptAddresses(configured) };
  return list.set.has(normalizeListed(ip));
}
