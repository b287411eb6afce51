// Organizer messages on a phone (issue 15, docs/messages.md): the organizer writes to the attendees who
// are not checked in — one with Telegram linked, one email-only; a third, checked in, is not in the
// audience — sees "1 by Telegram, 1 by email", sends, and watches the message turn "sent" with both
// delivered: the Telegram one reaches the fake Bot API, the email lands in the dev mailbox, the checked-in
// attendee gets nothing. Then the mute link from that email: opening it changes nothing, the button
// mutes (undo, one-click POST too), and the organizer's next message skips them (counted as muted);
// the participant finds the organizer under "Muted organizers" in their account and unmutes.
import { randomInt, randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  SLOW,
  expectNoHorizontalScroll,
  keepScreenshot,
  query,
  ru,
  signInViaUi,
  tRu,
  telegramTestUser,
  waitForTelegramCall,
} from "./support";
import { createEvent, createOrganization, createUser, type WorldEvent, type WorldOrganization, type WorldUser } from "./world";

/** Sending runs as jobs (build the list, deliver by channel); the tab polls every 2 s. */
const DELIVERY = 90_000;

const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const code = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");

async function register(organization: WorldOrganization, event: WorldEvent, user: WorldUser, status: "CONFIRMED" | "CHECKED_IN"): Promise<string> {
  const id = randomUUID();
  await query(
    `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, last_name, price_cents, currency, confirmed_at)
     VALUES ($1, $2, $3, $4, $5, $6::"RegistrationStatus", $7, $8, 'Тестова', 0, 'RUB', now())`,
    [id, organization.id, event.id, event.typeIds[0], user.id, status, code(), user.firstName],
  );
  await query("UPDATE ticket_types SET sold_count = sold_count + 1 WHERE id = $1", [event.typeIds[0]]);
  if (status === "CHECKED_IN") {
    await query(`INSERT INTO check_ins (id, registration_id, event_id, checked_in_by, check_in_method) VALUES ($1, $2, $3, $4, 'MANUAL')`, [
      randomUUID(),
      id,
      event.id,
      organization.owner.id,
    ]);
  }
  return id;
}

function messagesPath(organization: WorldOrganization, event: WorldEvent): string {
  return `/dashboard/o/${organization.slug}/events/${event.id}/messages`;
}

