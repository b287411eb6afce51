// /docs/api in a real browser against the production server: the introduction and the quickstart in
// Russian and in English, and the interactive reference (Scalar, bundle served by the app) rendering the
// OpenAPI document of /api/v1/openapi.json — at phone width, without a horizontal scroll and without a
// single Content-Security-Policy violation (the page's policy adds only inline stylesheets). Plus the
// public document itself (CORS, cache) and the bundle's long cache.
import { expect, test, type Page } from "@playwright/test";
import { expectNoHorizontalScroll, keepScreenshot, tEn, tRu } from "./support";

async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|frame|connect|create)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Scrolls the page down until the locator is in the DOM (the reference renders sections lazily). */
async function scrollUntil(page: Page, locator: ReturnType<Page["locator"]>) {
  for (let i = 0; i < 40 && (await locator.count()) === 0; i++) {
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(250);
  }
  await expect(locator.first()).toBeAttached();
}

test("the API docs page: quickstart and the interactive reference, ru and en, no CSP violation @phone-only", async ({ page, context, request }, testInfo) => {
  const violations = await watchViolations(page);
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));

  const response = await page.goto("/docs/api");
  expect(response?.status()).toBe(200);
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("style-src 'self' 'unsafe-inline'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  // the rest is every page's policy (with the test bot configured, that includes Telegram's widget)
  const scripts = /script-src ([^;]*)/.exec(policy)?.[1] ?? "";
  expect(scripts.split(" ").filter((s) => !s.startsWith("'sha256-") && !s.startsWith("'nonce-"))).toEqual(
    policy.includes("https://telegram.org") ? ["'self'", "https://telegram.org", "'unsafe-eval'"] : ["'self'"],
  );

  await expect(page.getByRole("heading", { level: 1, name: tRu("apiDocs.title") })).toBeVisible();
  await expect(page.getByRole("heading", { name: tRu("apiDocs.quickstart.title") })).toBeVisible();
  // the samples name the address the reader is on
  await expect(page.getByTestId("api-quickstart")).toContainText(`export AQ_URL="${new URL(page.url()).origin}/api/v1"`);
  await expect(page.getByTestId("api-base-url")).toHaveText(`${new URL(page.url()).origin}/api/v1`);

  // the reference renders the document, its chrome in Russian: the server, the security scheme, the
  // operations (rendered lazily as the reader scrolls: scroll until the events' operations are there)
  await expect(page.getByRole("heading", { level: 2, name: tRu("apiDocs.reference.title") })).toBeVisible();
  const reference = page.getByTestId("api-reference");
  const origin = new URL(page.url()).origin;
  await expect(reference.getByRole("heading", { level: 1, name: "AqStream API" })).toBeVisible({ timeout: 60_000 });
  await expect(reference.getByRole("button", { name: /Скачать OpenAPI/ })).toBeVisible();
  await expect(reference.getByText(`${origin}/api/v1`).first()).toBeAttached();
  await expect(reference.getByRole("link", { name: "get /organization" })).toBeAttached();
  await scrollUntil(page, reference.getByRole("link", { name: "post /events", exact: true }));
  await expect(reference.getByRole("link", { name: "post /events/{eventId}/publish" })).toBeAttached();
  await expect(page.getByRole("status")).toHaveCount(0);
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "api-docs-ru");

  // everything came from this origin
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:"))).toEqual([]);
  expect(requests.some((u) => u.includes("/api/docs/scalar.js?v="))).toBe(true);
  expect(requests.some((u) => u.endsWith("/api/v1/openapi.json"))).toBe(true);

  // English
  await context.addCookies([{ name: "locale", value: "en", url: origin }]);
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 1, name: tEn("apiDocs.title") })).toBeVisible();
  await expect(page.getByRole("heading", { name: tEn("apiDocs.quickstart.title") })).toBeVisible();
  await expect(reference.getByRole("heading", { level: 1, name: "AqStream API" })).toBeVisible({ timeout: 60_000 });
  await expect(reference.getByRole("button", { name: /Download OpenAPI/ })).toBeVisible();
  await keepScreenshot(page, testInfo, "api-docs-en");

  expect(violations).toEqual([]);

  // the document: public, CORS *, cacheable; the bundle: cached for a year under its versioned URL
  const doc = await request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect(doc.headers()["access-control-allow-origin"]).toBe("*");
  expect(doc.headers()["cache-control"]).toContain("public");
  const json = await doc.json();
  expect(json.openapi).toBe("3.1.0");
  expect(json.servers[0].url).toMatch(/\/api\/v1$/);
  const bundle = await request.get(requests.find((u) => u.includes("/api/docs/scalar.js?v="))!);
  expect(bundle.status()).toBe(200);
  expect(bundle.headers()["cache-control"]).toContain("immutable");
  expect(bundle.headers()["content-type"]).toContain("javascript");
});
