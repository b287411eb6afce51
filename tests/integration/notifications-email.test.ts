// The email channel end to end: notify() → one row per channel → deliverNotification → a real SMTP
// listener (tests/fakes/smtp-server.ts, nodemailer through SMTP_URL) or the fake Telegram Bot API.
// Every system template reaches a Telegram user by Telegram and an email-only user and a guest by
// email, each in their language; values are escaped in the HTML and intact in the text; the ticket
// email carries the QR inline and a parseable .ics; temporary failures retry, "no such mailbox" fails
// and marks the address bounced; without SMTP the email lands in the dev outbox.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { startFakeSmtp } from "@/tests/fakes/smtp-server";
import { startFakeTelegram } from "@/tests/fakes/telegram-bot-api";

const smtp = await startFakeSmtp();
const telegram = await startFakeTelegram();
process.env.SMTP_URL = smtp.url;
process.env.MAIL_FROM = "AqStream <no-reply@aqstream.test>";
process.env.APP_URL = "https://aqstream.test";
process.env.TELEGRAM_BOT_TOKEN = "123456:TEST-token";
process.env.TELEGRAM_API_ROOT = telegram.url;
process.env.NOTIFICATIONS_RETRY_BASE_MS = "50";

const { db } = await import("@/lib/db");
const { validateEnv } = await import("@/lib/env");
const { Runner } = await import("@/lib/jobs/runner");
const { appRegistry } = await import("@/lib/worker");
const { notify, NO_CHANNEL_MESSAGE } = await import("@/lib/notifications/notify");
const { deliverNotification, OUTCOME_UNKNOWN_MESSAGE } = await import("@/lib/notifications/deliver");
const { NO_USABLE_EMAIL_MESSAGE, TICKET_QR_CID } = await import("@/lib/notifications/deliver-email");
const { dateVar, renderTemplate, templateBodyFor } = await import("@/lib/notifications/render");
const { renderSubject } = await import("@/lib/notifications/email");
const { SYSTEM_TEMPLATES, ensureSystemTemplates, systemTemplate } = await import("@/lib/notifications/system-templates");
const { mailIdOf } = await import("@/lib/mail");
const { createEvent, createOrganization, createRegistration, createTicketType, uniqueEmail, uniqueTelegramId } = await import("@/tests/helpers/factories");

validateEnv();

type RunnerT = InstanceType<typeof Runner>;
const quiet = { info: () => {}, warn: () => {}, error: (...a: unknown[]) => console.error(...a) };
const runners: RunnerT[] = [];

function startRunner(): RunnerT {
  const runner = new Runner({ registry: appRegistry(), pollMs: 20, concurrency: 4, lockMs: 10_000, backoffBaseMs: 50, backoffJitter: 0, crons: false, logger: quiet });
  runners.push(runner);
  runner.start();
  return runner;
}

beforeAll(async () => {
  await ensureSystemTemplates(db);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ timeoutMs: 5000 })));
});
afterAll(async () => {
  await smtp.stop();
  await telegram.stop();
});

const NAME = `<script>alert(1)</script> & "x"`;
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;";

/** A value for every documented variable: text values are the hostile name, links are links, dates dates. */
function sampleVariables(code: string): Record<string, unknown> {
  const template = systemTemplate(code)!;
  return Object.fromEntries(
    template.variables.map(({ name }) => {
      if (/Url$/.test(name)) return [name, `https://aqstream.test/${name}?a=1&b=2`];
      if (/(Date|At)$/.test(name)) return [name, dateVar(new Date("2027-03-15T16:00:00Z"), "Europe/Moscow")];
      if (name === "cancelledByOrganizer" || name === "refundByHand") return [name, true];
      return [name, NAME];
    }),
  );
}

async function emailUser(locale: "RU" | "EN") {
  return db.user.create({ data: { firstName: "Anna", email: uniqueEmail("mail"), locale } });
}
async function telegramUser(locale: "RU" | "EN") {
  const chat = uniqueTelegramId();
  return db.user.create({ data: { firstName: "Anna", telegramChatId: chat, telegramId: chat, locale } });
}

const row = (id: string) => db.notificationLog.findUniqueOrThrow({ where: { id } });

