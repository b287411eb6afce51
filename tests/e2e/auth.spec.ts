// The sign-up / sign-in / sign-out journeys, on the desktop and the phone project.
import { expect, test } from "@playwright/test";
import { PASSWORD, SLOW, en, expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi, signUpViaUi, uniqueEmail, tRu } from "./support";

test.describe("auth journeys", () => {
  test("sign up → dashboard; sign out → signed out everywhere; sign in again → dashboard @phone-only", async ({ page, context }, testInfo) => {
    const email = uniqueEmail("journey");
    await signUpViaUi(page, { email: `  ${email.toUpperCase()} `, firstName: "Алиса", lastName: "Иванова" });

    await expect(page.getByRole("heading", { level: 1, name: tRu("dashboard.greeting", { name: "Алиса" }) })).toBeVisible();
    await expect(page.getByTestId("header-user")).toHaveAccessibleName(tRu("header.signedInAs", { name: "Алиса Иванова" }));
    await expect(page.getByTestId("header-user")).toContainText("Алиса");
    await expect(page.getByTestId("organizations-empty")).toContainText(ru.dashboard.organizationsEmpty);
    await expect(page.getByTestId("platform-admin")).toHaveCount(0);
    await expectNoHorizontalScroll(page);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "dashboard-phone");

    // The email was stored normalised, and the sign-in created one live session row.
    const [user] = await query<{ id: string; email: string }>("SELECT id, email FROM users WHERE email = $1", [email]);
    expect(user?.email).toBe(email);
    const live = await query("SELECT id FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", [user.id]);
    expect(live).toHaveLength(1);

    // Sign out: the header offers sign-in again, the session row is revoked, and the old cookie is dead.
    const cookiesBefore = await context.cookies();
    await page.getByRole("button", { name: ru.header.signOut }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("link", { name: ru.header.signIn, exact: true })).toBeVisible();
    await expect(page.getByTestId("header-user")).toHaveCount(0);
    const revoked = await query<{ revoked_at: Date | null }>("SELECT revoked_at FROM user_sessions WHERE user_id = $1", [user.id]);
    expect(revoked.every((r) => r.revoked_at !== null)).toBe(true);

    await context.addCookies(cookiesBefore.filter((c) => c.name.includes("session-token")));
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);

    // Sign in again (email typed differently) → dashboard.
    await signInViaUi(page, email.toUpperCase());
    await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
    await expect(page.getByRole("heading", { level: 1, name: tRu("dashboard.greeting", { name: "Алиса" }) })).toBeVisible();
  });

  test("wrong password and unknown email get the same generic error on the form @desktop-only", async ({ page, browser }) => {
    const email = uniqueEmail("wrongpw");
    const setup = await browser.newContext();
    await signUpViaUi(await setup.newPage(), { email, firstName: "Борис" });
    await setup.close();

    await page.goto("/login");
    await signInViaUi(page, email, "Неверный123");
    // (scoped to the page content: Next's route announcer is an empty role="alert" too)
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toHaveText(ru.auth.invalidCredentials, { timeout: SLOW });
    await expect(page).toHaveURL(/\/login/);

    await expect(page.getByRole("button", { name: ru.auth.submitLogin, exact: true })).toBeEnabled({ timeout: SLOW });
    await signInViaUi(page, uniqueEmail("nobody"), PASSWORD);
    await expect(page.getByRole("button", { name: ru.auth.submitLogin, exact: true })).toBeEnabled({ timeout: SLOW });
    await expect(alert).toHaveText(ru.auth.invalidCredentials);

    const [row] = await query<{ failed_login_count: number }>("SELECT failed_login_count FROM users WHERE email = $1", [email]);
    expect(row.failed_login_count).toBe(1);
  });

  test("a duplicate email shows the message on the email field and creates no second user @desktop-only", async ({ page, browser }) => {
    const email = uniqueEmail("dup");
    const setup = await browser.newContext();
    await signUpViaUi(await setup.newPage(), { email, firstName: "Вера" });
    await setup.close();

    await page.goto("/register");
    await page.getByLabel(ru.auth.firstName, { exact: true }).fill("Вера-2");
    await page.getByLabel(ru.auth.email, { exact: true }).fill(` ${email.toUpperCase()}`);
    await page.getByLabel(ru.auth.password, { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: ru.auth.submitRegister }).click();

    const emailInput = page.getByLabel(ru.auth.email, { exact: true });
    await expect(emailInput).toHaveAttribute("aria-invalid", "true", { timeout: SLOW });
    await expect(emailInput).toHaveAccessibleDescription(ru.validation.emailTaken);
    await expect(emailInput).toBeFocused();
    await expect(page).toHaveURL(/\/register$/);
    expect(await query("SELECT id FROM users WHERE email = $1", [email])).toHaveLength(1);
  });

  test("invalid sign-up fields show their errors on those fields", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel(ru.auth.firstName, { exact: true }).fill("Глеб");
    await page.getByLabel(ru.auth.email, { exact: true }).fill("not-an-email");
    await page.getByLabel(ru.auth.password, { exact: true }).fill("abc1");
    await page.getByRole("button", { name: ru.auth.submitRegister }).click();

    const emailInput = page.getByLabel(ru.auth.email, { exact: true });
    const passwordInput = page.getByLabel(ru.auth.password, { exact: true });
    await expect(emailInput).toHaveAttribute("aria-invalid", "true");
    await expect(emailInput).toHaveAccessibleDescription(ru.validation.emailInvalid);
    await expect(passwordInput).toHaveAttribute("aria-invalid", "true");
    await expect(passwordInput).toHaveAccessibleDescription(ru.validation.passwordTooShort);
    await expect(page.getByLabel(ru.auth.firstName, { exact: true })).not.toHaveAttribute("aria-invalid", "true");

    // A long password without a digit: the letter-and-digit rule.
    await passwordInput.fill("толькобуквы");
    await expect(passwordInput).toHaveAccessibleDescription(ru.validation.passwordWeak);
    await expect(page).toHaveURL(/\/register$/);
  });

  test("/dashboard while signed out redirects to /login and back after signing in @desktop-only", async ({ page, context, browser }) => {
    const email = uniqueEmail("redirect");
    const setup = await browser.newContext();
    await signUpViaUi(await setup.newPage(), { email, firstName: "Дарья" });
    await setup.close();

    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);

    // A forged session cookie passes the proxy's optimistic check but not the layout's real check.
    await context.addCookies([{ name: "authjs.session-token", value: "forged", url: page.url() }]);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);

    // An open-redirect attempt falls back to the dashboard.
    await page.goto(`/login?callbackUrl=${encodeURIComponent("//evil.example/")}`);
    await signInViaUi(page, email);
    await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
  });

  test("the locale switch shows English texts", async ({ page }, testInfo) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ru.landing.heroTitle);
    await expectNoHorizontalScroll(page);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "landing-phone");

    await page.getByTestId("locale-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(en.landing.heroTitle);
    await expect(page.getByRole("link", { name: en.header.signIn, exact: true })).toBeVisible();

    // The choice sticks (cookie) and applies to the forms and validation messages too.
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(en.auth.loginTitle);
    await page.getByRole("button", { name: en.auth.submitLogin, exact: true }).click();
    await expect(page.getByLabel(en.auth.email, { exact: true })).toHaveAccessibleDescription(en.validation.required);
    if (testInfo.project.name === "phone") await keepScreenshot(page, testInfo, "login-en-phone");

    await page.getByTestId("locale-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ru.auth.loginTitle);
  });

  test("login and register pages fit the screen", async ({ page }, testInfo) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ru.auth.loginTitle);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `login-${testInfo.project.name}`);
    await page.goto("/register");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ru.auth.registerTitle);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `register-${testInfo.project.name}`);
  });

  test("a 360 px wide phone works: landing, sign-up and the dashboard header @phone-only", async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto("/");
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "landing-360");

    await signUpViaUi(page, { email: uniqueEmail("narrow"), firstName: "Константин", lastName: "Константинопольский" });
    await expect(page.getByTestId("header-user")).toBeVisible();
    await expect(page.getByRole("button", { name: ru.header.signOut })).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "dashboard-360");
  });
});
