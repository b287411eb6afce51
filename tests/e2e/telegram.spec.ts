// Telegram end to end, against the fake Bot API the app long-polls (scripts/e2e-server.mjs):
// sign-in by bot deep link and by Login Widget, /tickets in the bot, linking from the account page,
// the locale preference, and the notification templates admin with its live preview.
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import {
  SLOW,
  callbackDataOf,
  databaseUrl,
  expectNoHorizontalScroll,
  keepScreenshot,
  query,
  ru,
  sendToBot,
  pressBotButton,
  signUpViaUi,
  signedWidgetPayload,
  telegramConfig,
  telegramTestUser,
  uniqueEmail,
  waitForTelegramCall,
} from "./support";

type WidgetWindow = Window & { aqstreamTelegramAuth?: (user: unknown) => void };

/** Calls the page's Login Widget callback the way Telegram's widget script would. */
async function widgetCallback(page: Page, payload: Record<string, unknown>) {
  await page.waitForFunction(() => typeof (window as WidgetWindow).aqstreamTelegramAuth === "function");
  await page.evaluate((user) => (window as WidgetWindow).aqstreamTelegramAuth!(user), payload);
}

/** Marks the page; the mark survives client-side navigation but not a reload. */
async function markNoReload(page: Page) {
  await page.evaluate(() => {
    (window as Window & { __aqNoReload?: boolean }).__aqNoReload = true;
  });
}

async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as Window & { __aqNoReload?: boolean }).__aqNoReload === true), "the page was not reloaded").toBe(true);
}