async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("every system template on the right channel, in the recipient's language", () => {
  const cases = SYSTEM_TEMPLATES.flatMap((t) => (["RU", "EN"] as const).map((locale) => [t.code, locale] as const));

  test.each(cases)("%s (%s)", async (code, locale) => {
    const template = systemTemplate(code)!;
    const variables = sampleVariables(code);
    const expectedTelegram = renderTemplate(templateBodyFor(template, locale), variables, locale);
    const expectedSubject = renderSubject(template, variables, locale);
    expect(expectedSubject).toContain(NAME); // every subject names something the recipient recognises

    // A Telegram user: by Telegram only.
    const tgUser = await telegramUser(locale);
    const tg = await db.$transaction((tx) => notify(tx, { userId: tgUser.id, templateCode: code, variables }));
    expect(await db.notificationLog.count({ where: { userId: tgUser.id } })).toBe(1);
    expect(await deliverNotification(tg.id)).toMatchObject({ status: "sent" });
    const call = telegram.sent("sendMessage").find((c) => c.params.chat_id === tgUser.telegramChatId);
    expect(call?.params.text).toBe(expectedTelegram);
    expect(String(call?.params.text)).toContain(ESCAPED);

    // An email-only user and a guest: by email, to their address, in their language.
    const mailUser = await emailUser(locale);
    const guestEmail = uniqueEmail("guest");
    const byUser = await db.$transaction((tx) => notify(tx, { userId: mailUser.id, templateCode: code, variables }));
    const byGuest = await db.$transaction((tx) =>
      notify(tx, { guest: { email: guestEmail, locale, registrationId: randomUUID() }, templateCode: code, variables }),
    );
    for (const [id, address] of [
      [byUser.id, mailUser.email!],
      [byGuest.id, guestEmail],
    ] as const) {
      expect((await row(id)).channel).toBe("EMAIL");
      expect(await deliverNotification(id)).toMatchObject({ status: "sent", via: "smtp" });
      const [message] = await smtp.waitForMessages(1, { to: address });
      expect(message.subject).toBe(expectedSubject);
      expect(message.from).toBe("no-reply@aqstream.test");
      expect(message.messageId).toBe(`<${id}@aqstream.test>`);
      expect(message.html).toContain(`lang="${locale === "EN" ? "en" : "ru"}"`);
      expect(message.html).toContain(ESCAPED);
      expect(message.html).not.toContain("<script>");
      expect(message.text).toContain(NAME);
      expect(message.text).not.toContain("&lt;");
      // Transactional notices carry no List-Unsubscribe (organizer messages do: below).
      expect(message.headers["list-unsubscribe"]).toBeUndefined();
      const sent = await row(id);
      expect(sent).toMatchObject({ status: "SENT", email: address, attempts: 1 });
      expect(sent.body).toBe(message.text.trimEnd() + "\n");
    }
  });
});

describe("ticket email", () => {
  test("the QR inline by cid and a parseable .ics invite with the event", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization, { title: "Rock; night, live", startsAt: new Date("2027-05-01T17:00:00Z"), endsAt: new Date("2027-05-01T20:00:00Z") });
    const type = await createTicketType(event);
    const registration = await createRegistration(event, type);
    const guestEmail = uniqueEmail("ticket");
    const { id } = await db.$transaction((tx) =>
      notify(tx, {
        guest: { email: guestEmail, locale: "EN", registrationId: registration.id },
        templateCode: "registration.confirmed",
        variables: { ...sampleVariables("registration.confirmed"), ticketUrl: "https://aqstream.test/t/abc" },
        extra: { photo: { kind: "ticket", registrationId: registration.id }, buttons: [{ text: { ru: "Билет", en: "Ticket" }, url: "https://aqstream.test/t/abc" }, { text: "cb", callbackData: "x" }] },
      }),
    );
    expect(await deliverNotification(id)).toMatchObject({ status: "sent" });
    const [message] = await smtp.waitForMessages(1, { to: guestEmail });

    const qr = message.attachments.find((a) => a.cid === TICKET_QR_CID);
    expect(qr?.contentType).toBe("image/png");
    expect(qr?.content.subarray(1, 4).toString()).toBe("PNG");
    expect(message.html).toContain(`cid:${TICKET_QR_CID}`);

    const ics = message.attachments.find((a) => a.contentType.startsWith("text/calendar"));
    expect(ics?.filename).toBe("event.ics");
    const calendar = ics!.content.toString("utf8");
    const unfolded = calendar.replace(/\r\n /g, "");
    expect(unfolded).toContain("METHOD:PUBLISH");
    expect(unfolded).toContain(`UID:registration-${registration.id}@aqstream.test`);
    expect(unfolded).toContain("DTSTART:20270501T170000Z");
    expect(unfolded).toContain("DTEND:20270501T200000Z");
    expect(unfolded).toContain("SUMMARY:Rock\\; night\\, live");
    expect(unfolded).toMatch(/LOCATION:Москва\\, ул\. Тестовая\\, 1/);
    expect(unfolded).toMatch(/URL:https:\/\/aqstream\.test\/e\/[^/\r\n]+\/[^/\r\n]+/);
    const lines = unfolded.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines.every((l) => /^[A-Z-]+(;[^:]*)?:/.test(l))).toBe(true);

    // The URL button is an email button; the callback button is dropped. The ticket link is in the text.
    expect(message.html).toContain('href="https://aqstream.test/t/abc"');
    expect(message.text).toContain("Ticket: https://aqstream.test/t/abc");
    expect(message.text).not.toContain("cb:");
  });
});

