// Where proxy.ts sends the public pages: anonymous visitors to the cached routes, visitors with a
// session cookie to the per-request members' twins (docs/public-pages.md).
import { NextRequest } from "next/server";
import { describe, expect, test } from "vitest";
import { proxy } from "@/proxy";

function rewriteOf(path: string, cookie?: string): string | null {
  const request = new NextRequest(`http://localhost${path}`, { headers: cookie ? { cookie } : {} });
  const target = proxy(request).headers.get("x-middleware-rewrite");
  if (!target) return null;
  const url = new URL(target);
  return `${url.pathname}${url.search}`;
}

const SESSION = "authjs.session-token=abc";

describe("public pages: cached for anonymous visitors", () => {
  test.each([
    ["/events", "/ru/events/1"],
    ["/events?q=jazz", "/ru/events/search?q=jazz"],
    ["/events/2", "/ru/events/2"],
    ["/e/acme/meetup", "/ru/e/acme/meetup"],
    ["/o/acme", "/ru/o/acme"],
  ])("%s → %s", (path, expected) => {
    expect(rewriteOf(path)).toBe(expected);
  });

  test("an empty session cookie counts as none", () => {
    expect(rewriteOf("/o/acme", "authjs.session-token=")).toBe("/ru/o/acme");
  });
});

describe("public pages: members' twins for a session cookie", () => {
  test.each([
    ["/events", "/ru/events-member"],
    ["/events?q=jazz&format=online", "/ru/events-member?q=jazz&format=online"],
    ["/events/3", "/ru/events-member?page=3"],
    ["/e/acme/meetup", "/ru/e-member/acme/meetup"],
    ["/o/acme", "/ru/o-member/acme"],
  ])("%s → %s", (path, expected) => {
    expect(rewriteOf(path, SESSION)).toBe(expected);
  });

  test("the locale cookie picks the locale of the twin too", () => {
    expect(rewriteOf("/o/acme", `${SESSION}; locale=en`)).toBe("/en/o-member/acme");
  });

  test("other pages are not touched", () => {
    expect(rewriteOf("/events/2/x", SESSION)).toBe("/ru/events/2/x");
    expect(rewriteOf("/o/acme/events", SESSION)).toBe("/ru/o/acme/events");
  });
});
