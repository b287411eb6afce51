// Helpers for the end-to-end tests: unique data per test, the UI texts, and a direct look at the
// test database (its URL comes from scripts/e2e-server.mjs through E2E_STATE_FILE).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { expect, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { en, ru } from "../../lib/i18n/messages";

export { en, ru };

export const PASSWORD = "Пароль2026";

/** Timeout for steps that run bcrypt on the server (sign-up, sign-in) on a shared 2-core machine. */
export const SLOW = 30_000;

export function uniqueEmail(prefix = "e2e"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}@example.com`;
}

function databaseUrl(): string {
  const file = process.env.E2E_STATE_FILE;
  if (!file || !fs.existsSync(file)) throw new Error(`E2E state file ${file} not found (is scripts/e2e-server.mjs running?)`);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { databaseUrl: string }).databaseUrl;
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
  await page.getByRole("button", { name: ru.auth.submitLogin }).click();
}

/** The page does not scroll sideways (phone layouts). */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);
}

/** A full-page screenshot kept with the test's artifacts (test-results/) and attached to the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}
