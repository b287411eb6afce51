// Organizer messages (lib/messages; docs/messages.md): audience counts by channel (guests, BOTH, no
// channel, muted), tenant isolation of every service, the send through the real delivery code against
// the fake Bot API and the fake SMTP server (HTML escaped on both channels, 429 and 421 delay but lose
// nothing), scheduled and cancelled messages, mute links.
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { startFakeTelegram } from "@/tests/fakes/telegram-bot-api";
import { startFakeSmtp } from "@/tests/fakes/smtp-server";
import type { EventMessageFormInput } from "@/lib/validation/messages";

const telegram = await startFakeTelegram();
const smtp = await startFakeSmtp();
process.env.TELEGRAM_BOT_TOKEN = "123456:TEST-token";
process.env.TELEGRAM_API_ROOT = telegram.url;
process.env.SMTP_URL = smtp.url;
process.env.NOTIFICATIONS_RETRY_BASE_MS = "50";

const { db } = await import("@/lib/db");
const { actorOf } = await import("@/lib/permissions");
const messages = await import("@/lib/messages");
const { listEventActivity } = await import("@/lib/events");
const { parseMuteToken } = await import("@/lib/messages/mutes");
const { addMember, createEvent, createOrganization, createRegistration, createTicketType, createUser, uniqueEmail, uniqueTelegramId } = await import(
  "@/tests/helpers/factories"
);
type User = Awaited<ReturnType<typeof createUser>>;

afterAll(async () => {
  await telegram.stop();
  await smtp.stop();
});
beforeEach(() => {
  telegram.reset();
  smtp.reset();
});

const as = (u: { id: string; isPlatformAdmin: boolean }) => actorOf(u)!;
// Form values as the browser posts them (any string: the service parses them).
const form = (eventId: string, overrides: Record<string, string> = {}) =>
  ({
    eventId,
    subject: "Важное",
    body: "Завтра в 10:00, **не опаздывайте**.",
    audience: "ALL_CONFIRMED",
    ticketTypeId: "",
    scheduledAt: "",
    ...overrides,
  }) as EventMessageFormInput;

const tgUser = (o: Partial<Parameters<typeof createUser>[0]> = {}) => {
  const chat = uniqueTelegramId();
  return createUser({ telegramChatId: chat, telegramId: chat, email: null, ...o });
};
const emailUser = (o: Partial<Parameters<typeof createUser>[0]> = {}) => createUser({ email: uniqueEmail("mail"), ...o });

async function world() {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization);
  const type = await createTicketType(event, { name: "Стандарт" });
  const vip = await createTicketType(event, { name: "VIP" });
  return { organization, owner, event, type, vip };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

/** Starts a message now and delivers it to the end (the jobs' code, called directly). */
async function sendNow(messageId: string, timeoutMs = 40_000) {
  await db.eventMessage.update({ where: { id: messageId }, data: { scheduledAt: new Date() } });
  await messages.startMessageSend({ messageId });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await messages.deliverMessage({ messageId });
    if (outcome.status !== "continuing") return outcome;
    if (Date.now() > deadline) throw new Error("sendNow: timed out");
    await new Promise((r) => setTimeout(r, Math.max(20, Math.min(2000, new Date(outcome.nextAt).getTime() - Date.now()))));
  }
}

