// A group's private event is findable by its members — on "My groups", on the organization page and in
// the catalogue (the members' twins of those pages, docs/public-pages.md) — and stays invisible and a
// 404 for everyone else: anonymous visitors (the cached pages) and signed-in non-members.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, ru, signInViaUi, tRu } from "./support";
import { createEvent, createGroup, createOrganization, createUser, type WorldUser } from "./world";

const P = ru.public;

async function signedInPage(browser: Browser, baseURL: string | undefined, user: WorldUser, isMobile: boolean): Promise<Page> {
  const context = await browser.newContext(isMobile ? { baseURL, viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true } : { baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await signInViaUi(page, user.email);
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: SLOW });
  return page;
}

test.describe("private events of a group", () => {
  test.describe.configure({ timeout: 180_000 });

  test("members find them on My groups, the organization page and the catalogue; others never see them @desktop-only", async ({ page, browser, baseURL }, testInfo) => {
    const word = `priv${Date.now().toString(36)}${testInfo.project.name.slice(0, 1)}`;
    const organization = await createOrganization("Хор");
    const member = await createUser("Мария");
    const stranger = await createUser("Степан");
    const group = await createGroup(organization, `Тенора ${word}`, [member]);
    const publicEvent = await createEvent(organization, `Открытая репетиция ${word}`, { days: 10 });
    const privateEvent = await createEvent(organization, `Закрытая спевка ${word}`, { groupId: group.id, days: 5 });
    const isMobile = testInfo.project.name === "phone";

    // Anonymous: the cached pages list the public event only; the private page is a 404.
    await page.goto(`/o/${organization.slug}`);
    await expect(page.getByText(publicEvent.title)).toBeVisible();
    await expect(page.getByText(privateEvent.title)).toHaveCount(0);
    await expect(page.getByTestId("member-events")).toHaveCount(0);
    await page.goto(`/events?q=${word}`);
    await expect(page.getByTestId("event-card")).toHaveCount(1);
    await expect(page.getByText(privateEvent.title)).toHaveCount(0);
    expect((await page.goto(privateEvent.path))?.status()).toBe(404);

    // A signed-in non-member: the same, on the per-request twins too.
    const strangerPage = await signedInPage(browser, baseURL, stranger, isMobile);
    await strangerPage.goto(`/o/${organization.slug}`);
    await expect(strangerPage.getByText(publicEvent.title)).toBeVisible();
    await expect(strangerPage.getByText(privateEvent.title)).toHaveCount(0);
    await strangerPage.goto(`/events?q=${word}`);
    await expect(strangerPage.getByTestId("catalogue-list").getByText(publicEvent.title)).toBeVisible();
    await expect(strangerPage.getByText(privateEvent.title)).toHaveCount(0);
    await strangerPage.goto("/events");
    await expect(strangerPage.getByText(privateEvent.title)).toHaveCount(0);
    await strangerPage.goto("/dashboard/groups");
    await expect(strangerPage.getByText(privateEvent.title)).toHaveCount(0);
    expect((await strangerPage.goto(privateEvent.path))?.status()).toBe(404);
    await strangerPage.context().close();

    // The member: "My groups" lists it…
    const memberPage = await signedInPage(browser, baseURL, member, isMobile);
    await memberPage.goto("/dashboard/groups");
    const mine = memberPage.getByTestId("member-events");
    await expect(mine.getByRole("heading", { name: ru.groups.my.eventsTitle })).toBeVisible();
    await expect(mine.getByTestId("member-event")).toHaveCount(1);
    await expect(mine.getByTestId("member-event")).toContainText(privateEvent.title);
    await expect(mine.getByTestId("member-event")).toContainText(tRu("public.memberEvents.group", { group: group.name }));
    await expectNoHorizontalScroll(memberPage);
    await keepScreenshot(memberPage, testInfo, `my-groups-private-events-${testInfo.project.name}`);

    // …the organization page shows it above the public list…
    await memberPage.goto(`/o/${organization.slug}`);
    const onOrganization = memberPage.getByTestId("member-events");
    await expect(onOrganization.getByRole("heading", { name: P.memberEvents.organizationTitle })).toBeVisible();
    await expect(onOrganization.getByText(privateEvent.title)).toBeVisible();
    await expect(memberPage.getByTestId("public-events").getByText(publicEvent.title)).toBeVisible();
    await expect(memberPage.getByTestId("public-events").getByText(privateEvent.title)).toHaveCount(0);
    await expectNoHorizontalScroll(memberPage);
    await keepScreenshot(memberPage, testInfo, `organization-private-events-${testInfo.project.name}`);

    // …and the catalogue too, also with a search; the card opens the event page.
    await memberPage.goto("/events");
    await expect(memberPage.getByTestId("member-events").getByText(privateEvent.title)).toBeVisible();
    await memberPage.goto(`/events?q=${word}`);
    await expect(memberPage.getByTestId("member-events").getByText(privateEvent.title)).toBeVisible();
    await expect(memberPage.getByTestId("catalogue-list").getByText(privateEvent.title)).toHaveCount(0);
    await expectNoHorizontalScroll(memberPage);
    await keepScreenshot(memberPage, testInfo, `catalogue-private-events-${testInfo.project.name}`);
    await memberPage.getByTestId("member-events").getByRole("link", { name: privateEvent.title }).click();
    await expect(memberPage).toHaveURL(new RegExp(`${privateEvent.path}$`));
    await expect(memberPage.getByRole("heading", { level: 1, name: privateEvent.title })).toBeVisible();
    await expect(memberPage.getByText(P.event.private)).toBeVisible();
    await memberPage.context().close();
  });
});
