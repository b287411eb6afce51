// Issue 16, "done when": a rush of registrations on an event with a free and a paid ticket type (guests
// through the public REST API, in parallel), a payment round through the demo provider, a check-in at
// the door (the scanner's API, manual), then the organizer opens the event's Analytics tab and every
// figure shown equals a count taken straight from the tables; the chart's table view says the same
// numbers; the organization dashboard's totals too, and an invalid period says why. A moderator of
// another organization gets 404 for the event's analytics and the organization's dashboard, and an
// organizer gets 404 for the platform view. Phone screenshots are kept (test-results/).
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { SERIES_COLORS } from "../../components/analytics/format";
import { eventAnalyticsPath, eventExportPath, organizationAnalyticsPath, platformAnalyticsPath } from "../../lib/analytics/paths";
import { formatMoney } from "../../lib/i18n/format/money";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi, tRu, uniqueEmail } from "./support";
import { addModerator, createEvent, createOrganization, createUser, type WorldOrganization } from "./world";

const FREE_GUESTS = 8;
const PAID_GUESTS = 3;
const PRICE_CENTS = 50_000;

/** A published event of a fresh organization: a free type (from world.ts) and a paid RUB type, guests allowed, the demo provider connected. */
async function freeAndPaidEvent() {
  const organization = await createOrganization("Аналитика");
  const event = await createEvent(organization, "Лекция с аналитикой", { tickets: [{ name: "Бесплатный", quantity: 100 }] });
  const paidTypeId = randomUUID();
  await query(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, reservation_minutes, sort_order) VALUES ($1, $2, 'Платный', $3, 'RUB', 20, 15, 1)`,
    [paidTypeId, event.id, PRICE_CENTS],
  );
  await query(`INSERT INTO payment_accounts (id, tenant_id, provider, updated_at) VALUES ($1, $2, 'demo', now())`, [randomUUID(), organization.id]);
  await query(`UPDATE events SET settings = settings || '{"allowGuests": true}'::jsonb WHERE id = $1`, [event.id]);
  return { organization, event, freeTypeId: event.typeIds[0], paidTypeId };
}

type Registered = { registrationId: string; status: string; guestToken: string | null };

async function registerGuest(request: APIRequestContext, eventId: string, ticketTypeId: string, n: number): Promise<Registered> {
  const response = await request.post(`/api/v1/events/${eventId}/registrations`, {
    data: { ticketTypeId, firstName: `Гость${n}`, lastName: "Аналитиков", email: uniqueEmail("analytics") },
    headers: { "Idempotency-Key": randomUUID() },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { registration: Registered }).registration;
}

/** Starts the guest's checkout and pays it with the demo provider's success card (its API: the same as the checkout page). */
async function payAsGuest(request: APIRequestContext, registration: Registered) {
  const started = await request.post(`/api/v1/registrations/${registration.registrationId}/payments`, { data: { guestToken: registration.guestToken } });
  expect(started.status(), await started.text()).toBe(200);
  const { checkout } = (await started.json()) as { checkout: { kind: string; redirectUrl?: string } };
  expect(checkout.kind).toBe("redirect");
  const checkoutId = /\/pay\/demo\/([^/?#]+)/.exec(checkout.redirectUrl ?? "")?.[1];
  expect(checkoutId, checkout.redirectUrl).toBeTruthy();
  const paid = await request.post(`/api/payments/demo/${checkoutId}/pay`, { data: { card: "4242 4242 4242 4242" } });
  expect(paid.status(), await paid.text()).toBe(200);
  // The demo provider settles through its webhook, as a real one: wait for the registration to be confirmed.
  await expect
    .poll(async () => (await query<{ status: string }>(`SELECT status::text FROM registrations WHERE id = $1`, [registration.registrationId]))[0]?.status, { timeout: SLOW })
    .toBe("CONFIRMED");
}

async function signIn(page: Page, email: string, path: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  await signInViaUi(page, email);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`), { timeout: SLOW });
}

/** What the tables say about one event (the same definitions as docs/analytics.md). */
async function countsFromTables(eventId: string) {
  const [row] = await query<{ created: number; confirmed: number; checked_in: number; expected: number; net: number }>(
    `SELECT (SELECT count(*)::int FROM registrations WHERE event_id = $1) AS created,
            (SELECT count(*)::int FROM registrations WHERE event_id = $1 AND confirmed_at IS NOT NULL) AS confirmed,
            (SELECT count(*)::int FROM check_ins c JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = $1) AS checked_in,
            (SELECT count(*)::int FROM registrations WHERE event_id = $1 AND status IN ('CONFIRMED', 'CHECKED_IN')) AS expected,
            (SELECT coalesce(sum(p.amount_cents), 0)::int FROM payments p JOIN registrations r ON r.id = p.registration_id
              WHERE r.event_id = $1 AND p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED'))
            - (SELECT coalesce(sum(f.amount_cents), 0)::int FROM refunds f JOIN payments p ON p.id = f.payment_id JOIN registrations r ON r.id = p.registration_id
              WHERE r.event_id = $1 AND f.status = 'COMPLETED') AS net`,
    [eventId],
  );
  const byType = await query<{ ticket_type_id: string; status: string; n: number }>(
    `SELECT ticket_type_id, status::text, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY 1, 2`,
    [eventId],
  );
  return { ...row, byType };
}