const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A Telegram user with an organization, a published event next week and a CONFIRMED ticket (straight into the database). */
async function telegramUserWithTicket(firstName: string) {
  const tg = telegramTestUser(firstName);
  const ids = { user: randomUUID(), org: randomUUID(), event: randomUUID(), type: randomUUID(), registration: randomUUID() };
  const code = Array.from({ length: 8 }, () => CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)]).join("");
  const slug = `e2e-${ids.org.slice(0, 8)}`;
  const startsAt = new Date(Date.now() + 7 * 24 * 3600_000);
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO users (id, telegram_id, telegram_chat_id, telegram_username, first_name) VALUES ($1, $2, $2, $3, $4)`,
      [ids.user, String(tg.id), tg.username, firstName],
    );
    await client.query(`INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, $3, $4)`, [ids.org, ids.user, `Клуб ${slug}`, slug]);
    await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'OWNER')`, [randomUUID(), ids.org, ids.user]);
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, slug, location_address, published_at)
       VALUES ($1, $2, $3, $4, 'PUBLISHED', $5, $6, $7, 'Москва, ул. Тестовая, 1', now())`,
      [ids.event, ids.org, ids.user, "Митап о Telegram-ботах", startsAt, new Date(startsAt.getTime() + 3 * 3600_000), slug],
    );
    await client.query(`INSERT INTO ticket_types (id, event_id, name, quantity, sold_count) VALUES ($1, $2, 'Стандартный', 100, 1)`, [ids.type, ids.event]);
    await client.query(
      `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, 'CONFIRMED', $6, $7, now())`,
      [ids.registration, ids.org, ids.event, ids.type, ids.user, code, firstName],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
  return { tg, code, ...ids };
}

test.describe("Telegram", () => {
  test("deep link: a new user confirms in the bot and the login page lands on the dashboard by itself @desktop-only", async ({ page }, testInfo) => {
    const user = telegramTestUser("Дарья");
    await page.goto("/login");
    const start = page.getByTestId("telegram-login-start");
    await expect(start).toHaveText(ru.telegram.login.title);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "login-phone");
    await start.click();

    const link = page.getByTestId("telegram-login-link");
    await expect(link).toBeVisible();
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(new RegExp(`^https://t\\.me/${telegramConfig().botUsername}\\?start=login_[A-Za-z0-9_-]{43}$`));
    const token = href.slice(href.indexOf("login_") + "login_".length);
    // The QR code is there for computers; phones open it on request.
    if (testInfo.project.name === "phone") {
      await expect(page.getByTestId("telegram-login-qr")).toBeHidden();
      await page.getByRole("button", { name: ru.telegram.login.showQr }).click();
    }
    await expect(page.getByTestId("telegram-login-qr")).toBeVisible();
    await expect(page.getByTestId("telegram-login-expires")).toContainText(/[45]:\d\d/);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `login-waiting-${testInfo.project.name}`);
    await markNoReload(page);

    // In Telegram: /start login_<token> → the bot asks to confirm → the user taps "Confirm".
    await sendToBot(user, `/start login_${token}`);
    const prompt = await waitForTelegramCall("sendMessage", user.id, (call) => callbackDataOf(call).some((d) => d.startsWith("login:")));
    const confirm = callbackDataOf(prompt).find((d) => d.startsWith("login:"))!;
    expect(confirm).not.toContain(token); // the button carries the row id, never the token
    await pressBotButton(user, confirm, 1);

    // The page notices within a poll or two, signs in and moves on — nobody reloads it.
    await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
    await expect(page.getByTestId("header-user")).toContainText("Дарья");
    await expectNotReloaded(page);

    const [row] = await query<{ id: string; email: string | null; telegram_chat_id: string }>(
      "SELECT id, email, telegram_chat_id FROM users WHERE telegram_id = $1 AND deleted_at IS NULL",
      [String(user.id)],
    );
    expect(row?.email).toBeNull();
    expect(row?.telegram_chat_id).toBe(String(user.id));
    expect(await query("SELECT id FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", [row.id])).toHaveLength(1);
    // The token is used up.
    const [used] = await query<{ used_at: Date | null }>(
      "SELECT used_at FROM auth_tokens WHERE type = 'TELEGRAM_LOGIN' AND user_id = $1",
      [row.id],
    );
    expect(used?.used_at).not.toBeNull();

    // Telegram is this account's only way in: unlinking is refused with the service's message.
    await page.goto("/dashboard/account/telegram");
    await expect(page.getByTestId("telegram-account")).toHaveAttribute("data-linked", "true");
    await expect(page.getByTestId("telegram-username")).toHaveText(`@${user.username}`);
    await expect(page.getByTestId("telegram-id")).toHaveText(String(user.id));
    await expect(page.getByText(ru.telegram.account.unlinkOnlyMethod)).toBeVisible();
    await page.getByTestId("telegram-unlink").click();
    await page.getByTestId("telegram-unlink-yes").click();
    await expect(page.getByTestId("telegram-account-notice")).toHaveText(ru.errors.telegramUnlinkNeedsPassword);
    expect((await query<{ telegram_id: string | null }>("SELECT telegram_id FROM users WHERE id = $1", [row.id]))[0].telegram_id).toBe(String(user.id));
    await expectNoHorizontalScroll(page);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "account-telegram-only-phone");
  });

  test("Login Widget: a payload signed with the bot token signs in; a forged one is refused and creates nobody @desktop-only", async ({ page }, testInfo) => {
    // Telegram's script cannot load here: the block says so and keeps the bot link.
    await page.route("https://telegram.org/**", (route) => route.abort());
    await page.goto("/login");
    await page.getByTestId("telegram-widget-show").click();
    await expect(page.getByTestId("telegram-widget-status")).toHaveText(ru.telegram.login.widgetUnavailable);

    const intruder = telegramTestUser("Злоумышленник");
    const forged = { ...signedWidgetPayload(intruder), first_name: "Администратор" }; // changed after signing
    await widgetCallback(page, forged);
    await expect(page.getByTestId("telegram-login-notice")).toHaveText(ru.telegram.login.widgetFailed, { timeout: SLOW });
    const wrongKey = signedWidgetPayload(intruder, { botToken: "987654321:not-our-bot" });
    await widgetCallback(page, wrongKey);
    await expect(page.getByTestId("telegram-login-notice")).toHaveText(ru.telegram.login.widgetFailed, { timeout: SLOW });
    await expect(page).toHaveURL(/\/login/);
    expect(await query("SELECT id FROM users WHERE telegram_id = $1", [String(intruder.id)])).toHaveLength(0);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "login-widget-refused-phone");

    const user = telegramTestUser("Виктор", { last_name: "Соколов" });
    await markNoReload(page);
    await widgetCallback(page, signedWidgetPayload(user));
    await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
    await expect(page.getByTestId("header-user")).toContainText("Виктор");
    await expectNotReloaded(page);
    const rows = await query<{ first_name: string; last_name: string; telegram_username: string }>(
      "SELECT first_name, last_name, telegram_username FROM users WHERE telegram_id = $1",
      [String(user.id)],
    );
    expect(rows).toEqual([{ first_name: "Виктор", last_name: "Соколов", telegram_username: user.username }]);
  });

  test("/tickets in the bot sends the user's ticket as a photo @desktop-only", async () => {
    const { tg, code } = await telegramUserWithTicket("Пётр");
    await sendToBot(tg, "/tickets");
    const photo = await waitForTelegramCall("sendPhoto", tg.id);
    expect(Number(photo.files.photo?.size)).toBeGreaterThan(1000);
    expect(String(photo.params.caption)).toContain(code);
    expect(String(photo.params.caption)).toContain("Митап о Telegram-ботах");
  });

  test("an email user links Telegram from the account page once the email is verified, then unlinks it; the header locale is saved @phone-only", async ({ page, baseURL }, testInfo) => {
    const email = uniqueEmail("tglink");
    await signUpViaUi(page, { email, firstName: "Елена" });
    const [account] = await query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);

    // Not an admin: the templates admin does not exist for this user — a real 404.
    const admin = await page.goto("/dashboard/admin/templates");
    expect(admin?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: ru.notFound.title })).toBeVisible();
    await expect(page.getByTestId("templates-list")).toHaveCount(0);

    // The email is not verified yet: linking is refused, with the reason and a new verification mail.
    await page.goto("/dashboard/account/telegram");
    await expect(page.getByTestId("telegram-account")).toHaveAttribute("data-linked", "false");
    await expect(page.getByTestId("telegram-link-needs-email")).toContainText(ru.telegram.account.needsVerifiedEmailTitle);
    await expect(page.getByTestId("telegram-link-needs-email")).toContainText(email);
    await expect(page.getByTestId("telegram-link-needs-email").getByTestId("resend-verification")).toBeVisible();
    await expect(page.getByTestId("telegram-link-start")).toHaveCount(0);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `account-link-needs-email-${testInfo.project.name}`);
    const refused = await page.request.post("/api/auth/telegram/link", { headers: { origin: new URL(baseURL!).origin } });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "errors.telegramLinkNeedsVerifiedEmail" });
    expect(await query("SELECT id FROM auth_tokens WHERE user_id = $1 AND type = 'TELEGRAM_LINK'", [account.id])).toHaveLength(0);

    // Verified through the mailed link: now the link can be made.
    await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
    await page.getByRole("link", { name: /\/verify-email\?token=[0-9a-f]{64}/ }).first().click();
    await expect(page).toHaveURL(/\/verify-email\?token=/);
    await expect.poll(async () => (await query<{ email_verified: boolean }>("SELECT email_verified FROM users WHERE id = $1", [account.id]))[0].email_verified).toBe(true);
    await page.goto("/dashboard/account/telegram");
    await expect(page.getByTestId("telegram-link-needs-email")).toHaveCount(0);
    await page.getByTestId("telegram-link-start").click();
    const link = page.getByTestId("telegram-link-link");
    await expect(link).toBeVisible();
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(/^https:\/\/t\.me\/aqstream_test_bot\?start=link_[A-Za-z0-9_-]{43}$/);
    if (testInfo.project.name === "phone") await page.getByRole("button", { name: ru.telegram.login.showQr }).click();
    await expect(page.getByTestId("telegram-link-qr")).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `account-link-waiting-${testInfo.project.name}`);

    const tg = telegramTestUser("Елена");
    await sendToBot(tg, `/start ${href.split("start=")[1]}`);
    // The page polls and shows the linked account without a reload.
    await expect(page.getByTestId("telegram-account")).toHaveAttribute("data-linked", "true", { timeout: SLOW });
    await expect(page.getByTestId("telegram-account-notice")).toHaveText(ru.telegram.account.linkedNow);
    await expect(page.getByTestId("telegram-username")).toHaveText(`@${tg.username}`);
    await expect(page.getByTestId("telegram-id")).toHaveText(String(tg.id));
    await waitForTelegramCall("sendMessage", tg.id);
    expect((await query<{ telegram_id: string }>("SELECT telegram_id FROM users WHERE id = $1", [account.id]))[0].telegram_id).toBe(String(tg.id));
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `account-linked-${testInfo.project.name}`);

    // Email + password remain, so unlinking is allowed.
    await page.getByTestId("telegram-unlink").click();
    await page.getByTestId("telegram-unlink-yes").click();
    await expect(page.getByTestId("telegram-account-notice")).toHaveText(ru.telegram.account.unlinked);
    await expect(page.getByTestId("telegram-account")).toHaveAttribute("data-linked", "false");
    const [unlinked] = await query<{ telegram_id: string | null; telegram_chat_id: string | null }>(
      "SELECT telegram_id, telegram_chat_id FROM users WHERE id = $1",
      [account.id],
    );
    expect(unlinked).toEqual({ telegram_id: null, telegram_chat_id: null });
    expect(await query("SELECT id FROM audit_logs WHERE entity_id = $1 AND action IN ('user.telegram_linked', 'user.telegram_unlinked')", [account.id])).toHaveLength(2);

    // Switching the language in the header also saves it for the bot and the notifications.
    await page.getByTestId("locale-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect.poll(async () => (await query<{ locale: string }>("SELECT locale FROM users WHERE id = $1", [account.id]))[0].locale).toBe("EN");
  });

  test("a platform admin edits a template: live preview, variables, an unknown variable refused, then saved with an audit row @desktop-only", async ({ page }, testInfo) => {
    // The projects run at the same time: each edits its own template — one that no other journey
    // asserts on (events.spec checks the texts of event.changed / event.cancelled).
    const target =
      testInfo.project.name === "phone"
        ? { code: "user.welcome", text: "Привет, Анна!", bold: "AqStream" }
        : { code: "event.reminder", text: "Анна, скоро", bold: "Напоминание" };
    const email = uniqueEmail("tpladmin");
    await signUpViaUi(page, { email, firstName: "Ольга" });
    await query("UPDATE users SET is_platform_admin = true WHERE email = $1", [email]);

    await page.goto("/dashboard/admin/templates");
    await expect(page.getByRole("heading", { level: 1, name: ru.telegram.templates.title })).toBeVisible();
    await expect(page.getByTestId("template-user.welcome")).toContainText(ru.telegram.templates.descriptions.user_welcome);
    expect(await page.getByTestId("templates-list").getByRole("listitem").count()).toBeGreaterThanOrEqual(12);
    await expectNoHorizontalScroll(page);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "templates-list-phone");
    await page.getByTestId(`template-${target.code}`).click();

    await expect(page).toHaveURL(new RegExp(`/dashboard/admin/templates/${target.code.replace(".", "\\.")}$`));
    const ruBody = page.getByLabel(ru.telegram.templates.bodyRu);
    const preview = page.getByTestId("preview-body").getByTestId("telegram-preview");
    await expect(preview).toContainText(target.text);
    await expect(preview.locator("strong").first()).toHaveText(target.bold);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "template-editor-phone");

    // Typing updates the preview; a variable button inserts {name} at the cursor.
    await ruBody.fill("<b>Добро пожаловать</b>, ");
    await page.locator('[data-variable="firstName"]').click();
    await ruBody.press("End");
    await ruBody.pressSequentially("! <i>Ваш {unknownVar}</i>");
    await expect(ruBody).toHaveValue("<b>Добро пожаловать</b>, {firstName}! <i>Ваш {unknownVar}</i>");
    await expect(preview.locator("strong")).toHaveText("Добро пожаловать");
    await expect(preview.locator("em")).toHaveText("Ваш ");
    await expect(preview).toContainText("Добро пожаловать, Анна! Ваш");
    await expect(page.getByTestId("issues-body")).toContainText("{unknownVar}");

    // Saving is refused by the server, with the message on the Russian field, naming the variable.
    await page.getByRole("button", { name: ru.telegram.templates.save }).click();
    await expect(ruBody).toHaveAttribute("aria-invalid", "true", { timeout: SLOW });
    await expect(ruBody).toHaveAccessibleDescription(/\{unknownVar\}/);
    const [unchanged] = await query<{ body: string }>("SELECT body FROM notification_templates WHERE code = $1", [target.code]);
    expect(unchanged.body).not.toContain("unknownVar");
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `template-refused-${testInfo.project.name}`);

    // Fixed → saved, audited.
    const finalBody = `<b>Добро пожаловать</b>, {firstName}! <i>${testInfo.project.name}</i>`;
    await ruBody.fill(finalBody);
    await expect(page.getByTestId("issues-body")).toHaveCount(0);
    await page.getByRole("button", { name: ru.telegram.templates.save }).click();
    await expect(page.getByRole("main").getByRole("status").filter({ hasText: ru.telegram.templates.saved })).toBeVisible({ timeout: SLOW });
    const [saved] = await query<{ id: string; body: string }>("SELECT id, body FROM notification_templates WHERE code = $1", [target.code]);
    expect(saved.body).toBe(finalBody);
    const audit = await query(
      `SELECT a.id FROM audit_logs a JOIN users u ON u.id = a.actor_id
       WHERE a.entity_id = $1 AND a.action = 'notification_template.updated' AND u.email = $2`,
      [saved.id, email],
    );
    expect(audit).toHaveLength(1);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "template-saved-phone");
  });
});