describe("audience", () => {
  test("counts by channel: Telegram, email, BOTH (both), guests by email, no channel, muted", async () => {
    const w = await world();
    const tg = await tgUser();
    const mail = await emailUser();
    const both = await tgUser({ email: uniqueEmail("both"), notificationPreference: "BOTH" });
    const none = await createUser({ email: null, telegramId: uniqueTelegramId() });
    const bounced = await emailUser({ emailBouncedAt: new Date() });
    const muted = await tgUser();
    const twice = await tgUser(); // a VIP
    for (const u of [tg, mail, both, none, bounced, muted]) await createRegistration(w.event, w.type, { user: u });
    await createRegistration(w.event, w.vip, { user: twice });
    const guestEmail = uniqueEmail("guest");
    await createRegistration(w.event, w.type, { email: guestEmail });
    await createRegistration(w.event, w.type, { user: await tgUser(), status: "CANCELLED" }); // not in the audience
    await createRegistration(w.event, w.vip, { user: await tgUser(), status: "CHECKED_IN" });
    await db.messageMute.create({ data: { organizationId: w.organization.id, userId: muted.id } });

    const owner = as(w.owner);
    const all = await messages.countAudience({ actor: owner, eventId: w.event.id, audience: "ALL_CONFIRMED" });
    // people: tg, mail, both, none, bounced, twice, guest, checked-in = 8 (+ muted counted apart)
    expect(all).toEqual({ recipients: 8, telegram: 4, email: 3, noChannel: 2, muted: 1 });
    const checkedIn = await messages.countAudience({ actor: owner, eventId: w.event.id, audience: "CHECKED_IN" });
    expect(checkedIn).toEqual({ recipients: 1, telegram: 1, email: 0, noChannel: 0, muted: 0 });
    const notCheckedIn = await messages.countAudience({ actor: owner, eventId: w.event.id, audience: "NOT_CHECKED_IN" });
    expect(notCheckedIn.recipients).toBe(7);
    const vip = await messages.countAudience({ actor: owner, eventId: w.event.id, audience: "TICKET_TYPE", ticketTypeId: w.vip.id });
    expect(vip).toEqual({ recipients: 2, telegram: 2, email: 0, noChannel: 0, muted: 0 });
    // another event's ticket type is refused on the field
    const other = await world();
    await expect(messages.countAudience({ actor: owner, eventId: w.event.id, audience: "TICKET_TYPE", ticketTypeId: other.vip.id })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { ticketTypeId: "messages.validation.ticketTypeInvalid" },
    });

    const waiting = await tgUser();
    await db.waitlistEntry.create({ data: { eventId: w.event.id, userId: waiting.id, position: 1 } });
    await db.waitlistEntry.create({ data: { eventId: w.event.id, email: uniqueEmail("wl"), position: 2, status: "NOTIFIED" } });
    await db.waitlistEntry.create({ data: { eventId: w.event.id, userId: (await tgUser()).id, position: 3, status: "EXPIRED" } });
    const waitlist = await messages.countAudience({ actor: owner, eventId: w.event.id, audience: "WAITLIST" });
    expect(waitlist).toEqual({ recipients: 2, telegram: 1, email: 1, noChannel: 0, muted: 0 });
  });
});

