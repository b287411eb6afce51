// The client-address resolution of the production server (scripts/lib/client-address.mjs):
// TRUSTED_PROXIES modes, spoofed and malformed X-Forwarded-For, normalisation.
import { describe, expect, it } from "vitest";
import {
  MAX_HOPS,
  createClientAddressResolver,
  describeTrustedProxies,
  normalizeAddress,
  parseTrustedProxies,
} from "@/scripts/lib/client-address.mjs";
import { CLIENT_ADDRESS_SERVER_MARK, clientIp, isRateLimitExemptIp } from "@/lib/http/client-address";

describe("normalizeAddress", () => {
  it("keeps IPv4 and writes IPv4-mapped IPv6 as IPv4", () => {
    expect(normalizeAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeAddress(" 203.0.113.7 ")).toBe("203.0.113.7");
    expect(normalizeAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeAddress("::FFFF:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("::ffff:cb00:7107")).toBe("203.0.113.7");
  });

  it("writes IPv6 canonically, without brackets, port or zone", () => {
    expect(normalizeAddress("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(normalizeAddress("[2001:db8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("::1")).toBe("::1");
  });

  it("drops the port of IPv4:port (as some load balancers write it)", () => {
    expect(normalizeAddress("198.51.100.4:51234")).toBe("198.51.100.4");
  });

  it("refuses everything that is not an address", () => {
    for (const bad of ["", " ", "unknown", "garbage", "1.2.3", "256.1.1.1", "1.2.3.4.5", "example.com", "1.2.3.4:port", "[::1", "[::1]x", "::ffff:999.1.1.1", "_hidden", "a".repeat(100), "1.2.3.4:5:6"]) {
      expect(normalizeAddress(bad), bad).toBeNull();
    }
    expect(normalizeAddress(undefined)).toBeNull();
    expect(normalizeAddress(null)).toBeNull();
    expect(normalizeAddress(42)).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("reads no proxy, hop counts and lists", () => {
    for (const none of [undefined, null, "", " ", "0", "none", "NONE"]) expect(parseTrustedProxies(none).mode).toBe("none");
    expect(parseTrustedProxies("1")).toEqual({ mode: "hops", hops: 1 });
    expect(parseTrustedProxies(" 2 ")).toEqual({ mode: "hops", hops: 2 });
    const list = parseTrustedProxies("10.0.0.0/8, 192.0.2.10 ,fd00::/8,loopback");
    expect(list.mode).toBe("list");
    if (list.mode !== "list") return;
    expect(list.entries).toEqual(["10.0.0.0/8", "192.0.2.10", "fd00::/8", "loopback"]);
    expect(list.contains("10.200.3.4")).toBe(true);
    expect(list.contains("192.0.2.10")).toBe(true);
    expect(list.contains("192.0.2.11")).toBe(false);
    expect(list.contains("fd12::1")).toBe(true);
    expect(list.contains("fe80::1")).toBe(false);
    expect(list.contains("127.0.0.1")).toBe(true);
    expect(list.contains("::1")).toBe(true);
  });

  it("knows the private and link-local keywords", () => {
    const list = parseTrustedProxies("private,linklocal");
    if (list.mode !== "list") throw new Error("expected a list");
    for (const a of ["10.1.1.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "100.64.0.1", "fd00::1", "169.254.1.1", "fe80::1"]) expect(list.contains(a), a).toBe(true);
    for (const a of ["172.32.0.1", "8.8.8.8", "2001:db8::1", "127.0.0.1"]) expect(list.contains(a), a).toBe(false);
  });

  it("names what is wrong", () => {
    expect(() => parseTrustedProxies("33")).toThrow(/at most 32/);
    expect(() => parseTrustedProxies("true")).toThrow(/"true" is not an IP address/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/"10.0.0.0\/33"/);
    expect(() => parseTrustedProxies("fd00::/129")).toThrow(/fd00::\/129/);
    expect(() => parseTrustedProxies("10.0.0.0/x")).toThrow(/10.0.0.0\/x/);
    expect(() => parseTrustedProxies("10.0.0.1, nginx")).toThrow(/"nginx"/);
    expect(() => parseTrustedProxies(",,")).toThrow(/no address/);
    expect(() => parseTrustedProxies("-1")).toThrow(/"-1"/);
  });
});

describe("no trusted proxy (the default)", () => {
  const resolve = createClientAddressResolver(undefined);

  it("is the socket's peer; X-Forwarded-For is ignored", () => {
    expect(resolve("203.0.113.7", undefined)).toEqual({ address: "203.0.113.7", viaProxy: false });
    expect(resolve("203.0.113.7", "127.0.0.1")).toEqual({ address: "203.0.113.7", viaProxy: false });
    expect(resolve("203.0.113.7", ",")).toEqual({ address: "203.0.113.7", viaProxy: false });
    expect(resolve("::ffff:203.0.113.7", "10.0.0.1, 127.0.0.1")).toEqual({ address: "203.0.113.7", viaProxy: false });
    expect(resolve("::1", "198.51.100.1")).toEqual({ address: "::1", viaProxy: false });
  });

  it("has no address only for a socket without one", () => {
    expect(resolve(undefined, "203.0.113.7")).toEqual({ address: null, viaProxy: false });
  });
});

describe("a hop count", () => {
  const one = createClientAddressResolver("1");
  const two = createClientAddressResolver("2");

  it("one proxy: the entry it appended (the last one); anything the client wrote before it is ignored", () => {
    expect(one("10.0.0.2", "203.0.113.7").address).toBe("203.0.113.7");
    expect(one("10.0.0.2", "127.0.0.1, 203.0.113.7").address).toBe("203.0.113.7");
    expect(one("10.0.0.2", "1.1.1.1,2.2.2.2, 203.0.113.7").address).toBe("203.0.113.7");
    expect(one("10.0.0.2", ["127.0.0.1", "203.0.113.7"]).address).toBe("203.0.113.7");
    expect(one("10.0.0.2", "203.0.113.7").viaProxy).toBe(true);
  });

  it("two proxies: the second entry from the right", () => {
    expect(two("10.0.0.2", "127.0.0.1, 203.0.113.7, 10.0.0.1").address).toBe("203.0.113.7");
  });

  it("a shorter chain than configured (a request that skipped the outer proxy) ends at its left-most address", () => {
    expect(two("10.0.0.2", "198.51.100.9").address).toBe("198.51.100.9");
    expect(one("10.0.0.2", undefined).address).toBe("10.0.0.2");
    expect(one("10.0.0.2", "").address).toBe("10.0.0.2");
  });

  it("an empty or malformed entry stops the walk at the last good address, never 'unknown'", () => {
    expect(one("10.0.0.2", ",").address).toBe("10.0.0.2");
    expect(one("10.0.0.2", "203.0.113.7,").address).toBe("10.0.0.2");
    expect(one("10.0.0.2", "unknown").address).toBe("10.0.0.2");
    expect(two("10.0.0.2", "garbage, 10.0.0.1").address).toBe("10.0.0.1");
    expect(two("10.0.0.2", " , 10.0.0.1").address).toBe("10.0.0.1");
  });

  it("normalises what the proxies wrote", () => {
    expect(one("::ffff:10.0.0.2", "[2001:DB8::7]:1234").address).toBe("2001:db8::7");
    expect(one("10.0.0.2", "::ffff:203.0.113.7").address).toBe("203.0.113.7");
  });
});

describe("a list of trusted proxies", () => {
  const resolve = createClientAddressResolver("10.0.0.0/8, 2001:db8:ffff::/48");

  it("a peer outside the list is the client, whatever X-Forwarded-For says", () => {
    expect(resolve("203.0.113.7", "127.0.0.1")).toEqual({ address: "203.0.113.7", viaProxy: false });
    expect(resolve("::ffff:203.0.113.7", "10.0.0.1")).toEqual({ address: "203.0.113.7", viaProxy: false });
  });

  it("skips trusted addresses from the right; the first untrusted one is the client", () => {
    expect(resolve("10.0.0.2", "203.0.113.7")).toEqual({ address: "203.0.113.7", viaProxy: true });
    expect(resolve("10.0.0.2", "127.0.0.1, 203.0.113.7, 10.9.9.9, 10.0.0.1").address).toBe("203.0.113.7");
    expect(resolve("2001:db8:ffff::5", "2001:db8:1::9").address).toBe("2001:db8:1::9");
    expect(resolve("::ffff:10.0.0.2", "::ffff:203.0.113.7").address).toBe("203.0.113.7");
  });

  it("a spoofed trusted address on the left never wins over the client's real one", () => {
    // The client sent "10.0.0.99"; the proxy appended its real address.
    expect(resolve("10.0.0.2", "10.0.0.99, 198.51.100.23").address).toBe("198.51.100.23");
  });

  it("only trusted addresses (the proxy itself asking): the left-most of them", () => {
    expect(resolve("10.0.0.2", "10.0.0.3").address).toBe("10.0.0.3");
    expect(resolve("10.0.0.2", undefined).address).toBe("10.0.0.2");
  });

  it("an empty or malformed entry stops at the last trusted hop's peer", () => {
    expect(resolve("10.0.0.2", ",").address).toBe("10.0.0.2");
    expect(resolve("10.0.0.2", "203.0.113.7, ").address).toBe("10.0.0.2");
    expect(resolve("10.0.0.2", "203.0.113.7, unknown, 10.0.0.1").address).toBe("10.0.0.1");
    expect(resolve("10.0.0.2", "1.2.3.4, 10.0.0.1:80, junk").address).toBe("10.0.0.2");
  });

  it("walks at most MAX_HOPS entries", () => {
    const trusted = Array.from({ length: 100 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const { address } = resolve("10.0.0.250", ["203.0.113.7", ...trusted].join(", "));
    expect(address).toBe(trusted[trusted.length - MAX_HOPS]);
  });

  it("answers on a header at Node's size limit", () => {
    const header = `${"1.2.3.4, ".repeat(1800)}203.0.113.7`;
    expect(resolve("10.0.0.2", header).address).toBe("203.0.113.7");
  });
});

describe("describeTrustedProxies", () => {
  it("says what the setting means", () => {
    expect(describeTrustedProxies(undefined)).toMatch(/X-Forwarded-For is ignored/);
    expect(describeTrustedProxies("1")).toMatch(/1 trusted proxy/);
    expect(describeTrustedProxies("2")).toMatch(/entry 2 from the right/);
    expect(describeTrustedProxies("loopback")).toMatch(/trusted proxies loopback/);
  });
});

describe("clientIp (the app's side)", () => {
  const marks = globalThis as Record<symbol, unknown>;
  const withMark = <T>(value: boolean, fn: () => T): T => {
    const before = marks[CLIENT_ADDRESS_SERVER_MARK];
    marks[CLIENT_ADDRESS_SERVER_MARK] = value;
    try {
      return fn();
    } finally {
      marks[CLIENT_ADDRESS_SERVER_MARK] = before;
    }
  };

  it("inside scripts/server.mjs: only x-aq-client-ip counts, X-Forwarded-For and X-Real-IP never do", () => {
    withMark(true, () => {
      expect(clientIp(new Headers({ "x-aq-client-ip": "203.0.113.7", "x-forwarded-for": "127.0.0.1", "x-real-ip": "127.0.0.1" }))).toBe("203.0.113.7");
      expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7" }))).toBe("dev-local");
    });
  });

  it("outside it (next dev, tests): every request is dev-local, whatever the client wrote", () => {
    withMark(false, () => {
      expect(clientIp(new Headers({ "x-aq-client-ip": "203.0.113.7" }))).toBe("dev-local");
      expect(clientIp(new Headers())).toBe("dev-local");
    });
  });

  it("a production process outside it: one shared bucket 'unresolved', said once in the log — never exempt", () => {
    const env = process.env as Record<string, string | undefined>;
    const before = env.NODE_ENV;
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    env.NODE_ENV = "production";
    try {
      withMark(false, () => {
        expect(clientIp(new Headers({ "x-aq-client-ip": "203.0.113.7" }))).toBe("unresolved");
        expect(clientIp(new Headers())).toBe("unresolved");
      });
    } finally {
      env.NODE_ENV = before;
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as unknown[])[0])).toMatch(/scripts\/server\.mjs/);
    expect(isRateLimitExemptIp("unresolved", undefined)).toBe(false);
  });
});
