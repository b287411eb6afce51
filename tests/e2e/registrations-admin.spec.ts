// The organizer's registrations view (issue #6 items 6 and 8): the seeded owner of aqstream-demo opens
// an event's registrations, searches by name and by code, filters by status, marks a PENDING
// registration paid (the Telegram-linked participant gets payment.receipt through the fake Bot API),
// cancels one with a reason, and exports the CSV (BOM, extra field labels, the searched person).
// Each run makes its own event (with extra registration fields) in the demo organization, so the
// desktop and phone projects never share rows.
import fs from "node:fs";
import { randomInt, randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi, telegramTestUser, uniqueEmail, waitForTelegramCall } from "./support";

const OWNER = { email: "owner@aqstream.example", password: "demo12345" };
const ORG_SLUG = "aqstream-demo";
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const code = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");

type World = {
  eventId: string;
  slug: string;
  title: string;
  tg: ReturnType<typeof telegramTestUser>;
  payer: { id: string; code: string; lastName: string };
  vera: { id: string; code: string; lastName: string; email: string };
  kirill: { id: string; code: string; lastName: string };
};

async function makeWorld(): Promise<World> {
  const suffix = randomUUID().slice(0, 6);
  const [org] = await query<{ id: string; owner_id: string }>("SELECT id, owner_id FROM organizations WHERE slug = $1", [ORG_SLUG]);
  const slug = `e2e-regs-${suffix}`;
  const title = `E2E регистрации ${suffix}`;
  const settings = {
    registrationFields: [
      { key: "company", label: "Компания E2E", type: "text", required: false },
      { key: "photo", label: "Согласие на фото", type: "checkbox", required: false },
    ],
  };
  const [event] = await query<{ id: string }>(
    `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, timezone, location_type, location_address, slug, settings, published_at)
     VALUES (gen_random_uuid(), $1, $2, $3, 'PUBLISHED', now() + interval '10 days', now() + interval '10 days 3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', $4, $5, now())
     RETURNING id`,
    [org.id, org.owner_id, title, slug, JSON.stringify(settings)],
  );
  const [type] = await query<{ id: string }>(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, sold_count, reserved_count)
     VALUES (gen_random_uuid(), $1, 'Стандарт E2E', 150000, 'RUB', 10, 1, 2) RETURNING id`,
    [event.id],
  );
  const tg = telegramTestUser("Тимур");
  const payerLast = `Телеграмов${suffix}`;
  const [tgUser] = await query<{ id: string }>(
    `INSERT INTO users (id, telegram_id, telegram_chat_id, telegram_username, first_name, last_name)
     VALUES (gen_random_uuid(), $1, $1, $2, 'Тимур', $3) RETURNING id`,
    [String(tg.id), tg.username, payerLast],
  );
  const insert = async (r: { userId: string | null; status: string; first: string; last: string; email: string | null; custom?: object; minutesAgo: number }) => {
    const c = code();
    const [row] = await query<{ id: string }>(
      `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, last_name, email, custom_fields, price_cents, currency, confirmed_at, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::"RegistrationStatus", $6, $7, $8, $9, $10, 150000, 'RUB',
               CASE WHEN $5 = 'CONFIRMED' THEN now() END, now() - make_interval(mins => $11::int))
       RETURNING id`,
      [org.id, event.id, type.id, r.userId, r.status, c, r.first, r.last, r.email, JSON.stringify(r.custom ?? {}), r.minutesAgo],
    );
    return { id: row.id, code: c, lastName: r.last };
  };
  const payer = await insert({ userId: tgUser.id, status: "PENDING", first: "Тимур", last: payerLast, email: null, minutesAgo: 30 });
  const veraEmail = uniqueEmail("vera");
  const vera = {
    ...(await insert({ userId: null, status: "CONFIRMED", first: "Вера", last: `Поисковая${suffix}`, email: veraEmail, custom: { company: "ООО \"Тест\", Москва", photo: true }, minutesAgo: 20 })),
    email: veraEmail,
  };
  const kirill = await insert({ userId: null, status: "PENDING", first: "Кирилл", last: `Отменов${suffix}`, email: uniqueEmail("kirill"), minutesAgo: 10 });
  return { eventId: event.id, slug, title, tg, payer, vera, kirill };
}

const rows = (page: Page) => page.getByTestId("registration-row").filter({ visible: true });
const row = (page: Page, code: string) => page.locator(`[data-testid="registration-row"][data-code="${code}"]`).filter({ visible: true });
const t = ru.registrationsAdmin;

async function search(page: Page, text: string) {
  await page.getByLabel(t.filters.search, { exact: true }).fill(text);
  await page.getByTestId("apply-filters").click();
}

test("the organizer searches, filters, marks paid, cancels and exports an event's registrations", async ({ page }, testInfo) => {
  const w = await makeWorld();
  const path = `/dashboard/o/${ORG_SLUG}/events/${w.eventId}/registrations`;

  // Straight to the view (the event tabs may not exist yet): sign in on the way.
  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await signInViaUi(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: SLOW });
  await expect(page.getByRole("heading", { level: 2, name: t.title, exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: w.title })).toBeVisible(); // the event's layout
  await expect(rows(page)).toHaveCount(3);
  // Newest first.
  await expect(rows(page).first()).toHaveAttribute("data-code", w.kirill.code);
  const chip = (status: string) => page.locator(`[data-testid="status-chip"][data-status="${status}"]`);
  await expect(chip("ALL").getByTestId("status-count")).toHaveText("3");
  await expect(chip("PENDING").getByTestId("status-count")).toHaveText("2");
  await expect(chip("CONFIRMED").getByTestId("status-count")).toHaveText("1");
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "registrations-list");

  // Search by name (any case), then by code (lower-case, with a hyphen).
  await search(page, `  вера ${w.vera.lastName.toUpperCase()} `);
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, w.vera.code)).toBeVisible();
  await expect(chip("ALL").getByTestId("status-count")).toHaveText("1");
  await search(page, `${w.payer.code.slice(0, 4).toLowerCase()}-${w.payer.code.slice(4).toLowerCase()}`);
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, w.payer.code)).toBeVisible();
  await search(page, "нет-такого-человека");
  await expect(page.getByTestId("registrations-empty")).toContainText(t.empty.filteredTitle);

  // Filter by status: the chip is a link; the view is linkable.
  await page.getByRole("link", { name: t.filters.reset }).first().click();
  await expect(rows(page)).toHaveCount(3);
  await chip("PENDING").click();
  await expect(page).toHaveURL(/status=PENDING/);
  await expect(chip("PENDING")).toHaveAttribute("aria-current", "page");
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, w.vera.code)).toHaveCount(0);

  // Mark the Telegram participant's registration paid: the dialog shows the amount due from the server.
  await row(page, w.payer.code).getByTestId("mark-paid").click();
  const pay = page.getByTestId("pay-dialog").filter({ visible: true });
  await expect(pay).toBeVisible();
  await expect(pay.getByTestId("amount-due")).toHaveText(/1\s500\s₽/);
  await pay.getByTestId("confirm-paid").click();
  await expect(page.getByTestId("registrations-notice")).toContainText(w.payer.code);
  // Still filtered by PENDING: the paid row leaves the list; without the filter it is CONFIRMED.
  await expect(row(page, w.payer.code)).toHaveCount(0);
  await page.goto(`${path}?q=${w.payer.code}`);
  await expect(row(page, w.payer.code).getByTestId("registration-status")).toHaveAttribute("data-status", "CONFIRMED");
  const payments = await query<{ provider: string; status: string; amount_cents: number }>(
    "SELECT provider, status::text, amount_cents FROM payments WHERE registration_id = $1",
    [w.payer.id],
  );
  expect(payments).toEqual([{ provider: "manual", status: "COMPLETED", amount_cents: 150000 }]);
  const receipt = await waitForTelegramCall("sendMessage", w.tg.id, (call) => String(call.params.text ?? "").includes(w.title));
  expect(String(receipt.params.text)).toMatch(/Оплата получена|Payment received/);

  // Cancel Kirill's with a reason (required).
  await page.goto(path);
  await row(page, w.kirill.code).getByTestId("cancel-registration").click();
  const cancel = page.getByTestId("cancel-dialog").filter({ visible: true });
  await cancel.getByTestId("confirm-cancel").click();
  await expect(cancel.getByText(t.validation.reasonRequired)).toBeVisible();
  await cancel.getByLabel(t.cancelDialog.reason).fill("Не пришла оплата, договорились отменить");
  await cancel.getByTestId("confirm-cancel").click();
  await expect(page.getByTestId("registrations-notice")).toContainText(w.kirill.code);
  await expect(row(page, w.kirill.code).getByTestId("registration-status")).toHaveAttribute("data-status", "CANCELLED");
  await expect(row(page, w.kirill.code)).toContainText("Не пришла оплата");
  const [cancelled] = await query<{ status: string; cancellation_reason: string }>(
    "SELECT status::text, cancellation_reason FROM registrations WHERE id = $1",
    [w.kirill.id],
  );
  expect(cancelled).toEqual({ status: "CANCELLED", cancellation_reason: "Не пришла оплата, договорились отменить" });
  await keepScreenshot(page, testInfo, "registrations-after-actions");

  // Export with the current filter (search Vera): BOM, header with the extra field labels, Vera in it.
  await search(page, "Вера");
  await expect(rows(page)).toHaveCount(1);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toBe(`${w.slug}-registrations.csv`);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  const [header, ...lines] = text.split("\r\n").filter(Boolean);
  expect(header).toContain("Компания E2E");
  expect(header).toContain("Согласие на фото");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(w.vera.code);
  expect(lines[0]).toContain(w.vera.lastName);
  expect(lines[0]).toContain(w.vera.email);
  expect(lines[0]).toContain('"ООО ""Тест"", Москва"');
  expect(text).not.toContain(w.payer.code);
});