describe("authorization and tenants", () => {
  test("another organization's organizer gets not found for every service; a participant cannot send; a moderator can", async () => {
    const a = await world();
    const b = await world();
    const participant = await tgUser();
    await createRegistration(a.event, a.type, { user: participant });
    const { id } = await messages.createEventMessage({ actor: as(a.owner), input: form(a.event.id) });

    const stranger = as(b.owner);
    expect(await code(messages.createEventMessage({ actor: stranger, input: form(a.event.id) }))).toBe("NOT_FOUND");
    expect(await code(messages.listEventMessages({ actor: stranger, eventId: a.event.id }))).toBe("NOT_FOUND");
    expect(await code(messages.getEventMessage({ actor: stranger, messageId: id }))).toBe("NOT_FOUND");
    expect(await code(messages.cancelEventMessage({ actor: stranger, messageId: id }))).toBe("NOT_FOUND");
    expect(await code(messages.countAudience({ actor: stranger, eventId: a.event.id, audience: "ALL_CONFIRMED" }))).toBe("NOT_FOUND");
    expect(await code(messages.previewEventMessage({ actor: stranger, eventId: a.event.id, subject: "x", body: "y" }))).toBe("NOT_FOUND");
    expect(await code(messages.createEventMessage({ actor: as(participant), input: form(a.event.id) }))).toBe("NOT_FOUND");
    expect(await code(messages.getEventMessage({ actor: as(participant), messageId: id }))).toBe("NOT_FOUND");
    expect(await code(messages.createEventMessage({ actor: null, input: form(a.event.id) }))).toBe("UNAUTHENTICATED");
    expect(await code(messages.getEventMessage({ actor: stranger, messageId: "not-a-uuid" }))).toBe("NOT_FOUND");
    // nothing changed
    expect((await db.eventMessage.findUniqueOrThrow({ where: { id } })).status).toBe("SCHEDULED");
    expect(await db.eventMessage.count({ where: { eventId: a.event.id } })).toBe(1);

    const moderator = await createUser();
    await addMember(a.organization, moderator);
    const list = await messages.listEventMessages({ actor: as(moderator), eventId: a.event.id });
    expect(list.map((m) => m.id)).toEqual([id]);
    expect(await messages.cancelEventMessage({ actor: as(moderator), messageId: id })).toEqual({ changed: true });
    expect(await messages.cancelEventMessage({ actor: as(moderator), messageId: id })).toEqual({ changed: false });
  });

  test("bad input: field errors, nothing written", async () => {
    const w = await world();
    const before = await db.eventMessage.count();
    const err = (input: Record<string, string>) =>
      messages.createEventMessage({ actor: as(w.owner), input: form(w.event.id, input) }).then(
        () => null,
        (e: { fieldErrors?: Record<string, string> }) => e.fieldErrors,
      );
    expect(await err({ subject: "  " })).toMatchObject({ subject: "messages.validation.subjectRequired" });
    expect(await err({ body: "x".repeat(4001) })).toMatchObject({ body: "messages.validation.bodyTooLong" });
    expect(await err({ audience: "EVERYONE" })).toMatchObject({ audience: "messages.validation.audienceInvalid" });
    expect(await err({ audience: "TICKET_TYPE" })).toMatchObject({ ticketTypeId: "messages.validation.ticketTypeRequired" });
    expect(await err({ scheduledAt: "2020-01-01T10:00" })).toMatchObject({ scheduledAt: "messages.validation.timeInPast" });
    expect(await db.eventMessage.count()).toBe(before);
  });
});

