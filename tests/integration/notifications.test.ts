// The notification pipeline end to end: notify() in a transaction → outbox job → embedded runner →
// deliverNotification → fake Telegram Bot API.
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { startFakeTelegram } from "@/tests/fakes/telegram-bot-api";

const telegram = await startFakeTelegram();
process.env.TELEGRAM_BOT_TOKEN = "123456:TEST-token";
process.env.TELEGRAM_API_ROOT = telegram.url;
process.env.NOTIFICATIONS_RETRY_BASE_MS = "50";

const { db } = await import("@/lib/db");
const { Runner } = await import("@/lib/jobs/runner");
const { appRegistry } = await import("@/lib/worker");
const { notify } = await import("@/lib/notifications/notify");
const { deliverNotification, NOT_CONFIGURED_MESSAGE } = await import("@/lib/notifications/deliver");
const { sweepNotifications, releaseHeldNotifications } = await import("@/lib/notifications/sweep");
const { registerPhotoResolver } = await import("@/lib/notifications/photos");
const { dateVar } = await import("@/lib/notifications/render");
const { ensureSystemTemplates } = await import("@/lib/notifications/system-templates");

type RunnerT = InstanceType<typeof Runner>;
const quiet = { info: () => {}, warn: () => {}, error: (...a: unknown[]) => console.error(...a) };
const runners: RunnerT[] = [];

function startRunner(options: Partial<ConstructorParameters<typeof Runner>[0]> = {}): RunnerT {
  const runner = new Runner({ registry: appRegistry(), pollMs: 20, concurrency: 4, lockMs: 10_000, backoffBaseMs: 50, backoffJitter: 0, crons: false, logger: quiet, ...options });
  runners.push(runner);
  runner.start();
  return runner;
}

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ timeoutMs: 5000 })));
});
afterAll(() => telegram.stop());

let chatSeq = 1000;
async function user(data: { firstName?: string; chat?: boolean; locale?: "RU" | "EN" } = {}) {
  const chatId = data.chat === false ? null : String(++chatSeq);
  const email = chatId ? null : `user${++chatSeq}@example.test`;
  return db.user.create({ data: { firstName: data.firstName ?? "Anna", telegramChatId: chatId, telegramId: chatId, email, locale: data.locale ?? "RU" } });
}

async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const row = (id: string) => db.notificationLog.findUniqueOrThrow({ where: { id } });
const untilStatus = (id: string, status: "SENT" | "FAILED") => waitFor(async () => ((await row(id)).status === status ? row(id) : null));
const sentTo = (chatId: string | null, method = "sendMessage") => telegram.sent(method).filter((c) => c.params.chat_id === chatId);
const callsTo = (chatId: string | null, method = "sendMessage") => telegram.callsOf(method).filter((c) => c.params.chat_id === chatId);

function welcome(userId: string, extra: Record<string, unknown> = {}) {
  return db.$transaction((tx) => notify(tx, { userId, templateCode: "user.welcome", variables: { firstName: "Anna", ...extra } }));
}

