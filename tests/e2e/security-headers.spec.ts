// Security headers and the client address, against the production server (scripts/server.mjs):
// - the cached event page is served from the ISR cache with a Content-Security-Policy that lists the
//   hashes of exactly its inline scripts (no nonce, no 'unsafe-inline'), and runs in the browser
//   without a single CSP violation (the live ticket island hydrates and fetches);
// - the pages rendered per request (the register page, the ticket, the dashboard, the member view of
//   the event page, the door scanner) carry a per-request nonce and work without violations: a
//   participant registers, an organizer's scanner downloads its list;
// - a spoofed X-Forwarded-For / x-aq-client-ip from the browser changes nothing: the session row
//   records the loopback address the connection really came from.
import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { inlineScriptHashes } from "../../lib/http/content-security-policy.mjs";
import { PASSWORD, SLOW, databaseUrl, query, signInViaUi, uniqueEmail, tRu } from "./support";

const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 4);

type World = { eventId: string; eventPath: string; registerPath: string; ownerEmail: string };

/** An organizer (with a password), a published free event next week with 20 seats. */
async function createWorld(): Promise<World> {
  const ids = { owner: randomUUID(), org: randomUUID(), event: randomUUID(), type: randomUUID() };
  const orgSlug = `e2e-csp-${ids.org.slice(0, 8)}`;
  const slug = `e2e-csp-event-${ids.event.slice(0, 8)}`;
  const ownerEmail = uniqueEmail("csp-owner");
  const startsAt = new Date(Date.now() + 7 * 24 * 3600_000);
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO users (id, email, email_verified, password_hash, first_name) VALUES ($1, $2, true, $3, 'Организатор')`, [ids.owner, ownerEmail, PASSWORD_HASH]);
    await client.query(`INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, $3, $4)`, [ids.org, ids.owner, `Клуб ${orgSlug}`, orgSlug]);
    await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'OWNER')`, [randomUUID(), ids.org, ids.owner]);
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, slug, location_address, published_at)
       VALUES ($1, $2, $3, 'Вечер без инъекций', 'Описание **события**', 'PUBLISHED', $4, $5, $6, 'Москва, ул. Политик, 1', now())`,
      [ids.event, ids.org, ids.owner, startsAt, new Date(startsAt.getTime() + 3 * 3600_000), slug],
    );
    await client.query(`INSERT INTO ticket_types (id, event_id, name, price_cents, quantity, sort_order) VALUES ($1, $2, 'Стандарт', 0, 20, 0)`, [ids.type, ids.event]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
  const eventPath = `/e/${orgSlug}/${slug}`;
  return { eventId: ids.event, eventPath, registerPath: `${eventPath}/register`, ownerEmail };
}

async function createParticipant(): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = uniqueEmail("csp-reg");
  await query(`INSERT INTO users (id, email, email_verified, password_hash, first_name, last_name) VALUES ($1, $2, true, $3, 'Ксения', 'Строгая')`, [id, email, PASSWORD_HASH]);
  return { id, email };
}

/**
 * Every CSP violation of the page, from both sides: the DOM's securitypolicyviolation events (reported
 * through a binding that survives navigations) and the console ("Refused to …").
 */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|frame|connect|create)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

function directives(policy: string | null): Record<string, string> {
  expect(policy, "a Content-Security-Policy header").toBeTruthy();
  return Object.fromEntries((policy ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(" ")]));
}

function expectStrictFrame(policy: Record<string, string>) {
  expect(policy["object-src"]).toBe("'none'");
  expect(policy["base-uri"]).toBe("'self'");
  expect(policy["form-action"]).toBe("'self'");
  expect(policy["frame-ancestors"]).toBe("'none'");
  expect(policy["connect-src"]).toBe("'self'");
  expect(policy["script-src"]).not.toContain("'unsafe-inline'");
}

async function signInTo(page: Page, email: string, path: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  await signInViaUi(page, email);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`), { timeout: SLOW });
}

