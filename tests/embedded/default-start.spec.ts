// The default target (issue 11): what `npm start` runs with nothing configured — the production server
// on the embedded PostgreSQL with the demo data — carries the whole product. Run by
// scripts/test-embedded.mjs, which also fails the layer when the server logs any error.
//
// One event of the demo organization with 8 free seats; 9 participants. Eight register at the same
// moment (four on their phones, four through the REST API: several sales on one server at once, the
// case that broke on PGlite); the ninth finds it sold out and joins the waitlist; the demo organizer
// signs in and sees the eight; the demo moderator opens the door scanner (its list download) and
// checks two people in (a QR scan and a manual one); one participant cancels and the freed seat is
// offered to the waiter. Participants get session rows and cookies made here (as Auth.js makes them),
// so that nine people do not each sign in; the demo organizer and moderator sign in through the form.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import bcrypt from "bcryptjs";
import { encode } from "next-auth/jwt";
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { translatorFor } from "../../lib/i18n/catalogue";
import { ru } from "../../lib/i18n/messages";

const tRu = translatorFor("ru");

type State = { baseUrl: string; databaseUrl: string; authSecret: string };
const state = JSON.parse(fs.readFileSync(process.env.E2E_EMBEDDED_STATE_FILE!, "utf8")) as State;

const DEMO_ORG = "aqstream-demo";
const DEMO_PASSWORD = "demo12345";
const SEATS = 8;
const COOKIE = "authjs.session-token";
const SLOW = 45_000;
const R = ru.registrations;
const S = ru.checkIn.scanner;

type Person = { id: string; email: string; firstName: string; lastName: string; cookie: string };
type World = { eventId: string; ticketTypeId: string; title: string; registerPath: string; people: Person[]; waiter: Person };

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: state.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The cookie Auth.js sets for a session row (lib/identity/auth.ts: the JWT carries { sub, sid }). */
async function sessionCookie(userId: string, sessionId: string): Promise<string> {
  return encode({ token: { sub: userId, sid: sessionId }, secret: state.authSecret, salt: COOKIE, maxAge: 30 * 24 * 3600 });
}

