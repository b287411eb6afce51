// A sold-out event page offers the waitlist instead of a dead "sold out" button (docs/public-pages.md):
// an anonymous visitor on the cached page is sent to sign in and comes back to the page, where joining
// is one tap; the position shows at once and again after a reload; leaving is one tap too.
import { expect, test } from "@playwright/test";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi, tRu } from "./support";
import { createEvent, createOrganization, createUser } from "./world";

const E = ru.public.event;
const W = ru.registrations.waitlist;

test.describe("waitlist from the event page", () => {
  test.describe.configure({ timeout: 180_000 });

  test("@phone-only sold out: sign in from the page, join in one tap, see the position, leave", async ({ page }, testInfo) => {
    const organization = await createOrganization("Камерный зал");
    const event = await createEvent(organization, "Концерт в малом зале", { tickets: [{ name: "Место в зале", quantity: 2, soldCount: 2 }] });
    const person = await createUser("Ольга");

    // The cached page (no session): sold out, and the row offers the waitlist through sign-in.
    await page.goto(event.path);
    const row = page.getByTestId("ticket-type");
    await expect(row.getByTestId("ticket-availability")).toHaveText(E.soldOut);
    const join = row.getByTestId("waitlist-join");
    await expect(join).toHaveText(E.waitlistJoin);
    await expect(join).toHaveAccessibleName(tRu("public.event.waitlistJoinType", { name: "Место в зале" }));
    await expect(page.getByText(E.waitlistSignIn)).toBeVisible();
    await expect(page.getByTestId("register-link")).toHaveCount(0);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "waitlist-sold-out-anonymous");

    await join.click();
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await signInViaUi(page, person.email);
    // Back on the same page (now rendered for the signed-in visitor): the join is one tap.
    await expect(page).toHaveURL(new RegExp(`${event.path}#tickets$`), { timeout: SLOW });
    await expect(page.getByText(E.waitlistSignIn)).toHaveCount(0);
    await page.getByTestId("waitlist-join").click();

    const position = page.getByTestId("waitlist-position");
    await expect(position).toContainText(tRu("registrations.waitlist.position", { position: 1 }));
    await expect(position).toContainText(tRu("registrations.waitlist.ahead", { count: 0 }));
    await expect(position).toContainText(tRu("registrations.waitlist.forType", { type: "Место в зале" }));
    await expect(page.getByTestId("waitlist-join")).toHaveCount(0);
    await expect(row).toContainText(E.waitlistYouAreIn);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "waitlist-joined-from-event-page");
    const entries = await query<{ status: string; position: number; ticket_type_id: string }>(
      "SELECT status::text, position, ticket_type_id FROM waitlist_entries WHERE event_id = $1 AND user_id = $2",
      [event.id, person.id],
    );
    expect(entries).toEqual([{ status: "WAITING", position: 1, ticket_type_id: event.typeIds[0] }]);

    // A reload shows the place in the queue, not the button.
    await page.reload();
    await expect(page.getByTestId("waitlist-position")).toContainText(tRu("registrations.waitlist.position", { position: 1 }));
    await expect(page.getByTestId("waitlist-join")).toHaveCount(0);

    // Leaving is one tap; the button comes back.
    await page.getByTestId("waitlist-leave").click();
    await expect(page.getByText(W.left)).toBeVisible();
    await expect(page.getByTestId("waitlist-join")).toBeVisible();
    expect((await query<{ status: string }>("SELECT status::text FROM waitlist_entries WHERE event_id = $1 AND user_id = $2", [event.id, person.id]))[0].status).toBe("EXPIRED");
  });

  test("a page with free seats offers registration, not the waitlist", async ({ page }) => {
    const organization = await createOrganization("Зал");
    const event = await createEvent(organization, "Лекция с местами", { tickets: [{ name: "Вход", quantity: 5, soldCount: 1 }] });
    await page.goto(event.path);
    await expect(page.getByTestId("ticket-availability")).toHaveText(tRu("public.event.left", { count: 4 }));
    await expect(page.getByTestId("register-link")).toBeVisible();
    await expect(page.getByTestId("waitlist-join")).toHaveCount(0);
  });
});
