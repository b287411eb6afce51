// Settings → Payments on a phone (docs/payments.md → "Payment accounts"): the owner of a fresh organization
// sees that paid tickets cannot be paid yet, gets field errors for a malformed YooKassa shop id and key,
// connects YooKassa (the secret never comes back: the field is emptied, the page shows only the hint, the
// database holds only the encrypted blob), turns manual payments on with instructions, and a moderator
// sees the same methods without any form.
import { expect, test } from "@playwright/test";
import { expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi } from "./support";
import { addModerator, createOrganization, createUser } from "./world";

const ui = ru.paymentsAdmin;

test("the owner connects YooKassa and manual payments; the secret never comes back; a moderator only sees @phone-only", async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const organization = await createOrganization("Платежи");
  const path = `/dashboard/o/${organization.slug}/settings/payments`;

  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await signInViaUi(page, organization.owner.email);
  await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1, name: ui.settingsTitle })).toBeVisible();
  await expect(page.getByText(ui.acceptedNone)).toBeVisible();
  await expect(page.getByTestId("payment-status-yookassa")).toHaveText(ui.badge.notConnected);
  await expect(page.getByTestId("payment-account-yookassa").getByTestId("webhook-url")).toHaveText(
    new RegExp(`/api/payments/webhooks/yookassa/${organization.id}$`),
  );
  await expectNoHorizontalScroll(page);

  // Malformed values: messages on the fields, nothing saved.
  const yk = page.getByTestId("yookassa-form");
  await yk.getByLabel(ui.fields.shopId).fill("shop-1");
  await yk.getByLabel(ui.fields.yookassaSecret).fill("secret_123456789");
  await yk.getByRole("button", { name: ui.actions.connect }).click();
  await expect(yk.getByText(ui.validation.shopIdInvalid)).toBeVisible();
  await expect(yk.getByText(ui.validation.yookassaSecretInvalid)).toBeVisible();
  expect(await query("SELECT 1 FROM payment_accounts WHERE tenant_id = $1", [organization.id])).toHaveLength(0);

  // A real-looking key: saved encrypted, shown only as its hint.
  const secret = `test_E2eSecretKey${organization.id.slice(0, 8)}WXYZ`;
  await yk.getByLabel(ui.fields.shopId).fill("100001");
  await yk.getByLabel(ui.fields.yookassaSecret).fill(secret);
  await yk.getByRole("button", { name: ui.actions.connect }).click();
  await expect(page.getByTestId("payment-status-yookassa")).toHaveText(ui.badge.connected);
  await expect(page.getByTestId("payment-hint-yookassa")).toContainText("shop 100001 · test_…WXYZ");
  await expect(yk.getByLabel(ui.fields.yookassaSecret)).toHaveValue("");
  await expect(page.getByTestId("payments-accepted")).toContainText("RUB");
  expect(await page.content()).not.toContain(secret);
  const [row] = await query<{ credentials: string; public_hint: string }>(
    "SELECT credentials, public_hint FROM payment_accounts WHERE tenant_id = $1 AND provider = 'yookassa'",
    [organization.id],
  );
  expect(row.credentials).toMatch(/^e2e:/);
  expect(row.credentials).not.toContain(secret);

  // Manual payments with instructions: every currency can be paid now.
  const manual = page.getByTestId("manual-form");
  await manual.getByLabel(ui.fields.instructions).fill("Наличными на входе, назовите код регистрации.");
  await manual.getByTestId("manual-save").click();
  await expect(page.getByTestId("payment-status-manual")).toHaveText(ui.badge.connected);
  await expect(page.getByTestId("payments-accepted")).toContainText("RUB, USD, EUR");
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "payments-settings-owner");

  // A moderator: the same methods and hints, no forms, no secrets.
  const moderator = await createUser("Модератор");
  await addModerator(organization, moderator);
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined, isMobile: true, hasTouch: true });
  const other = await context.newPage();
  await other.goto(path);
  await expect(other).toHaveURL(/\/login\?callbackUrl=/);
  await signInViaUi(other, moderator.email);
  await expect(other).toHaveURL(new RegExp(`${path}$`), { timeout: 30_000 });
  await expect(other.getByTestId("payments-owner-only")).toHaveText(ui.ownerOnly);
  await expect(other.getByTestId("payment-hint-yookassa")).toContainText("shop 100001");
  await expect(other.getByTestId("yookassa-form")).toHaveCount(0);
  await expect(other.getByTestId("manual-form")).toHaveCount(0);
  await expect(other.getByText("Наличными на входе, назовите код регистрации.")).toBeVisible();
  expect(await other.content()).not.toContain(secret);
  await keepScreenshot(other, testInfo, "payments-settings-moderator");
  await context.close();
});