async function makeWorld(): Promise<World> {
  const [org] = await query<{ id: string; owner_id: string }>("SELECT id, owner_id FROM organizations WHERE slug = $1", [DEMO_ORG]);
  expect(org, "the demo organization exists on the embedded database (npm start seeds it)").toBeTruthy();
  const suffix = randomUUID().slice(0, 8);
  const eventId = randomUUID();
  const ticketTypeId = randomUUID();
  const title = `Встреча у камина ${suffix}`;
  const slug = `fireside-${suffix}`;
  const startsAt = new Date(Date.now() + 5 * 24 * 3600_000);
  const passwordHash = bcrypt.hashSync(randomUUID(), 4); // participants never type it: they come with a session
  const names = ["Алина", "Борис", "Вера", "Глеб", "Дина", "Егор", "Жанна", "Зоя", "Игорь"];
  const people: Person[] = [];
  const client = new pg.Client({ connectionString: state.databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, slug, location_address, published_at)
       VALUES ($1, $2, $3, $4, 'PUBLISHED', $5, $6, $7, 'Москва, Чистопрудный бульвар, 14', now())`,
      [eventId, org.id, org.owner_id, title, startsAt, new Date(startsAt.getTime() + 2 * 3600_000), slug],
    );
    await client.query(`INSERT INTO ticket_types (id, event_id, name, price_cents, quantity) VALUES ($1, $2, 'Вход', 0, $3)`, [ticketTypeId, eventId, SEATS]);
    for (const [i, firstName] of names.entries()) {
      const id = randomUUID();
      const sessionId = randomUUID();
      const email = `embedded-${suffix}-${i}@example.com`;
      const lastName = `Тестова${suffix}`;
      await client.query(
        `INSERT INTO users (id, email, email_verified, email_verified_at, password_hash, first_name, last_name) VALUES ($1, $2, true, now(), $3, $4, $5)`,
        [id, email, passwordHash, firstName, lastName],
      );
      await client.query(
        `INSERT INTO user_sessions (id, user_id, user_agent, ip, expires_at) VALUES ($1, $2, 'embedded layer', '127.0.0.1', now() + interval '1 day')`,
        [sessionId, id],
      );
      people.push({ id, email, firstName, lastName, cookie: await sessionCookie(id, sessionId) });
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
  return { eventId, ticketTypeId, title, registerPath: `/e/${DEMO_ORG}/${slug}/register`, people: people.slice(0, SEATS), waiter: people[SEATS] };
}

/** A phone like the project's, signed in as `person` (their session cookie). */
async function phone(browser: Browser, testInfo: TestInfo, person?: Person): Promise<BrowserContext> {
  const use = testInfo.project.use;
  const context = await browser.newContext({
    baseURL: state.baseUrl,
    viewport: use.viewport ?? { width: 412, height: 915 },
    userAgent: use.userAgent,
    deviceScaleFactor: use.deviceScaleFactor,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
  });
  if (person) {
    const value = person.cookie;
    await context.addCookies([{ name: COOKIE, value, domain: "localhost", path: "/", httpOnly: true, sameSite: "Lax" }]);
  }
  return context;
}

async function signIn(page: Page, email: string, target: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(target)}`);
  await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: ru.auth.submitLogin, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${target.replace(/[/?]/g, "\\$&")}$`), { timeout: SLOW });
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

function registerOverApi(request: APIRequestContext, world: World, person: Person) {
  return request.post(`/api/v1/events/${world.eventId}/registrations`, {
    headers: { cookie: `${COOKIE}=${person.cookie}`, "idempotency-key": randomUUID(), "accept-language": "ru" },
    data: { ticketTypeId: world.ticketTypeId },
  });
}

test.describe.configure({ mode: "serial" });

let world: World;
/** Ticket page path per participant id (the ones who registered on their phones). */
const ticketPaths = new Map<string, string>();

test.beforeAll(async () => {
  world = await makeWorld();
});

test("eight participants register at the same moment: four on their phones, four through the REST API", async ({ browser, playwright }, testInfo) => {
  const onPhones = world.people.slice(0, 4);
  const overApi = world.people.slice(4);
  const contexts = await Promise.all(onPhones.map((p) => phone(browser, testInfo, p)));
  const pages = await Promise.all(contexts.map((c) => c.newPage()));
  // Every form is open and filled in from the account before anyone taps.
  await Promise.all(
    pages.map(async (page, i) => {
      await page.goto(world.registerPath);
      await expect(page.getByRole("heading", { level: 1, name: world.title })).toBeVisible();
      await expect(page.getByLabel(R.register.firstName, { exact: true })).toHaveValue(onPhones[i].firstName);
      await expect(page.getByTestId("register-submit")).toBeEnabled();
    }),
  );
  await shot(pages[0], testInfo, "register-form");

  const api = await playwright.request.newContext({ baseURL: state.baseUrl });
  const [responses] = await Promise.all([
    Promise.all(overApi.map((person) => registerOverApi(api, world, person))),
    ...pages.map(async (page) => {
      await page.getByTestId("register-submit").click();
      await expect(page).toHaveURL(/\/dashboard\/tickets\/[0-9a-f-]{36}\?new=1$/, { timeout: SLOW });
    }),
  ]);

  for (const [i, response] of responses.entries()) {
    expect(response.status(), `REST registration of ${overApi[i].firstName}: ${await response.text()}`).toBe(201);
    const body = (await response.json()) as { ok: boolean; registration: { status: string } };
    expect(body.registration.status).toBe("CONFIRMED");
  }
  for (const [i, page] of pages.entries()) {
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CONFIRMED");
    await expect(page.getByTestId("ticket-qr").locator("svg")).toBeVisible();
    ticketPaths.set(onPhones[i].id, new URL(page.url()).pathname);
  }
  await shot(pages[0], testInfo, "ticket");

  const [counts] = await query<{ confirmed: number; sold_count: number; reserved_count: number }>(
    `SELECT (SELECT count(*)::int FROM registrations WHERE ticket_type_id = t.id AND status = 'CONFIRMED') AS confirmed, t.sold_count, t.reserved_count
       FROM ticket_types t WHERE t.id = $1`,
    [world.ticketTypeId],
  );
  expect(counts).toEqual({ confirmed: SEATS, sold_count: SEATS, reserved_count: 0 });
  await api.dispose();
  await Promise.all(contexts.map((c) => c.close()));
});

test("the ninth finds the event sold out and joins the waitlist", async ({ browser }, testInfo) => {
  const context = await phone(browser, testInfo, world.waiter);
  const page = await context.newPage();
  await page.goto(world.registerPath);
  await expect(page.getByTestId(`ticket-type-${world.ticketTypeId}`)).toContainText(R.register.soldOutBadge);
  await expect(page.getByTestId("register-submit")).toHaveCount(0);
  await page.getByTestId("waitlist-join-type").click();
  await expect(page.getByTestId("waitlist-position")).toContainText(tRu("registrations.waitlist.position", { position: 1 }), { timeout: SLOW });
  await shot(page, testInfo, "waitlist-joined");
  const [entry] = await query<{ status: string }>("SELECT status::text FROM waitlist_entries WHERE event_id = $1 AND user_id = $2", [world.eventId, world.waiter.id]);
  expect(entry?.status).toBe("WAITING");
  await context.close();
});

test("the demo organizer signs in and sees the eight registrations", async ({ browser }, testInfo) => {
  const context = await phone(browser, testInfo);
  const page = await context.newPage();
  const path = `/dashboard/o/${DEMO_ORG}/events/${world.eventId}/registrations`;
  await signIn(page, "owner@aqstream.example", path);
  const rows = page.getByTestId("registration-row").filter({ visible: true });
  await expect(rows).toHaveCount(SEATS);
  for (const person of world.people) await expect(rows.filter({ hasText: person.firstName })).toHaveCount(1);
  await shot(page, testInfo, "organizer-registrations");
  await context.close();
});

test("the demo moderator's door scanner downloads its list and checks two people in", async ({ browser }, testInfo) => {
  // The QR of the first participant, as their ticket page shows it.
  const holder = world.people[0];
  const holderContext = await phone(browser, testInfo, holder);
  const holderPage = await holderContext.newPage();
  await holderPage.goto(ticketPaths.get(holder.id)!);
  const payload = await holderPage.getByTestId("ticket-qr").locator("svg").getAttribute("data-payload");
  expect(payload).toMatch(/^AQ1\./);
  await holderContext.close();

  const context = await phone(browser, testInfo);
  const page = await context.newPage();
  const scannerPath = `/check-in/${world.eventId}`;
  const manifest = page.waitForResponse((r) => r.url().includes(`/api/check-in/${world.eventId}/manifest`), { timeout: SLOW });
  await signIn(page, "moderator@aqstream.example", scannerPath);
  expect((await manifest).status(), "the scanner's list download").toBe(200);
  await expect(page.getByTestId("list-status")).toHaveAttribute("data-count", String(SEATS), { timeout: SLOW });
  await shot(page, testInfo, "scanner-ready");

  // A QR scan, as the scanner sends it.
  const scan = await page.request.post(`/api/check-in/${world.eventId}/scan`, {
    data: { nonce: randomUUID().replaceAll("-", ""), method: "QR_SCAN", payload, deviceId: "embedded-layer" },
  });
  expect(scan.status(), await scan.text()).toBe(200);
  expect(((await scan.json()) as { result: string }).result).toBe("valid");

  // A manual check-in through the scanner's search.
  const second = world.people[1];
  await page.getByTestId("manual-open").click();
  await page.getByLabel(S.search.label).fill(second.email);
  await page.getByTestId("search-result").filter({ hasText: second.firstName }).click();
  await page.getByRole("button", { name: S.search.confirm }).click();
  await expect(page.getByTestId("scan-result")).toHaveAttribute("data-result", "valid", { timeout: SLOW });
  await shot(page, testInfo, "scanner-manual");

  const rows = await query<{ user_id: string }>(
    "SELECT r.user_id FROM check_ins c JOIN registrations r ON r.id = c.registration_id WHERE c.event_id = $1 ORDER BY r.user_id",
    [world.eventId],
  );
  expect(rows.map((r) => r.user_id).sort()).toEqual([holder.id, second.id].sort());
  await context.close();
});

test("a participant cancels on the phone and the freed seat is offered to the waitlist", async ({ browser }, testInfo) => {
  const leaving = world.people[2];
  const context = await phone(browser, testInfo, leaving);
  const page = await context.newPage();
  await page.goto(ticketPaths.get(leaving.id)!);
  await page.getByTestId("cancel-registration").click();
  await page.getByRole("button", { name: R.ticket.cancelConfirm }).click();
  await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CANCELLED", { timeout: SLOW });
  await shot(page, testInfo, "cancelled");

  const [entry] = await query<{ status: string }>("SELECT status::text FROM waitlist_entries WHERE event_id = $1 AND user_id = $2", [world.eventId, world.waiter.id]);
  expect(entry?.status, "the first on the waitlist gets the seat offered").toBe("NOTIFIED");
  const [counts] = await query<{ sold_count: number; reserved_count: number }>("SELECT sold_count, reserved_count FROM ticket_types WHERE id = $1", [world.ticketTypeId]);
  expect(counts).toEqual({ sold_count: SEATS - 1, reserved_count: 1 }); // the seat is held for the waiter
  await context.close();
});
