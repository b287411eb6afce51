// The API reference page's pieces: the bundle version the app serves is the installed one, and only
// /docs/api gets inline stylesheets in its Content-Security-Policy (scripts stay strict).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { SCALAR_SCRIPT_URL, SCALAR_VERSION } from "@/lib/api/docs";
import { allowsInlineStyles, contentSecurityPolicy } from "@/lib/http/content-security-policy.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the API reference bundle", () => {
  test("is the installed @scalar/api-reference, and its URL carries that version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@scalar/api-reference/package.json"), "utf8"));
    expect(pkg.version).toBe(SCALAR_VERSION);
    expect(fs.existsSync(path.join(ROOT, "node_modules/@scalar/api-reference/dist/browser/standalone.js"))).toBe(true);
    expect(SCALAR_SCRIPT_URL).toBe(`/api/docs/scalar.js?v=${SCALAR_VERSION}`);
  });
});

describe("the policy of /docs/api", () => {
  test("only the docs page allows inline stylesheets", () => {
    for (const url of ["/docs/api", "/docs/api/", "/docs/api?x=1", "/docs/api#operation", "/en/docs/api", "/ru/docs/api"]) expect(allowsInlineStyles(url), url).toBe(true);
    for (const url of ["/", "/docs", "/docs/apis", "/docs/api/evil", "/events", "/e/x/docs/api", "/api/v1/openapi.json", undefined]) expect(allowsInlineStyles(url), String(url)).toBe(false);
  });

  test("inlineStyles changes style-src and nothing else", () => {
    const strict = contentSecurityPolicy({ scriptSources: ["'nonce-n'"] });
    const docs = contentSecurityPolicy({ scriptSources: ["'nonce-n'"], inlineStyles: true });
    expect(strict).toContain("style-src 'self';");
    expect(docs).toContain("style-src 'self' 'unsafe-inline';");
    expect(docs.replace("style-src 'self' 'unsafe-inline';", "style-src 'self';")).toBe(strict);
    expect(docs).toMatch(/script-src 'self' 'nonce-n';/);
  });
});
