// The widget's iframe page /embed/<eventId> may be framed by any site; every other page by none
// (docs/widget.md): the policy's frame-ancestors (lib/http/content-security-policy.mjs, applied per
// response by scripts/server.mjs) and X-Frame-Options (next.config.ts headers, matched by Next's own
// path-to-regexp).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildCustomRoute } from "next/dist/lib/build-custom-route";
import { afterAll, describe, expect, test } from "vitest";
import { contentSecurityPolicy, isEmbeddablePath } from "@/lib/http/content-security-policy.mjs";
import nextConfig from "@/next.config";
import { createContentSecurityPolicy } from "@/scripts/server.mjs";

const EMBEDDABLE = ["/embed/0b6f0a36-1d7e-4a53-9a43-6c1c6e0c2d11", "/embed/x?locale=en", "/ru/embed/x", "/en/embed/x/", "/embed/x/"];
const NOT_EMBEDDABLE = ["/", "/login", "/e/org/event", "/embed", "/embed/", "/embed/x/y", "/dashboard/embed/x", "/embedded/x", "/de/embed/x", "/t/token", "/api/widget/events/x"];

describe("isEmbeddablePath", () => {
  test.each(EMBEDDABLE)("%s may be framed", (path) => expect(isEmbeddablePath(path)).toBe(true));
  test.each(NOT_EMBEDDABLE)("%s may not", (path) => expect(isEmbeddablePath(path)).toBe(false));
});

describe("the policy's frame-ancestors", () => {
  test("'none' unless the page is framed on purpose", () => {
    expect(contentSecurityPolicy()).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy({ framed: true })).toContain("frame-ancestors *");
    expect(contentSecurityPolicy({ framed: true })).not.toContain("frame-ancestors 'none'");
  });

  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  test("the production server gives /embed/<id> frame-ancestors * and every other page 'none' (cached pages too)", async () => {
    const apply = createContentSecurityPolicy();
    const server = http.createServer((req, res) => {
      apply(req, res, { https: false });
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.setHeader("etag", '"same"'); // the same cached page under both paths: the policy cache must not mix them
      res.end("<html><script>a()</script></html>");
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const policyOf = async (path: string) => (await fetch(base + path)).headers.get("content-security-policy") ?? "";
    expect(await policyOf("/embed/abc?locale=ru")).toContain("frame-ancestors *");
    expect(await policyOf("/login")).toContain("frame-ancestors 'none'");
    expect(await policyOf("/en/embed/abc")).toContain("frame-ancestors *");
    expect(await policyOf("/embed/abc/more")).toContain("frame-ancestors 'none'");
  });
});

describe("X-Frame-Options (next.config.ts headers)", () => {
  async function headersFor(path: string): Promise<Record<string, string>> {
    const rules = await nextConfig.headers!();
    const out: Record<string, string> = {};
    for (const rule of rules) {
      // Compiled as Next compiles them (strict, case-insensitive, an optional trailing slash).
      if (!new RegExp(buildCustomRoute("header", rule).regex).test(path)) continue;
      for (const { key, value } of rule.headers) out[key.toLowerCase()] = value;
    }
    return out;
  }

  test.each(["/", "/login", "/e/org/event", "/embed/x/y", "/dashboard/o/a/events/b", "/api/widget/events/x"])("%s: DENY", async (path) => {
    const headers = await headersFor(path);
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
  });

  test.each(["/embed/0b6f0a36-1d7e-4a53-9a43-6c1c6e0c2d11", "/ru/embed/x", "/en/embed/x/"])("%s: no X-Frame-Options, the other headers stay", async (path) => {
    const headers = await headersFor(path);
    expect(headers["x-frame-options"]).toBeUndefined();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });
});