async function rushPayAndCheckIn(page: Page, request: APIRequestContext) {
  const world = await freeAndPaidEvent();
  // The rush: every guest at once, both ticket types.
  const registered = await Promise.all([
    ...Array.from({ length: FREE_GUESTS }, (_, i) => registerGuest(request, world.event.id, world.freeTypeId, i)),
    ...Array.from({ length: PAID_GUESTS }, (_, i) => registerGuest(request, world.event.id, world.paidTypeId, FREE_GUESTS + i)),
  ]);
  const free = registered.slice(0, FREE_GUESTS);
  const paid = registered.slice(FREE_GUESTS);
  expect(free.every((r) => r.status === "CONFIRMED")).toBe(true);
  expect(paid.every((r) => r.status !== "CONFIRMED")).toBe(true);
  // One paid guest pays; the others stay reserved.
  await payAsGuest(request, paid[0]);

  // The organizer signs in and checks a free guest in at the door (manual check-in, the scanner's API).
  const path = eventAnalyticsPath(world.organization.slug, world.event.id);
  await signIn(page, world.organization.owner.email, path);
  const scan = await page.request.post(`/api/check-in/${world.event.id}/scan`, {
    data: { nonce: `e2e${randomUUID().replace(/-/g, "")}`, method: "MANUAL", registrationId: free[0].registrationId },
  });
  expect(scan.status(), await scan.text()).toBe(200);
  expect(((await scan.json()) as { result: string }).result).toBe("valid");
  return { ...world, path, free, paid };
}

