// The Inngest side of the job definitions: the same definitions executed as Inngest functions with
// @inngest/test, the serve() registration, the route without Inngest, and the outbox relay.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, test } from "vitest";
import { startFakeTelegram } from "@/tests/fakes/telegram-bot-api";

const telegram = await startFakeTelegram();
process.env.TELEGRAM_BOT_TOKEN = "123456:TEST-token";
process.env.TELEGRAM_API_ROOT = telegram.url;
process.env.NOTIFICATIONS_RETRY_BASE_MS = "50";
delete process.env.INNGEST_EVENT_KEY;
delete process.env.INNGEST_SIGNING_KEY;
delete process.env.INNGEST_DEV;

const { db } = await import("@/lib/db");
const { defineJob } = await import("@/lib/jobs/define");
const { enqueue } = await import("@/lib/jobs/enqueue");
const { toInngestFunction } = await import("@/lib/jobs/inngest");
const { createRegistry } = await import("@/lib/jobs/registry");
const { appRegistry } = await import("@/lib/worker");
const { Runner } = await import("@/lib/jobs/runner");
const { deliverNotificationJob, sweepNotificationsJob } = await import("@/lib/worker/functions/notifications");
const { notify } = await import("@/lib/notifications/notify");
const route = await import("@/app/api/inngest/route");

afterAll(() => telegram.stop());

const client = new Inngest({ id: "aqstream", isDev: true });
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function userWithChat(chatId: string | null = String(Math.floor(Math.random() * 1e9))) {
  return db.user.create({ data: { firstName: "Anna", telegramChatId: chatId, telegramId: chatId } });
}

