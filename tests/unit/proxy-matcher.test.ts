// Which paths go through proxy.ts (locale rewrite, auth redirect) and which reach their files/handlers.
import { describe, expect, test } from "vitest";
import { config } from "@/proxy";

// The matcher is one path-to-regexp pattern made of a plain regular expression group.
const matches = (path: string) => new RegExp(`^${config.matcher[0]}$`).test(path);

describe("proxy matcher", () => {
  test.each([
    "/",
    "/events",
    "/e/aqstream-demo/summer-meetup",
    "/dashboard/admin/templates/user.welcome",
    "/dashboard/admin/templates/event.cancelled",
    "/check-in/4f1c2a9e-0000-4000-8000-000000000000",
    "/t/abc_DEF-123",
  ])("rewrites the page %s", (path) => {
    expect(matches(path)).toBe(true);
  });

  test.each([
    "/api/auth/session",
    "/_next/static/chunks/app.js",
    "/media/2026/11/abc.webp",
    "/robots.txt",
    "/sitemap.xml",
    "/icon.svg",
    "/check-in-sw.js",
    "/check-in-icon-192.png",
    "/e/aqstream-demo/summer-meetup/calendar.ics",
  ])("leaves %s alone", (path) => {
    expect(matches(path)).toBe(false);
  });
});
