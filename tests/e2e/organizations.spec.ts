// The organization journey on a phone: a verified user requests an organization (the live slug check
// says taken / free), the seeded platform admin approves it, and the requester finds the new
// organization in the switcher and opens it.
import { expect, test, type Page } from "@playwright/test";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, query, ru, signUpViaUi, uniqueEmail, tRu } from "./support";

const ADMIN = { email: "admin@aqstream.example", password: "demo12345" };
const SEEDED_ORGANIZATION_SLUG = "aqstream-demo";
const o = ru.organizations;

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: ru.auth.submitLogin, exact: true }).click();
}

async function slugStatus(page: Page, status: string) {
  await expect(page.getByTestId("slug-status")).toHaveAttribute("data-status", status, { timeout: SLOW });
}

test.describe("organizations", () => {
  test("request → admin approves → the requester opens it from the switcher @phone-only", async ({ page, browser }, testInfo) => {
    const suffix = Date.now().toString(36).slice(-6);
    const name = `Клуб настольных игр ${suffix}`;
    const slug = `klub-nastolnyh-igr-${suffix}`;

    // ── a verified user ──
    const email = uniqueEmail("org");
    await signUpViaUi(page, { email, firstName: "Вера", lastName: "Орлова" });
    await query("UPDATE users SET email_verified = true, email_verified_at = now() WHERE email = $1", [email]);

    // The dashboard offers the request form (no organizations yet).
    await page.goto("/dashboard");
    await expect(page.getByTestId("organizations-empty")).toBeVisible();
    await keepScreenshot(page, testInfo, "1-dashboard-empty");
    await page.getByTestId("request-organization-cta").click();
    await expect(page).toHaveURL(/\/dashboard\/organization-request$/);
    await expect(page.getByRole("heading", { level: 1, name: o.request.title })).toBeVisible();
    await expect(page.getByTestId("request-history-empty")).toBeVisible();

    // ── the form: the slug is suggested from the name and checked live ──
    const slugInput = page.getByLabel(o.request.slug);
    await page.getByLabel(o.request.name).fill(name);
    await expect(slugInput).toHaveValue(slug);
    await slugStatus(page, "available");
    await expect(page.getByTestId("slug-status")).toHaveText(o.request.slugAvailable);

    await slugInput.fill(SEEDED_ORGANIZATION_SLUG);
    await slugStatus(page, "taken");
    await expect(page.getByTestId("slug-status")).toHaveText(o.request.slugTaken);
    await keepScreenshot(page, testInfo, "2-request-slug-taken");

    await slugInput.fill("ab");
    await slugStatus(page, "invalid");

    await slugInput.fill(slug);
    await slugStatus(page, "available");
    await page.getByLabel(o.request.description).fill("Играем по пятницам, ищем новых игроков.");
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "3-request-form-filled");
    await page.getByRole("button", { name: o.request.submit }).click();

    await expect(page.getByTestId("request-pending")).toBeVisible({ timeout: SLOW });
    const item = page.getByTestId("request-history-item").filter({ hasText: name });
    await expect(item).toContainText(o.request.statusPENDING);
    await keepScreenshot(page, testInfo, "4-request-pending");
    const [request] = await query<{ id: string; status: string }>("SELECT id, status FROM organization_requests WHERE slug = $1", [slug]);
    expect(request.status).toBe("PENDING");

    // ── the seeded admin approves ──
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await adminPage.goto("/login?callbackUrl=%2Fdashboard%2Fadmin%2Frequests");
    await signIn(adminPage, ADMIN.email, ADMIN.password);
    await expect(adminPage).toHaveURL(/\/dashboard\/admin\/requests$/, { timeout: SLOW });
    const card = adminPage.locator(`[data-testid="pending-request"][data-slug="${slug}"]`);
    await expect(card).toContainText(name);
    await expect(card).toContainText("Вера Орлова");
    await keepScreenshot(adminPage, testInfo, "5-admin-queue");
    await card.getByRole("button", { name: `${o.admin.approve}: ${name}` }).click();
    await expect(adminPage.getByTestId("review-feedback")).toHaveText(tRu("organizations.admin.approved", { name }), { timeout: SLOW });
    await expect(card).toHaveCount(0);
    await expect(adminPage.locator(`[data-testid="reviewed-request"][data-slug="${slug}"]`)).toContainText(o.request.statusAPPROVED);
    await expectNoHorizontalScroll(adminPage);
    await keepScreenshot(adminPage, testInfo, "6-admin-approved");
    await adminContext.close();

    const [organization] = await query<{ id: string; owner_id: string }>("SELECT id, owner_id FROM organizations WHERE slug = $1 AND deleted_at IS NULL", [slug]);
    const [owner] = await query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
    expect(organization.owner_id).toBe(owner.id);

    // ── the requester: the switcher lists the organization; open it ──
    await page.goto("/dashboard");
    await expect(page.getByTestId("organizations-list")).toContainText(name);
    await page.getByTestId("org-switcher").click();
    const entry = page.getByTestId("org-switcher-list").getByRole("link", { name: new RegExp(name) });
    await expect(entry).toBeVisible();
    await keepScreenshot(page, testInfo, "7-switcher-open");
    await entry.click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/o/${slug}$`));
    await expect(page.getByTestId("organization-name")).toHaveText(name);
    await expect(page.getByTestId("organization-role")).toHaveText(o.org.roleOwner);
    await expect(page.getByTestId("org-switcher")).toHaveAccessibleName(tRu("organizations.switcher.current", { name }));
    await expect(page.getByTestId("quick-settings")).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "8-organization-home");

    // The phone menu opens the cabinet sections.
    await page.getByTestId("nav-menu-button").click();
    await expect(page.getByTestId("nav-organization-request")).toBeVisible();
    await keepScreenshot(page, testInfo, "9-menu-open");
    await page.getByTestId("nav-menu-button").click();

    // The public page shows it; the request history links to it.
    await page.getByTestId("public-page-link").click();
    await expect(page).toHaveURL(new RegExp(`/o/${slug}$`));
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByTestId("public-events-empty")).toBeVisible();
    await keepScreenshot(page, testInfo, "10-public-page");

    await page.goto("/dashboard/organization-request");
    await expect(page.getByTestId("request-history-item").filter({ hasText: name })).toContainText(o.request.statusAPPROVED);
    // A new request is possible again (nothing pending).
    await expect(page.getByTestId("organization-request-form")).toBeVisible();

    // The same pages at a desktop width: the navigation becomes a sidebar (screenshot kept for review).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/dashboard/o/${slug}/settings`);
    await expect(page.getByTestId("organization-settings-form")).toBeVisible();
    await expect(page.getByTestId("nav-menu-button")).toBeHidden();
    await expect(page.getByTestId("nav-organization-request")).toBeVisible();
    await expect(page.getByTestId("delete-organization-form")).toBeVisible();
    await page.getByLabel(o.settings.contactEmail).fill("club@example.com");
    await page.getByRole("button", { name: o.settings.save }).click();
    await expect(page.getByTestId("organization-settings-form").getByRole("status")).toHaveText(o.settings.saved, { timeout: SLOW });
    const [saved] = await query<{ settings: { contactEmail?: string } }>("SELECT settings FROM organizations WHERE slug = $1", [slug]);
    expect(saved.settings.contactEmail).toBe("club@example.com");
    await keepScreenshot(page, testInfo, "11-settings-desktop");
  });

  test("an unverified user is told how to verify; non-admins get a 404 for the admin queue @phone-only", async ({ page }, testInfo) => {
    await signUpViaUi(page, { email: uniqueEmail("unverified"), firstName: "Глеб" });
    await page.goto("/dashboard/organization-request");
    await expect(page.getByTestId("request-not-verified")).toBeVisible();
    await expect(page.getByTestId("organization-request-form")).toHaveCount(0);
    await keepScreenshot(page, testInfo, "unverified");

    // A real 404 (decided before any loading state streams: docs/architecture.md).
    expect((await page.goto("/dashboard/admin/requests"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: ru.notFound.title })).toBeVisible();
    await expect(page.getByTestId("nav-admin-requests")).toHaveCount(0);

    // Another tenant's organization does not exist for this user.
    expect((await page.goto("/dashboard/o/aqstream-demo"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: ru.notFound.title })).toBeVisible();
  });
});
