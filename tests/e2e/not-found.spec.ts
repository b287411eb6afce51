// Pages that do not exist for the viewer answer HTTP 404 — not a 200 that shows the not-found page
// (docs/architecture.md, "Not found means HTTP 404"): unknown paths, event and organization slugs, a
// private event for a non-member, the admin area for a participant, another tenant's dashboard (and its
// events and groups reached through one's own organization's URL), unknown ids under a loading state.
// Requests go over HTTP with the browser context's cookies; the page itself is checked once.
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { SLOW, ru, signInViaUi } from "./support";
import { addModerator, createEvent, createGroup, createOrganization, createUser, type WorldUser } from "./world";

async function signedInRequest(browser: Browser, baseURL: string | undefined, user: WorldUser): Promise<{ request: APIRequestContext; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await signInViaUi(page, user.email);
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
  return { request: context.request, close: () => context.close() };
}

async function expectStatuses(request: APIRequestContext, urls: string[], status: number) {
  const answers = await Promise.all(urls.map(async (url) => [url, (await request.get(url, { maxRedirects: 0 })).status()] as const));
  expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(urls.map((url) => [url, status])));
}

test.describe("not found is HTTP 404", () => {
  test.describe.configure({ timeout: 180_000 });

  test("@desktop-only anonymous, participant and another tenant's moderator get 404 with the not-found page", async ({ browser, baseURL, request }) => {
    const orgA = await createOrganization("Клуб А");
    const orgB = await createOrganization("Клуб Б");
    const moderatorA = await createUser("Модератор");
    await addModerator(orgA, moderatorA);
    const participant = await createUser("Участник");
    const groupB = await createGroup(orgB, "Группа Б", []);
    const publicB = await createEvent(orgB, "Открытое событие Б");
    const privateB = await createEvent(orgB, "Закрытое событие Б", { groupId: groupB.id });
    const unknownId = randomUUID();

    const publicMissing = [
      "/no/such/page",
      `/e/${orgB.slug}/no-such-event`,
      "/e/no-such-org/no-such-event",
      privateB.path,
      "/o/no-such-organization",
      "/events/9999",
    ];
    await expectStatuses(request, publicMissing, 404);
    // Positive controls: the same server answers 200 where the page exists.
    await expectStatuses(request, [publicB.path, `/o/${orgB.slug}`], 200);

    const asParticipant = await signedInRequest(browser, baseURL, participant);
    try {
      await expectStatuses(
        asParticipant.request,
        [
          "/dashboard/admin/requests",
          "/dashboard/admin/templates",
          "/dashboard/admin/templates/user.welcome",
          `/dashboard/o/${orgB.slug}`,
          `/dashboard/o/${orgB.slug}/events`,
          `/dashboard/tickets/${unknownId}`,
          // The members' twins (a session cookie) answer the same.
          ...publicMissing,
        ],
        404,
      );
      await expectStatuses(asParticipant.request, ["/dashboard", "/dashboard/tickets", publicB.path], 200);
    } finally {
      await asParticipant.close();
    }

    const asModerator = await signedInRequest(browser, baseURL, moderatorA);
    try {
      await expectStatuses(
        asModerator.request,
        [
          // Organization B does not exist for a moderator of A — nor do its pages…
          `/dashboard/o/${orgB.slug}`,
          `/dashboard/o/${orgB.slug}/events`,
          `/dashboard/o/${orgB.slug}/events/${publicB.id}`,
          `/dashboard/o/${orgB.slug}/events/${publicB.id}/registrations`,
          `/dashboard/o/${orgB.slug}/members`,
          `/dashboard/o/${orgB.slug}/groups`,
          `/dashboard/o/${orgB.slug}/groups/${groupB.id}`,
          // …nor B's event and group through A's own URL, nor unknown ids under A.
          `/dashboard/o/${orgA.slug}/events/${publicB.id}`,
          `/dashboard/o/${orgA.slug}/events/${publicB.id}/edit`,
          `/dashboard/o/${orgA.slug}/groups/${groupB.id}`,
          `/dashboard/o/${orgA.slug}/events/${unknownId}`,
          `/dashboard/o/${orgA.slug}/groups/${unknownId}`,
          // The admin area.
          "/dashboard/admin/requests",
          // B's private event: a moderator of A is not staff of B.
          privateB.path,
        ],
        404,
      );
      await expectStatuses(asModerator.request, [`/dashboard/o/${orgA.slug}`, `/dashboard/o/${orgA.slug}/events`, `/dashboard/o/${orgA.slug}/groups`], 200);
    } finally {
      await asModerator.close();
    }
  });

  test("the 404 answer is the localized not-found page @desktop-only", async ({ page }) => {
    const response = await page.goto("/e/no-such-org/no-such-event");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: ru.notFound.title })).toBeVisible();
    const admin = await page.goto("/no/such/page");
    expect(admin?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: ru.notFound.title })).toBeVisible();
  });
});
