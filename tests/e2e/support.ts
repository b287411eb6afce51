// Helpers for the end-to-end tests: unique data per test, the UI texts, a direct look at the test
// database and the fake Telegram Bot API (both come from scripts/e2e-server.mjs through E2E_STATE_FILE).
import { createHash, createHmac, randomInt, randomUUID } from "node:crypto";
import fs from "node:fs";
import { expect, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { translatorFor } from "../../lib/i18n/catalogue";
import { en, ru } from "../../lib/i18n/messages";

export { en, ru };

/** Texts as the app renders them (ICU arguments and plural forms): `tRu("public.event.left", { count: 7 })`. */
export const tRu = translatorFor("ru");
export const tEn = translatorFor("en");

export const PASSWORD = "Пароль2026";

/** Timeout for steps that run bcrypt on the server (sign-up, sign-in) on a shared 2-core machine. */
export const SLOW = 30_000;

export function uniqueEmail(prefix = "e2e"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}@example.com`;
}

type E2eState = { databaseUrl: string; telegram?: { apiRoot: string; botToken: string; botUsername: string } };

function e2eState(): E2eState {
  const file = process.env.E2E_STATE_FILE;
  if (!file || !fs.existsSync(file)) throw new Error(`E2E state file ${file} not found (is scripts/e2e-server.mjs running?)`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as E2eState;
}

/** The test database (for tests that need a transaction of their own). */
export function databaseUrl(): string {
  return e2eState().databaseUrl;
}

export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function signUpViaUi(page: Page, user: { email: string; firstName: string; lastName?: string; password?: string }) {
  await page.goto("/register");
  await page.getByLabel(ru.auth.firstName, { exact: true }).fill(user.firstName);
  if (user.lastName) await page.getByLabel(ru.auth.lastName).fill(user.lastName);
  await page.getByLabel(ru.auth.email, { exact: true }).fill(user.email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(user.password ?? PASSWORD);
  await page.getByRole("button", { name: ru.auth.submitRegister }).click();
  // Sign-up hashes the password and then signs in (two bcrypt rounds at cost 12): slow on a busy machine.
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
}

export async function signInViaUi(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: ru.auth.submitLogin, exact: true }).click();
}

/** The page does not scroll sideways (phone layouts). */
export async function expectNoHorizontalScroll(page: Page) {
  // Polled for a few seconds: right after a viewport change, charts (Recharts' ResizeObserver) and other
  // measured elements take a frame or two to take their new width. An overflow that stays still fails.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), {
      message: "horizontal overflow in px",
      timeout: 5_000,
    })
    .toBeLessThanOrEqual(0);
}

/** A full-page screenshot kept with the test's artifacts (test-results/) and attached to the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

// ───────────────────────────── the fake Telegram Bot API ─────────────────────────────
// The app long-polls the fake (tests/fakes/telegram-bot-api.ts, started by scripts/e2e-server.mjs);
// tests inject updates as if Telegram delivered them and read what the bot sent. Tests run in
// parallel on one fake, so every test uses its own Telegram user and filters calls by its chat id.

/** The fake's URL, the test bot token and username. */
export function telegramConfig(): { apiRoot: string; botToken: string; botUsername: string } {
  const telegram = e2eState().telegram;
  if (!telegram) throw new Error("the e2e server did not start the fake Telegram Bot API");
  return telegram;
}

export type FakeTelegramCall = { method: string; params: Record<string, unknown>; files: Record<string, { size: number }>; ok: boolean; time: string };

export type TelegramTestUser = { id: number; is_bot: false; first_name: string; last_name?: string; username: string; language_code: string };

/** A Telegram account of its own for one test (ids far above real ones; unique per run). */
export function telegramTestUser(firstName = "Тест", overrides: Partial<TelegramTestUser> = {}): TelegramTestUser {
  const id = 8_000_000_000 + randomInt(0, 1_000_000_000);
  return { id, is_bot: false, first_name: firstName, username: `e2e_${id.toString(36)}`, language_code: "ru", ...overrides };
}

let nextMessageId = randomInt(1, 1_000_000);

/** Queues an update for the bot's getUpdates (the fake assigns update_id). */
export async function injectTelegramUpdate(update: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${telegramConfig().apiRoot}/__fake/updates`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(update),
  });
  expect(response.ok, "fake Telegram accepted the update").toBe(true);
}

/** The user writes `text` to the bot in a private chat (e.g. "/start login_…", "/tickets"). */
export async function sendToBot(user: TelegramTestUser, text: string): Promise<void> {
  await injectTelegramUpdate({
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: "private", first_name: user.first_name, username: user.username },
      from: user,
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }] } : {}),
    },
  });
}

/** The user taps an inline button (callback_data) under one of the bot's messages. */
export async function pressBotButton(user: TelegramTestUser, data: string, messageId: number): Promise<void> {
  await injectTelegramUpdate({
    callback_query: {
      id: `cbq-${randomUUID()}`,
      from: user,
      chat_instance: String(user.id),
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: "private" }, text: "…" },
    },
  });
}

/** Calls the bot made (answered ok), optionally of one method to one chat. */
export async function telegramCalls(method?: string, chatId?: number): Promise<FakeTelegramCall[]> {
  const url = new URL("/__fake/calls", telegramConfig().apiRoot);
  if (method) url.searchParams.set("method", method);
  const calls = (await (await fetch(url)).json()) as FakeTelegramCall[];
  return calls.filter((c) => c.ok && (chatId === undefined || String(c.params.chat_id) === String(chatId)));
}

/** Waits (polling the fake) until the bot made a call matching `match`, and returns it. */
export async function waitForTelegramCall(
  method: string,
  chatId: number,
  match: (call: FakeTelegramCall) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<FakeTelegramCall> {
  let found: FakeTelegramCall | undefined;
  await expect
    .poll(
      async () => {
        found = (await telegramCalls(method, chatId)).find(match);
        return !!found;
      },
      { timeout: timeoutMs, intervals: [200, 300, 500], message: `the bot calls ${method} for chat ${chatId}` },
    )
    .toBe(true);
  return found!;
}

/** The inline keyboard's callback_data values of a sendMessage call. */
export function callbackDataOf(call: FakeTelegramCall): string[] {
  const markup = call.params.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

/** A Login Widget payload signed like Telegram does: hex HMAC-SHA256 of the data-check-string, key SHA-256(bot token). */
export function signedWidgetPayload(
  user: TelegramTestUser,
  { botToken = telegramConfig().botToken, authDate = Math.floor(Date.now() / 1000) }: { botToken?: string; authDate?: number } = {},
): Record<string, string | number> {
  const fields: Record<string, string | number> = { id: user.id, first_name: user.first_name, username: user.username, auth_date: authDate };
  if (user.last_name) fields.last_name = user.last_name;
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join("\n");
  const hash = createHmac("sha256", createHash("sha256").update(botToken).digest()).update(dataCheckString).digest("hex");
  return { ...fields, hash };
}