test.describe("analytics", () => {
  test.describe.configure({ timeout: 240_000 });

  test("after a rush, a payment and a check-in the organizer's Analytics tab shows what the tables say", async ({ page, request }, testInfo) => {
    const world = await rushPayAndCheckIn(page, request);
    const counts = await countsFromTables(world.event.id);
    expect(counts.created).toBe(FREE_GUESTS + PAID_GUESTS);
    expect(counts.checked_in).toBe(1);

    await page.reload();
    await expect(page.getByTestId("event-tab-analytics")).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("analytics-empty")).toHaveCount(0);
    await expect(page.getByTestId("figure-registrations")).toHaveText(String(counts.created));
    await expect(page.getByTestId("figure-confirmed")).toHaveText(String(counts.confirmed));
    await expect(page.getByTestId("figure-checked-in")).toHaveText(String(counts.checked_in));
    await expect(page.getByTestId("check-in-expected")).toHaveText(String(counts.expected));
    await expect(page.getByTestId("check-in-checked-in")).toHaveText(String(counts.checked_in));
    await expect(page.getByTestId("figure-revenue-RUB")).toHaveText(formatMoney(counts.net, "RUB", "ru"));
    expect(counts.net).toBe(PRICE_CENTS);

    // Per ticket type: sold and every status count, as the rows say.
    for (const typeId of [world.freeTypeId, world.paidTypeId]) {
      const card = page.getByTestId(`ticket-type-${typeId}`);
      for (const status of ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN", "CANCELLED", "EXPIRED"]) {
        const n = counts.byType.find((r) => r.ticket_type_id === typeId && r.status === status)?.n ?? 0;
        await expect(card.getByTestId(`ticket-type-status-${status}`), `${typeId} ${status}`).toHaveText(String(n));
      }
    }

    // The daily chart: its summary and its table view say the same total (all registrations are today's).
    const daily = page.getByTestId("chart-daily");
    await expect(daily.getByTestId("chart-daily-summary")).toContainText(tRu("analytics.summary.daily", { total: counts.created, when: "", peak: "" }).split(",")[0]);
    await page.waitForLoadState("networkidle");
    await expect(daily.locator(".recharts-responsive-container")).toBeVisible();
    // The bars carry the series colour (a value imported into a server page from a client module once came out undefined: black bars).
    await expect(daily.locator(".recharts-bar-rectangle .recharts-rectangle").first()).toHaveAttribute("fill", SERIES_COLORS[0]);
    await daily.getByTestId("chart-daily-toggle").click();
    const table = daily.getByTestId("chart-daily-table");
    await expect(table).toBeVisible();
    const createdCells = await table.locator("tbody tr td:nth-of-type(1)").allTextContents();
    expect(createdCells.reduce((sum, cell) => sum + Number(cell.replace(/\D/g, "")), 0)).toBe(counts.created);

    // The funnel's table shows the steps with their numbers.
    const funnel = page.getByTestId("chart-funnel");
    await funnel.getByTestId("chart-funnel-toggle").click();
    await expect(funnel.getByTestId("chart-funnel-table").getByRole("row", { name: new RegExp(ru.analytics.event.funnel.started) })).toContainText(String(counts.created));

    // Exports: the links of lib/analytics/paths.ts.
    await expect(page.getByTestId("export-registrations")).toHaveAttribute("href", eventExportPath(world.event.id, "csv", "registrations"));
    await expect(page.getByTestId("export-xlsx")).toHaveAttribute("href", eventExportPath(world.event.id, "xlsx"));

    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "event-analytics");
    if (testInfo.project.name === "phone") {
      // The narrowest phone the product supports.
      await page.setViewportSize({ width: 360, height: 800 });
      await expectNoHorizontalScroll(page);
      await keepScreenshot(page, testInfo, "event-analytics-360");
    }

    // The organization dashboard: its totals over the default period (the last 30 days) are these rows.
    await page.goto(organizationAnalyticsPath(world.organization.slug));
    await expect(page.getByTestId("org-total-registrations")).toHaveText(String(counts.created));
    await expect(page.getByTestId("org-total-confirmed")).toHaveText(String(counts.confirmed));
    await expect(page.getByTestId("org-total-checked-in")).toHaveText(String(counts.checked_in));
    await expect(page.getByTestId(`org-compare-${world.event.id}`)).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "organization-analytics");

    // An invalid period is replaced by the default and the page says why.
    await page.goto(organizationAnalyticsPath(world.organization.slug, { from: "2027-05-10", to: "2027-05-01" }));
    await expect(page.getByTestId("period-error")).toContainText(ru.analytics.period.fromAfterTo);
    await expect(page.getByTestId("org-total-registrations")).toHaveText(String(counts.created));
  });

  test("an empty event says so instead of drawing empty charts", async ({ page }, testInfo) => {
    const organization = await createOrganization("Пусто");
    const event = await createEvent(organization, "Пустое событие");
    const path = eventAnalyticsPath(organization.slug, event.id);
    await signIn(page, organization.owner.email, path);
    await expect(page.getByTestId("analytics-empty")).toHaveText(ru.analytics.event.empty);
    await expect(page.getByTestId("chart-daily")).toHaveCount(0);
    await expect(page.getByTestId("analytics-exports")).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "event-analytics-empty");
  });

  test("@desktop-only another organization's moderator gets 404; the platform view is for platform admins", async ({ browser, baseURL }) => {
    const orgA = await createOrganization("Клуб А");
    const eventA = await createEvent(orgA, "Событие А");
    const orgB: WorldOrganization = await createOrganization("Клуб Б");
    const moderatorB = await createUser("Модератор");
    await addModerator(orgB, moderatorB);
    const admin = await createUser("Админ");
    await query("UPDATE users SET is_platform_admin = true WHERE id = $1", [admin.id]);

    const as = async (email: string) => {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await page.goto("/login");
      await signInViaUi(page, email);
      await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
      return { context, page };
    };
    const status = async (page: Page, url: string) => (await page.request.get(url, { maxRedirects: 0 })).status();

    const moderator = await as(moderatorB.email);
    try {
      // Org A's event under org A's URL, and under the moderator's own organization's URL.
      expect(await status(moderator.page, eventAnalyticsPath(orgA.slug, eventA.id))).toBe(404);
      expect(await status(moderator.page, eventAnalyticsPath(orgB.slug, eventA.id))).toBe(404);
      expect(await status(moderator.page, organizationAnalyticsPath(orgA.slug))).toBe(404);
      expect(await status(moderator.page, platformAnalyticsPath())).toBe(404);
      // Positive control: the moderator's own dashboard answers.
      expect(await status(moderator.page, organizationAnalyticsPath(orgB.slug))).toBe(200);
      const page = await moderator.page.goto(eventAnalyticsPath(orgA.slug, eventA.id));
      expect(page?.status()).toBe(404);
      await expect(moderator.page.getByText(eventA.title)).toHaveCount(0);
    } finally {
      await moderator.context.close();
    }

    const platform = await as(admin.email);
    try {
      // Other journeys run in parallel on this database: the page counts at least today's registrations (Moscow) counted just before.
      const [{ n }] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM registrations WHERE created_at >= (date_trunc('day', now() AT TIME ZONE 'Europe/Moscow') AT TIME ZONE 'Europe/Moscow')`,
      );
      await platform.page.goto(platformAnalyticsPath());
      await expect(platform.page.getByTestId("platform-totals")).toBeVisible();
      await expect(platform.page.getByTestId("nav-admin-analytics")).toHaveAttribute("aria-current", "page");
      expect(Number((await platform.page.getByTestId("platform-total-registrations").textContent())?.replace(/\D/g, ""))).toBeGreaterThanOrEqual(n);
    } finally {
      await platform.context.close();
    }
  });
});
