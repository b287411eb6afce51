// The organizer's event journey of issue #5 ("Done when"): the seeded owner of aqstream-demo creates
// an event with a cover and two ticket types, publishes it, finds it in the public catalogue on a
// phone, a Telegram-linked participant is registered, the organizer moves the start (the participant
// gets event.changed through the fake Bot API), then cancels the event with a reason (every
// registration cancelled, participants told). Plus the bad-input paths of the event form.
// Each run makes its own event (unique title), so the projects never share rows.
import { randomInt, randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi, telegramTestUser, waitForTelegramCall, tRu } from "./support";

const OWNER = { email: "owner@aqstream.example", password: "demo12345" };
const ORG_SLUG = "aqstream-demo";
const ui = ru.events.ui;
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const code = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");

/** "YYYY-MM-DDTHH:mm" in Europe/Moscow (UTC+3, no DST), `days` from now at `hour`:00. */
function moscowLocal(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000 + 3 * 3600 * 1000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

async function coverPng(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 630, channels: 3, background: { r: 30, g: 90, b: 200 } } })
    .composite([{ input: Buffer.from('<svg width="1200" height="630"><circle cx="600" cy="315" r="200" fill="#f5b400"/></svg>'), top: 0, left: 0 }])
    .png()
    .toBuffer();
}

