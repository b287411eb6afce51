// The Telegram bot, sign-in with Telegram (widget + bot deep link), account linking, /tickets,
// invites, the webhook route and long polling — against the fake Bot API (never the real Telegram).
import { createHash, createHmac, randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { startFakeTelegram } from "@/tests/fakes/telegram-bot-api";
import { fromClient } from "@/tests/helpers/client-address";
import {
  createEvent,
  createOrganization,
  createRegistration,
  createTicketType,
  createUser,
  uniqueTelegramId,
} from "@/tests/helpers/factories";

// The environment is read once per process (lib/env.ts): set it before any app module runs.
const BOT_TOKEN = "123456789:TEST_bot-token";
const BOT_USERNAME = "aqstream_test_bot";
const WEBHOOK_SECRET = "test-webhook-secret_0123456789";
const tg = await startFakeTelegram();
process.env.TELEGRAM_BOT_TOKEN = BOT_TOKEN;
process.env.TELEGRAM_API_ROOT = tg.url;
process.env.TELEGRAM_BOT_USERNAME = BOT_USERNAME;
process.env.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET;
delete process.env.TELEGRAM_WEBHOOK_URL;

const { handleUpdate } = await import("@/lib/telegram/bot");
const auth = await import("@/lib/identity/telegram-auth");
const link = await import("@/lib/identity/telegram-link");
const { acceptOrganizationInvite } = await import("@/lib/organizations/invites");
const { startTelegram, stopTelegram, TELEGRAM_POLLER_LOCK_KEY } = await import("@/lib/telegram/runtime");
const webhookRoute = await import("@/app/api/telegram/webhook/route");
const botLoginRoute = await import("@/app/api/auth/telegram/bot-login/route");
const { verifyTicket } = await import("@/lib/tickets/ticket-token");
const { consume } = await import("@/lib/rate-limit");

afterAll(async () => {
  await stopTelegram();
  await tg.stop();
});

// ───────────────────────────── helpers ─────────────────────────────

let nextUpdateId = 10_000;
let nextMessageId = 1;

type From = { id: number; is_bot: false; first_name: string; last_name?: string; username?: string; language_code?: string };

function telegramUser(overrides: Partial<From> = {}): From {
  const id = Number(uniqueTelegramId());
  return { id, is_bot: false, first_name: "Иван", last_name: "Телеграмов", username: `user${id}`, language_code: "ru", ...overrides };
}

function messageUpdate(from: From, text: string) {
  return {
    update_id: nextUpdateId++,
    message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private" }, from, text },
  };
}

function callbackUpdate(from: From, data: string, messageId: number) {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb-${nextUpdateId}`,
      from,
      chat_instance: "test",
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private" } },
    },
  };
}

/** Calls of a method answered ok for one chat, in order. */
function sentTo(method: string, chatId: number) {
  return tg.sent(method).filter((c) => String(c.params.chat_id) === String(chatId));
}

function lastText(chatId: number): string {
  const texts = [...sentTo("sendMessage", chatId), ...sentTo("editMessageText", chatId)].sort((a, b) => a.time.getTime() - b.time.getTime());
  return String(texts.at(-1)?.params.text ?? "");
}

async function send(from: From, text: string) {
  await handleUpdate(messageUpdate(from, text));
}

function signWidget(fields: Record<string, string | number>, token = BOT_TOKEN) {
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
  const key = createHash("sha256").update(token).digest();
  return { ...fields, hash: createHmac("sha256", key).update(dataCheckString).digest("hex") };
}

const welcomeCount = (userId: string) => db.notificationLog.count({ where: { userId, templateCode: "user.welcome" } });
const usersWithTelegram = (id: number | string) => db.user.count({ where: { telegramId: String(id) } });

function inviteCode(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join("");
}

async function createInvite(organization: { id: string; ownerId: string }, overrides: { expiresAt?: Date; revokedAt?: Date } = {}) {
  return db.organizationInvite.create({
    data: {
      organizationId: organization.id,
      code: inviteCode(),
      createdById: organization.ownerId,
      expiresAt: overrides.expiresAt ?? new Date(Date.now() + 7 * 24 * 3600 * 1000),
      revokedAt: overrides.revokedAt ?? null,
    },
  });
}

// ───────────────────────────── /start, /help, unknown input ─────────────────────────────

describe("bot basics", () => {
  test("/start from an unknown Telegram user: a welcome in their language, and no account is created", async () => {
    const ru = telegramUser();
    await send(ru, "/start");
    expect(lastText(ru.id)).toContain("Привет! Я бот");
    const en = telegramUser({ language_code: "en" });
    await send(en, "/start");
    expect(lastText(en.id)).toContain("Hi! I am the");
    expect(await usersWithTelegram(ru.id)).toBe(0);
  });

  test("/start from a known user greets them by name and restores the chat id", async () => {
    const from = telegramUser();
    const user = await createUser({ telegramId: String(from.id), telegramChatId: null, firstName: "Мария", locale: "EN" });
    await send(from, "/start");
    expect(lastText(from.id)).toContain("Welcome back, Мария");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).telegramChatId).toBe(String(from.id));
  });

  test("/help lists the commands; unknown commands, payloads and plain text get a friendly pointer to /help", async () => {
    const from = telegramUser();
    await send(from, "/help");
    expect(lastText(from.id)).toContain("/tickets");
    await send(from, "/frobnicate");
    expect(lastText(from.id)).toMatch(/не знаю.*\/help/s);
    await send(from, "/start bogus_payload");
    expect(lastText(from.id)).toMatch(/Не удалось распознать ссылку.*\/help/s);
    await send(from, "/start login_not-a-token");
    expect(lastText(from.id)).toContain("Ссылка для входа не найдена");
    await send(from, "hello");
    expect(lastText(from.id)).toContain("/help");
  });

  test("the same update delivered twice is handled once", async () => {
    const from = telegramUser();
    const update = messageUpdate(from, "/help");
    await handleUpdate(update);
    await handleUpdate(update);
    expect(sentTo("sendMessage", from.id)).toHaveLength(1);
  });

  test("group chats are ignored (tickets and sign-ins stay private)", async () => {
    const from = telegramUser();
    await handleUpdate({
      update_id: nextUpdateId++,
      message: { message_id: nextMessageId++, date: 0, chat: { id: -100123, type: "group" }, from, text: "/tickets" },
    });
    expect(sentTo("sendMessage", -100123)).toHaveLength(0);
  });

  test("/lang offers RU/EN buttons; choosing stores the locale and later replies follow it", async () => {
    const from = telegramUser();
    const user = await createUser({ telegramId: String(from.id) });
    await send(from, "/lang");
    const prompt = sentTo("sendMessage", from.id).at(-1)!;
    const buttons = (prompt.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toEqual(["lang:ru", "lang:en"]);
    await handleUpdate(callbackUpdate(from, "lang:en", Number(prompt.params.message_id ?? 1)));
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("EN");
    expect(lastText(from.id)).toContain("English");
    await send(from, "/help");
    expect(lastText(from.id)).toContain("Commands");
  });
});

// ───────────────────────────── bot deep-link sign-in ─────────────────────────────

describe("sign-in through the bot (deep link)", () => {
  test("start → /start login_<token> → confirm → confirmed → consume: the user is created once, welcome queued; a second consume is refused", async () => {
    const from = telegramUser({ first_name: "Пётр", username: "petr_tg" });
    const started = await auth.startBotLogin({ userAgent: "Mozilla/5.0 (Windows NT 10.0) Chrome/130.0 Safari/537.36" });
    expect(started.url).toBe(`https://t.me/${BOT_USERNAME}?start=login_${started.token}`);
    expect(started.expiresAt.getTime() - Date.now()).toBeGreaterThan(4 * 60 * 1000);
    expect(await auth.getBotLoginStatus(started.token)).toBe("pending");
    // Only the hash is stored.
    expect(await db.authToken.count({ where: { tokenHash: started.token } })).toBe(0);

    await send(from, `/start login_${started.token}`);
    const prompt = sentTo("sendMessage", from.id).at(-1)!;
    expect(String(prompt.params.text)).toContain("Chrome, Windows");
    const button = (prompt.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0][0];
    expect(button.callback_data).toMatch(/^login:[0-9a-f-]{36}$/);
    expect(button.callback_data).not.toContain(started.token);
    expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    expect(await usersWithTelegram(from.id)).toBe(0);

    const messageId = Number(prompt.params.message_id ?? 1);
    await handleUpdate(callbackUpdate(from, button.callback_data, messageId));
    expect(tg.sent("answerCallbackQuery").length).toBeGreaterThan(0);
    expect(lastText(from.id)).toContain("Вход подтверждён");
    expect(await auth.getBotLoginStatus(started.token)).toBe("confirmed");

    // A second tap changes nothing.
    await handleUpdate(callbackUpdate(from, button.callback_data, messageId));
    expect(await usersWithTelegram(from.id)).toBe(1);

    const user = await auth.consumeBotLogin(started.token);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ telegramId: String(from.id), telegramChatId: String(from.id), telegramUsername: "petr_tg", firstName: "Пётр" });
    expect(row.lastLoginAt).not.toBeNull();
    expect(await welcomeCount(user.id)).toBe(1);
    expect(await auth.getBotLoginStatus(started.token)).toBe("used");

    await expect(auth.consumeBotLogin(started.token)).rejects.toMatchObject({ code: "UNAUTHENTICATED", message: "errors.telegramLoginUsed" });
    expect(await auth.authorizeTelegramBotLogin({ token: started.token })).toBeNull();
    expect(await usersWithTelegram(from.id)).toBe(1);
  });

  test("an existing Telegram user signs in without a new account or a second welcome", async () => {
    const from = telegramUser();
    const existing = await createUser({ telegramId: String(from.id), email: null });
    const started = await auth.startBotLogin();
    await send(from, `/start login_${started.token}`);
    const button = (sentTo("sendMessage", from.id).at(-1)!.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0][0];
    await handleUpdate(callbackUpdate(from, button.callback_data, 1));
    const authUser = await auth.authorizeTelegramBotLogin({ token: started.token });
    expect(authUser).toMatchObject({ id: existing.id });
    expect(await welcomeCount(existing.id)).toBe(0);
  });

  test("consuming before confirmation is refused and does not use the token", async () => {
    const started = await auth.startBotLogin();
    await expect(auth.consumeBotLogin(started.token)).rejects.toMatchObject({ message: "errors.telegramLoginNotConfirmed" });
    expect(await auth.getBotLoginStatus(started.token)).toBe("pending");
  });

  test("an expired token is refused in the bot, at confirmation and at consumption; nothing is created", async () => {
    const from = telegramUser();
    const started = await auth.startBotLogin({}, { now: new Date(Date.now() - 6 * 60 * 1000) });
    expect(await auth.getBotLoginStatus(started.token)).toBe("expired");
    await send(from, `/start login_${started.token}`);
    expect(lastText(from.id)).toContain("устарела");
    const row = await db.authToken.findUniqueOrThrow({ where: { tokenHash: auth.sha256Hex(started.token) } });
    await handleUpdate(callbackUpdate(from, `login:${row.id}`, 1));
    expect(lastText(from.id)).toContain("устарела");
    await expect(auth.consumeBotLogin(started.token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await usersWithTelegram(from.id)).toBe(0);
  });

  test("only the Telegram user who opened the link can confirm it", async () => {
    const owner = telegramUser();
    const intruder = telegramUser();
    const started = await auth.startBotLogin();
    await send(owner, `/start login_${started.token}`);
    const row = await db.authToken.findUniqueOrThrow({ where: { tokenHash: auth.sha256Hex(started.token) } });
    await handleUpdate(callbackUpdate(intruder, `login:${row.id}`, 1));
    expect(lastText(intruder.id)).toContain("другим пользователем Telegram");
    expect(await auth.getBotLoginStatus(started.token)).toBe("pending");
    expect(await usersWithTelegram(intruder.id)).toBe(0);
  });

  test("route handlers: POST starts, GET reports the status; a bad token reads as expired", async () => {
    const post = await botLoginRoute.POST(new Request("http://localhost/api/auth/telegram/bot-login", { method: "POST", headers: fromClient("203.0.113.7") }));
    expect(post.status).toBe(200);
    const body = (await post.json()) as { token: string; url: string };
    expect(body.url).toContain(`start=login_${body.token}`);
    const get = await botLoginRoute.GET(new Request(`http://localhost/api/auth/telegram/bot-login?token=${body.token}`));
    expect(await get.json()).toMatchObject({ status: "pending" });
    const bad = await botLoginRoute.GET(new Request("http://localhost/api/auth/telegram/bot-login?token=nope"));
    expect(await bad.json()).toMatchObject({ status: "expired" });
  });

  test("route handler: starting is rate-limited per client address", async () => {
    const headers = fromClient("198.51.100.9");
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await botLoginRoute.POST(new Request("http://localhost/api/auth/telegram/bot-login", { method: "POST", headers }))).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("fixed-window rate limit (one atomic upsert)", () => {
  test("parallel requests never over-admit; the window resets", async () => {
    const key = `test:${randomBytes(4).toString("hex")}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => consume(key, 5, 1)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await new Promise((r) => setTimeout(r, 1100));
    expect(await consume(key, 5, 1)).toMatchObject({ allowed: true, count: 1, remaining: 4 });
  });
});

// ───────────────────────────── Login Widget ─────────────────────────────

describe("sign-in with the Login Widget", () => {
  const now = () => Math.floor(Date.now() / 1000);

  test("creates the user once (names, username, avatar, chat id) and queues the welcome; a replay is refused", async () => {
    const id = Number(uniqueTelegramId());
    const payload = signWidget({ id, first_name: "Анна", last_name: "Виджетова", username: "anna_w", photo_url: "https://t.me/i/userpic/320/anna.jpg", auth_date: now() });
    const { user, created } = await auth.verifyTelegramWidget(payload);
    expect(created).toBe(true);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      telegramId: String(id),
      telegramChatId: String(id),
      telegramUsername: "anna_w",
      firstName: "Анна",
      lastName: "Виджетова",
      avatarUrl: "https://t.me/i/userpic/320/anna.jpg",
      email: null,
    });
    expect(await welcomeCount(user.id)).toBe(1);

    await expect(auth.verifyTelegramWidget(payload)).rejects.toMatchObject({ code: "UNAUTHENTICATED", message: "errors.telegramWidgetReplayed" });

    // A fresh payload of the same person signs in to the same account.
    const again = await auth.verifyTelegramWidget(signWidget({ id, first_name: "Анна", auth_date: now() + 1 }));
    expect(again).toMatchObject({ created: false, user: { id: user.id } });
    expect(await usersWithTelegram(id)).toBe(1);
    expect(await welcomeCount(user.id)).toBe(1);
  });

  test("parallel first sign-ins of one person create one user", async () => {
    const id = Number(uniqueTelegramId());
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => auth.verifyTelegramWidget(signWidget({ id, first_name: "Параллельный", auth_date: now() - i }))),
    );
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(await usersWithTelegram(id)).toBe(1);
    const user = await db.user.findFirstOrThrow({ where: { telegramId: String(id) } });
    expect(await welcomeCount(user.id)).toBe(1);
  });

  test("forged, expired or future payloads are refused and nothing is created", async () => {
    const id = Number(uniqueTelegramId());
    const forged = { ...signWidget({ id, first_name: "Ева", auth_date: now() }), first_name: "Мэллори" };
    await expect(auth.verifyTelegramWidget(forged)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const otherBot = signWidget({ id, first_name: "Ева", auth_date: now() }, "999:other-bot");
    await expect(auth.verifyTelegramWidget(otherBot)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const expired = signWidget({ id, first_name: "Ева", auth_date: now() - 3700 });
    await expect(auth.verifyTelegramWidget(expired)).rejects.toMatchObject({ message: "errors.telegramWidgetExpired" });
    const future = signWidget({ id, first_name: "Ева", auth_date: now() + 600 });
    await expect(auth.verifyTelegramWidget(future)).rejects.toMatchObject({ message: "errors.telegramWidgetExpired" });
    expect(await usersWithTelegram(id)).toBe(0);
    expect(await db.telegramWidgetLogin.count({ where: { hash: { in: [String(forged.hash), String(expired.hash)] } } })).toBe(0);
  });

  test("authorizeTelegramWidget ignores the fields Auth.js adds and returns the user, or null", async () => {
    const id = Number(uniqueTelegramId());
    const payload = signWidget({ id, first_name: "Олег", auth_date: now() });
    const user = await auth.authorizeTelegramWidget({ ...payload, csrfToken: "x", callbackUrl: "/dashboard" });
    expect(user).toMatchObject({ name: "Олег", email: null });
    expect(await auth.authorizeTelegramWidget({ ...payload, csrfToken: "x" })).toBeNull(); // replay
    expect(await auth.authorizeTelegramWidget({ id: String(id), hash: "0".repeat(64), auth_date: String(now()) })).toBeNull();
  });
});

// ───────────────────────────── linking ─────────────────────────────

describe("linking and unlinking Telegram", () => {
  test("a link token links the Telegram account; it cannot be used again", async () => {
    const user = await createUser({ firstName: "Светлана", emailVerified: true });
    const from = telegramUser({ username: "sveta_tg" });
    const { token, url } = await link.createLinkToken(user.id);
    expect(url).toBe(`https://t.me/${BOT_USERNAME}?start=link_${token}`);

    await send(from, `/start link_${token}`);
    expect(lastText(from.id)).toContain("Telegram привязан к аккаунту Светлана");
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      telegramId: String(from.id),
      telegramChatId: String(from.id),
      telegramUsername: "sveta_tg",
    });

    // The same Telegram account again: fine, nothing changes. Another one: the token is used up.
    await send(from, `/start link_${token}`);
    expect(lastText(from.id)).toContain("уже привязан к вашему аккаунту");
    const other = telegramUser();
    await send(other, `/start link_${token}`);
    expect(lastText(other.id)).toContain("уже использована");
  });

  test("an expired token is refused; a new token invalidates the previous one", async () => {
    const user = await createUser({ emailVerified: true });
    const from = telegramUser();
    const old = await link.createLinkToken(user.id, { now: new Date(Date.now() - 16 * 60 * 1000) });
    await send(from, `/start link_${old.token}`);
    expect(lastText(from.id)).toContain("устарела");

    const first = await link.createLinkToken(user.id);
    const second = await link.createLinkToken(user.id);
    await send(from, `/start link_${first.token}`);
    expect(lastText(from.id)).toContain("устарела");
    await send(from, `/start link_${second.token}`);
    expect(lastText(from.id)).toContain("Telegram привязан");
  });

  test("a Telegram account linked to someone else: a clear error and nothing changes", async () => {
    const from = telegramUser();
    const holder = await createUser({ telegramId: String(from.id) });
    const user = await createUser({ emailVerified: true });
    const { token } = await link.createLinkToken(user.id);
    await send(from, `/start link_${token}`);
    expect(lastText(from.id)).toContain("уже привязан к другому аккаунту");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).telegramId).toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: holder.id } })).telegramId).toBe(String(from.id));
    const row = await db.authToken.findUniqueOrThrow({ where: { tokenHash: auth.sha256Hex(token) } });
    expect(row.usedAt).toBeNull();
  });

  test("parallel links of one Telegram account to several accounts: one wins (unique index), the others get a clear CONFLICT and keep their token", async () => {
    const from = telegramUser();
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser({ emailVerified: true })));
    const tokens = await Promise.all(users.map((u) => link.createLinkToken(u.id)));
    const profile = auth.profileFromTelegramUser(from);
    const results = await Promise.allSettled(tokens.map(({ token }) => link.linkTelegramWithToken({ token, telegram: profile })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT", message: "errors.telegramTakenElsewhere" });
    }
    expect(await usersWithTelegram(from.id)).toBe(1);
    const used = await db.authToken.count({ where: { tokenHash: { in: tokens.map((t) => auth.sha256Hex(t.token)) }, usedAt: { not: null } } });
    expect(used).toBe(1);
  });

  test("linking needs a verified email or a Telegram-only account: the rule", () => {
    expect(link.mayLinkTelegram({ email: "a@example.com", emailVerified: true, passwordHash: "x" })).toBe(true);
    expect(link.mayLinkTelegram({ email: "a@example.com", emailVerified: false, passwordHash: "x" })).toBe(false);
    expect(link.mayLinkTelegram({ email: "a@example.com", emailVerified: false, passwordHash: null })).toBe(false);
    expect(link.mayLinkTelegram({ email: null, emailVerified: false, passwordHash: "x" })).toBe(false);
    expect(link.mayLinkTelegram({ email: null, emailVerified: false, passwordHash: null })).toBe(true);
  });

  test("an unverified email cannot get a link token: FORBIDDEN with a clear message, nothing created", async () => {
    const user = await createUser({ emailVerified: false });
    await expect(link.createLinkToken(user.id)).rejects.toMatchObject({ code: "FORBIDDEN", httpStatus: 403, message: "errors.telegramLinkNeedsVerifiedEmail" });
    expect(await db.authToken.count({ where: { userId: user.id, type: "TELEGRAM_LINK" } })).toBe(0);
  });

  test("a verified email links; a Telegram-only account is never refused for the email", async () => {
    const verified = await createUser({ emailVerified: true });
    const from = telegramUser();
    const { token } = await link.createLinkToken(verified.id);
    await send(from, `/start link_${token}`);
    expect(lastText(from.id)).toContain("Telegram привязан");
    expect((await db.user.findUniqueOrThrow({ where: { id: verified.id } })).telegramId).toBe(String(from.id));

    // A Telegram-only account (created through Telegram: no email, no password; the database requires
    // an email or a Telegram id, so it always has its Telegram). The email rule does not apply to it:
    // it only ever meets "already linked", and its own Telegram opening a link token is fine.
    const tgOnly = telegramUser();
    const telegramOnly = await createUser({ email: null, passwordHash: null, telegramId: String(tgOnly.id) });
    await expect(link.createLinkToken(telegramOnly.id)).rejects.toMatchObject({ code: "CONFLICT", message: "errors.telegramAlreadyLinked" });
    const raw = randomBytes(32).toString("base64url");
    await db.authToken.create({ data: { type: "TELEGRAM_LINK", userId: telegramOnly.id, tokenHash: auth.sha256Hex(raw), expiresAt: new Date(Date.now() + 60_000) } });
    const result = await link.linkTelegramWithToken({ token: raw, telegram: auth.profileFromTelegramUser(tgOnly) });
    expect(result).toMatchObject({ userId: telegramOnly.id, alreadyLinked: true });
  });

  test("the email stopped being verified after the token was issued: the bot refuses clearly, nothing changes, the token stays usable", async () => {
    const user = await createUser({ emailVerified: true });
    const { token } = await link.createLinkToken(user.id);
    // E.g. the address was changed: the new one is not verified yet.
    await db.user.update({ where: { id: user.id }, data: { emailVerified: false } });
    const from = telegramUser();
    await send(from, `/start link_${token}`);
    expect(lastText(from.id)).toContain("сначала подтвердите email");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).telegramId).toBeNull();
    const row = await db.authToken.findUniqueOrThrow({ where: { tokenHash: auth.sha256Hex(token) } });
    expect(row.usedAt).toBeNull();
    expect(await db.auditLog.count({ where: { entityId: user.id, action: "user.telegram_linked" } })).toBe(0);

    // Once the email is verified again, the same link works.
    await db.user.update({ where: { id: user.id }, data: { emailVerified: true } });
    await send(from, `/start link_${token}`);
    expect(lastText(from.id)).toContain("Telegram привязан");
  });

  test("English bot reply for the refusal", async () => {
    const user = await createUser({ emailVerified: true });
    const { token } = await link.createLinkToken(user.id);
    await db.user.update({ where: { id: user.id }, data: { emailVerified: false } });
    const from = telegramUser({ language_code: "en" });
    await send(from, `/start link_${token}`);
    expect(lastText(from.id)).toContain("confirm your account's email first");
  });

  test("unlink only while email + password remain", async () => {
    const telegramOnly = await createUser({ email: null, telegramId: uniqueTelegramId() });
    await expect(link.unlinkTelegram(telegramOnly.id)).rejects.toMatchObject({ code: "CONFLICT", message: "errors.telegramUnlinkNeedsPassword" });
    expect((await db.user.findUniqueOrThrow({ where: { id: telegramOnly.id } })).telegramId).not.toBeNull();

    const both = await createUser({ telegramId: uniqueTelegramId(), telegramChatId: "1", telegramUsername: "x" });
    await link.unlinkTelegram(both.id);
    expect(await db.user.findUniqueOrThrow({ where: { id: both.id } })).toMatchObject({ telegramId: null, telegramChatId: null, telegramUsername: null });
    await expect(link.unlinkTelegram(both.id)).rejects.toMatchObject({ message: "errors.telegramNotLinked" });
    await expect(link.createLinkToken(telegramOnly.id)).rejects.toMatchObject({ message: "errors.telegramAlreadyLinked" });
  });
});

