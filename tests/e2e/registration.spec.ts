// The participant's registration journeys on a phone (issue #6, "Done when"): register for a free event
// and see the QR; reserve a paid ticket, watch the reservation timer run out (browser clock moved, and
// the reservation's expires_at moved into the past so the server agrees) and see the seat return; fill
// an event, join the waitlist, get the offer through the fake Telegram Bot API and claim it by the link;
// a guest registers without an account and opens the private ticket link.
// Events are created straight in the database (published, in an organization of the test's own), and
// the register page is opened directly (the public event page is another area).
import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import {
  PASSWORD,
  SLOW,
  databaseUrl,
  expectNoHorizontalScroll,
  keepScreenshot,
  query,
  ru,
  signInViaUi,
  tRu,
  telegramTestUser,
  uniqueEmail,
  waitForTelegramCall,
} from "./support";

const R = ru.registrations;
const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 4);

type TicketSpec = { name: string; priceCents?: number; quantity?: number | null; reservationMinutes?: number | null };
type TestEvent = { orgSlug: string; slug: string; eventId: string; types: string[]; registerPath: string };

/** A participant with email + password (and optionally a linked Telegram chat), straight into the database. */
async function createParticipant(firstName: string, telegram?: { id: number; username: string }) {
  const email = uniqueEmail("reg");
  const id = randomUUID();
  await query(
    `INSERT INTO users (id, email, email_verified, password_hash, first_name, last_name, telegram_id, telegram_chat_id, telegram_username)
     VALUES ($1, $2, true, $3, $4, 'Тестова', $5, $5, $6)`,
    [id, email, PASSWORD_HASH, firstName, telegram ? String(telegram.id) : null, telegram?.username ?? null],
  );
  return { id, email, firstName };
}

/** A published event next week in an organization of its own, with the given ticket types. */
async function createEvent(title: string, tickets: TicketSpec[], settings: Record<string, unknown> = {}): Promise<TestEvent> {
  const ids = { owner: randomUUID(), org: randomUUID(), event: randomUUID() };
  const orgSlug = `e2e-org-${ids.org.slice(0, 8)}`;
  const slug = `e2e-event-${ids.event.slice(0, 8)}`;
  const startsAt = new Date(Date.now() + 7 * 24 * 3600_000);
  const types = tickets.map(() => randomUUID());
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO users (id, email, first_name) VALUES ($1, $2, 'Организатор')`, [ids.owner, uniqueEmail("owner")]);
    await client.query(`INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, $3, $4)`, [ids.org, ids.owner, `Клуб ${orgSlug}`, orgSlug]);
    await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'OWNER')`, [randomUUID(), ids.org, ids.owner]);
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, slug, location_address, settings, published_at)
       VALUES ($1, $2, $3, $4, 'PUBLISHED', $5, $6, $7, 'Москва, ул. Тестовая, 1', $8, now())`,
      [ids.event, ids.org, ids.owner, title, startsAt, new Date(startsAt.getTime() + 3 * 3600_000), slug, JSON.stringify(settings)],
    );
    for (const [i, t] of tickets.entries()) {
      await client.query(
        `INSERT INTO ticket_types (id, event_id, name, price_cents, quantity, reservation_minutes, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [types[i], ids.event, t.name, t.priceCents ?? 0, t.quantity === undefined ? 100 : t.quantity, t.reservationMinutes ?? null, i],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
  return { orgSlug, slug, eventId: ids.event, types, registerPath: `/e/${orgSlug}/${slug}/register` };
}

