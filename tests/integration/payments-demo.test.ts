// The demo payment provider against a real PostgreSQL: its checkout state in demo_payments, the test
// cards' outcomes, refunds, and its signed webhooks (sent by a job to our own endpoint: here a small
// HTTP server that records what arrives).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

const sink = vi.hoisted(() => ({ received: [] as Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }>, status: 200 }));

import { db } from "@/lib/db";
import {
  DEMO_CARDS,
  DemoProvider,
  deliverDemoEvent,
  demoSignatureHeader,
  getDemoCheckout,
  payDemoCheckout,
  settleDemoPaymentIfDue,
  verifyDemoSignature,
} from "@/lib/payments/providers/demo";
import { createProvider } from "@/lib/payments/providers";
import { ProviderError, WebhookRejected, type CreatePaymentInput, type WebhookRequest } from "@/lib/payments/providers/types";
import { createOrganization } from "@/tests/helpers/factories";
import { createLocalStep } from "@/lib/jobs/define";
import { appRegistry } from "@/lib/worker/registry";

let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      sink.received.push({ url: req.url ?? "", headers: req.headers, body });
      res.writeHead(sink.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Before the first env() read: the demo webhooks go to this server.
  process.env.INTERNAL_APP_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.APP_URL = "https://aqstream.example";
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function world() {
  const { organization } = await createOrganization();
  const provider = createProvider({ provider: "demo" }, { organizationId: organization.id });
  return { organization, provider };
}

function input(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  return {
    paymentId: randomUUID(),
    idempotencyKey: randomUUID(),
    amountCents: 150_000,
    currency: "RUB",
    description: "Ticket: Standard — Winter meetup",
    returnUrl: "https://aqstream.example/t/return",
    expiresAt: new Date(Date.now() + 30 * 60_000),
    metadata: { registration_id: randomUUID() },
    ...overrides,
  };
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function rejected(promise: Promise<unknown>): Promise<WebhookRejected> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookRejected);
  return error as WebhookRejected;
}

async function eventsOf(organizationId: string) {
  return db.demoEvent.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } });
}

/** Runs the demo-webhook jobs written for the organization's events (as the runner would) and returns what arrived. */
async function deliverAll(organizationId: string) {
  const events = await eventsOf(organizationId);
  const jobs = await db.job.findMany({ where: { name: "demo-webhook", dedupeKey: { in: events.map((e) => `demo-webhook:demo-webhook:${e.id}`) } } });
  expect(jobs).toHaveLength(events.length);
  const before = sink.received.length;
  for (const event of events) await deliverDemoEvent(event.id);
  return sink.received.slice(before);
}

function asRequest(delivery: { headers: http.IncomingHttpHeaders; body: string }): WebhookRequest {
  const headers = new Headers();
  for (const [name, value] of Object.entries(delivery.headers)) if (typeof value === "string") headers.set(name, value);
  return { rawBody: delivery.body, headers, remoteAddress: "127.0.0.1" };
}

