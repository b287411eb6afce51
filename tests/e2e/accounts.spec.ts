// Account journeys: email verification through the dev mailbox, password reset, the account page
// (sessions, password, language) and account deletion. The e2e server runs without SMTP and with
// DEV_MAILBOX=1, so every mail is readable at /dev/mail.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { PASSWORD, SLOW, en, expectNoHorizontalScroll, query, ru, signUpViaUi, telegramTestUser, tRu, uniqueEmail } from "./support";
import { createUser } from "./world";

const NEW_PASSWORD = "НовыйПароль2027";

/**
 * A full-page screenshot kept with the test's artifacts, on the phone project only (the journeys are
 * phone-first). Long pages on a busy 2-core machine need more than the default action timeout.
 */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  if (testInfo.project.name !== "phone") return;
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 60_000 });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** The email/password form of /login (exact names: the page also has "Sign in with Telegram" buttons). */
async function signInViaUi(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: ru.auth.submitLogin, exact: true }).click();
}

/** Opens the dev mailbox for `email` and follows the newest link to `path`. */
async function followMailedLink(page: Page, email: string, path: "/verify-email" | "/reset-password") {
  await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
  const link = page.getByRole("link", { name: new RegExp(`${path.replace("/", "\\/")}\\?token=[0-9a-f]{64}`) }).first();
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${path}\\?token=`));
  return href!;
}

test.describe("account journeys", () => {
  // Several bcrypt sign-ins per journey on a shared 2-core machine.
  test.describe.configure({ timeout: 240_000 });

  test("sign up → dev mailbox → verification link → verified badge @phone-only", async ({ page }, testInfo) => {
    const email = uniqueEmail("verify");
    await signUpViaUi(page, { email, firstName: "Вера" });

    await page.goto("/dashboard/account");
    await expect(page.getByRole("heading", { level: 1, name: ru.account.page.title })).toBeVisible();
    await expect(page.getByTestId("email-status")).toHaveText(ru.account.profile.unverified);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "account-unverified-phone");

    await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
    await expect(page.getByTestId("dev-mail")).toHaveCount(1);
    await expect(page.getByRole("heading", { name: ru.account.mail.verifySubject })).toBeVisible();
    await keepScreenshot(page, testInfo, "dev-mailbox-phone");

    const link = await followMailedLink(page, email, "/verify-email");
    await expect(page.getByTestId("verify-email-result")).toHaveAttribute("data-status", "verified");
    await expect(page.getByRole("heading", { level: 1, name: ru.account.verify.verifiedTitle })).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "verify-email-done-phone");

    await page.getByRole("link", { name: ru.account.verify.toAccount }).click();
    await expect(page).toHaveURL(/\/dashboard\/account$/);
    await expect(page.getByTestId("email-status")).toHaveText(ru.account.profile.verified);
    await expect(page.getByTestId("resend-verification")).toHaveCount(0);
    const [row] = await query<{ email_verified: boolean }>("SELECT email_verified FROM users WHERE email = $1 AND deleted_at IS NULL", [email]);
    expect(row.email_verified).toBe(true);

    // The same link again: already confirmed, nothing else to do.
    await page.goto(link);
    await expect(page.getByTestId("verify-email-result")).toHaveAttribute("data-status", "already-verified");
    await expect(page.getByRole("heading", { level: 1, name: ru.account.verify.alreadyTitle })).toBeVisible();
  });

  test("a broken verification link offers a new one to the signed-in user @desktop-only", async ({ page }, testInfo) => {
    const email = uniqueEmail("verify-bad");
    await signUpViaUi(page, { email, firstName: "Глеб" });
    await page.goto(`/verify-email?token=${"0".repeat(64)}`);
    await expect(page.getByRole("heading", { level: 1, name: ru.account.verify.invalidTitle })).toBeVisible();
    await page.getByTestId("resend-verification").click();
    await expect(page.getByText(tRu("account.resend.sent", { email }))).toBeVisible({ timeout: SLOW });
    await keepScreenshot(page, testInfo, "verify-email-invalid-phone");
    const mails = await query("SELECT id FROM mail_outbox WHERE \"to\" = $1", [email]);
    expect(mails).toHaveLength(2);
  });

  test("forgot password → mail → reset (signs out everywhere) → sign in with the new password @desktop-only", async ({ page, browser }, testInfo) => {
    const email = uniqueEmail("reset");
    // Signed in elsewhere: the reset must end that session too.
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await signUpViaUi(other, { email, firstName: "Роман" });

    await page.goto("/forgot-password");
    await expect(page.getByRole("heading", { level: 1, name: ru.account.forgot.title })).toBeVisible();
    await page.getByLabel(ru.auth.email, { exact: true }).fill(email.toUpperCase());
    await page.getByRole("button", { name: ru.account.forgot.submit }).click();
    await expect(page.getByTestId("forgot-password-sent")).toContainText(ru.account.forgot.sentTitle);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "forgot-password-sent-phone");

    const link = await followMailedLink(page, email, "/reset-password");
    await expect(page.getByRole("heading", { level: 1, name: ru.account.reset.title })).toBeVisible();
    await page.getByLabel(ru.account.reset.password, { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel(ru.account.reset.passwordConfirm, { exact: true }).fill(`${NEW_PASSWORD}x`);
    await page.getByRole("button", { name: ru.account.reset.submit }).click();
    await expect(page.getByLabel(ru.account.reset.passwordConfirm, { exact: true })).toHaveAccessibleDescription(ru.account.validation.passwordsDiffer);
    await page.getByLabel(ru.account.reset.passwordConfirm, { exact: true }).fill(NEW_PASSWORD);
    await keepScreenshot(page, testInfo, "reset-password-form-phone");
    await page.getByRole("button", { name: ru.account.reset.submit }).click();
    await expect(page.getByTestId("reset-password-done")).toContainText(ru.account.reset.doneTitle, { timeout: SLOW });
    await keepScreenshot(page, testInfo, "reset-password-done-phone");

    // The other browser was signed out by the reset.
    await other.goto("/dashboard");
    await expect(other).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);
    await elsewhere.close();

    // The old password no longer works; the new one does.
    await page.getByTestId("reset-password-done").getByRole("link", { name: ru.account.reset.toLogin }).click();
    await expect(page).toHaveURL(/\/login$/);
    await signInViaUi(page, email, PASSWORD);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(ru.auth.invalidCredentials, { timeout: SLOW });
    await expect(page.getByRole("button", { name: ru.auth.submitLogin, exact: true })).toBeEnabled({ timeout: SLOW });
    await signInViaUi(page, email, NEW_PASSWORD);
    await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });

    // The link works once.
    await page.goto(link);
    await expect(page.getByTestId("reset-password-dead")).toHaveAttribute("data-status", "used");
    await expect(page.getByRole("link", { name: ru.account.reset.requestNew })).toBeVisible();
    await keepScreenshot(page, testInfo, "reset-password-used-phone");
  });

  test("reset shows the linked Telegram and unlinks it (ticked by default: the email was never verified); other sessions end @desktop-only", async ({ page, browser }, testInfo) => {
    // Someone signed up with this address first (never verified) and linked their Telegram.
    const tg = telegramTestUser("Чужой");
    const squatter = await createUser("Захар", { emailVerified: false, telegram: { id: tg.id, username: tg.username } });
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await other.goto("/login");
    await signInViaUi(other, squatter.email);
    await expect(other).toHaveURL(/\/dashboard$/, { timeout: SLOW });

    // The owner of the mailbox resets the password.
    await page.goto("/forgot-password");
    await page.getByLabel(ru.auth.email, { exact: true }).fill(squatter.email);
    await page.getByRole("button", { name: ru.account.forgot.submit }).click();
    await expect(page.getByTestId("forgot-password-sent")).toBeVisible();
    await followMailedLink(page, squatter.email, "/reset-password");

    const methods = page.getByTestId("reset-linked-methods");
    await expect(methods).toContainText(ru.account.reset.methodsTitle);
    await expect(page.getByTestId("reset-linked-telegram")).toHaveText(tRu("account.reset.methodTelegram", { username: `@${tg.username}` }));
    const unlink = page.getByLabel(ru.account.reset.unlinkTelegram);
    await expect(unlink).toBeChecked();
    await expect(unlink).toHaveAccessibleDescription(ru.account.reset.unlinkTelegramHint);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "reset-password-linked-telegram-phone");

    await page.getByLabel(ru.account.reset.password, { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel(ru.account.reset.passwordConfirm, { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: ru.account.reset.submit }).click();
    await expect(page.getByTestId("reset-password-done")).toContainText(ru.account.reset.doneTitle, { timeout: SLOW });
    await expect(page.getByTestId("reset-telegram-unlinked")).toHaveText(ru.account.reset.doneTelegramUnlinked);
    await keepScreenshot(page, testInfo, "reset-password-telegram-unlinked-phone");

    const [row] = await query<{ telegram_id: string | null; telegram_chat_id: string | null; email_verified: boolean }>(
      "SELECT telegram_id, telegram_chat_id, email_verified FROM users WHERE id = $1",
      [squatter.id],
    );
    expect(row).toEqual({ telegram_id: null, telegram_chat_id: null, email_verified: true });
    // The other session (the squatter's) ended with the reset.
    await other.goto("/dashboard");
    await expect(other).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);
    await elsewhere.close();
  });

  test("forgot password: the same answer for an unknown email, and a clear message past 3 an hour @desktop-only", async ({ page }) => {
    const email = uniqueEmail("nobody");
    for (let i = 0; i < 3; i++) {
      await page.goto("/forgot-password");
      await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
      await page.getByRole("button", { name: ru.account.forgot.submit }).click();
      await expect(page.getByTestId("forgot-password-sent")).toContainText(tRu("account.forgot.sentText", { email }));
    }
    await page.goto("/forgot-password");
    await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
    await page.getByRole("button", { name: ru.account.forgot.submit }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(ru.account.errors.resetLimited);
    expect(await query("SELECT id FROM mail_outbox WHERE \"to\" = $1", [email])).toHaveLength(0);
  });

  test("account page: sessions, sign out other sessions, change password, language", async ({ page, browser }, testInfo) => {
    const email = uniqueEmail("account");
    const first = await browser.newContext();
    const firstPage = await first.newPage();
    await signUpViaUi(firstPage, { email, firstName: "Ада", lastName: "Лавлейс" });

    await page.goto("/login");
    await signInViaUi(page, email);
    await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
    await page.goto("/dashboard/account");
    const sessions = page.getByTestId("sessions-list").getByRole("listitem");
    await expect(sessions).toHaveCount(2);
    await expect(sessions.first()).toContainText(ru.account.sessions.current);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "account-page-phone");

    await page.getByRole("button", { name: ru.account.sessions.signOutOthers }).click();
    await expect(page.getByText(tRu("account.sessions.signedOutOthers", { count: 1 }))).toBeVisible();
    await expect(sessions).toHaveCount(1);
    await firstPage.goto("/dashboard");
    await expect(firstPage).toHaveURL(/\/login/);
    await first.close();

    // Change the password: a wrong current one is refused on its field.
    await page.getByLabel(ru.account.password.current, { exact: true }).fill("Неверный123");
    await page.getByLabel(ru.account.password.new, { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel(ru.account.password.confirm, { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: ru.account.password.submit }).click();
    await expect(page.getByLabel(ru.account.password.current, { exact: true })).toHaveAccessibleDescription(ru.account.validation.currentPasswordWrong, {
      timeout: SLOW,
    });
    await page.getByLabel(ru.account.password.current, { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: ru.account.password.submit }).click();
    await expect(page.getByText(tRu("account.password.changed", { count: 0 }))).toBeVisible({ timeout: SLOW });

    // Profile name, then the preferred language: saved on the account and applied to the UI.
    await page.getByLabel(ru.account.profile.firstName, { exact: true }).fill("Августа");
    await page.getByRole("form", { name: ru.account.profile.title }).getByRole("button", { name: ru.account.profile.save, exact: true }).click();
    await expect(page.getByText(ru.account.profile.saved)).toBeVisible();
    await expect(page.getByTestId("header-user")).toContainText("Августа");

    await page.getByRole("radio", { name: ru.locale.en }).check();
    await page.getByRole("button", { name: ru.account.language.save }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.account.page.title })).toBeVisible();
    const [row] = await query<{ locale: string; first_name: string }>("SELECT locale, first_name FROM users WHERE email = $1 AND deleted_at IS NULL", [email]);
    expect(row).toEqual({ locale: "EN", first_name: "Августа" });
  });

  test("delete account: confirmation, then signed out; the email can sign up again @phone-only", async ({ page }, testInfo) => {
    const email = uniqueEmail("delete");
    await signUpViaUi(page, { email, firstName: "Дина" });
    await page.goto("/dashboard/account");

    const confirmation = page.getByLabel(tRu("account.deletion.confirmLabel", { word: "DELETE" }));
    await confirmation.fill("не то");
    await page.getByRole("button", { name: ru.account.deletion.submit }).click();
    await expect(confirmation).toHaveAccessibleDescription(ru.account.validation.confirmationMismatch);
    await keepScreenshot(page, testInfo, "account-delete-mismatch-phone");

    await confirmation.fill(email);
    await page.getByRole("button", { name: ru.account.deletion.submit }).click();
    await expect(page).toHaveURL(/\/$/, { timeout: SLOW });
    await expect(page.getByTestId("header-user")).toHaveCount(0);
    const rows = await query<{ deleted_at: Date | null }>("SELECT deleted_at FROM users WHERE email = $1", [email]);
    expect(rows).toHaveLength(1);
    expect(rows[0].deleted_at).not.toBeNull();

    await page.goto("/login");
    await signInViaUi(page, email);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(ru.auth.invalidCredentials, { timeout: SLOW });

    // The address is free again.
    await signUpViaUi(page, { email, firstName: "Дина-2" });
    expect(await query("SELECT id FROM users WHERE email = $1 AND deleted_at IS NULL", [email])).toHaveLength(1);
  });
});