describe("sending", () => {
  test("HTML and scripts in subject and body arrive as text on both channels; results, audit, mute links", async () => {
    const w = await world();
    const tg = await tgUser({ firstName: "<script>alert(1)</script>" });
    const mail = await emailUser({ locale: "EN" });
    const guest = uniqueEmail("guest");
    await createRegistration(w.event, w.type, { user: tg });
    await createRegistration(w.event, w.type, { user: mail });
    await createRegistration(w.event, w.type, { email: guest, locale: "EN" });
    await createRegistration(w.event, w.type, { user: await createUser({ email: null, telegramId: uniqueTelegramId() }) });
    const { id } = await messages.createEventMessage({
      actor: as(w.owner),
      input: form(w.event.id, {
        subject: `<b>Hi</b> & "you" <script>x</script>`,
        body: `<script>alert(1)</script> **bold** <b onclick="x()">no</b> [site](https://example.test/a?b=1&c=2) [bad](javascript:alert(1))`,
      }),
    });
    const outcome = await sendNow(id);
    expect(outcome.status).toBe("sent");

    const [tgCall] = telegram.sent("sendMessage").filter((c) => c.params.chat_id === tg.telegramChatId);
    const text = String(tgCall.params.text);
    expect(text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(text).toContain("<b>bold</b>");
    expect(text).toContain("&lt;b onclick=&quot;x()&quot;&gt;no&lt;/b&gt;");
    expect(text).toContain('<a href="https://example.test/a?b=1&amp;c=2">site</a>');
    expect(text).not.toContain('href="javascript');
    expect(text).not.toMatch(/<script/i);
    expect(text).toContain("/m/");

    for (const address of [mail.email!, guest]) {
      const [m] = smtp.messagesTo(address);
      expect(m, address).toBeDefined();
      expect(m.html).not.toMatch(/<script/i);
      expect(m.html).not.toMatch(/<[a-z]+[^>]*onclick/i);
      expect(m.html).toContain("&lt;script&gt;");
      expect(m.text).toContain("<script>alert(1)</script>");
      expect(m.subject).toContain(`<b>Hi</b> & "you"`);
      // RFC 8058: the header is the one-click route (a POST mutes); the page link is in the footer
      expect(m.headers["list-unsubscribe"]).toMatch(/^<https?:\/\/[^>]+\/api\/messages\/mute\/[A-Za-z0-9_.-]+>$/);
      expect(m.text).toMatch(/\/m\/[A-Za-z0-9_.-]+/);
      expect(m.text.match(/\/m\/[A-Za-z0-9_.-]+/g)).toHaveLength(1); // the mute link once
      // the mute link names this recipient and this organization
      const token = /\/mute\/([A-Za-z0-9_.-]+)/.exec(m.headers["list-unsubscribe"])![1];
      const subject = parseMuteToken(token)!;
      expect(subject.organizationId).toBe(w.organization.id);
      expect(subject.userId ?? subject.email).toBe(address === guest ? guest : mail.id);
    }
    expect(smtp.messagesTo(guest)[0].text).toMatch(/Message from/); // the guest's language (EN)

    const view = await messages.getEventMessage({ actor: as(w.owner), messageId: id });
    expect(view.status).toBe("SENT");
    expect(view.recipientsTotal).toBe(4);
    expect(view.results).toMatchObject({ telegram: { pending: 0, sent: 1, failed: 0 }, email: { pending: 0, sent: 2, failed: 0 }, noChannel: 1, unknown: 0 });
    const audit = await db.auditLog.findMany({ where: { entityId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["event_message.scheduled", "event_message.sent"]);
    // the event's Activity shows the message by its subject
    const activity = await listEventActivity({ actor: as(w.owner), eventId: w.event.id });
    const mine = activity.items.filter((i) => i.entityId === id);
    expect(mine.map((i) => i.action).sort()).toEqual(["event_message.scheduled", "event_message.sent"]);
    expect(mine[0].entityLabel).toBe(`<b>Hi</b> & "you" <script>x</script>`);

    // a rerun of both jobs sends nothing again
    await messages.startMessageSend({ messageId: id });
    await messages.deliverMessage({ messageId: id });
    expect(telegram.sent("sendMessage").length).toBe(1);
    expect(smtp.messages.length).toBe(2);
  });

  test("Telegram 429 (retry_after) and SMTP 421 three times delay delivery but lose nothing", async () => {
    const w = await world();
    const tgs: User[] = [];
    const mails: User[] = [];
    for (let i = 0; i < 5; i++) tgs.push(await tgUser());
    for (let i = 0; i < 5; i++) mails.push(await emailUser());
    for (const u of [...tgs, ...mails]) await createRegistration(w.event, w.type, { user: u });
    const { id } = await messages.createEventMessage({ actor: as(w.owner), input: form(w.event.id) });
    telegram.failNext("sendMessage", { status: 429, retryAfter: 1 }, 2);
    smtp.failNext(3);
    const outcome = await sendNow(id);
    expect(outcome.status).toBe("sent");
    for (const u of tgs) expect(telegram.sent("sendMessage").filter((c) => c.params.chat_id === u.telegramChatId)).toHaveLength(1);
    for (const u of mails) expect(smtp.messagesTo(u.email!)).toHaveLength(1);
    expect(smtp.refused).toBe(3);
    const view = await messages.getEventMessage({ actor: as(w.owner), messageId: id });
    expect(view.results.telegram).toEqual({ pending: 0, sent: 5, failed: 0 });
    expect(view.results.email).toEqual({ pending: 0, sent: 5, failed: 0 });
  });

  test("a scheduled message waits for its time; a cancelled one is never sent; muted people get nothing", async () => {
    const w = await world();
    const u = await tgUser();
    const muted = await emailUser();
    await createRegistration(w.event, w.type, { user: u });
    await createRegistration(w.event, w.type, { user: muted });
    const token = messages.muteTokenFor({ organizationId: w.organization.id, userId: muted.id });
    expect(await messages.muteByToken({ token })).toEqual({ organizationName: w.organization.name, muted: true });
    expect(await messages.muteByToken({ token })).toMatchObject({ muted: true }); // idempotent
    expect(await code(messages.muteByToken({ token: token.slice(0, -2) + "xx" }))).toBe("NOT_FOUND");
    expect(await messages.listMyMutes({ actor: as(muted) })).toEqual([expect.objectContaining({ organizationId: w.organization.id })]);

    const later = new Date(Date.now() + 2 * 3600_000);
    const local = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Moscow", dateStyle: "short", timeStyle: "short" }).format(later).replace(" ", "T");
    const scheduled = await messages.createEventMessage({ actor: as(w.owner), input: form(w.event.id, { scheduledAt: local }) });
    expect(Math.abs(new Date(scheduled.scheduledAt).getTime() - later.getTime())).toBeLessThan(60_000);
    expect(await messages.startMessageSend({ messageId: scheduled.id })).toMatchObject({ status: "not-due" });
    expect(await messages.recoverMessages()).toMatchObject({ send: 0 });
    const job = await db.job.findFirstOrThrow({ where: { dedupeKey: `messages-send:message-send:${scheduled.id}` } });
    expect(job.runAt.toISOString()).toBe(scheduled.scheduledAt);

    const cancelled = await messages.createEventMessage({ actor: as(w.owner), input: form(w.event.id) });
    expect(await messages.cancelEventMessage({ actor: as(w.owner), messageId: cancelled.id })).toEqual({ changed: true });
    expect(await messages.startMessageSend({ messageId: cancelled.id })).toMatchObject({ status: "skipped", reason: "cancelled" });
    expect(await db.notificationLog.count({ where: { messageId: cancelled.id } })).toBe(0);

    // at its time (moved into the past here) it is sent, to the unmuted person only
    const outcome = await sendNow(scheduled.id);
    expect(outcome.status).toBe("sent");
    expect(telegram.sent("sendMessage").filter((c) => c.params.chat_id === u.telegramChatId)).toHaveLength(1);
    expect(smtp.messagesTo(muted.email!)).toHaveLength(0);
    expect(await code(messages.cancelEventMessage({ actor: as(w.owner), messageId: scheduled.id }))).toBe("CONFLICT");

    expect(await messages.unmuteOrganization({ actor: as(muted), organizationId: w.organization.id })).toEqual({ changed: true });
    expect(await messages.listMyMutes({ actor: as(muted) })).toEqual([]);
    const muteAudit = await db.auditLog.findMany({ where: { entityType: "message_mute", organizationId: w.organization.id } });
    expect(muteAudit.map((a) => a.action).sort()).toEqual(["message_mute.created", "message_mute.deleted"]);
  });

  test("preview: both channels in Russian and English, the body escaped", async () => {
    const w = await world();
    const previews = await messages.previewEventMessage({ actor: as(w.owner), eventId: w.event.id, subject: "Тема <i>", body: "**Жирный** <script>" });
    expect(previews.map((p) => p.locale)).toEqual(["RU", "EN"]);
    for (const p of previews) {
      expect(p.telegramHtml).toContain("<b>Жирный</b> &lt;script&gt;");
      expect(p.email.html).not.toMatch(/<script/i);
      expect(p.email.subject).toContain("Тема <i>");
    }
    expect(previews[1].telegramHtml).toContain("Message from");
  });
});