/** Opens the register page through the sign-in form (callbackUrl brings the person back). */
async function signInTo(page: Page, email: string, path: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  await signInViaUi(page, email);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`), { timeout: SLOW });
}

async function newPhonePage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
  return context.newPage();
}

test.describe("registration (participant)", () => {
  test("@phone-only free event: register in one tap and see the ticket with its QR", async ({ page }, testInfo) => {
    const event = await createEvent("Бесплатный митап", [{ name: "Стандартный", quantity: 20 }]);
    const person = await createParticipant("Вера");
    await signInTo(page, person.email, event.registerPath);

    await expect(page.getByRole("heading", { level: 1, name: "Бесплатный митап" })).toBeVisible();
    await expect(page.getByLabel(R.register.firstName, { exact: true })).toHaveValue("Вера");
    await expect(page.getByLabel(R.register.email, { exact: true })).toHaveValue(person.email);
    await expect(page.getByTestId(`ticket-type-${event.types[0]}`)).toContainText(tRu("registrations.register.seatsLeft", { count: 20 }));
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "register-free-form");

    await page.getByTestId("register-submit").click();
    await expect(page).toHaveURL(/\/dashboard\/tickets\/[0-9a-f-]{36}\?new=1$/, { timeout: SLOW });
    await expect(page.getByText(R.ticket.registeredBanner)).toBeVisible();
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CONFIRMED");
    const qr = page.getByTestId("ticket-qr").locator("svg");
    await expect(qr).toBeVisible();
    expect(await qr.getAttribute("data-payload")).toMatch(/^AQ1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const [row] = await query<{ status: string; confirmation_code: string }>(
      `SELECT status::text, confirmation_code FROM registrations WHERE event_id = $1 AND user_id = $2`,
      [event.eventId, person.id],
    );
    expect(row.status).toBe("CONFIRMED");
    await expect(page.getByTestId("confirmation-code")).toHaveText(row.confirmation_code);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "ticket-confirmed");

    // My tickets lists it under "upcoming"; the register page now points to the existing ticket.
    await page.goto("/dashboard/tickets");
    await expect(page.getByTestId("ticket-card")).toHaveCount(1);
    await expect(page.getByTestId("ticket-card")).toContainText("Бесплатный митап");
    await keepScreenshot(page, testInfo, "my-tickets");
    await page.goto(event.registerPath);
    await expect(page.getByTestId("existing-ticket-link")).toBeVisible();
  });

  test("@phone-only paid ticket with a reservation: the timer runs out and the seat returns", async ({ page }, testInfo) => {
    const event = await createEvent("Платный воркшоп", [{ name: "Участник", priceCents: 150_000, quantity: 1, reservationMinutes: 15 }]);
    const person = await createParticipant("Глеб");
    await page.clock.install();
    await signInTo(page, person.email, event.registerPath);
    await expect(page.getByTestId(`ticket-type-${event.types[0]}`)).toContainText(tRu("registrations.register.seatsLeft", { count: 1 }));
    await page.getByTestId("register-submit").click();

    await expect(page).toHaveURL(/\/dashboard\/tickets\/([0-9a-f-]{36})\?new=1$/, { timeout: SLOW });
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "RESERVED");
    await expect(page.getByTestId("ticket-qr")).toHaveCount(0);
    const timer = page.getByTestId("reservation-countdown");
    await expect(timer).toHaveText(/1[45]:\d\d/);
    await keepScreenshot(page, testInfo, "ticket-reserved");

    // The seat is held: the type is sold out for others while the reservation runs.
    const [held] = await query<{ reserved_count: number }>(`SELECT reserved_count FROM ticket_types WHERE id = $1`, [event.types[0]]);
    expect(held.reserved_count).toBe(1);

    // Time passes: the server sees the reservation past expires_at (no sweep needed), the browser clock
    // runs past the deadline, the countdown reaches zero and the page refreshes into EXPIRED.
    await query(`UPDATE registrations SET expires_at = now() - interval '1 second' WHERE event_id = $1 AND user_id = $2`, [event.eventId, person.id]);
    await page.clock.fastForward("16:00");
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "EXPIRED", { timeout: SLOW });
    await expect(page.getByText(R.ticket.expiredText)).toBeVisible();
    await keepScreenshot(page, testInfo, "ticket-expired");

    // The seat is back on sale.
    await page.goto(event.registerPath);
    await expect(page.getByTestId(`ticket-type-${event.types[0]}`)).toContainText(tRu("registrations.register.seatsLeft", { count: 1 }));
    await expect(page.getByTestId("register-submit")).toBeVisible();
  });

  test("@phone-only full event: join the waitlist, the seat frees up, the offer arrives in Telegram and is claimed", async ({ page, browser, baseURL }, testInfo) => {
    const event = await createEvent("Камерный концерт", [{ name: "Место", quantity: 1 }], { waitlistOfferMinutes: 60 });
    const first = await createParticipant("Ира");
    const tg = telegramTestUser("Ждущий");
    const waiter = await createParticipant("Ждущий", tg);

    // The first person takes the only seat.
    await signInTo(page, first.email, event.registerPath);
    await page.getByTestId("register-submit").click();
    await expect(page).toHaveURL(/\/dashboard\/tickets\/[0-9a-f-]{36}\?new=1$/, { timeout: SLOW });
    const ticketUrl = page.url();

    // The second one finds it sold out and joins the waitlist for that type.
    const waiterPage = await newPhonePage(browser, baseURL);
    await signInTo(waiterPage, waiter.email, event.registerPath);
    await expect(waiterPage.getByTestId(`ticket-type-${event.types[0]}`)).toContainText(R.register.soldOutBadge);
    await expect(waiterPage.getByTestId("register-submit")).toHaveCount(0);
    await waiterPage.getByTestId("waitlist-join-type").click();
    await expect(waiterPage.getByTestId("waitlist-position")).toContainText(tRu("registrations.waitlist.position", { position: 1 }));
    await expect(waiterPage.getByTestId("waitlist-leave")).toBeVisible();
    await expectNoHorizontalScroll(waiterPage);
    await keepScreenshot(waiterPage, testInfo, "waitlist-joined");

    // The first person cancels (confirm dialog): the seat goes to the waiter, not to the public.
    await page.goto(ticketUrl);
    await page.getByTestId("cancel-registration").click();
    await page.getByRole("button", { name: R.ticket.cancelConfirm }).click();
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CANCELLED", { timeout: SLOW });

    // The offer comes through the (fake) Bot API with the one-tap claim link.
    const message = await waitForTelegramCall("sendMessage", tg.id, (call) => String(call.params.text ?? "").includes("/waitlist/claim/"), 30_000);
    const claimPath = /\/waitlist\/claim\/[0-9a-f-]{36}\?t=[A-Za-z0-9_-]{43}/.exec(String(message.params.text))?.[0];
    expect(claimPath, "claim link in the Telegram message").toBeTruthy();
    const markup = message.params.reply_markup as { inline_keyboard?: Array<Array<{ url?: string }>> } | undefined;
    expect((markup?.inline_keyboard ?? []).flat().some((b) => b.url?.includes(claimPath!))).toBe(true);

    await waiterPage.goto(claimPath!);
    await expect(waiterPage.getByTestId("claim-state-offer")).toBeVisible();
    await expect(waiterPage.getByTestId("offer-countdown")).toBeVisible();
    await keepScreenshot(waiterPage, testInfo, "waitlist-offer");
    await waiterPage.getByTestId("claim-offer").click();
    await expect(waiterPage).toHaveURL(/\/dashboard\/tickets\/[0-9a-f-]{36}\?new=1$/, { timeout: SLOW });
    await expect(waiterPage.getByTestId("ticket-status")).toHaveAttribute("data-status", "CONFIRMED");
    await expect(waiterPage.getByTestId("ticket-qr").locator("svg")).toBeVisible();
    await keepScreenshot(waiterPage, testInfo, "waitlist-claimed");

    // The link is single-use: opening it again says the seat is already yours.
    await waiterPage.goto(claimPath!);
    await expect(waiterPage.getByTestId("claim-state-converted")).toBeVisible();
    const [counts] = await query<{ sold_count: number; reserved_count: number }>(`SELECT sold_count, reserved_count FROM ticket_types WHERE id = $1`, [event.types[0]]);
    expect(counts).toEqual({ sold_count: 1, reserved_count: 0 });
    await waiterPage.context().close();
  });

  test("@phone-only a guest registers without an account and gets the private ticket link", async ({ page }, testInfo) => {
    const event = await createEvent("Открытая лекция", [{ name: "Вход", quantity: 5 }], {
      allowGuests: true,
      registrationFields: [{ key: "city", label: "Ваш город", type: "text", required: true }],
    });
    const email = uniqueEmail("guest");
    await page.goto(event.registerPath);
    await expect(page.getByText(R.register.guestTitle)).toBeVisible();
    await page.getByLabel(R.register.firstName, { exact: true }).fill("Гость");
    await page.getByLabel(R.register.email, { exact: true }).fill(email);
    await page.getByTestId("register-submit").click();
    // The required extra question is checked before anything is sent.
    await expect(page.getByText(ru.registrations.answers.answerRequired)).toBeVisible();
    await page.getByLabel("Ваш город").fill("Казань");
    await page.getByTestId("register-submit").click();

    await expect(page.getByTestId("guest-success")).toBeVisible({ timeout: SLOW });
    const link = (await page.getByTestId("guest-ticket-link").textContent())!;
    expect(link).toMatch(/\/t\/[A-Za-z0-9_-]{43}$/);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "guest-success");

    // The sale queued the email with the registration; the server's job runner writes it after the commit.
    await expect
      .poll(async () => (await query<{ text: string }>(`SELECT text FROM mail_outbox WHERE "to" = $1`, [email])).map((m) => m.text), { timeout: SLOW })
      .toEqual([expect.stringContaining(link)]);
    const [row] = await query<{ custom_fields: { city: string }; user_id: string | null }>(
      `SELECT custom_fields, user_id FROM registrations WHERE event_id = $1 AND email = $2`,
      [event.eventId, email],
    );
    expect(row).toEqual({ custom_fields: { city: "Казань" }, user_id: null });

    await page.goto(new URL(link).pathname);
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CONFIRMED");
    await expect(page.getByTestId("ticket-qr").locator("svg")).toBeVisible();
    await keepScreenshot(page, testInfo, "guest-ticket");
  });
});