describe("job definitions as Inngest functions (@inngest/test)", () => {
  test("a definition runs through Inngest's step tooling", async () => {
    const job = defineJob({
      id: "echo",
      trigger: { event: "notification/requested" },
      handler: ({ event, step }) => step.run("echo", () => ({ got: event.data.notificationId })),
    });
    const fn = toInngestFunction(job, client);
    expect(fn.id()).toBe("echo");
    const id = randomUUID();
    const t = new InngestTestEngine({ function: fn, events: [{ name: "notification/requested", data: { notificationId: id } }] });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ got: id });
    expect(ctx.step.run).toHaveBeenCalledWith("echo", expect.any(Function));
  });

  test("a payload outside the catalogue fails without running the handler", async () => {
    let ran = false;
    const fn = toInngestFunction(defineJob({ id: "strict", trigger: { event: "notification/requested" }, handler: () => (ran = true) }), client);
    const t = new InngestTestEngine({ function: fn, events: [{ name: "notification/requested", data: { notificationId: 42 } }] });
    const { error } = await t.execute();
    expect(error).toMatchObject({ name: "NonRetriableError" });
    expect(ran).toBe(false);
  });

  test("deliver-notification sends the message and marks the row SENT", async () => {
    const user = await userWithChat();
    const { id } = await db.$transaction((tx) => notify(tx, { userId: user.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    const t = new InngestTestEngine({
      function: toInngestFunction(deliverNotificationJob, client),
      events: [{ name: "notification/requested", data: { notificationId: id } }],
    });
    const { result } = await t.execute();
    expect(result).toMatchObject({ status: "sent" });
    expect(telegram.sent("sendMessage").filter((c) => c.params.chat_id === user.telegramChatId)).toHaveLength(1);
    expect((await db.notificationLog.findUniqueOrThrow({ where: { id } })).status).toBe("SENT");
  });

  test("a transient Telegram failure throws RetryAfterError from the step (Inngest retries it at the row's next attempt)", async () => {
    const user = await userWithChat();
    const { id } = await db.$transaction((tx) => notify(tx, { userId: user.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    telegram.failNext("sendMessage", { status: 500 });
    const t = new InngestTestEngine({
      function: toInngestFunction(deliverNotificationJob, client),
      events: [{ name: "notification/requested", data: { notificationId: id } }],
    });
    const { error } = await t.execute();
    expect(error).toMatchObject({ name: "RetryAfterError" });
    const row = await db.notificationLog.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row.errorMessage).toMatch(/temporarily unavailable/);
  });

  test("the sweep cron re-dispatches overdue rows", async () => {
    const user = await userWithChat();
    const { id } = await db.$transaction((tx) => notify(tx, { userId: user.id, templateCode: "user.welcome", variables: { firstName: "Anna" } }));
    await db.notificationLog.update({ where: { id }, data: { nextAttemptAt: new Date(Date.now() - 5 * 60_000) } });
    const t = new InngestTestEngine({ function: toInngestFunction(sweepNotificationsJob, client) });
    const { result } = await t.execute();
    expect(result).toBeGreaterThanOrEqual(1);
    expect(await db.job.count({ where: { name: "deliver-notification", payload: { equals: { notificationId: id } } } })).toBe(2);
  });

  test("serve() registers every function with its trigger and retries", async () => {
    const functions = appRegistry().jobs.map((job) => toInngestFunction(job, client));
    const handler = serve({ client, functions });
    const response = await handler.GET(new NextRequest("http://localhost:3000/api/inngest"), undefined);
    expect(response.status).toBe(200);
    const ids = functions.map((f) => f.id());
    expect(ids).toEqual(expect.arrayContaining(["deliver-notification", "notifications-sweep"]));
    const configs = functions.map((f) => (f as unknown as { getConfig: (o: unknown) => unknown[] }).getConfig({ baseUrl: new URL("http://localhost:3000/api/inngest"), appPrefix: "aqstream" }));
    const text = JSON.stringify(configs);
    expect(text).toContain('"cron":"* * * * *"');
    expect(text).toContain('"event":"notification/requested"');
    expect(text).toContain('"retries":{"attempts":10}'); // deliver-notification: retries 10
  });
});

describe("/api/inngest without Inngest configured", () => {
  test("answers 404 with a clear message", async () => {
    const response = await route.GET(new NextRequest("http://localhost:3000/api/inngest"), undefined);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "inngest_not_configured", message: expect.stringContaining("INNGEST_EVENT_KEY") });
    expect((await route.POST(new NextRequest("http://localhost:3000/api/inngest", { method: "POST" }), undefined)).status).toBe(404);
  });
});

describe("outbox relay (Inngest mode)", () => {
  const subscribers = () =>
    createRegistry([
      defineJob({ id: "relay-a", trigger: { event: "notification/requested" }, handler: () => undefined }),
      defineJob({ id: "relay-b", trigger: { event: "notification/requested" }, handler: () => undefined }),
    ]);

  test("forwards each event once with its stable id and marks the rows done; retries when Inngest is down", async () => {
    const registry = subscribers();
    const sent: { id: string; name: string; data: unknown }[][] = [];
    let down = true;
    const relay = new Runner({
      mode: "relay",
      registry,
      pollMs: 20,
      backoffBaseMs: 10,
      backoffJitter: 0,
      logger: quiet,
      send: async (events) => {
        if (down) throw new Error("Inngest unreachable");
        sent.push(events);
      },
    });
    const key = randomUUID();
    await enqueue(db, "notification/requested", { notificationId: key }, { id: `evt:${key}`, registry });

    expect(await relay.runOnce()).toBe(2);
    let rows = await db.job.findMany({ where: { dedupeKey: { endsWith: `evt:${key}` } } });
    expect(rows.map((r) => r.status)).toEqual(["PENDING", "PENDING"]);
    expect(rows[0].lastError).toMatch(/Inngest unreachable/);

    down = false;
    await new Promise((r) => setTimeout(r, 30));
    expect(await relay.runOnce()).toBe(2);
    expect(sent).toEqual([[{ id: `evt:${key}`, name: "notification/requested", data: { notificationId: key } }]]);
    rows = await db.job.findMany({ where: { dedupeKey: { endsWith: `evt:${key}` } } });
    expect(rows.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(await relay.runOnce()).toBe(0);
  });

  test("reaches an Inngest event API with inngest.send, keeping the event id", async () => {
    const received: unknown[] = [];
    const server = http.createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const events = JSON.parse(body) as unknown[];
      received.push({ url: req.url, events });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ids: events.map((_, i) => `inngest-${i}`), status: 200 }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const inngest = new Inngest({ id: "aqstream", isDev: true, baseUrl });
      const registry = subscribers();
      const relay = new Runner({ mode: "relay", registry, pollMs: 20, logger: quiet, send: (events) => inngest.send(events) });
      const key = randomUUID();
      await enqueue(db, "notification/requested", { notificationId: key }, { id: `evt2:${key}`, registry });
      expect(await relay.runOnce()).toBe(2);
      expect(received).toEqual([
        { url: "/e/NO_EVENT_KEY_SET", events: [expect.objectContaining({ id: `evt2:${key}`, name: "notification/requested", data: { notificationId: key } })] },
      ]);
    } finally {
      server.close();
    }
  });
});
