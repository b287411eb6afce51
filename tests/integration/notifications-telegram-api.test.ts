// lib/telegram/api.ts against the fake Bot API server (tests/fakes/telegram-bot-api.ts), and the
// fake's own features the bot relies on (long polling, webhooks, control API, standalone mode).
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { FakeTelegramBotApi, startFakeTelegram } from "@/tests/fakes/telegram-bot-api";

delete process.env.TELEGRAM_BOT_TOKEN;
const { createTelegramApi, getTelegramApi, isTelegramConfigured, TelegramError } = await import("@/lib/telegram/api");

const TOKEN = "123456:TEST-token";
const telegram = await startFakeTelegram({ token: TOKEN });
const api = createTelegramApi({ token: TOKEN, apiRoot: telegram.url });
afterAll(() => telegram.stop());

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof TelegramError>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TelegramError);
    return error as InstanceType<typeof TelegramError>;
  }
  throw new Error("expected a TelegramError");
}

describe("Telegram transport", () => {
  test("not configured without TELEGRAM_BOT_TOKEN", () => {
    expect(isTelegramConfigured()).toBe(false);
    expect(getTelegramApi()).toBeNull();
  });

  test("getMe and sendMessage (HTML by default, inline keyboard)", async () => {
    expect(await api.getMe()).toMatchObject({ is_bot: true, username: "aqstream_test_bot" });
    const message = await api.sendMessage({
      chatId: 42,
      text: "<b>Hi</b>",
      replyMarkup: { inline_keyboard: [[{ text: "Go", url: "https://x.test" }]] },
      disableLinkPreview: true,
    });
    expect(message).toMatchObject({ chat: { id: 42 }, text: "<b>Hi</b>" });
    const call = telegram.sent("sendMessage").at(-1)!;
    expect(call.params).toMatchObject({
      chat_id: "42",
      text: "<b>Hi</b>",
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "Go", url: "https://x.test" }]] },
      link_preview_options: { is_disabled: true },
    });
  });

  test("sendPhoto uploads a Buffer as multipart/form-data", async () => {
    await api.sendPhoto({ chatId: 7, photo: Buffer.alloc(4321, 1), filename: "ticket.png", caption: "<i>Ticket</i>" });
    const call = telegram.sent("sendPhoto").at(-1)!;
    expect(call.files.photo).toEqual({ filename: "ticket.png", contentType: "image/png", size: 4321 });
    expect(call.params).toMatchObject({ chat_id: "7", caption: "<i>Ticket</i>", parse_mode: "HTML" });
  });

  test("editMessageText and answerCallbackQuery", async () => {
    expect(await api.editMessageText({ chatId: 5, messageId: 10, text: "edited" })).toMatchObject({ message_id: 10, text: "edited" });
    expect(await api.answerCallbackQuery({ callbackQueryId: "cb-1", text: "OK" })).toBe(true);
    expect(telegram.sent("answerCallbackQuery").at(-1)!.params).toMatchObject({ callback_query_id: "cb-1", text: "OK" });
  });

  test.each([
    [{ status: 429, retryAfter: 7 }, "rate_limited", 429],
    [{ status: 403 }, "chat_gone", 403],
    [{ status: 400, description: "Bad Request: chat not found" }, "chat_gone", 400],
    [{ status: 400, description: "Bad Request: can't parse entities: Unsupported start tag" }, "fatal", 400],
    [{ status: 500 }, "transient", 500],
    [{ status: 502 }, "transient", 502],
  ] as const)("%o → %s", async (spec, kind, code) => {
    const before = telegram.callsOf("sendMessage").length;
    telegram.failNext("sendMessage", spec);
    const error = await failure(api.sendMessage({ chatId: 1, text: "x" }));
    expect(error.kind).toBe(kind);
    expect(error.errorCode).toBe(code);
    if (kind === "rate_limited") expect(error.retryAfter).toBe(7);
    // No hidden retries inside the library: the caller decides.
    expect(telegram.callsOf("sendMessage").length).toBe(before + 1);
  });

  test("network failures are transient; a refused token is fatal 401", async () => {
    const down = createTelegramApi({ token: TOKEN, apiRoot: "http://127.0.0.1:9" });
    expect((await failure(down.getMe())).kind).toBe("transient");
    const wrong = createTelegramApi({ token: "999:wrong", apiRoot: telegram.url });
    expect(await failure(wrong.getMe())).toMatchObject({ kind: "fatal", errorCode: 401 });
  });
});