describe("demo provider: checkout", () => {
  test("create → pending with our checkout page's URL; the same key gives the same checkout, another payment under it is refused", async () => {
    const { provider } = await world();
    const args = input();
    const payment = await provider.createPayment(args);
    expect(payment).toMatchObject({ status: "pending", amountCents: 150_000, currency: "RUB", paymentId: args.paymentId, refundedCents: 0, failureReason: null });
    expect(payment.checkoutUrl).toBe(`https://aqstream.example/pay/demo/${payment.providerPaymentId}`);
    expect(payment.metadata.test).toBe(true);
    expect((await provider.createPayment(args)).providerPaymentId).toBe(payment.providerPaymentId);
    expect((await providerError(provider.createPayment({ ...args, amountCents: 1 }))).kind).toBe("rejected");
    expect(await db.demoPayment.count({ where: { paymentId: args.paymentId } })).toBe(1);
  });

  test("another organization's provider does not see the checkout (not_found); unknown and malformed ids are not_found", async () => {
    const { provider } = await world();
    const other = await world();
    const payment = await provider.createPayment(input());
    expect((await providerError(other.provider.getPayment(payment.providerPaymentId))).kind).toBe("not_found");
    expect((await providerError(provider.getPayment(randomUUID()))).kind).toBe("not_found");
    expect((await providerError(provider.getPayment("not-a-uuid"))).kind).toBe("not_found");
  });

  test("4242…: paid at once, the buyer goes back; payment.succeeded is queued and arrives signed; a second submit changes nothing", async () => {
    const { organization, provider } = await world();
    const args = input({ currency: "EUR", amountCents: 2500 });
    const created = await provider.createPayment(args);
    expect(await payDemoCheckout(created.providerPaymentId, "4242 4242 4242 4242")).toEqual({ outcome: "paid", returnUrl: args.returnUrl });
    expect(await provider.getPayment(created.providerPaymentId)).toMatchObject({ status: "succeeded", amountCents: 2500, currency: "EUR", checkoutUrl: null });
    expect(await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success)).toEqual({ outcome: "closed", returnUrl: args.returnUrl });

    const [delivery, ...more] = await deliverAll(organization.id);
    expect(more).toHaveLength(0);
    expect(delivery.url).toBe(`/api/payments/webhooks/demo/${organization.id}`);
    expect(delivery.headers["x-demo-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const hint = await provider.parseWebhook(asRequest(delivery));
    expect(hint).toMatchObject({ type: "payment.succeeded", object: { kind: "payment", providerPaymentId: created.providerPaymentId, paymentId: args.paymentId } });
    expect(hint.eventKey).toBe(JSON.parse(delivery.body).id);
  });

  test("4000…0002: declined, the checkout stays open with the message; another card can still pay", async () => {
    const { provider } = await world();
    const created = await provider.createPayment(input());
    expect(await payDemoCheckout(created.providerPaymentId, "4000-0000-0000-0002")).toEqual({ outcome: "declined", message: "Your card was declined." });
    expect(await provider.getPayment(created.providerPaymentId)).toMatchObject({ status: "pending", failureReason: "Your card was declined. (card_declined)" });
    expect((await getDemoCheckout(created.providerPaymentId))?.failureReason).toBe("Your card was declined. (card_declined)");
    expect(await payDemoCheckout(created.providerPaymentId, "1234 5678 9012 3456")).toEqual({ outcome: "unknown-card" });
    expect((await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success))?.outcome).toBe("paid");
    expect(await provider.getPayment(created.providerPaymentId)).toMatchObject({ status: "succeeded", failureReason: null });
  });

  test("4000…0259: processing for PAYMENTS_DEMO_DELAY_MS (the page waits), then succeeded — by a read or by the job queued for that time", async () => {
    const { organization, provider } = await world();
    const created = await provider.createPayment(input());
    const start = new Date();
    expect(await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.delayed, start)).toEqual({ outcome: "processing" });
    const pending = await provider.getPayment(created.providerPaymentId);
    expect(pending).toMatchObject({ status: "pending", metadata: { processing: true } });
    expect(await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success)).toEqual({ outcome: "processing" });
    const job = await db.job.findUniqueOrThrow({ where: { dedupeKey: `demo-settle-due:demo-settle:${created.providerPaymentId}` } });
    expect(job.runAt.getTime()).toBe(start.getTime() + 3000);
    expect(await eventsOf(organization.id)).toHaveLength(0);

    // Time passes (the settle time is moved into the past instead of waiting).
    await db.demoPayment.update({ where: { id: created.providerPaymentId }, data: { settleAt: new Date(Date.now() - 1) } });
    expect(await settleDemoPaymentIfDue(created.providerPaymentId)).toBe("SUCCEEDED");
    expect(await settleDemoPaymentIfDue(created.providerPaymentId)).toBe("SUCCEEDED");
    expect(await provider.getPayment(created.providerPaymentId)).toMatchObject({ status: "succeeded" });
    expect((await eventsOf(organization.id)).map((e) => e.type)).toEqual(["payment.succeeded"]);
  });

  test("4000…0077: the buyer goes back at once while pending; ~2 s later succeeded, and the webhook is the signal", async () => {
    const { organization, provider } = await world();
    const args = input();
    const created = await provider.createPayment(args);
    const start = new Date();
    expect(await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.webhookOnly, start)).toEqual({ outcome: "webhook-only", returnUrl: args.returnUrl });
    expect((await provider.getPayment(created.providerPaymentId)).status).toBe("pending");
    const row = await db.demoPayment.findUniqueOrThrow({ where: { id: created.providerPaymentId } });
    expect(row.settleAt?.getTime()).toBe(start.getTime() + 2000);
    await expect.poll(async () => (await provider.getPayment(created.providerPaymentId)).status, { timeout: 5000, interval: 250 }).toBe("succeeded");
    const [delivery] = await deliverAll(organization.id);
    expect((await provider.parseWebhook(asRequest(delivery))).object).toEqual({ kind: "payment", providerPaymentId: created.providerPaymentId, paymentId: args.paymentId });
  });

  test("a checkout past its expiry cannot be paid: failed 'expired', payment.failed sent", async () => {
    const { organization, provider } = await world();
    const args = input({ expiresAt: new Date(Date.now() - 1000) });
    const created = await provider.createPayment(args);
    expect(await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success)).toEqual({ outcome: "expired", returnUrl: args.returnUrl });
    expect(await provider.getPayment(created.providerPaymentId)).toMatchObject({ status: "failed", failureReason: "expired", checkoutUrl: null });
    expect((await getDemoCheckout(created.providerPaymentId))?.expired).toBe(true);
    expect((await eventsOf(organization.id)).map((e) => e.type)).toEqual(["payment.failed"]);
  });

  test("two submits at once pay once: one payment.succeeded", async () => {
    const { organization, provider } = await world();
    const created = await provider.createPayment(input());
    const results = await Promise.all(Array.from({ length: 6 }, () => payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success)));
    expect(results.filter((r) => r?.outcome === "paid")).toHaveLength(1);
    expect((await eventsOf(organization.id)).map((e) => e.type)).toEqual(["payment.succeeded"]);
  });
});