async function signInTo(page: Page, email: string, path: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  await signInViaUi(page, email);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`), { timeout: SLOW });
}

/** The composer: subject, body, audience; waits for the live counts and returns them. */
async function compose(page: Page, message: { subject: string; body: string; audience: "ALL_CONFIRMED" | "NOT_CHECKED_IN" }) {
  await page.getByTestId("new-message").click();
  await expect(page).toHaveURL(/\/messages\/new$/, { timeout: SLOW });
  // A client island: type once it is hydrated.
  await page.waitForLoadState("networkidle");
  await page.getByLabel(ru.messages.ui.subject, { exact: true }).fill(message.subject);
  await page.getByLabel(ru.messages.ui.body, { exact: true }).fill(message.body);
  await page.getByTestId(`audience-${message.audience}`).check();
  const counts = page.getByTestId("audience-counts");
  await expect(counts).not.toHaveAttribute("data-loading", "true", { timeout: SLOW });
  await expect(counts).toHaveAttribute("data-recipients", /\d+/, { timeout: SLOW });
  return counts;
}

/** Send → the confirm dialog → back on the tab; returns the new message's card. */
async function sendNow(page: Page, people: number, subject: string) {
  await page.getByTestId("message-send").click();
  const dialog = page.getByTestId("message-confirm");
  await expect(dialog.getByRole("heading")).toHaveText(tRu("messages.ui.confirmSendTitle", { count: people }));
  await dialog.getByTestId("message-send-confirm").click();
  await expect(page).toHaveURL(/\/messages$/, { timeout: SLOW });
  return page.getByTestId("message-item").filter({ has: page.getByTestId("message-subject").getByText(subject, { exact: true }) });
}

async function messageIdOf(eventId: string, subject: string): Promise<string> {
  const [row] = await query<{ id: string }>("SELECT id FROM event_messages WHERE event_id = $1 AND subject = $2", [eventId, subject]);
  expect(row, `message "${subject}" was created`).toBeTruthy();
  return row.id;
}

async function mailsTo(email: string, subjectPart: string): Promise<Array<{ subject: string; text: string; html: string | null }>> {
  return query(`SELECT subject, text, html FROM mail_outbox WHERE "to" = $1 AND subject LIKE '%' || $2 || '%'`, [email, subjectPart]);
}

/** A page of its own for the participant (another browser context: no organizer cookies), phone-sized like the test's. */
async function participantPage(browser: Browser, like: Page): Promise<Page> {
  const context = await browser.newContext({ viewport: like.viewportSize() ?? { width: 412, height: 915 }, isMobile: true, hasTouch: true, locale: "ru-RU" });
  return context.newPage();
}

test.describe("organizer messages", () => {
  test("@phone-only the organizer writes to attendees not checked in and sees them delivered", async ({ page }, testInfo) => {
    const organization = await createOrganization("Клуб сообщений");
    const event = await createEvent(organization, "Встреча с перенесённым залом");
    const tg = telegramTestUser("Таня");
    const withTelegram = await createUser("Таня", { telegram: { id: tg.id, username: tg.username } });
    const emailOnly = await createUser("Марк");
    const checkedIn = await createUser("Вера");
    await register(organization, event, withTelegram, "CONFIRMED");
    await register(organization, event, emailOnly, "CONFIRMED");
    await register(organization, event, checkedIn, "CHECKED_IN");

    const path = messagesPath(organization, event);
    await signInTo(page, organization.owner.email, path);
    await expect(page.getByTestId("event-tab-messages")).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("messages-empty")).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "messages-empty");

    const subject = `Зал сменился ${randomUUID().slice(0, 6)}`;
    const counts = await compose(page, { subject, body: "Встречаемся в **зале 3**, второй этаж.\n\n- вход со двора\n- возьмите паспорт", audience: "NOT_CHECKED_IN" });
    await expect(counts).toHaveAttribute("data-recipients", "2");
    await expect(counts).toHaveAttribute("data-telegram", "1");
    await expect(counts).toHaveAttribute("data-email", "1");
    await expect(counts).toHaveAttribute("data-no-channel", "0");
    await expect(counts).toContainText(tRu("messages.ui.counts.summary", { count: 2, telegram: 1, email: 1 }));

    // The preview: the Telegram bubble (bold kept) and the email in a sandboxed frame, in both languages.
    await page.getByTestId("message-preview-toggle").click();
    const bubble = page.getByTestId("preview-telegram");
    await expect(bubble.locator("strong", { hasText: "зале 3" })).toBeVisible({ timeout: SLOW });
    await expect(page.getByTestId("preview-email")).toHaveAttribute("sandbox", "");
    await expect(page.getByTestId("preview-email-subject")).toContainText(subject);
    await page.getByTestId("preview-locale-EN").click();
    await expect(page.getByTestId("preview-locale-EN")).toHaveAttribute("aria-checked", "true");
    await expect(bubble.locator("strong", { hasText: "зале 3" })).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "composer-counts-preview");

    const card = await sendNow(page, 2, subject);
    await expect(card).toBeVisible();
    await expect(card.getByTestId("message-audience")).toHaveText(ru.messages.ui.audience.NOT_CHECKED_IN);
    // The tab polls while the message is being sent, and shows "sent" with both delivered.
    await expect(card).toHaveAttribute("data-status", "SENT", { timeout: DELIVERY });
    await expect(card.getByTestId("message-status")).toHaveText(ru.messages.ui.status.SENT);
    await expect(card.getByTestId("message-results-telegram")).toHaveAttribute("data-sent", "1");
    await expect(card.getByTestId("message-results-email")).toHaveAttribute("data-sent", "1");
    await expect(card.getByTestId("message-results-telegram")).toHaveAttribute("data-failed", "0");
    await expect(card.getByTestId("message-results-email")).toHaveAttribute("data-failed", "0");
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "message-sent");

    // Telegram: the linked attendee got it from the bot.
    await waitForTelegramCall("sendMessage", tg.id, (call) => String(call.params.text ?? "").includes(subject), DELIVERY);
    // Email: in the dev mailbox, to the email-only attendee.
    await page.goto(`/dev/mail?to=${encodeURIComponent(emailOnly.email)}`);
    await expect(page.getByTestId("dev-mail").filter({ hasText: subject })).toHaveCount(1);
    // The checked-in attendee is not in the audience: no row, no mail.
    const messageId = await messageIdOf(event.id, subject);
    expect(await query("SELECT id FROM notification_logs WHERE message_id = $1 AND user_id = $2", [messageId, checkedIn.id])).toHaveLength(0);
    expect(await mailsTo(checkedIn.email, subject)).toHaveLength(0);
    const rows = await query<{ user_id: string; channel: string; status: string }>(
      `SELECT user_id, channel::text AS channel, status::text AS status FROM notification_logs WHERE message_id = $1 ORDER BY channel::text`,
      [messageId],
    );
    expect(rows).toEqual([
      { user_id: emailOnly.id, channel: "EMAIL", status: "SENT" },
      { user_id: withTelegram.id, channel: "TELEGRAM", status: "SENT" },
    ]);
  });

  test("@phone-only the mute link: asks first, mutes, undoes; the next message skips them", async ({ page, browser }, testInfo) => {
    const organization = await createOrganization("Клуб отписок");
    const event = await createEvent(organization, "Лекция с рассылкой");
    const tg = telegramTestUser("Олег");
    const withTelegram = await createUser("Олег", { telegram: { id: tg.id, username: tg.username } });
    const emailOnly = await createUser("Нина");
    await register(organization, event, withTelegram, "CONFIRMED");
    await register(organization, event, emailOnly, "CONFIRMED");

    // A first message reaches both; its email carries the mute link.
    const path = messagesPath(organization, event);
    await signInTo(page, organization.owner.email, path);
    const first = `Ссылка на трансляцию ${randomUUID().slice(0, 6)}`;
    await compose(page, { subject: first, body: "Трансляция: [смотреть](https://stream.example.org/live)", audience: "ALL_CONFIRMED" });
    const firstCard = await sendNow(page, 2, first);
    await expect(firstCard).toHaveAttribute("data-status", "SENT", { timeout: DELIVERY });
    let mail: { text: string; html: string | null } | undefined;
    await expect
      .poll(async () => ((mail = (await mailsTo(emailOnly.email, first))[0]), !!mail), { timeout: DELIVERY, message: "the first message's email" })
      .toBe(true);
    const link = /\/m\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(`${mail!.text}\n${mail!.html ?? ""}`);
    expect(link, "the email carries the mute link").not.toBeNull();
    const token = link![1];

    // The participant opens the link (no session): the question, and nothing changed yet.
    const participant = await participantPage(browser, page);
    await participant.goto(`/m/${token}`);
    await expect(participant.getByTestId("mute-heading")).toHaveText(tRu("messages.mute.question", { organization: organization.name }));
    expect(await query("SELECT id FROM message_mutes WHERE tenant_id = $1", [organization.id])).toHaveLength(0);
    await expectNoHorizontalScroll(participant);
    await keepScreenshot(participant, testInfo, "mute-question");

    await participant.waitForLoadState("networkidle");
    await participant.getByTestId("mute-confirm").click();
    await expect(participant.getByTestId("mute-panel")).toHaveAttribute("data-phase", "muted");
    await expect(participant.getByTestId("mute-heading")).toHaveText(tRu("messages.mute.muted", { organization: organization.name }));
    await expect.poll(async () => (await query("SELECT id FROM message_mutes WHERE tenant_id = $1 AND user_id = $2", [organization.id, emailOnly.id])).length).toBe(1);
    await keepScreenshot(participant, testInfo, "mute-done");

    await participant.getByTestId("mute-undo").click();
    await expect(participant.getByTestId("mute-panel")).toHaveAttribute("data-phase", "unmuted");
    await expect.poll(async () => (await query("SELECT id FROM message_mutes WHERE tenant_id = $1", [organization.id])).length).toBe(0);

    // RFC 8058 one-click (what a mail client's "Unsubscribe" does): a POST that mutes and answers 200.
    const oneClick = await participant.request.post(`/api/messages/mute/${token}`, { form: { "List-Unsubscribe": "One-Click" } });
    expect(oneClick.status()).toBe(200);
    expect(await query("SELECT id FROM message_mutes WHERE tenant_id = $1 AND user_id = $2", [organization.id, emailOnly.id])).toHaveLength(1);
    // Reopened, the page says it is muted already (with Undo).
    await participant.reload();
    await expect(participant.getByTestId("mute-panel")).toHaveAttribute("data-phase", "muted");

    // A link that is not ours: a clear not-found page; the one-click POST answers 404.
    const forged = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    await participant.goto(`/m/${forged}`);
    await expect(participant.getByTestId("mute-not-found")).toBeVisible();
    await expect(participant.getByRole("heading", { name: ru.messages.mute.notFoundTitle })).toBeVisible();
    expect((await participant.request.post(`/api/messages/mute/${forged}`, { form: { "List-Unsubscribe": "One-Click" } })).status()).toBe(404);

    // The organizer's next message: the muted participant is counted as muted and gets nothing.
    await page.goto(path);
    const second = `Перерыв перенесли ${randomUUID().slice(0, 6)}`;
    const counts = await compose(page, { subject: second, body: "Перерыв в _15:30_.", audience: "ALL_CONFIRMED" });
    await expect(counts).toHaveAttribute("data-recipients", "1");
    await expect(counts).toHaveAttribute("data-telegram", "1");
    await expect(counts).toHaveAttribute("data-email", "0");
    await expect(counts).toHaveAttribute("data-muted", "1");
    await expect(counts).toContainText(tRu("messages.ui.counts.muted", { count: 1 }));
    const secondCard = await sendNow(page, 1, second);
    await expect(secondCard).toHaveAttribute("data-status", "SENT", { timeout: DELIVERY });
    await expect(secondCard.getByTestId("message-results-telegram")).toHaveAttribute("data-sent", "1");
    await expect(secondCard.getByTestId("message-results-email")).toHaveAttribute("data-sent", "0");
    await keepScreenshot(page, testInfo, "second-message-sent");
    await waitForTelegramCall("sendMessage", tg.id, (call) => String(call.params.text ?? "").includes(second), DELIVERY);
    const secondId = await messageIdOf(event.id, second);
    expect(await query("SELECT id FROM notification_logs WHERE message_id = $1 AND user_id = $2", [secondId, emailOnly.id])).toHaveLength(0);
    expect(await mailsTo(emailOnly.email, second)).toHaveLength(0);

    // In their account the participant sees the organizer under "Muted organizers" and unmutes.
    await signInTo(participant, emailOnly.email, "/dashboard/account");
    const section = participant.getByTestId("muted-organizers");
    await expect(section.getByTestId("muted-organization")).toHaveCount(1);
    await expect(section.getByTestId("muted-organization")).toContainText(organization.name);
    await section.getByRole("button", { name: tRu("messages.mute.unmuteLabel", { organization: organization.name }) }).click();
    await expect(section.getByTestId("muted-organizers-empty")).toBeVisible();
    await expect.poll(async () => (await query("SELECT id FROM message_mutes WHERE tenant_id = $1", [organization.id])).length).toBe(0);
    await expectNoHorizontalScroll(participant);
    await keepScreenshot(participant, testInfo, "account-unmuted");
    await participant.context().close();
  });
});