describe("SMTP failures", () => {
  test("421 twice → delivered once after retries (through the job runner)", async () => {
    const u = await emailUser("RU");
    smtp.failNext(2);
    const refusedBefore = smtp.refused;
    startRunner();
    const { id } = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    const sent = await waitFor(async () => ((await row(id)).status === "SENT" ? row(id) : null));
    expect(sent.attempts).toBe(3);
    expect(smtp.refused - refusedBefore).toBe(2);
    expect(smtp.messagesTo(u.email!)).toHaveLength(1);
  });

  test("a dropped connection is temporary: retry later, nothing marked", async () => {
    const u = await emailUser("EN");
    smtp.dropNext();
    const { id } = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    expect(await deliverNotification(id)).toMatchObject({ status: "retry" });
    const waiting = await row(id);
    expect(waiting).toMatchObject({ status: "PENDING", attempts: 1, sendStartedAt: null });
    expect(waiting.errorMessage).toMatch(/^Email temporarily unavailable \(attempt 1\)/);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).emailBouncedAt).toBeNull();
    // The next attempt goes through.
    expect(await deliverNotification(id, { now: new Date(waiting.nextAttemptAt.getTime() + 1) })).toMatchObject({ status: "sent" });
    expect(smtp.messagesTo(u.email!)).toHaveLength(1);
  });

  test("temporary failures until the last attempt → FAILED", async () => {
    const u = await emailUser("RU");
    smtp.failNext(2);
    const { id } = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    expect(await deliverNotification(id, { maxAttempts: 2 })).toMatchObject({ status: "retry" });
    const { nextAttemptAt } = await row(id);
    expect(await deliverNotification(id, { maxAttempts: 2, now: new Date(nextAttemptAt.getTime() + 1) })).toMatchObject({ status: "failed" });
    expect((await row(id)).errorMessage).toMatch(/^Gave up after 2 attempts: .*421/);
  });

  test("550 no such mailbox → FAILED with the server's reason, the user's address bounced, no more attempts", async () => {
    const u = await emailUser("RU");
    const other = await emailUser("RU");
    smtp.rejectAddress(u.email!);
    const { id } = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    const outcome = await deliverNotification(id);
    expect(outcome).toMatchObject({ status: "failed" });
    const failed = await row(id);
    expect(failed.status).toBe("FAILED");
    expect(failed.attempts).toBe(1);
    expect(failed.errorMessage).toMatch(/^Mailbox does not exist: .*550.*5\.1\.1/);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).emailBouncedAt).not.toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: other.id } })).emailBouncedAt).toBeNull();
    // Nothing more is tried for this row …
    expect(await deliverNotification(id, { now: new Date(Date.now() + 86_400_000) })).toMatchObject({ status: "skipped", reason: "not-pending" });
    expect(smtp.messagesTo(u.email!)).toHaveLength(0);
    // … and the user's next notice has no usable channel (no Telegram, the address bounced): shown, not sent.
    const next = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    expect(await row(next.id)).toMatchObject({ channel: null, status: "FAILED", errorMessage: NO_CHANNEL_MESSAGE });
  });

  test("another 5xx (policy) → FAILED with the reason, the address is not marked bounced", async () => {
    const u = await emailUser("EN");
    smtp.failNext(1, { code: 554, message: "5.7.1 Message rejected as spam" });
    const { id } = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    expect(await deliverNotification(id)).toMatchObject({ status: "failed" });
    expect((await row(id)).errorMessage).toMatch(/^Refused by the mail server: .*554.*5\.7\.1/);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).emailBouncedAt).toBeNull();
  });

  test("a guest's 550 → FAILED with the reason (no account to mark)", async () => {
    const address = uniqueEmail("gone");
    smtp.rejectAddress(address);
    const { id } = await db.$transaction((tx) =>
      notify(tx, { guest: { email: address, locale: "RU", registrationId: randomUUID() }, templateCode: "user.welcome", variables: { firstName: "Гость" } }),
    );
    expect(await deliverNotification(id)).toMatchObject({ status: "failed" });
    expect((await row(id)).errorMessage).toMatch(/^Mailbox does not exist/);
  });

  test("a user whose address bounced after the notice was queued → FAILED no usable email, nothing sent", async () => {
    const u = await emailUser("RU");
    const { id } = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    await db.user.update({ where: { id: u.id }, data: { emailBouncedAt: new Date() } });
    expect(await deliverNotification(id)).toMatchObject({ status: "failed", reason: NO_USABLE_EMAIL_MESSAGE });
    expect(smtp.messagesTo(u.email!)).toHaveLength(0);
  });
});