test("the cached event page stays cached, carries the hashes of its inline scripts and runs without CSP violations @desktop-only", async ({ page, request }) => {
  const world = await createWorld();

  // The first request renders the page into the ISR cache; the next ones are served from it.
  expect((await request.get(world.eventPath)).status()).toBe(200);
  const cached = await request.get(world.eventPath);
  expect(cached.status()).toBe(200);
  expect(cached.headers()["x-nextjs-cache"]).toBe("HIT");
  const html = await cached.text();
  const policy = directives(cached.headers()["content-security-policy"]);
  const hashes = inlineScriptHashes(html);
  expect(hashes.length).toBeGreaterThan(0);
  expect(policy["script-src"]).toBe(["'self'", ...hashes, ...(policy["script-src"].includes("telegram.org") ? ["https://telegram.org", "'unsafe-eval'"] : [])].join(" "));
  expect(policy["script-src"]).not.toContain("'nonce-");
  expectStrictFrame(policy);
  expect(cached.headers()["x-content-type-options"]).toBe("nosniff");
  expect(cached.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(cached.headers()["permissions-policy"]).toContain("camera=(self)");
  expect(cached.headers()["x-frame-options"]).toBe("DENY");
  expect(cached.headers()["strict-transport-security"]).toBeUndefined(); // plain http here

  const violations = await watchViolations(page);
  const response = await page.goto(world.eventPath);
  expect(response?.headers()["x-nextjs-cache"]).toBe("HIT");
  await expect(page.getByRole("heading", { level: 1, name: "Вечер без инъекций" })).toBeVisible();
  // The live island ran: it fetched the availability after hydration.
  await expect(page.getByTestId("ticket-availability")).toHaveText(tRu("public.event.left", { count: 20 }), { timeout: SLOW });
  expect(violations).toEqual([]);

  // And the policy bites (so the silence above means something): an injected inline script is refused.
  const ran = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.body.appendChild(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.some((v) => /script-src/.test(v))).toBe(true);
});

test("pages rendered per request carry a nonce; a participant registers and an organizer scans without CSP violations @desktop-only", async ({ page, browser, baseURL }) => {
  const world = await createWorld();
  const person = await createParticipant();
  const violations = await watchViolations(page);

  await signInTo(page, person.email, world.registerPath);
  const register = await page.reload();
  const registerPolicy = directives(register?.headers()["content-security-policy"] ?? null);
  expect(registerPolicy["script-src"]).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expectStrictFrame(registerPolicy);
  await page.getByTestId("register-submit").click();
  await expect(page).toHaveURL(/\/dashboard\/tickets\/[0-9a-f-]{36}\?new=1$/, { timeout: SLOW });
  await expect(page.getByTestId("ticket-qr").locator("svg")).toBeVisible();

  // The member view of the event page (a session cookie: rendered per request).
  const member = await page.goto(world.eventPath);
  expect(member?.headers()["content-security-policy"]).toContain("'nonce-");
  await expect(page.getByTestId("ticket-availability")).toHaveText(tRu("public.event.left", { count: 19 }), { timeout: SLOW });

  const dashboard = await page.goto("/dashboard");
  expect(dashboard?.headers()["content-security-policy"]).toContain("'nonce-");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);

  // The organizer's door scanner (camera allowed for this origin): it downloads the list of the event.
  const context = await browser.newContext({ baseURL, permissions: ["camera"] });
  const scanner = await context.newPage();
  const scannerViolations = await watchViolations(scanner);
  await signInTo(scanner, world.ownerEmail, `/check-in/${world.eventId}`);
  const scannerPage = await scanner.reload();
  expect(scannerPage?.headers()["content-security-policy"]).toContain("'nonce-");
  expect(scannerPage?.headers()["permissions-policy"]).toContain("camera=(self)");
  await expect(scanner.getByTestId("list-status")).toHaveAttribute("data-count", "1", { timeout: SLOW });
  await expect(scanner.getByTestId("counters")).toBeVisible();
  expect(scannerViolations).toEqual([]);
  await context.close();
});

test("a spoofed X-Forwarded-For or x-aq-client-ip from the browser is ignored: the session records the real address @desktop-only", async ({ page }) => {
  const person = await createParticipant();
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "203.0.113.77", "x-aq-client-ip": "198.51.100.77", "x-real-ip": "192.0.2.77" });
  await signInTo(page, person.email, "/dashboard");
  const sessions = await query<{ ip: string | null }>(`SELECT ip FROM user_sessions WHERE user_id = $1`, [person.id]);
  expect(sessions.length).toBeGreaterThan(0);
  for (const { ip } of sessions) expect(["127.0.0.1", "::1"]).toContain(ip);
});