describe("demo provider: refunds", () => {
  test("partial then the rest succeed at once (with refund.succeeded); more than is left, or an unpaid payment, is rejected; the same key is the same refund", async () => {
    const { organization, provider } = await world();
    const created = await provider.createPayment(input());
    const refundArgs = (amountCents: number) => ({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents, currency: "RUB" as const, reason: "cancelled", refundId: randomUUID() });
    expect((await providerError(provider.refund(refundArgs(100)))).kind).toBe("rejected");
    await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success);

    const firstArgs = refundArgs(50_000);
    const first = await provider.refund(firstArgs);
    expect(first).toMatchObject({ status: "succeeded", amountCents: 50_000, providerPaymentId: created.providerPaymentId, failureReason: null });
    expect((await provider.refund(firstArgs)).providerRefundId).toBe(first.providerRefundId);
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(50_000);
    expect((await providerError(provider.refund(refundArgs(100_001)))).kind).toBe("rejected");
    const rest = await provider.refund(refundArgs(100_000));
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(150_000);
    expect(await provider.getRefund(rest.providerRefundId, created.providerPaymentId)).toMatchObject({ status: "succeeded", amountCents: 100_000 });
    expect((await providerError(provider.getRefund(rest.providerRefundId, randomUUID()))).kind).toBe("not_found");

    const deliveries = await deliverAll(organization.id);
    expect(deliveries.map((d) => JSON.parse(d.body).type)).toEqual(["payment.succeeded", "refund.succeeded", "refund.succeeded"]);
    expect((await provider.parseWebhook(asRequest(deliveries[1]))).object).toEqual({
      kind: "refund",
      providerRefundId: first.providerRefundId,
      providerPaymentId: created.providerPaymentId,
      refundId: firstArgs.refundId,
    });
  });

  test("parallel refunds never exceed the payment", async () => {
    const { provider } = await world();
    const created = await provider.createPayment(input({ amountCents: 1000 }));
    await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 300, currency: "RUB", reason: null, refundId: randomUUID() })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(900);

    // The same key sent five times at once (a retried job racing itself): one refund.
    const same = { providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 100, currency: "RUB" as const, reason: null, refundId: randomUUID() };
    const repeats = await Promise.all(Array.from({ length: 5 }, () => provider.refund(same)));
    expect(new Set(repeats.map((r) => r.providerRefundId)).size).toBe(1);
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(1000);
  });
});