describe("organizer messages by email", () => {
  async function messageRow(sendStartedAt: Date | null = null) {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization, { title: "Jazz" });
    const message = await db.eventMessage.create({
      data: { organizationId: organization.id, eventId: event.id, authorId: owner.id, subject: "Parking", body: "Use gate **B**", audience: "ALL_CONFIRMED", scheduledAt: new Date() },
    });
    const u = await emailUser("EN");
    const id = randomUUID();
    await db.notificationLog.create({
      data: {
        id,
        userId: u.id,
        channel: "EMAIL",
        templateCode: "organizer.message",
        messageId: message.id,
        sendStartedAt,
        dedupeKey: `message:${message.id}:${u.id}`,
        variables: { organizationName: NAME, eventTitle: "Jazz", subject: "Parking", messageBody: "Use gate B", muteUrl: "https://aqstream.test/mute/tok123" },
      },
    });
    return { id, user: u };
  }

  test("List-Unsubscribe (one-click) and the footer link; at most once: send_started_at is recorded before SMTP", async () => {
    const { id, user } = await messageRow();
    expect(await deliverNotification(id)).toMatchObject({ status: "sent" });
    const [message] = await smtp.waitForMessages(1, { to: user.email! });
    expect(message.subject).toBe("Parking — Jazz");
    // The message's own resolver (lib/messages) gives this recipient's links: the page for people, the
    // one-click route (RFC 8058) for the mail client.
    expect(message.headers["list-unsubscribe"]).toMatch(/^<https:\/\/aqstream\.test\/api\/messages\/mute\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
    expect(message.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(message.html).toMatch(/href="https:\/\/aqstream\.test\/m\/[A-Za-z0-9_.-]+"/);
    // the message's own values (organization, subject, body) come from the message at delivery; their
    // escaping on both channels is proven by tests/integration/messages.test.ts
    expect(message.text).toMatch(/Unsubscribe from this organizer's messages: https:\/\/aqstream\.test\/m\/[A-Za-z0-9_.-]+/);
    expect(message.text.match(/\/m\/[A-Za-z0-9_.-]+/g)).toHaveLength(1); // once: the footer (Telegram has it in the text)
    expect((await row(id)).sendStartedAt).not.toBeNull();
  });

  test("found again with send_started_at set (the worker stopped mid-send) → FAILED outcome unknown, not sent again", async () => {
    const { id, user } = await messageRow(new Date(Date.now() - 10 * 60_000));
    expect(await deliverNotification(id)).toMatchObject({ status: "failed", reason: OUTCOME_UNKNOWN_MESSAGE });
    expect(smtp.messagesTo(user.email!)).toHaveLength(0);
  });

  test("a temporary failure clears send_started_at so the retry may send", async () => {
    const { id, user } = await messageRow();
    smtp.failNext(1);
    expect(await deliverNotification(id)).toMatchObject({ status: "retry" });
    const waiting = await row(id);
    expect(waiting.sendStartedAt).toBeNull();
    expect(await deliverNotification(id, { now: new Date(waiting.nextAttemptAt.getTime() + 1) })).toMatchObject({ status: "sent" });
    expect(smtp.messagesTo(user.email!)).toHaveLength(1);
  });
});

describe("without SMTP", () => {
  test("the email goes to the dev outbox (with its HTML) and the row is SENT", async () => {
    const saved = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    validateEnv();
    try {
      const u = await emailUser("EN");
      const { id } = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: NAME } }));
      expect(await deliverNotification(id)).toMatchObject({ status: "sent", via: "outbox" });
      const mail = await db.mailOutbox.findUniqueOrThrow({ where: { id: mailIdOf(`notice:${id}`) } });
      expect(mail.to).toBe(u.email);
      expect(mail.subject).toBe(`Welcome to AqStream, ${NAME}!`);
      expect(mail.text).toContain(NAME);
      expect(mail.html).toContain(ESCAPED);
      expect(await row(id)).toMatchObject({ status: "SENT", email: u.email });
      expect(smtp.messagesTo(u.email!)).toHaveLength(0);
      // No mail/requested job: nothing would send it later.
      expect(await db.job.count({ where: { dedupeKey: { contains: mail.id } } })).toBe(0);
    } finally {
      process.env.SMTP_URL = saved;
      validateEnv();
    }
  });
});