describe("fake Bot API: updates", () => {
  test("getUpdates long-polls until an update is injected, and offset confirms", async () => {
    telegram.reset();
    const first = telegram.injectUpdate({ message: { message_id: 1, text: "/start", chat: { id: 9, type: "private" } } });
    expect((await api.getUpdates({ timeout: 0 })).map((u) => u.update_id)).toEqual([first.update_id]);
    // Confirming with offset drops it; the next long poll waits for a new one.
    const started = Date.now();
    const poll = api.getUpdates({ offset: first.update_id + 1, timeout: 10 });
    setTimeout(() => telegram.injectUpdate({ callback_query: { id: "cb", data: "x" } }), 150);
    const updates = await poll;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ update_id: first.update_id + 1, callback_query: { id: "cb" } });
    expect(telegram.sent("getUpdates").at(-1)!.params).toMatchObject({ offset: String(first.update_id + 1), timeout: "10" });
  });

  test("a long poll with nothing to deliver answers [] after its timeout", async () => {
    telegram.reset();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
  });

  test("webhook mode: setWebhook blocks getUpdates (409) until deleteWebhook; updates are POSTed with the secret", async () => {
    telegram.reset();
    const received: { secret: string | undefined; body: unknown }[] = [];
    const server = http.createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      received.push({ secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined, body: JSON.parse(body) });
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/telegram/webhook`;
    try {
      expect(await api.setWebhook({ url, secretToken: "s3cret", dropPendingUpdates: true })).toBe(true);
      expect(telegram.webhook).toEqual({ url, secretToken: "s3cret" });
      expect(await failure(api.getUpdates({ timeout: 0 }))).toMatchObject({ kind: "fatal", errorCode: 409 });
      const response = await FakeTelegramBotApi.postUpdateToWebhook(telegram.webhook!.url, telegram.webhook!.secretToken, { update_id: 5, message: { text: "hi" } });
      expect(response.status).toBe(200);
      expect(received).toEqual([{ secret: "s3cret", body: { update_id: 5, message: { text: "hi" } } }]);
      expect(await api.deleteWebhook()).toBe(true);
      expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
    } finally {
      server.close();
    }
  });

  test("control API for tests in another process", async () => {
    telegram.reset();
    await fetch(`${telegram.url}/__fake/updates`, { method: "POST", body: JSON.stringify({ message: { text: "via http" } }) });
    expect(await api.getUpdates()).toMatchObject([{ message: { text: "via http" } }]);
    await fetch(`${telegram.url}/__fake/fail`, { method: "POST", body: JSON.stringify({ method: "sendMessage", status: 403 }) });
    expect((await failure(api.sendMessage({ chatId: 3, text: "x" }))).kind).toBe("chat_gone");
    const calls = (await (await fetch(`${telegram.url}/__fake/calls?method=sendMessage`)).json()) as { ok: boolean; status: number }[];
    expect(calls).toMatchObject([{ ok: false, status: 403 }]);
    await fetch(`${telegram.url}/__fake/reset`, { method: "POST" });
    expect(telegram.calls).toHaveLength(0);
  });

  test("runs standalone and prints its URL", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fakes/telegram-bot-api.ts", "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /FAKE_TELEGRAM_URL=(\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`fake exited with ${code}`)));
        setTimeout(() => reject(new Error("no URL printed")), 20_000);
      });
      const standalone = createTelegramApi({ token: TOKEN, apiRoot: url });
      expect(await standalone.getMe()).toMatchObject({ is_bot: true });
    } finally {
      child.kill("SIGTERM");
    }
  });
});