describe("demo provider: webhooks", () => {
  test("signature: a forged, tampered, stale or missing signature, and another organization's event, are refused with 400", async () => {
    const { organization, provider } = await world();
    const other = await world();
    const body = JSON.stringify({ id: randomUUID(), type: "payment.succeeded", object: { id: randomUUID(), organization_id: organization.id, payment_id: randomUUID() } });
    const request = (headers: Record<string, string>, raw = body): WebhookRequest => ({ rawBody: raw, headers: new Headers(headers), remoteAddress: null });
    expect((await provider.parseWebhook(request({ "x-demo-signature": demoSignatureHeader(body) }))).object.kind).toBe("payment");
    expect((await rejected(provider.parseWebhook(request({})))).status).toBe(400);
    expect((await rejected(provider.parseWebhook(request({ "x-demo-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` })))).status).toBe(400);
    expect((await rejected(provider.parseWebhook(request({ "x-demo-signature": demoSignatureHeader(body) }, body.replace("payment.succeeded", "payment.failed"))))).status).toBe(400);
    const stale = demoSignatureHeader(body, Math.floor(Date.now() / 1000) - 301);
    expect((await rejected(provider.parseWebhook(request({ "x-demo-signature": stale })))).status).toBe(400);
    expect((await rejected(other.provider.parseWebhook(request({ "x-demo-signature": demoSignatureHeader(body) })))).status).toBe(400);
    expect(verifyDemoSignature(body, demoSignatureHeader(body, 1_000_000), 1_000_000 + 299)).toBe(true);
    expect(verifyDemoSignature(body, "v1=abc")).toBe(false);
  });

  test("an endpoint that does not answer 2xx makes the delivery throw (the job retries it)", async () => {
    const { organization, provider } = await world();
    const created = await provider.createPayment(input());
    await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.success);
    const [event] = await eventsOf(organization.id);
    sink.status = 503;
    try {
      await expect(deliverDemoEvent(event.id)).rejects.toThrow(/503/);
    } finally {
      sink.status = 200;
    }
    expect(await deliverDemoEvent(event.id)).toEqual({ status: 200 });
    expect(await deliverDemoEvent(randomUUID())).toBeNull();
  });

  test("the app's jobs run them: demo-webhook delivers the queued event, demo-settle-due settles the delayed success", async () => {
    const { organization, provider } = await world();
    const created = await provider.createPayment(input());
    await payDemoCheckout(created.providerPaymentId, DEMO_CARDS.delayed, new Date(Date.now() - 10_000));
    const job = (id: string) => appRegistry().get(id)!;
    const settleRow = await db.job.findUniqueOrThrow({ where: { dedupeKey: `demo-settle-due:demo-settle:${created.providerPaymentId}` } });
    expect(await job("demo-settle-due").run({ event: { name: settleRow.eventName, data: settleRow.payload }, step: createLocalStep(), attempt: 0, runId: settleRow.id })).toBe("SUCCEEDED");
    const [event] = await eventsOf(organization.id);
    const webhookRow = await db.job.findUniqueOrThrow({ where: { dedupeKey: `demo-webhook:demo-webhook:${event.id}` } });
    const before = sink.received.length;
    expect(await job("demo-webhook").run({ event: { name: webhookRow.eventName, data: webhookRow.payload }, step: createLocalStep(), attempt: 0, runId: webhookRow.id })).toEqual({ status: 200 });
    const [delivery] = sink.received.slice(before);
    expect((await provider.parseWebhook(asRequest(delivery))).object).toMatchObject({ kind: "payment", providerPaymentId: created.providerPaymentId });
  });

  test("testConnection is ok while demo payments are on", async () => {
    const { organization } = await world();
    expect(await new DemoProvider(organization.id).testConnection()).toEqual({ ok: true });
  });
});