async function signIn(page: Page, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await signInViaUi(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[?]/g, "\\?")}$`), { timeout: SLOW });
}

async function addTicketType(page: Page, t: { name: string; price?: string; quantity?: string }) {
  const form = page.getByTestId("new-ticket-form");
  await form.getByTestId("new-ticket-name").fill(t.name);
  if (t.price) await form.getByTestId("new-ticket-price").fill(t.price);
  if (t.quantity) {
    await form.getByTestId("new-ticket-unlimited").uncheck();
    await form.getByTestId("new-ticket-quantity").fill(t.quantity);
  }
  await form.getByTestId("new-ticket-submit").click();
  await expect(page.getByTestId("ticket-type-name").filter({ hasText: t.name })).toBeVisible();
}

test("an organizer creates, publishes, moves and cancels an event; participants are told @phone-only", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const suffix = randomUUID().slice(0, 6);
  const title = `E2E Летний митап ${suffix}`;
  const base = `/dashboard/o/${ORG_SLUG}/events`;

  // The organization's events, then the "create" button.
  await signIn(page, `/dashboard/o/${ORG_SLUG}`);
  await page.getByTestId("quick-events").click();
  await expect(page).toHaveURL(new RegExp(`${base}$`));
  await expect(page.getByRole("heading", { level: 1, name: ui.title })).toBeVisible();
  await page.getByTestId("create-event").click();
  await expect(page).toHaveURL(new RegExp(`${base}/new$`));

  // Title → slug transliterated; Markdown preview is safe.
  await page.getByTestId("event-title").fill(title);
  await expect(page.getByTestId("event-slug")).toHaveValue(`e2e-letniy-mitap-${suffix}`);
  await page.getByTestId("event-description").fill("Встреча **сообщества**.\n\n<script>window.__xss = 1</script> [сайт](https://example.com) [плохо](javascript:alert(1))");
  await page.getByRole("tab", { name: ui.form.preview }).click();
  const preview = page.getByRole("tabpanel").getByTestId("description-preview");
  await expect(preview.locator("strong")).toHaveText("сообщества");
  await expect(preview).toContainText("<script>window.__xss = 1</script>");
  await expect(preview.locator("script")).toHaveCount(0);
  await expect(preview.locator("a")).toHaveCount(1);
  await expect(preview.locator("a")).toHaveAttribute("rel", "nofollow noopener noreferrer ugc");
  await page.getByRole("tab", { name: ui.form.write }).click();

  const startsAt = moscowLocal(10, 19);
  await page.getByTestId("event-starts-at").fill(startsAt);
  await page.getByTestId("event-ends-at").fill(moscowLocal(10, 22));
  await page.getByTestId("event-address").fill("Москва, Тверская, 1");

  // Cover: a PNG made here, uploaded through the media field.
  const field = page.getByTestId("image-upload-event-cover");
  await field.getByTestId("image-upload-input").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: await coverPng() });
  await expect(field.getByTestId("image-upload-preview")).toHaveAttribute("src", /^\/media\/[0-9a-f-]{36}\//, { timeout: 30_000 });
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "event-form");

  await page.getByTestId("save-event").click();
  await expect(page).toHaveURL(new RegExp(`${base}/[0-9a-f-]{36}$`), { timeout: SLOW });
  const eventId = new URL(page.url()).pathname.split("/").pop()!;
  const [row] = await query<{ status: string; slug: string; cover_image_id: string | null; starts_at: Date; timezone: string }>(
    "SELECT status, slug, cover_image_id, starts_at, timezone FROM events WHERE id = $1",
    [eventId],
  );
  expect(row).toMatchObject({ status: "DRAFT", slug: `e2e-letniy-mitap-${suffix}`, timezone: "Europe/Moscow" });
  expect(row.cover_image_id).toMatch(/^[0-9a-f-]{36}$/);
  // 19:00 in Moscow is 16:00 UTC.
  expect(new Date(row.starts_at).toISOString()).toBe(`${startsAt.slice(0, 10)}T16:00:00.000Z`);
  await expect(page.getByTestId("event-title-heading")).toHaveText(title);
  await expect(page.getByTestId("event-status")).toHaveText(ui.status.DRAFT);
  await expect(page.getByTestId("event-cover")).toBeVisible();

  // Publishing is refused until there is an active ticket type: said up front.
  await expect(page.getByTestId("publish-blockers")).toContainText(ru.events.errors.noActiveTicketTypes);
  await expect(page.getByTestId("publish-event")).toBeDisabled();

  // Two ticket types: a free unlimited one and a paid one with 10 seats.
  await page.getByTestId("event-tab-tickets").click();
  await expect(page.getByTestId("ticket-types-empty")).toBeVisible();
  await addTicketType(page, { name: "Стандарт" });
  await addTicketType(page, { name: "VIP", price: "1 500,50", quantity: "10" });
  await expect(page.getByTestId("ticket-type-item")).toHaveCount(2);
  const types = await query<{ id: string; name: string; price_cents: number; quantity: number | null; sort_order: number }>(
    "SELECT id, name, price_cents, quantity, sort_order FROM ticket_types WHERE event_id = $1 ORDER BY sort_order",
    [eventId],
  );
  expect(types.map((t) => [t.name, t.price_cents, t.quantity])).toEqual([
    ["Стандарт", 0, null],
    ["VIP", 150050, 10],
  ]);
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "ticket-types");

  // Publish.
  await page.getByTestId("event-tab-overview").click();
  await expect(page.getByTestId("publish-blockers")).toHaveCount(0);
  await page.getByTestId("publish-event").click();
  await expect(page.getByTestId("event-status")).toHaveText(ui.status.PUBLISHED);
  await expect(page.getByTestId("public-event-link")).toBeVisible();
  await keepScreenshot(page, testInfo, "event-published");

  // The public catalogue on the phone shows it (found by its unique suffix).
  await page.goto(`/events?q=${encodeURIComponent(suffix)}`);
  await expect(page.getByText(title).first()).toBeVisible();
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "catalogue");
  await page.goto(`/e/${ORG_SLUG}/${row.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // The description is rendered safely there too.
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // A participant linked to Telegram registered (inserted as the registration service would leave it).
  const tg = telegramTestUser("Пётр");
  const [org] = await query<{ id: string }>("SELECT id FROM organizations WHERE slug = $1", [ORG_SLUG]);
  const [participant] = await query<{ id: string }>(
    `INSERT INTO users (id, telegram_id, telegram_chat_id, telegram_username, first_name, last_name)
     VALUES (gen_random_uuid(), $1, $1, $2, 'Пётр', $3) RETURNING id`,
    [String(tg.id), tg.username, `Участников${suffix}`],
  );
  const standard = types[0];
  await query(
    `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, last_name, email, price_cents, currency, confirmed_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, 'CONFIRMED', $5, 'Пётр', $6, NULL, 0, 'RUB', now())`,
    [org.id, eventId, standard.id, participant.id, code(), `Участников${suffix}`],
  );
  await query("UPDATE ticket_types SET sold_count = sold_count + 1 WHERE id = $1", [standard.id]);
  // A guest (no account) too: told by email (issue 15), cancelled with the event.
  await query(
    `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, last_name, email, price_cents, currency, confirmed_at)
     VALUES (gen_random_uuid(), $1, $2, $3, NULL, 'CONFIRMED', $4, 'Гость', 'Гостев', $5, 0, 'RUB', now())`,
    [org.id, eventId, standard.id, code(), `guest-${suffix}@example.com`],
  );
  await query("UPDATE ticket_types SET sold_count = sold_count + 1 WHERE id = $1", [standard.id]);

  // The organizer moves the start by a day: both are told once (event.changed; the guest by email).
  await page.goto(`${base}/${eventId}`);
  await page.getByTestId("edit-event").click();
  await expect(page).toHaveURL(new RegExp(`${base}/${eventId}/edit$`));
  await expect(page.getByTestId("event-starts-at")).toHaveValue(startsAt);
  await page.getByTestId("event-starts-at").fill(moscowLocal(11, 19));
  await page.getByTestId("event-ends-at").fill(moscowLocal(11, 22));
  await page.getByTestId("save-event").click();
  await expect(page.getByRole("status").filter({ hasText: tRu("events.ui.form.savedNotified", { count: 2 }) })).toBeVisible({ timeout: SLOW });
  const changed = await waitForTelegramCall("sendMessage", tg.id, (c) => String(c.params.text).includes(title) && String(c.params.text).includes("Событие изменилось"), 60_000);
  expect(String(changed.params.text)).toContain(ru.events.notifications.changedDateTime);

  // Cancel with a reason: the dialog says how many registrations it cancels.
  await page.getByTestId("event-tab-overview").click();
  await page.getByTestId("cancel-event").click();
  const dialog = page.getByRole("dialog", { name: ui.overview.cancelTitle });
  await expect(dialog).toContainText(tRu("events.ui.overview.cancelText", { count: 2 }));
  const confirm = dialog.getByRole("button", { name: ui.overview.cancelConfirm });
  await expect(confirm).toBeDisabled();
  await dialog.getByTestId("cancel-reason").fill("Площадка закрыта на ремонт");
  await keepScreenshot(page, testInfo, "cancel-dialog");
  await confirm.click();
  await expect(page.getByTestId("event-status")).toHaveText(ui.status.CANCELLED, { timeout: SLOW });
  await expect(page.getByTestId("cancellation-reason")).toContainText("Площадка закрыта на ремонт");

  const regs = await query<{ status: string; cancellation_reason: string | null }>("SELECT status, cancellation_reason FROM registrations WHERE event_id = $1", [eventId]);
  expect(regs).toHaveLength(2);
  for (const r of regs) expect(r).toEqual({ status: "CANCELLED", cancellation_reason: "Площадка закрыта на ремонт" });
  const cancelled = await waitForTelegramCall("sendMessage", tg.id, (c) => String(c.params.text).includes("Событие отменено") && String(c.params.text).includes(title), 60_000);
  expect(String(cancelled.params.text)).toContain("Площадка закрыта на ремонт");

  // The activity tab tells the story, newest first.
  await page.getByTestId("event-tab-activity").click();
  await expect(page).toHaveURL(new RegExp(`${base}/${eventId}/activity$`));
  await expect(page.getByTestId("activity-item").first()).toBeVisible();
  const actions = await page.getByTestId("activity-item").evaluateAll((items) => items.map((i) => i.getAttribute("data-action")));
  // One transaction wrote the cancellation rows (same timestamp): they come first, in any order.
  expect(new Set(actions.slice(0, 3))).toEqual(new Set(["registration.cancelled", "event.cancelled"]));
  expect(actions).toEqual(expect.arrayContaining(["event.created", "ticket_type.created", "event.published", "event.updated", "event.cancelled"]));
  await expect(page.getByTestId("activity-item").filter({ hasText: ui.activity.actions.event_updated }).first()).toContainText(ui.activity.fields.startsAt);
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "activity");

  // Gone from the catalogue.
  await page.goto(`/events?q=${encodeURIComponent(suffix)}`);
  await expect(page.getByText(title)).toHaveCount(0);
});