describe("delivery", () => {
  test("delivered once: SENT with sentAt, the rendered body and the chat", async () => {
    await ensureSystemTemplates(db);
    const u = await user();
    startRunner();
    const { id } = await welcome(u.id, { appUrl: "https://aqstream.test/dashboard" });
    const sent = await untilStatus(id, "SENT");
    expect(sent.sentAt).not.toBeNull();
    expect(sent.telegramChatId).toBe(u.telegramChatId);
    expect(sent.body).toContain("Привет, Anna!");
    expect(sent.attempts).toBe(1);
    const calls = sentTo(u.telegramChatId);
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toMatchObject({ parse_mode: "HTML", text: sent.body });
    // The job is marked done just after the row is SENT: wait for it rather than race it.
    const job = await waitFor(() =>
      db.job.findFirst({ where: { name: "deliver-notification", dedupeKey: `deliver-notification:notification:${id}`, status: "SUCCEEDED" } }),
    );
    expect(job.attempts).toBe(1);
  });

  test("a 500 then success → delivered exactly once", async () => {
    const u = await user();
    telegram.failNext("sendMessage", { status: 500 });
    startRunner();
    const { id } = await welcome(u.id);
    const sent = await untilStatus(id, "SENT");
    expect(sent.attempts).toBe(2);
    expect(callsTo(u.telegramChatId)).toHaveLength(2);
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
  });

  test("a network failure is retried too (fake down, then up)", async () => {
    const u = await user();
    const { id } = await welcome(u.id);
    const dead = await deliverNotification(id, {
      api: (await import("@/lib/telegram/api")).createTelegramApi({ token: "123456:TEST-token", apiRoot: "http://127.0.0.1:9" }),
    });
    expect(dead.status).toBe("retry");
    expect(await row(id)).toMatchObject({ status: "PENDING", attempts: 1 });
    startRunner();
    await untilStatus(id, "SENT");
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
  });

  test("429 → waits retry_after (not a busy loop), then delivers once", async () => {
    const u = await user();
    telegram.failNext("sendMessage", { status: 429, retryAfter: 1 });
    startRunner();
    const { id } = await welcome(u.id);
    const waiting = await waitFor(async () => {
      const r = await row(id);
      return r.errorMessage?.includes("Rate limited") && r.status === "PENDING" && r;
    });
    expect(waiting.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(200);
    await untilStatus(id, "SENT");
    const calls = callsTo(u.telegramChatId);
    expect(calls).toHaveLength(2);
    expect(calls[1].time.getTime() - calls[0].time.getTime()).toBeGreaterThanOrEqual(950);
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
  });

  test("403 → the chat is forgotten, FAILED, and no more calls", async () => {
    const u = await user();
    telegram.failNext("sendMessage", { status: 403 });
    startRunner();
    const { id } = await welcome(u.id);
    const failed = await untilStatus(id, "FAILED");
    expect(failed.errorMessage).toMatch(/chat is gone.*blocked/);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).telegramChatId).toBeNull();
    await sweepNotifications({ graceMs: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(callsTo(u.telegramChatId)).toHaveLength(1);
  });

  test('400 "chat not found" is a gone chat too', async () => {
    const u = await user();
    telegram.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    const { id } = await welcome(u.id);
    expect(await deliverNotification(id)).toMatchObject({ status: "failed" });
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).telegramChatId).toBeNull();
  });

  test("a Telegram notice whose user unlinked Telegram before delivery → FAILED with the reason, nothing sent", async () => {
    const u = await user();
    const before = telegram.calls.length;
    const { id } = await welcome(u.id);
    await db.user.update({ where: { id: u.id }, data: { telegramChatId: null } });
    startRunner();
    const failed = await untilStatus(id, "FAILED");
    expect(failed.errorMessage).toBe("User has no Telegram chat linked");
    expect(telegram.calls.length).toBe(before);
  });

  test("a name full of HTML and Markdown characters is escaped", async () => {
    const u = await user({ firstName: "<b>_*[x](y)" });
    const { id } = await db.$transaction((tx) =>
      notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "<b>_*[x](y) & \"co\"" } }),
    );
    expect(await deliverNotification(id)).toMatchObject({ status: "sent" });
    const [call] = sentTo(u.telegramChatId);
    expect(call.params.parse_mode).toBe("HTML");
    expect(call.params.text).toContain("Привет, &lt;b&gt;_*[x](y) &amp; &quot;co&quot;!");
    expect(String(call.params.text)).not.toContain("<b>_");
  });

  test("the user's language picks the English body; dates in the event's zone", async () => {
    const u = await user({ locale: "EN" });
    const { id } = await db.$transaction((tx) =>
      notify(tx, {
        userId: u.id,
        templateCode: "event.reminder",
        variables: {
          firstName: "Ann",
          eventTitle: "Meetup",
          eventDate: dateVar(new Date("2027-03-15T16:00:00Z"), "Europe/Moscow"),
          eventLocation: "Main hall",
          eventUrl: "https://aqstream.test/events/meetup",
        },
      }),
    );
    await deliverNotification(id);
    const text = String(sentTo(u.telegramChatId)[0].params.text);
    expect(text).toContain("Reminder");
    expect(text).toContain("Mon, March 15, 2027 at 19:00 (Moscow Time, GMT+3)");
  });

  test("photo + buttons: sendPhoto with the rendered caption and an inline keyboard", async () => {
    const u = await user();
    const png = Buffer.alloc(2345, 7);
    let asked: unknown;
    registerPhotoResolver("ticket", async (spec) => {
      asked = spec;
      return png;
    });
    const { id } = await db.$transaction((tx) =>
      notify(tx, {
        userId: u.id,
        templateCode: "registration.confirmed",
        variables: { firstName: "Anna", eventTitle: "Meetup", eventDate: dateVar(new Date("2027-03-15T16:00:00Z"), "Europe/Moscow"), ticketTypeName: "Free", confirmationCode: "ABCD2345" },
        extra: {
          photo: { kind: "ticket", registrationId: "00000000-0000-4000-8000-000000000001" },
          buttons: [[{ text: { ru: "Открыть", en: "Open" }, url: "https://aqstream.test/t/1" }, { text: "Отменить", callbackData: "cancel:1" }]],
        },
      }),
    );
    expect(await deliverNotification(id)).toMatchObject({ status: "sent" });
    expect(asked).toEqual({ kind: "ticket", registrationId: "00000000-0000-4000-8000-000000000001" });
    const [call] = sentTo(u.telegramChatId, "sendPhoto");
    expect(call.files.photo.size).toBe(2345);
    expect(call.files.photo.contentType).toBe("image/png");
    expect(call.params.caption).toContain("<code>ABCD2345</code>");
    expect(call.params.parse_mode).toBe("HTML");
    expect(call.params.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Открыть", url: "https://aqstream.test/t/1" }, { text: "Отменить", callback_data: "cancel:1" }]],
    });
    expect(sentTo(u.telegramChatId)).toHaveLength(0);
  });

  test("concurrent deliveries of one row send it once", async () => {
    const u = await user();
    const { id } = await welcome(u.id);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => deliverNotification(id)));
    expect(outcomes.filter((o) => o.status === "sent")).toHaveLength(1);
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
  });
});