// ───────────────────────────── tickets ─────────────────────────────

describe("/tickets and ticket_<code>", () => {
  test("/tickets sends each upcoming ticket as a QR photo to the user's chat; past and cancelled ones are left out", async () => {
    const from = telegramUser();
    const user = await createUser({ telegramId: String(from.id), telegramChatId: String(from.id) });
    const { organization } = await createOrganization();
    const upcoming = await createEvent(organization, { title: "Митап <TypeScript> & друзья" });
    const past = await createEvent(organization, { startsAt: new Date(Date.now() - 3 * 24 * 3600 * 1000) });
    const other = await createEvent(organization);
    const reg = await createRegistration(upcoming, await createTicketType(upcoming), { user });
    await createRegistration(past, await createTicketType(past), { user });
    await createRegistration(other, await createTicketType(other), { user, status: "CANCELLED" });

    await send(from, "/tickets");
    const photos = sentTo("sendPhoto", from.id);
    expect(photos).toHaveLength(1);
    expect(String(photos[0].params.chat_id)).toBe(String(from.id));
    expect(photos[0].files.photo.size).toBeGreaterThan(1000);
    expect(photos[0].files.photo.contentType).toBe("image/png");
    expect(String(photos[0].params.caption)).toContain(reg.confirmationCode);
    expect(String(photos[0].params.caption)).toContain("Митап &lt;TypeScript&gt; &amp; друзья");
  });

  test("the ticket image carries a QR code of the signed payload", async () => {
    const { renderTicketPng, renderQrPng } = await import("@/lib/tickets/ticket-image");
    const user = await createUser();
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const reg = await createRegistration(event, await createTicketType(event), { user });
    const png = await renderTicketPng(reg.id);
    const sharp = (await import("sharp")).default;
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe("png");
    expect(meta.width).toBeGreaterThanOrEqual(300);
    expect(meta.height).toBeGreaterThanOrEqual(300);
    const { signTicket } = await import("@/lib/tickets/ticket-token");
    const payload = signTicket({ eventId: event.id, registrationId: reg.id, code: reg.confirmationCode });
    expect(verifyTicket(payload)).toMatchObject({ ok: true, registrationId: reg.id });
    // The QR alone and the QR inside the ticket card both decode to the signed payload.
    const jsQR = (await import("jsqr")).default;
    const decode = async (image: Buffer) => {
      const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data;
    };
    const qr = await renderQrPng(payload);
    const qrMeta = await sharp(qr).metadata();
    expect([qrMeta.width, qrMeta.height]).toEqual([480, 480]);
    expect(await decode(qr)).toBe(payload);
    expect(await decode(png)).toBe(payload);
    expect((await sharp(await renderQrPng(payload, 100)).metadata()).width).toBe(300);
  });

  test("/tickets without a linked account, and with no tickets", async () => {
    const stranger = telegramUser();
    await send(stranger, "/tickets");
    expect(lastText(stranger.id)).toContain("не привязан");
    const from = telegramUser();
    await createUser({ telegramId: String(from.id) });
    await send(from, "/tickets");
    expect(lastText(from.id)).toContain("нет билетов");
  });

  test("ticket_<code> shows the ticket only to its holder", async () => {
    const from = telegramUser();
    const user = await createUser({ telegramId: String(from.id) });
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const reg = await createRegistration(event, await createTicketType(event), { user });

    await send(from, `/start ticket_${reg.confirmationCode}`);
    expect(sentTo("sendPhoto", from.id)).toHaveLength(1);

    const intruder = telegramUser();
    await createUser({ telegramId: String(intruder.id) });
    await send(intruder, `/start ticket_${reg.confirmationCode}`);
    expect(sentTo("sendPhoto", intruder.id)).toHaveLength(0);
    expect(lastText(intruder.id)).toContain("Билет не найден");
  });
});