test("bad input stays on the fields and nothing is saved; the list filters by status and text @desktop-only", async ({ page }) => {
  const suffix = randomUUID().slice(0, 6);
  const base = `/dashboard/o/${ORG_SLUG}/events`;
  // An event whose slug the form will try to take.
  const [org] = await query<{ id: string; owner_id: string }>("SELECT id, owner_id FROM organizations WHERE slug = $1", [ORG_SLUG]);
  const taken = `e2e-zanyato-${suffix}`;
  await query(
    `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, timezone, location_type, location_url, slug)
     VALUES (gen_random_uuid(), $1, $2, $3, 'DRAFT', now() + interval '5 days', 'Europe/Moscow', 'ONLINE', 'https://meet.example/x', $4)`,
    [org.id, org.owner_id, `E2E занято ${suffix}`, taken],
  );

  await signIn(page, `${base}/new`);
  await page.getByTestId("event-title").fill(`E2E ошибки ${suffix}`);
  await page.getByTestId("location-ONLINE").check({ force: true });
  await page.getByTestId("event-url").fill("ftp://example.com/stream");
  await page.getByTestId("event-starts-at").fill(moscowLocal(3, 19));
  await page.getByTestId("event-ends-at").fill(moscowLocal(3, 18));
  await page.getByTestId("save-event").click();
  await expect(page.getByText(ru.events.validation.urlInvalid)).toBeVisible();
  await expect(page.getByText(ru.events.validation.endsBeforeStart)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${base}/new$`));

  // Fix those; the slug is taken → the server's error lands on the slug field.
  await page.getByTestId("event-url").fill("https://meet.example/room");
  await page.getByTestId("event-ends-at").fill(moscowLocal(3, 21));
  await page.getByTestId("event-slug").fill(taken);
  await page.getByTestId("save-event").click();
  await expect(page.getByText(ru.events.validation.slugTaken)).toBeVisible({ timeout: SLOW });
  expect(await query("SELECT id FROM events WHERE title = $1", [`E2E ошибки ${suffix}`])).toHaveLength(0);

  // The list: filter by status and text.
  await page.goto(`${base}?status=DRAFT&q=${encodeURIComponent(suffix)}`);
  await expect(page.getByTestId("event-list-item")).toHaveCount(1);
  await expect(page.getByTestId("event-list-item")).toContainText(`E2E занято ${suffix}`);
  await page.getByTestId("filter-status").selectOption("PUBLISHED");
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("events-empty")).toContainText(ui.list.emptyFiltered);
});

test("the check-in tab opens the scanner and manages door-staff links", async ({ page }) => {
  const suffix = randomUUID().slice(0, 6);
  const [org] = await query<{ id: string; owner_id: string }>("SELECT id, owner_id FROM organizations WHERE slug = $1", [ORG_SLUG]);
  const [event] = await query<{ id: string }>(
    `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, timezone, location_type, location_address, slug, published_at)
     VALUES (gen_random_uuid(), $1, $2, $3, 'PUBLISHED', now() + interval '2 days', now() + interval '2 days 3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', $4, now())
     RETURNING id`,
    [org.id, org.owner_id, `E2E вход ${suffix}`, `e2e-vhod-${suffix}`],
  );
  const path = `/dashboard/o/${ORG_SLUG}/events/${event.id}/check-in`;
  await signIn(page, path);
  await expect(page.getByTestId("open-scanner")).toHaveAttribute("href", `/check-in/${event.id}`);

  // A label is required.
  await page.getByTestId("create-staff-link").click();
  await expect(page.getByText(ru.checkIn.server.errors.labelRequired)).toBeVisible();

  await page.getByTestId("staff-link-label").fill("Вход А");
  await page.getByTestId("create-staff-link").click();
  const created = page.getByTestId("staff-link-created");
  await expect(created).toBeVisible({ timeout: SLOW });
  await expect(page.getByTestId("staff-link-url")).toHaveText(/\/api\/check-in\/staff\/[A-Za-z0-9_-]{43}$/);
  const url = (await page.getByTestId("staff-link-url").textContent())!;
  const token = url.split("/").pop()!;
  await expect(page.getByTestId("staff-link-telegram")).toHaveAttribute("href", `https://t.me/aqstream_test_bot?start=staff_${token}`);
  await expect(page.getByTestId("staff-link-item")).toHaveCount(1);
  await expect(page.getByTestId("staff-link-item")).toHaveAttribute("data-status", "active");

  // Revoke.
  await page.getByTestId("revoke-staff-link").click();
  await page.getByRole("dialog").getByRole("button", { name: ui.checkIn.revoke }).click();
  await expect(page.getByTestId("staff-link-item")).toHaveAttribute("data-status", "revoked");
  const [row] = await query<{ revoked_at: Date | null; label: string }>("SELECT revoked_at, label FROM event_staff_access WHERE event_id = $1", [event.id]);
  expect(row.label).toBe("Вход А");
  expect(row.revoked_at).not.toBeNull();
});