describe("notify()", () => {
  test("in a rolled-back transaction sends nothing", async () => {
    const u = await user();
    await expect(
      db.$transaction(async (tx) => {
        await notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" } });
        throw new Error("registration failed");
      }),
    ).rejects.toThrow("registration failed");
    startRunner();
    await new Promise((r) => setTimeout(r, 300));
    expect(await db.notificationLog.count({ where: { userId: u.id } })).toBe(0);
    expect(callsTo(u.telegramChatId)).toHaveLength(0);
  });

  test("the same dedupeKey twice → one row, one job, one message", async () => {
    const u = await user();
    const key = `welcome:${u.id}`;
    const first = await db.$transaction((tx) => notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" }, dedupeKey: key }));
    // A duplicate inside a transaction does not abort it.
    const second = await db.$transaction(async (tx) => {
      const r = await notify(tx, { userId: u.id, templateCode: "user.welcome", variables: { firstName: "Anna" }, dedupeKey: key });
      await tx.user.update({ where: { id: u.id }, data: { lastName: "still-works" } });
      return r;
    });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(await db.notificationLog.count({ where: { userId: u.id } })).toBe(1);
    expect(await db.job.count({ where: { payload: { equals: { notificationId: first.id } } } })).toBe(1);
    startRunner();
    await untilStatus(first.id, "SENT");
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
  });

  test("refuses bad extras and raw Dates", async () => {
    const u = await user();
    await expect(notify(db, { userId: u.id, templateCode: "user.welcome", extra: { buttons: [{ text: "x", url: "not a url" }] } })).rejects.toThrow();
    await expect(notify(db, { userId: u.id, templateCode: "user.welcome", variables: { eventDate: new Date() } })).rejects.toThrow(/dateVar/);
  });
});

describe("restarts and outages", () => {
  test("survives a restart: the runner that was delivering died; a new runner and the sweep deliver once", async () => {
    const u = await user();
    const { id } = await welcome(u.id);
    // The dead server had claimed the job and the notification, then vanished mid-delivery.
    const past = new Date(Date.now() - 10 * 60_000);
    await db.job.update({
      where: { dedupeKey: `deliver-notification:notification:${id}` },
      data: { status: "RUNNING", lockedBy: "dead-server", lockedUntil: past, attempts: 1 },
    });
    await db.notificationLog.update({ where: { id }, data: { attempts: 1, nextAttemptAt: past } });

    startRunner({ id: "new-server" });
    expect(await sweepNotifications()).toBe(1);
    const sent = await untilStatus(id, "SENT");
    expect(sent.attempts).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
    expect(await db.job.count({ where: { payload: { equals: { notificationId: id } }, status: { not: "SUCCEEDED" } } })).toBe(0);
  });

  test("a row whose job is gone is rescued by the sweep cron of a new runner", async () => {
    const u = await user();
    const { id } = await welcome(u.id);
    await db.job.update({ where: { dedupeKey: `deliver-notification:notification:${id}` }, data: { status: "FAILED", lastError: "gave up" } });
    await db.notificationLog.update({ where: { id }, data: { nextAttemptAt: new Date(Date.now() - 5 * 60_000) } });
    startRunner({ crons: true }); // claims the current minute's notifications-sweep tick
    await untilStatus(id, "SENT");
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
  });

  test("Telegram not configured → stays PENDING with the reason for an hour; released once configured", async () => {
    const u = await user();
    const { id } = await welcome(u.id);
    const before = Date.now();
    expect(await deliverNotification(id, { api: null })).toMatchObject({ status: "held" });
    const held = await row(id);
    expect(held).toMatchObject({ status: "PENDING", attempts: 0, errorMessage: NOT_CONFIGURED_MESSAGE });
    expect(held.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(59 * 60_000);
    // Not due: the sweep leaves it alone.
    expect(await sweepNotifications({ graceMs: 0 })).toBe(0);

    // Released before the runner starts: a started runner's own cron may release it first (then this would count 0).
    expect(await releaseHeldNotifications()).toBe(1);
    startRunner();
    await untilStatus(id, "SENT");
    expect(sentTo(u.telegramChatId)).toHaveLength(1);
  });

  test("transient failures until the attempt budget is spent → FAILED", async () => {
    const u = await user();
    const { id } = await welcome(u.id);
    telegram.failNext("sendMessage", { status: 502 }, 3);
    for (let i = 0; i < 3; i++) {
      await db.notificationLog.update({ where: { id }, data: { nextAttemptAt: new Date() } });
      await deliverNotification(id, { maxAttempts: 3 });
    }
    const failed = await row(id);
    expect(failed.status).toBe("FAILED");
    expect(failed.errorMessage).toMatch(/Gave up after 3 attempts/);
    expect(callsTo(u.telegramChatId)).toHaveLength(3);
  });
});