// ───────────────────────────── invites ─────────────────────────────

describe("invite_<code> in the bot", () => {
  test("a Telegram user without an account: the account is created and the invite accepted once; a second use is refused", async () => {
    const { organization } = await createOrganization({ name: "Клуб настольных игр" });
    const invite = await createInvite(organization);
    const from = telegramUser();
    await send(from, `/start invite_${invite.code}`);
    expect(lastText(from.id)).toContain("модератор организации «Клуб настольных игр»");
    const user = await db.user.findFirstOrThrow({ where: { telegramId: String(from.id) } });
    expect(await db.organizationMember.findUnique({ where: { organizationId_userId: { organizationId: organization.id, userId: user.id } } })).toMatchObject({
      role: "MODERATOR",
    });
    expect(await welcomeCount(user.id)).toBe(1);
    expect((await db.organizationInvite.findUniqueOrThrow({ where: { id: invite.id } })).usedById).toBe(user.id);

    // The same person again: "already a member"; somebody else: "used", and no membership.
    await send(from, `/start invite_${invite.code}`);
    expect(lastText(from.id)).toContain("уже состоите");
    const second = telegramUser();
    await send(second, `/start invite_${invite.code}`);
    expect(lastText(second.id)).toContain("уже использовано");
    expect(await db.organizationMember.count({ where: { organizationId: organization.id } })).toBe(2); // owner + moderator
    expect(await usersWithTelegram(second.id)).toBe(0);
  });

  test("an expired, revoked or unknown invite is refused and never claims success", async () => {
    const { organization } = await createOrganization();
    const expired = await createInvite(organization, { expiresAt: new Date(Date.now() - 1000) });
    const revoked = await createInvite(organization, { revokedAt: new Date() });
    const from = telegramUser();
    await send(from, `/start invite_${expired.code}`);
    expect(lastText(from.id)).toContain("истёк");
    await send(from, `/start invite_${revoked.code}`);
    expect(lastText(from.id)).toContain("отозвано");
    await send(from, `/start invite_${inviteCode()}`);
    expect(lastText(from.id)).toContain("не найдено");
    expect(await usersWithTelegram(from.id)).toBe(0);
    expect(await db.organizationMember.count({ where: { organizationId: organization.id } })).toBe(1);
  });

  test("a user who is already a member keeps the invite unused", async () => {
    const { organization, owner } = await createOrganization();
    const invite = await createInvite(organization);
    await expect(acceptOrganizationInvite({ code: invite.code, userId: owner.id })).rejects.toMatchObject({ message: "errors.inviteAlreadyMember" });
    expect((await db.organizationInvite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).toBeNull();
  });

  test("parallel accepts of one invite: exactly one membership", async () => {
    const { organization } = await createOrganization();
    const invite = await createInvite(organization);
    const users = await Promise.all(Array.from({ length: 8 }, () => createUser()));
    const results = await Promise.allSettled(users.map((u) => acceptOrganizationInvite({ code: invite.code, userId: u.id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT", message: "errors.inviteUsed" });
    expect(await db.organizationMember.count({ where: { organizationId: organization.id, role: "MODERATOR" } })).toBe(1);
  });
});

// ───────────────────────────── transport ─────────────────────────────

describe("webhook route", () => {
  const url = "http://localhost/api/telegram/webhook";

  test("a wrong or missing secret is refused with 401 and the update is not handled", async () => {
    const from = telegramUser();
    const wrong = await webhookRoute.POST(
      new Request(url, { method: "POST", headers: { "x-telegram-bot-api-secret-token": "wrong" }, body: JSON.stringify(messageUpdate(from, "/help")) }),
    );
    expect(wrong.status).toBe(401);
    const missing = await webhookRoute.POST(new Request(url, { method: "POST", body: JSON.stringify(messageUpdate(from, "/help")) }));
    expect(missing.status).toBe(401);
    expect(sentTo("sendMessage", from.id)).toHaveLength(0);
  });

  test("the right secret: 200 and the update is answered", async () => {
    const from = telegramUser();
    const response = await webhookRoute.POST(
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
        body: JSON.stringify(messageUpdate(from, "/start")),
      }),
    );
    expect(response.status).toBe(200);
    expect(lastText(from.id)).toContain("Привет! Я бот");
  });
});

describe("runtime: long polling and webhook registration", () => {
  // Several servers sharing one database elect a single poller with an advisory lock.
  test("polling: one poller holds the advisory lock; a standby server takes over and answers injected updates", async () => {
    // Another "server" holds the poller lock.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    expect((await other.query("SELECT pg_try_advisory_lock($1::bigint) AS ok", [TELEGRAM_POLLER_LOCK_KEY])).rows[0].ok).toBe(true);

    const runtime = await startTelegram({ pollTimeoutSeconds: 1, standbyRetryMs: 150 });
    expect(runtime.mode).toBe("polling");
    const from = telegramUser();
    tg.injectUpdate(messageUpdate(from, "/start"));
    await new Promise((r) => setTimeout(r, 600));
    expect(runtime.isPolling()).toBe(false);
    expect(sentTo("sendMessage", from.id)).toHaveLength(0);

    await other.end(); // that server stops: its lock goes with its connection
    const deadline = Date.now() + 10_000;
    while (sentTo("sendMessage", from.id).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(lastText(from.id)).toContain("Привет! Я бот");
    expect(runtime.isPolling()).toBe(true);
    expect(tg.callsOf("deleteWebhook").length).toBeGreaterThan(0);

    // Offsets advance: the next update is answered, the first is not answered twice.
    const second = telegramUser();
    tg.injectUpdate(messageUpdate(second, "/help"));
    const until = Date.now() + 10_000;
    while (sentTo("sendMessage", second.id).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(lastText(second.id)).toContain("/tickets");
    expect(sentTo("sendMessage", from.id)).toHaveLength(1);

    // Errors back off and recover.
    tg.failNext("getUpdates", { status: 502 });
    const third = telegramUser();
    tg.injectUpdate(messageUpdate(third, "/help"));
    const later = Date.now() + 15_000;
    while (sentTo("sendMessage", third.id).length === 0 && Date.now() < later) await new Promise((r) => setTimeout(r, 100));
    expect(sentTo("sendMessage", third.id)).toHaveLength(1);

    await stopTelegram();
    // The lock is free again once stopped.
    const check = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await check.connect();
    expect((await check.query("SELECT pg_try_advisory_lock($1::bigint) AS ok", [TELEGRAM_POLLER_LOCK_KEY])).rows[0].ok).toBe(true);
    await check.end();
  });

  test("webhook mode: setWebhook(<url>/api/telegram/webhook, secret)", async () => {
    const runtime = await startTelegram({ webhookUrl: "https://aq.example.org/", webhookSecret: WEBHOOK_SECRET });
    expect(runtime.mode).toBe("webhook");
    await runtime.ready;
    expect(tg.webhook).toEqual({ url: "https://aq.example.org/api/telegram/webhook", secretToken: WEBHOOK_SECRET });
    await stopTelegram();
    tg.webhook = null;
  });

  test("no token: nothing runs", async () => {
    const runtime = await startTelegram({ token: null });
    expect(runtime.mode).toBe("disabled");
    await stopTelegram();
  });
});
