// Who is the client? The production server (scripts/server.mjs) decides it once per request from the
// socket's remote address and X-Forwarded-For, according to TRUSTED_PROXIES, and hands the answer to
// the app in one internal header (x-aq-client-ip). Plain ESM, no dependencies: it runs per request.
//
// TRUSTED_PROXIES:
//   unset, "", "0", "none"  no proxy in front: the client is the socket's peer, X-Forwarded-For is ignored.
//   a hop count N (1–32)     N proxies in front: starting at the socket's peer, step left through
//                            X-Forwarded-For N times (each trusted proxy appended the peer it saw).
//   a comma list             addresses / CIDR ranges of the proxies (and the keywords loopback,
//                            private, linklocal): starting at the socket's peer, step left while the
//                            current address is a trusted proxy; the first untrusted one is the client.
// Either way the walk stops at the last good address when the next entry is empty or not an IP
// address, and after MAX_HOPS steps: the answer is always a real address, never "unknown".
import net from "node:net";

export const CLIENT_ADDRESS_HEADER = "x-aq-client-ip";

/** The most entries walked through (a trusted-proxy list cannot be used to make a request expensive). */
export const MAX_HOPS = 32;

const KEYWORDS = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
};

const MAPPED_PREFIX = "::ffff:";

/**
 * One address as the app should see it, or null when `raw` is not an IP address. Accepts what proxies
 * write: surrounding spaces, "[v6]", "[v6]:port", "v4:port", a zone id ("fe80::1%eth0"). IPv4-mapped
 * IPv6 ("::ffff:10.1.2.3", as a dual-stack socket reports IPv4 peers) becomes IPv4; IPv6 is written
 * in its canonical short lower-case form, so one client has one spelling (one rate-limit bucket).
 */
export function normalizeAddress(raw) {
  if (typeof raw !== "string") return null;
  let s = raw.trim();
  if (s === "" || s.length > 64) return null;
  if (net.isIPv4(s)) return s;
  if (s.startsWith(MAPPED_PREFIX) && net.isIPv4(s.slice(MAPPED_PREFIX.length))) return s.slice(MAPPED_PREFIX.length);
  if (s.charCodeAt(0) === 91 /* [ */) {
    const end = s.indexOf("]");
    if (end < 0) return null;
    const rest = s.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return null;
    s = s.slice(1, end);
  } else if (s.indexOf(":") === s.lastIndexOf(":") && s.includes(".")) {
    // "v4:port" (one colon, dots): an IPv6 address has at least two colons.
    const [host, port] = s.split(":");
    return /^\d{1,5}$/.test(port ?? "") && net.isIPv4(host) ? host : null;
  }
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (net.isIPv4(s)) return s;
  if (!net.isIPv6(s)) return null;
  return canonicalIPv6(s);
}

function canonicalIPv6(s) {
  // The WHATWG URL parser writes IPv6 hosts canonically (RFC 5952): lower case, longest zero run as ::.
  let host;
  try {
    host = new URL(`http://[${s}]/`).hostname.slice(1, -1);
  } catch {
    return s.toLowerCase();
  }
  if (host.startsWith(MAPPED_PREFIX)) {
    // ::ffff:a.b.c.d is serialized as ::ffff:XXXX:XXXX.
    const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (m) {
      const hi = parseInt(m[1], 16);
      const lo = parseInt(m[2], 16);
      return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
    }
  }
  return host;
}

/**
 * Parses a TRUSTED_PROXIES value. Returns { mode: "none" } | { mode: "hops", hops } |
 * { mode: "list", entries, contains(address) }; throws an Error naming the bad part.
 */
