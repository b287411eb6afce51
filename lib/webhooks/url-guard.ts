// The request-forgery guard of webhook URLs (docs/webhooks.md → "Which URLs"). An organization's endpoint
// must never make the server POST into its own network: only http(s), no credentials in the URL, https in
// production (unless WEBHOOKS_ALLOW_HTTP=1), and no address that is loopback, private, link-local, CGNAT,
// "this network", multicast or reserved — for an IP literal and for EVERY address a host name resolves to.
// Checked when an endpoint is saved (a field error) and again at every send, where the connection goes to
// the very address that was checked (pinned through `lookup`), so a DNS rebind between the check and the
// connect cannot slip through. WEBHOOKS_ALLOW_PRIVATE_URLS=1 lifts the address check only (tests, e2e).
import "server-only";
import { lookup as dnsLookup } from "node:dns/promises";
import net from "node:net";
import { env } from "@/lib/env";

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Why a URL is refused (the i18n key webhooks.errors.url.<reason>). */
export type UrlRefusal = "invalid" | "scheme" | "httpsRequired" | "credentials" | "privateAddress" | "unresolvable";

export type UrlCheck = { ok: true; url: URL; addresses: ResolvedAddress[] } | { ok: false; reason: UrlRefusal; detail?: string };

export type UrlGuardOptions = {
  /** Production rules (https required). Default: NODE_ENV === "production". */
  production?: boolean;
  /** http:// allowed in production (WEBHOOKS_ALLOW_HTTP=1). */
  allowHttp?: boolean;
  /** Private / loopback addresses allowed (WEBHOOKS_ALLOW_PRIVATE_URLS=1). */
  allowPrivate?: boolean;
  /** The resolver (tests pass a fake one). Default: dns.lookup with all addresses. */
  lookup?: (host: string) => Promise<ResolvedAddress[]>;
};

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata 169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 96], // unspecified, loopback ::1, IPv4-compatible
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
  ["2001:db8::", 32], // documentation
  ["100::", 64], // discard
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIpv4(ipv6: string): string | null {
  // The URL parser writes IPv6 in its canonical compressed form with hex groups (::ffff:7f00:1).
  const canonical = new URL(`http://[${ipv6}]/`).hostname.slice(1, -1);
  const m = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m) return null;
  const hi = parseInt(m[1], 16);
  const lo = parseInt(m[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether an IP address is one a webhook must never reach (see the lists above). */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return blocked.check(v4, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true; // not an address at all: refuse
}

function defaults(options: UrlGuardOptions): Required<Omit<UrlGuardOptions, "lookup">> & Pick<UrlGuardOptions, "lookup"> {
  const e = options.production === undefined || options.allowHttp === undefined || options.allowPrivate === undefined ? env() : undefined;
  return {
    production: options.production ?? e?.NODE_ENV === "production",
    allowHttp: options.allowHttp ?? e?.WEBHOOKS_ALLOW_HTTP === "1",
    allowPrivate: options.allowPrivate ?? e?.WEBHOOKS_ALLOW_PRIVATE_URLS === "1",
    lookup: options.lookup,
  };
}

/** The checks that need no network: scheme, credentials, https in production. */
export function parseWebhookUrl(raw: string, options: UrlGuardOptions = {}): { ok: true; url: URL } | { ok: false; reason: UrlRefusal } {
  const o = defaults(options);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "scheme" };
  if (url.username || url.password) return { ok: false, reason: "credentials" };
  if (!url.hostname) return { ok: false, reason: "invalid" };
  if (url.protocol === "http:" && o.production && !o.allowHttp) return { ok: false, reason: "httpsRequired" };
  return { ok: true, url };
}

async function systemLookup(host: string): Promise<ResolvedAddress[]> {
  const answers = await dnsLookup(host, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/**
 * The whole check: the URL's rules, then every address its host resolves to. Returns the addresses to
 * connect to (all checked). An IP literal is checked as it is.
 */
export async function checkWebhookUrl(raw: string, options: UrlGuardOptions = {}): Promise<UrlCheck> {
  const o = defaults(options);
  const parsed = parseWebhookUrl(raw, o);
  if (!parsed.ok) return parsed;
  const host = parsed.url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: ResolvedAddress[];
  const literal = net.isIP(host);
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (o.lookup ?? systemLookup)(host);
    } catch {
      return { ok: false, reason: "unresolvable" };
    }
    if (addresses.length === 0) return { ok: false, reason: "unresolvable" };
  }
  if (!o.allowPrivate) {
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) return { ok: false, reason: "privateAddress", detail: bad.address };
  }
  return { ok: true, url: parsed.url, addresses };
}
