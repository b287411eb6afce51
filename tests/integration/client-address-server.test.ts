// The production server's client address over real HTTP (scripts/server.mjs createRequestPreparer, the
// part that runs before Next on every request) in front of the real REST registration handler:
// a client-written X-Forwarded-For / x-aq-client-ip from an untrusted peer changes nothing, and
// loopback is limited like any other address.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { POST } from "@/app/api/v1/events/[eventId]/registrations/route";
import { db } from "@/lib/db";
import { clientIp } from "@/lib/http/client-address";
import { limitKey } from "@/lib/http/limits";
import { HSTS_VALUE, createRequestPreparer } from "@/scripts/server.mjs";
import "@/tests/helpers/client-address";

const servers: http.Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * A server like scripts/server.mjs with the app reduced to two routes: the REST registration handler
 * and /echo, which answers what the app sees (clientIp() and the proxy headers).
 */
async function serve(trustedProxies: string | undefined, appUrl = "http://localhost:3000"): Promise<string> {
  const prepare = createRequestPreparer({ trustedProxies, appUrl });
  const server = http.createServer(async (req, res) => {
    if (!prepare(req, res)) return void req.socket.destroy();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = req.method === "POST" ? new Uint8Array(await readBody(req)) : undefined;
    const request = new Request(`http://localhost${req.url}`, { method: req.method, headers, body });
    const route = /^\/api\/v1\/events\/([^/]+)\/registrations$/.exec(req.url ?? "");
    if (route) {
      const response = await POST(request, { params: Promise.resolve({ eventId: route[1] }) });
      res.writeHead(response.status, { "content-type": "application/json" });
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        clientIp: clientIp(request.headers),
        forwardedFor: headers.get("x-forwarded-for"),
        forwardedProto: headers.get("x-forwarded-proto"),
        realIp: headers.get("x-real-ip"),
      }),
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Echo = { clientIp: string; forwardedFor: string | null; forwardedProto: string | null; realIp: string | null };

async function echo(base: string, headers: Record<string, string>): Promise<{ seen: Echo; hsts: string | null }> {
  const response = await fetch(`${base}/echo`, { headers });
  return { seen: (await response.json()) as Echo, hsts: response.headers.get("strict-transport-security") };
}

describe("TRUSTED_PROXIES unset (the default): the connection's address", () => {
  test("a spoofed X-Forwarded-For, X-Real-IP or x-aq-client-ip from an untrusted peer is ignored and dropped", async () => {
    const base = await serve(undefined);
    for (const spoof of ["127.0.0.1", ",", "203.0.113.7, 127.0.0.1", "unknown", "::1"]) {
      const { seen, hsts } = await echo(base, {
        "x-forwarded-for": spoof,
        "x-real-ip": "10.0.0.1",
        "x-aq-client-ip": "10.9.9.9",
        "x-forwarded-proto": "https",
      });
      expect(seen, spoof).toEqual({ clientIp: "127.0.0.1", forwardedFor: null, forwardedProto: null, realIp: null });
      expect(hsts).toBeNull();
    }
  });

  test("130 registration attempts with X-Forwarded-For: 127.0.0.1 → the per-IP limit (120/min) answers 429 after 120", async () => {
    const base = await serve(undefined);
    const eventId = randomUUID(); // no such event: each allowed attempt is a 404, a limited one 429
    await db.rateLimitBucket.deleteMany({ where: { key: limitKey("registration", "ip", "127.0.0.1") } });
    const statuses: number[] = [];
    for (let batch = 0; batch < 13; batch++) {
      const spoof = batch % 2 === 0 ? "127.0.0.1" : ","; // both tricks, interleaved
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${base}/api/v1/events/${eventId}/registrations`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": spoof, "x-aq-client-ip": "10.1.1.1" },
            body: JSON.stringify({ ticketTypeId: randomUUID(), firstName: "Spoof" }),
          }).then((r) => r.status),
        ),
      );
      statuses.push(...results);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(statuses.filter((s) => s === 404)).toHaveLength(120);
    const bucket = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: limitKey("registration", "ip", "127.0.0.1") } });
    expect(bucket.count).toBe(130);
    expect(await db.rateLimitBucket.count({ where: { key: { in: [limitKey("registration", "ip", "10.1.1.1"), limitKey("registration", "ip", "unknown"), limitKey("registration", "ip", "")] } } })).toBe(0);
  });

  test("HSTS when APP_URL is https", async () => {
    const base = await serve(undefined, "https://aqstream.example");
    expect((await echo(base, {})).hsts).toBe(HSTS_VALUE);
  });
});

describe("behind a trusted proxy", () => {
  test("TRUSTED_PROXIES=loopback: the proxy's X-Forwarded-For and X-Forwarded-Proto are believed", async () => {
    const base = await serve("loopback");
    const { seen, hsts } = await echo(base, { "x-forwarded-for": "127.0.0.1, 203.0.113.9", "x-forwarded-proto": "https", "x-aq-client-ip": "10.9.9.9" });
    expect(seen.clientIp).toBe("203.0.113.9");
    expect(seen.forwardedFor).toBe("127.0.0.1, 203.0.113.9");
    expect(seen.forwardedProto).toBe("https");
    expect(hsts).toBe(HSTS_VALUE);
    expect((await echo(base, { "x-forwarded-proto": "http" })).hsts).toBeNull();
  });

  test("TRUSTED_PROXIES=1: an empty entry stops at the proxy, never 'unknown'", async () => {
    const base = await serve("1");
    expect((await echo(base, { "x-forwarded-for": "," })).seen.clientIp).toBe("127.0.0.1");
    expect((await echo(base, { "x-forwarded-for": "garbage" })).seen.clientIp).toBe("127.0.0.1");
    expect((await echo(base, { "x-forwarded-for": "127.0.0.1, 198.51.100.4" })).seen.clientIp).toBe("198.51.100.4");
  });

  test("a list that does not contain the peer: X-Forwarded-For is ignored", async () => {
    const base = await serve("10.0.0.0/8");
    const { seen } = await echo(base, { "x-forwarded-for": "203.0.113.9" });
    expect(seen).toMatchObject({ clientIp: "127.0.0.1", forwardedFor: null });
  });
});
