// The app shell: not-found page, landing calls to action, keyboard skip link.
import { expect, test } from "@playwright/test";
import { expectNoHorizontalScroll, ru } from "./support";

test("an unknown address shows the not-found page with a way home @desktop-only", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ru.notFound.title);
  await expectNoHorizontalScroll(page);
  await page.getByRole("link", { name: ru.common.backHome }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ru.landing.heroTitle);
});

test("landing calls to action lead to sign-up and sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 2, name: ru.landing.audiencesTitle })).toBeVisible();
  await page.getByRole("link", { name: ru.landing.ctaStart }).first().click();
  await expect(page).toHaveURL(/\/register$/);
  await page.goto("/");
  await page.getByRole("link", { name: ru.landing.ctaSignIn }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("the first Tab reaches the skip link, which moves focus past the header @desktop-only", async ({ page }) => {
  await page.goto("/login");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: ru.common.skipToContent });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
});
