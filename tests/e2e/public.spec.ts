// The public side as an anonymous visitor (phone and desktop): the catalogue's search and format filter,
// the cached event page (date, place with map links, live seats, registration links, calendar, JSON-LD,
// Open Graph), the .ics download, and a private event that is a 404 everywhere for a visitor who is not
// a member. The events are made with SQL in the seeded organization (each test run its own unique word).
import { expect, test } from "@playwright/test";
import { expectNoHorizontalScroll, keepScreenshot, query, ru, tRu } from "./support";

const ORG = "aqstream-demo";
const p = ru.public;

type Made = { word: string; offline: { id: string; slug: string; title: string; typeId: string }; online: { slug: string; title: string }; privateEvent: { id: string; slug: string; title: string } };

async function makeEvents(project: string): Promise<Made> {
  const word = `e2e${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${project.slice(0, 1)}`;
  const [org] = await query<{ id: string; owner_id: string }>("SELECT id, owner_id FROM organizations WHERE slug = $1 AND deleted_at IS NULL", [ORG]);
  const [group] = await query<{ id: string }>("SELECT id FROM groups WHERE organization_id = $1 LIMIT 1", [org.id]);
  const insert = async (slug: string, title: string, extra: { locationType: string; address: string | null; url: string | null; groupId: string | null; days: number }) => {
    const [row] = await query<{ id: string }>(
      `INSERT INTO events (id, tenant_id, organizer_id, group_id, title, description, status, participants_visibility, starts_at, ends_at,
                           timezone, location_type, location_address, location_url, slug, published_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'PUBLISHED', 'OPEN', now() + make_interval(days => $6), now() + make_interval(days => $6, hours => 3),
               'Europe/Moscow', $7::"LocationType", $8, $9, $10, now(), now()) RETURNING id`,
      [org.id, org.owner_id, extra.groupId, title, `Описание **${word}**: [сайт](https://example.org) и <script>alert(1)</script>`, extra.days, extra.locationType, extra.address, extra.url, slug],
    );
    return row.id;
  };
  const offlineTitle = `Встреча ${word} офлайн`;
  const offlineId = await insert(`${word}-offline`, offlineTitle, { locationType: "OFFLINE", address: "Москва, Тверская, 1", url: null, groupId: null, days: 20 });
  const [type] = await query<{ id: string }>(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, sold_count, updated_at)
     VALUES (gen_random_uuid(), $1, 'Стандартный', 150000, 'RUB', 10, 3, now()) RETURNING id`,
    [offlineId],
  );
  for (const [i, name] of ["Анна", "Борис", "Вера"].entries()) {
    await query(
      `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, status, confirmation_code, first_name, last_name, email, price_cents, currency, confirmed_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'CONFIRMED', $4, $5, 'Смирнова', $6, 150000, 'RUB', now(), now())`,
      [org.id, offlineId, type.id, `${"ABCDEFGHJK"[i]}${word.toUpperCase().replace(/[^A-HJKMNP-Z2-9]/g, "X").slice(-7).padStart(7, "X")}`, name, `${word}-${i}@guest.example`],
    );
  }
  const onlineTitle = `Встреча ${word} онлайн`;
  await insert(`${word}-online`, onlineTitle, { locationType: "ONLINE", address: null, url: "https://meet.example.org/secret-room", groupId: null, days: 21 });
  const privateTitle = `Закрытая ${word}`;
  const privateId = await insert(`${word}-private`, privateTitle, { locationType: "OFFLINE", address: "Москва", url: null, groupId: group.id, days: 22 });
  return {
    word,
    offline: { id: offlineId, slug: `${word}-offline`, title: offlineTitle, typeId: type.id },
    online: { slug: `${word}-online`, title: onlineTitle },
    privateEvent: { id: privateId, slug: `${word}-private`, title: privateTitle },
  };
}

test.describe("public side", () => {
  test("catalogue: search and the online/offline filter", async ({ page }, testInfo) => {
    const made = await makeEvents(testInfo.project.name);
    await page.goto("/events");
    await expect(page.getByRole("heading", { level: 1, name: p.catalogue.title })).toBeVisible();
    await expect(page.getByTestId("event-card").first()).toBeVisible();

    await page.getByLabel(p.catalogue.searchLabel).fill(made.word);
    await page.getByRole("button", { name: p.catalogue.apply }).click();
    await expect(page).toHaveURL(new RegExp(`q=${made.word}`));
    const cards = page.getByTestId("event-card");
    await expect(cards).toHaveCount(2); // the private event is not listed
    await expect(page.getByTestId("catalogue-count")).toHaveText(tRu("public.catalogue.results", { count: 2 }));
    await expect(page.getByText(made.privateEvent.title)).toHaveCount(0);
    await expect(cards.filter({ hasText: made.offline.title }).getByTestId("event-card-price")).toHaveText(/^от 1\s500\s₽$/);
    await keepScreenshot(page, testInfo, "catalogue-search");
    await expectNoHorizontalScroll(page);

    await page.getByLabel(p.catalogue.format).selectOption("online");
    await page.getByRole("button", { name: p.catalogue.apply }).click();
    await expect(page).toHaveURL(/format=online/);
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toContainText(made.online.title);

    await page.getByLabel(p.catalogue.format).selectOption("offline");
    await page.getByRole("button", { name: p.catalogue.apply }).click();
    await expect(cards).toHaveCount(1);
    await cards.first().getByRole("link", { name: made.offline.title }).click();
    await expect(page).toHaveURL(new RegExp(`/e/${ORG}/${made.offline.slug}$`));
    await expect(page.getByRole("heading", { level: 1, name: made.offline.title })).toBeVisible();
  });

  test("event page: content, live seats, calendar, structured data; .ics download", async ({ page, request }, testInfo) => {
    const made = await makeEvents(testInfo.project.name);
    const path = `/e/${ORG}/${made.offline.slug}`;
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);

    await expect(page.getByRole("heading", { level: 1, name: made.offline.title })).toBeVisible();
    await expect(page.getByTestId("event-organizer")).toHaveAttribute("href", `/o/${ORG}`);
    await expect(page.getByTestId("event-when")).toContainText("(");
    const where = page.getByTestId("event-where");
    await expect(where).toContainText("Москва, Тверская, 1");
    await expect(where.getByRole("link", { name: p.event.mapYandex })).toHaveAttribute("href", /yandex\.ru\/maps\/\?text=/);
    // Markdown rendered, raw HTML shown as text.
    const description = page.getByTestId("event-description");
    await expect(description.locator("strong")).toHaveText(made.word);
    await expect(description.getByRole("link", { name: "сайт" })).toHaveAttribute("href", "https://example.org");
    await expect(description.locator("script")).toHaveCount(0);

    // The live island: 10 seats, 3 sold → 7 left; the registration link carries the ticket type.
    await expect(page.getByTestId("ticket-availability")).toHaveText(tRu("public.event.left", { count: 7 }));
    await expect(page.getByTestId("register-link")).toHaveAttribute("href", `${path}/register?type=${made.offline.typeId}`);
    // OPEN participants list (collapsed): first name + last initial.
    await page.getByTestId("participants").locator("summary").click();
    await expect(page.getByTestId("participants")).toContainText("Анна С.");
    await expect(page.getByTestId("participants")).not.toContainText("Смирнова");

    await expect(page.getByTestId("google-calendar")).toHaveAttribute("href", /calendar\.google\.com\/calendar\/render\?action=TEMPLATE/);
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}");
    expect(jsonLd).toMatchObject({ "@type": "Event", name: made.offline.title, eventAttendanceMode: "https://schema.org/OfflineEventAttendanceMode" });
    expect(jsonLd.startDate).toMatch(/\+03:00$/);
    expect(jsonLd.offers[0]).toMatchObject({ price: "1500.00", priceCurrency: "RUB" });
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", made.offline.title);
    await keepScreenshot(page, testInfo, "event-page");
    await expectNoHorizontalScroll(page);

    // .ics: the link downloads a calendar file.
    const download = page.waitForEvent("download");
    await page.getByTestId("ics-download").click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${made.offline.slug}.ics`);
    const ics = await request.get(`${path}/calendar.ics`);
    expect(ics.status()).toBe(200);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    const body = (await ics.text()).replace(/\r\n /g, "");
    expect(body).toContain("BEGIN:VEVENT");
    expect(body).toContain(`SUMMARY:${made.offline.title}`);

    // The online event never shows its URL to an anonymous visitor.
    await page.goto(`/e/${ORG}/${made.online.slug}`);
    await expect(page.getByTestId("event-where")).toContainText(p.event.onlineNote);
    await expect(page.locator('a[href*="secret-room"]')).toHaveCount(0);
  });

  test("a private event is a 404 for an anonymous visitor: page, .ics, availability @desktop-only", async ({ page, request }, testInfo) => {
    const made = await makeEvents(testInfo.project.name);
    const path = `/e/${ORG}/${made.privateEvent.slug}`;
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByText(made.privateEvent.title)).toHaveCount(0);
    await keepScreenshot(page, testInfo, "private-404");
    expect((await request.get(`${path}/calendar.ics`)).status()).toBe(404);
    expect((await request.get(`/api/events/${made.privateEvent.id}/availability`)).status()).toBe(404);
    // The seeded private event too, and none of them is in the sitemap.
    expect((await page.goto(`/e/${ORG}/club-case-review`))?.status()).toBe(404);
    const sitemap = await (await request.get("/sitemap.xml")).text();
    expect(sitemap).toContain(`/e/${ORG}/${made.offline.slug}`);
    expect(sitemap).not.toContain(made.privateEvent.slug);
    expect(sitemap).not.toContain("club-case-review");
    const robots = await (await request.get("/robots.txt")).text();
    expect(robots).toContain("Disallow: /dashboard");
  });
});