export function parseTrustedProxies(value) {
  const text = (value ?? "").trim();
  if (text === "" || text === "0" || text.toLowerCase() === "none") return { mode: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_HOPS) throw new Error(`TRUSTED_PROXIES=${text}: at most ${MAX_HOPS} proxies`);
    return { mode: "hops", hops };
  }
  const list = new net.BlockList();
  const entries = [];
  for (const part of text.split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const keyword = KEYWORDS[entry.toLowerCase()];
    for (const range of keyword ?? [entry]) {
      addRange(list, range, entry);
    }
    entries.push(entry);
  }
  if (entries.length === 0) throw new Error(`TRUSTED_PROXIES=${text}: no address or range in it`);
  return {
    mode: "list",
    entries,
    contains: (address) => list.check(address, net.isIPv6(address) ? "ipv6" : "ipv4"),
  };
}

function addRange(list, range, entry) {
  const problem = `TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range (10.0.0.0/8, fd00::/8) or one of ${Object.keys(KEYWORDS).join(", ")}`;
  const slash = range.indexOf("/");
  const address = normalizeAddress(slash < 0 ? range : range.slice(0, slash));
  if (!address) throw new Error(problem);
  const family = net.isIPv6(address) ? "ipv6" : "ipv4";
  if (slash < 0) {
    list.addAddress(address, family);
    return;
  }
  const prefixText = range.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === "ipv6" ? 128 : 32)) throw new Error(problem);
  list.addSubnet(address, prefix, family);
}

/**
 * The entries of X-Forwarded-For from right to left, read lazily (a long header costs only the
 * entries actually walked). Node joins repeated X-Forwarded-For headers with ", ".
 */
function* fromTheRight(forwardedFor) {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  if (typeof header !== "string" || header === "") return;
  let end = header.length;
  while (end >= 0) {
    const comma = header.lastIndexOf(",", end - 1);
    yield header.slice(comma + 1, end);
    if (comma < 0) return;
    end = comma;
  }
}

/**
 * Makes the per-request resolver for a TRUSTED_PROXIES value (parsed once; throws when it is invalid).
 * The resolver takes the socket's remote address and the X-Forwarded-For header value and returns
 * { address, viaProxy }: the client address (null only when the socket has no valid address, i.e. it
 * is already closed) and whether the socket's peer is a trusted proxy (then its X-Forwarded-Proto
 * and X-Forwarded-Host may be believed).
 */
export function createClientAddressResolver(setting) {
  const config = typeof setting === "object" && setting !== null ? setting : parseTrustedProxies(setting);
  if (config.mode === "none") {
    return (socketAddress) => ({ address: normalizeAddress(socketAddress), viaProxy: false });
  }
  if (config.mode === "hops") {
    const { hops } = config;
    return (socketAddress, forwardedFor) => {
      let address = normalizeAddress(socketAddress);
      if (!address) return { address: null, viaProxy: false };
      let steps = 0;
      for (const entry of fromTheRight(forwardedFor)) {
        if (steps >= hops) break;
        const next = normalizeAddress(entry);
        if (!next) break;
        address = next;
        steps++;
      }
      return { address, viaProxy: true };
    };
  }
  const { contains } = config;
  return (socketAddress, forwardedFor) => {
    let address = normalizeAddress(socketAddress);
    if (!address) return { address: null, viaProxy: false };
    const viaProxy = contains(address);
    if (!viaProxy) return { address, viaProxy };
    let steps = 0;
    for (const entry of fromTheRight(forwardedFor)) {
      if (steps >= MAX_HOPS || !contains(address)) break;
      const next = normalizeAddress(entry);
      if (!next) break;
      address = next;
      steps++;
    }
    return { address, viaProxy };
  };
}

/** Short description of a TRUSTED_PROXIES value for the start-up log. */
export function describeTrustedProxies(setting) {
  const config = typeof setting === "object" && setting !== null ? setting : parseTrustedProxies(setting);
  if (config.mode === "none") return "no trusted proxy: the client address is the connection's, X-Forwarded-For is ignored";
  if (config.mode === "hops") return `${config.hops} trusted prox${config.hops === 1 ? "y" : "ies"} in front: the client is X-Forwarded-For's ${config.hops === 1 ? "last entry" : `entry ${config.hops} from the right`}`;
  return `trusted proxies ${config.entries.join(", ")}: the client is the right-most X-Forwarded-For address outside them`;
}
