// The YooKassa and Stripe adapters against the HTTP fakes (tests/fakes): real requests, real webhook
// deliveries. What must hold: the idempotency key reaches the provider on every create, so a repeat
// after an unknown outcome finds the same payment or refund (one object at the fake); statuses and
// amounts map as docs/payments.md says; errors come out as the right ProviderError kinds; webhooks
// parse only when they verify.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProviderError, WebhookRejected, type CreatePaymentInput, type PaymentProvider, type WebhookRequest } from "@/lib/payments/providers/types";
import { YooKassaProvider } from "@/lib/payments/providers/yookassa";
import { StripeProvider } from "@/lib/payments/providers/stripe";
import { createProvider } from "@/lib/payments/providers";
import { startFakeYooKassa, type FakeYooKassaHandle } from "@/tests/fakes/yookassa-api";
import { startFakeStripe, stripeSignatureHeader, type FakeStripeHandle } from "@/tests/fakes/stripe-api";
import type { DeliveryRecord } from "@/tests/fakes/payments-kit";

let yk: FakeYooKassaHandle;
let st: FakeStripeHandle;
/** Where the fakes deliver webhooks: answers 200 to everything (the deliveries are read from the fakes). */
let sink: http.Server;
let sinkUrl: string;

beforeAll(async () => {
  sink = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end("ok"));
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  yk = await startFakeYooKassa({ webhookRetryDelaysMs: [20, 40] });
  st = await startFakeStripe({ webhookRetryDelaysMs: [20, 40] });
  // Before the first env() read in this process: createProvider takes the endpoints from the settings.
  process.env.YOOKASSA_API_URL = `${yk.url}/v3/`;
  process.env.YOOKASSA_WEBHOOK_IPS = "127.0.0.1";
  process.env.STRIPE_API_URL = st.url;
});

afterAll(async () => {
  await yk?.stop();
  await st?.stop();
  await new Promise((resolve) => sink?.close(resolve));
});

function input(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  return {
    paymentId: randomUUID(),
    idempotencyKey: randomUUID(),
    amountCents: 150_000,
    currency: "RUB",
    description: "Ticket: Standard — Winter meetup",
    returnUrl: "https://aqstream.example/ru/tickets/return?payment=1",
    expiresAt: new Date(Date.now() + 30 * 60_000),
    metadata: { registration_id: randomUUID(), organization_id: randomUUID() },
    ...overrides,
  };
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a ProviderError").toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function rejected(promise: Promise<unknown>): Promise<WebhookRejected> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected WebhookRejected").toBeInstanceOf(WebhookRejected);
  return error as WebhookRejected;
}

function asRequest(delivery: Pick<DeliveryRecord, "body" | "headers">, remoteAddress: string | null = "127.0.0.1"): WebhookRequest {
  return { rawBody: delivery.body, headers: new Headers(delivery.headers), remoteAddress };
}

// ───────────────────────────── YooKassa ─────────────────────────────

describe("YooKassa adapter", () => {
  function shopProvider(options: { timeoutMs?: number; extraWebhookSenders?: string } = {}) {
    const shop = yk.control.addShop({ webhookUrl: `${sinkUrl}/yookassa/${randomUUID()}` });
    const provider = new YooKassaProvider({
      shopId: shop.shopId,
      secretKey: shop.secretKey,
      baseUrl: `${yk.url}/v3/`,
      timeoutMs: options.timeoutMs ?? 5000,
      extraWebhookSenders: options.extraWebhookSenders ?? "127.0.0.1",
    });
    return { shop, provider };
  }

  test("create → pending with the checkout URL; the request is keyed, Basic-authenticated, amount a string, capture true, metadata carries our ids", async () => {
    const { shop, provider } = shopProvider();
    const args = input();
    const payment = await provider.createPayment(args);
    expect(payment.status).toBe("pending");
    expect(payment.checkoutUrl).toBe(`${yk.url}/checkout/${payment.providerPaymentId}`);
    expect(payment.amountCents).toBe(150_000);
    expect(payment.currency).toBe("RUB");
    expect(payment.paymentId).toBe(args.paymentId);

    const [request] = yk.control.requests.filter((r) => r.method === "POST" && r.tenant === shop.shopId);
    expect(request.headers["idempotence-key"]).toBe(args.idempotencyKey);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${shop.shopId}:${shop.secretKey}`).toString("base64")}`);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      amount: { value: "1500.00", currency: "RUB" },
      capture: true,
      confirmation: { type: "redirect", return_url: args.returnUrl },
      description: args.description,
      metadata: { payment_id: args.paymentId, registration_id: args.metadata.registration_id },
    });
  });

  test("paid → succeeded with the charged amount (amount, not income_amount); checkout URL gone", async () => {
    const { provider } = shopProvider();
    const created = await provider.createPayment(input({ amountCents: 1 }));
    yk.control.pay(created.providerPaymentId);
    const payment = await provider.getPayment(created.providerPaymentId);
    expect(payment).toMatchObject({ status: "succeeded", amountCents: 1, currency: "RUB", checkoutUrl: null, refundedCents: 0, failureReason: null });
    expect(yk.control.payment(created.providerPaymentId)?.income_amount).toEqual({ value: "0.01", currency: "RUB" });

    const big = await provider.createPayment(input({ amountCents: 999_999_999 }));
    yk.control.pay(big.providerPaymentId);
    const paid = await provider.getPayment(big.providerPaymentId);
    expect(paid.amountCents).toBe(999_999_999);
    expect((yk.control.payment(big.providerPaymentId)?.income_amount as { value: string }).value).not.toBe("9999999.99");
  });

  test("declined → failed with the reason from cancellation_details; expiry too", async () => {
    const { provider } = shopProvider();
    const declined = await provider.createPayment(input());
    yk.control.decline(declined.providerPaymentId, "card_expired");
    expect(await provider.getPayment(declined.providerPaymentId)).toMatchObject({ status: "failed", failureReason: "card_expired (payment_network)", checkoutUrl: null });

    const expired = await provider.createPayment(input());
    yk.control.expire(expired.providerPaymentId);
    expect(await provider.getPayment(expired.providerPaymentId)).toMatchObject({ status: "failed", failureReason: "expired_on_confirmation (yoo_kassa)" });
  });

  test("unknown outcome (made, but 500): ProviderError 'unknown'; the repeat with the same key reaches the same payment — one payment at the fake", async () => {
    const { shop, provider } = shopProvider();
    const args = input();
    yk.control.failNext({ executed: true, path: "/v3/payments" });
    const error = await providerError(provider.createPayment(args));
    expect(error.kind).toBe("unknown");

    const repeat = await provider.createPayment(args);
    const ours = yk.control.payments().filter((p) => (p.recipient as { account_id: string }).account_id === shop.shopId);
    expect(ours).toHaveLength(1);
    expect(ours[0].id).toBe(repeat.providerPaymentId);
    const posts = yk.control.requests.filter((r) => r.method === "POST" && r.tenant === shop.shopId);
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((r) => r.headers["idempotence-key"]))).toEqual(new Set([args.idempotencyKey]));
  });

  test("no answer within the timeout → 'unknown'; the repeat finds the same payment", async () => {
    const { shop, provider } = shopProvider({ timeoutMs: 300 });
    const args = input();
    yk.control.failNext({ kind: "timeout", executed: true, holdMs: 2000, path: "/v3/payments" });
    const error = await providerError(provider.createPayment(args));
    expect(error.kind).toBe("unknown");
    expect(error.message).toContain("300 ms");
    const repeat = await provider.createPayment(args);
    const ours = yk.control.payments().filter((p) => (p.recipient as { account_id: string }).account_id === shop.shopId);
    expect(ours.map((p) => p.id)).toEqual([repeat.providerPaymentId]);
  });

  test("a dropped connection and a 503 are 'unknown' too", async () => {
    const { provider } = shopProvider();
    yk.control.failNext({ kind: "reset", path: "/v3/payments" });
    expect((await providerError(provider.createPayment(input()))).kind).toBe("unknown");
    yk.control.failNext({ status: 503, method: "GET" });
    expect((await providerError(provider.getPayment("2a0b3c4d-000f-5000-8000-1a2b3c4d5e6f"))).kind).toBe("unknown");
  });

  test("refund partial, then the rest: both succeeded, refundedCents grows; more than what is left is 'rejected'", async () => {
    const { provider } = shopProvider();
    const created = await provider.createPayment(input());
    yk.control.pay(created.providerPaymentId);
    const first = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 50_000, currency: "RUB", reason: "Cancelled by the participant", refundId: randomUUID() });
    expect(first).toMatchObject({ status: "succeeded", amountCents: 50_000, providerPaymentId: created.providerPaymentId, failureReason: null });
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(50_000);

    const rest = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 100_000, currency: "RUB", reason: null, refundId: randomUUID() });
    expect(rest.status).toBe("succeeded");
    const after = await provider.getPayment(created.providerPaymentId);
    expect(after).toMatchObject({ status: "succeeded", refundedCents: 150_000 });
    expect(yk.control.refund(first.providerRefundId)?.description).toBe("Cancelled by the participant");

    const tooMuch = await providerError(provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 1, currency: "RUB", reason: null, refundId: randomUUID() }));
    expect(tooMuch.kind).toBe("rejected");
    expect(tooMuch.providerCode).toBe("invalid_request");
  });

  test("a refund whose outcome is unknown is repeated with its key: one refund at the fake", async () => {
    const { provider } = shopProvider();
    const created = await provider.createPayment(input());
    yk.control.pay(created.providerPaymentId);
    const args = { providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 150_000, currency: "RUB" as const, reason: null, refundId: randomUUID() };
    yk.control.failNext({ executed: true, path: "/v3/refunds" });
    expect((await providerError(provider.refund(args))).kind).toBe("unknown");
    const refund = await provider.refund(args);
    expect(refund.status).toBe("succeeded");
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(150_000);
  });

  test("refund pending, then settled by the provider (succeeded or canceled → failed)", async () => {
    const { provider } = shopProvider();
    const created = await provider.createPayment(input());
    yk.control.scenario({ refund: { manual: true } }, { id: created.providerPaymentId });
    yk.control.pay(created.providerPaymentId);
    const refund = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 40_000, currency: "RUB", reason: null, refundId: randomUUID() });
    expect(refund.status).toBe("pending");
    expect((await provider.getRefund(refund.providerRefundId, created.providerPaymentId)).status).toBe("pending");
    yk.control.settleRefund(refund.providerRefundId, "succeeded");
    expect(await provider.getRefund(refund.providerRefundId, created.providerPaymentId)).toMatchObject({ status: "succeeded", amountCents: 40_000 });

    const second = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 10_000, currency: "RUB", reason: null, refundId: randomUUID() });
    yk.control.settleRefund(second.providerRefundId, "canceled");
    expect(await provider.getRefund(second.providerRefundId, created.providerPaymentId)).toMatchObject({ status: "failed", failureReason: "general_decline (yoo_kassa)" });
  });

  test("wrong credentials → 'credentials' (and the secret never appears in the message); unknown ids → 'not_found'; testConnection tells the two apart", async () => {
    const { shop, provider } = shopProvider();
    const wrong = new YooKassaProvider({ shopId: shop.shopId, secretKey: "test_wrong_secret_value", baseUrl: `${yk.url}/v3/` });
    const error = await providerError(wrong.createPayment(input()));
    expect(error.kind).toBe("credentials");
    expect(error.message).not.toContain("test_wrong_secret_value");
    expect(await wrong.testConnection()).toEqual({ ok: false, reason: expect.stringContaining("401") });
    expect(await provider.testConnection()).toEqual({ ok: true });
    expect((await providerError(provider.getPayment(randomUUID()))).kind).toBe("not_found");
    const unreachable = new YooKassaProvider({ shopId: "1", secretKey: "x", baseUrl: "http://127.0.0.1:1/v3/" });
    expect(await unreachable.testConnection()).toMatchObject({ ok: false });
  });

  test("a currency YooKassa does not take is refused before any request", async () => {
    const { shop, provider } = shopProvider();
    expect((await providerError(provider.createPayment(input({ currency: "EUR" })))).kind).toBe("rejected");
    expect(yk.control.requests.filter((r) => r.tenant === shop.shopId)).toHaveLength(0);
  });

  test("notifications captured from the fake parse to hints: payment.succeeded, payment.canceled, refund.succeeded", async () => {
    const { shop, provider } = shopProvider();
    const args = input();
    const paid = await provider.createPayment(args);
    yk.control.pay(paid.providerPaymentId);
    const refund = await provider.refund({ providerPaymentId: paid.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 100, currency: "RUB", reason: null, refundId: randomUUID() });
    const declined = await provider.createPayment(input());
    yk.control.decline(declined.providerPaymentId);
    const mine = (d: DeliveryRecord) => d.url === shop.webhookUrl && d.ok;
    const deliveries = await yk.control.waitForDeliveries(mine, 3);

    const succeeded = deliveries.find((d) => d.type === "payment.succeeded")!;
    expect(await provider.parseWebhook(asRequest(succeeded))).toEqual({
      eventKey: `payment.succeeded:${paid.providerPaymentId}`,
      type: "payment.succeeded",
      object: { kind: "payment", providerPaymentId: paid.providerPaymentId, paymentId: args.paymentId },
    });
    const canceled = deliveries.find((d) => d.type === "payment.canceled")!;
    expect((await provider.parseWebhook(asRequest(canceled))).object).toMatchObject({ kind: "payment", providerPaymentId: declined.providerPaymentId });
    const refunded = deliveries.find((d) => d.type === "refund.succeeded")!;
    expect(await provider.parseWebhook(asRequest(refunded))).toEqual({
      eventKey: `refund.succeeded:${refund.providerRefundId}`,
      type: "refund.succeeded",
      object: { kind: "refund", providerRefundId: refund.providerRefundId, providerPaymentId: paid.providerPaymentId, refundId: null },
    });
    // IPv4 written as an IPv6-mapped address is the same sender.
    expect((await provider.parseWebhook(asRequest(succeeded, "::ffff:127.0.0.1"))).type).toBe("payment.succeeded");
  });

  test("the sender must be YooKassa's (or configured): another address → 403; YooKassa's published ranges pass without configuration", async () => {
    const { provider } = shopProvider({ extraWebhookSenders: "10.1.0.0/16, 127.0.0.1" });
    const body = JSON.stringify({ type: "notification", event: "payment.succeeded", object: { id: "2a0b3c4d-000f-5000-8000-1a2b3c4d5e6f", metadata: {} } });
    const request = (remoteAddress: string | null): WebhookRequest => ({ rawBody: body, headers: new Headers({ "content-type": "application/json" }), remoteAddress });
    for (const outsider of ["203.0.113.9", "10.2.0.1", null, "not-an-ip", "185.71.76.32"]) {
      expect((await rejected(provider.parseWebhook(request(outsider)))).status).toBe(403);
    }
    const strict = new YooKassaProvider({ shopId: "1", secretKey: "x", baseUrl: `${yk.url}/v3/` });
    expect((await rejected(strict.parseWebhook(request("127.0.0.1")))).status).toBe(403);
    for (const yooKassa of ["185.71.76.1", "185.71.77.30", "77.75.153.100", "77.75.154.200", "77.75.156.11", "77.75.156.35", "2a02:5180::1"]) {
      expect((await strict.parseWebhook(request(yooKassa))).object.kind).toBe("payment");
    }
    expect((await provider.parseWebhook(request("10.1.200.3"))).eventKey).toBe("payment.succeeded:2a0b3c4d-000f-5000-8000-1a2b3c4d5e6f");
  });

  test("a body that is not a notification → 400; an event we do not use → ignored", async () => {
    const { provider } = shopProvider();
    const at = (rawBody: string): WebhookRequest => ({ rawBody, headers: new Headers(), remoteAddress: "127.0.0.1" });
    expect((await rejected(provider.parseWebhook(at("{not json")))).status).toBe(400);
    expect((await rejected(provider.parseWebhook(at(JSON.stringify({ type: "notification", event: "payment.succeeded" }))))).status).toBe(400);
    expect(await provider.parseWebhook(at(JSON.stringify({ type: "notification", event: "payout.succeeded", object: { id: "po-1" } })))).toEqual({
      eventKey: "payout.succeeded:po-1",
      type: "payout.succeeded",
      object: { kind: "ignored" },
    });
  });
});

// ───────────────────────────── Stripe ─────────────────────────────

describe("Stripe adapter", () => {
  function accountProvider() {
    const account = st.control.addAccount({ webhookUrl: `${sinkUrl}/stripe/${randomUUID()}` });
    const provider = new StripeProvider({ secretKey: account.secretKey, webhookSecret: account.webhookSecret, apiUrl: st.url, timeoutMs: 5000 });
    return { account, provider };
  }
  const usd = (overrides: Partial<CreatePaymentInput> = {}) => input({ currency: "USD", amountCents: 2000, ...overrides });
  const sessionsOf = (accountId: string) => st.control.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions" && r.tenant === accountId);

  test("create → an open Checkout Session (pending, its URL); keyed; price_data, metadata on session and PaymentIntent, client_reference_id, expires_at from the hold", async () => {
    const { account, provider } = accountProvider();
    const args = usd({ expiresAt: new Date(Date.now() + 45 * 60_000) });
    const payment = await provider.createPayment(args);
    expect(payment.providerPaymentId).toMatch(/^cs_test_/);
    expect(payment).toMatchObject({ status: "pending", amountCents: 2000, currency: "USD", paymentId: args.paymentId, refundedCents: 0, failureReason: null });
    expect(payment.checkoutUrl).toBe(`${st.url}/pay/${payment.providerPaymentId}`);

    const [request] = sessionsOf(account.id);
    expect(request.headers["idempotency-key"]).toBe(args.idempotencyKey);
    const form = new URLSearchParams(request.body);
    expect(form.get("mode")).toBe("payment");
    expect(form.get("line_items[0][price_data][currency]")).toBe("usd");
    expect(form.get("line_items[0][price_data][unit_amount]")).toBe("2000");
    expect(form.get("line_items[0][price_data][product_data][name]")).toBe(args.description);
    expect(form.get("client_reference_id")).toBe(args.paymentId);
    expect(form.get("metadata[payment_id]")).toBe(args.paymentId);
    expect(form.get("payment_intent_data[metadata][registration_id]")).toBe(args.metadata.registration_id);
    expect(form.get("success_url")).toBe(args.returnUrl);
    expect(form.get("cancel_url")).toBe(args.returnUrl);
    expect(Number(form.get("expires_at"))).toBe(Math.floor(args.expiresAt.getTime() / 1000));
  });

  test("a hold shorter than 30 min still creates the session (expires_at clamped); EUR works; RUB is refused before any request", async () => {
    const { account, provider } = accountProvider();
    const payment = await provider.createPayment(usd({ currency: "EUR", expiresAt: new Date(Date.now() + 60_000) }));
    expect(payment).toMatchObject({ status: "pending", currency: "EUR" });
    expect((await providerError(provider.createPayment(input({ currency: "RUB" })))).kind).toBe("rejected");
    expect(sessionsOf(account.id)).toHaveLength(1);
  });

  test("paid → succeeded with the amount; the URL is gone", async () => {
    const { provider } = accountProvider();
    const created = await provider.createPayment(usd());
    st.control.pay(created.providerPaymentId);
    const payment = await provider.getPayment(created.providerPaymentId);
    expect(payment).toMatchObject({ status: "succeeded", amountCents: 2000, currency: "USD", checkoutUrl: null, refundedCents: 0 });
    expect(payment.metadata.payment_intent).toMatch(/^pi_/);
  });

  test("a declined card keeps the session open: pending with the decline as the reason; a later expiry → failed", async () => {
    const { provider } = accountProvider();
    const created = await provider.createPayment(usd());
    st.control.decline(created.providerPaymentId, "card_declined");
    const declined = await provider.getPayment(created.providerPaymentId);
    expect(declined).toMatchObject({ status: "pending", failureReason: "Your card was declined. (generic_decline)" });
    expect(declined.checkoutUrl).not.toBeNull();
    st.control.expire(created.providerPaymentId);
    expect(await provider.getPayment(created.providerPaymentId)).toMatchObject({ status: "failed", failureReason: "expired", checkoutUrl: null });
  });

  test("a 500 after the session was made is retried by the SDK with the same key: one session, no error", async () => {
    const { account, provider } = accountProvider();
    const args = usd();
    st.control.failNext({ executed: true, path: "/v1/checkout/sessions" });
    const payment = await provider.createPayment(args);
    expect(st.control.sessions().filter((s) => s.id === payment.providerPaymentId)).toHaveLength(1);
    const posts = sessionsOf(account.id);
    expect(posts).toHaveLength(2);
    expect(posts.map((r) => r.headers["idempotency-key"])).toEqual([args.idempotencyKey, args.idempotencyKey]);
    expect(posts[1].replayed).toBe(true);
  });

  test("unknown outcome (every attempt 500, the first executed): ProviderError 'unknown'; the repeat with the same key reaches the same session — one at the fake", async () => {
    const { account, provider } = accountProvider();
    const args = usd();
    st.control.failNext({ executed: true, path: "/v1/checkout/sessions" }, 3);
    const error = await providerError(provider.createPayment(args));
    expect(error.kind).toBe("unknown");
    const made = st.control.sessions().filter((s) => s.client_reference_id === args.paymentId);
    expect(made).toHaveLength(1);

    const repeat = await provider.createPayment(args);
    expect(repeat.providerPaymentId).toBe(made[0].id);
    expect(st.control.sessions().filter((s) => s.client_reference_id === args.paymentId)).toHaveLength(1);
    expect(new Set(sessionsOf(account.id).map((r) => r.headers["idempotency-key"]))).toEqual(new Set([args.idempotencyKey]));
  });

  test("a repeat after the clock moved past a 5-minute step (another expires_at) still reaches the first session", async () => {
    const account = st.control.addAccount();
    let clock = Date.now();
    const provider = new StripeProvider({ secretKey: account.secretKey, webhookSecret: account.webhookSecret, apiUrl: st.url, now: () => new Date(clock) });
    const args = usd({ expiresAt: new Date(clock + 30 * 60_000) });
    st.control.failNext({ executed: true, path: "/v1/checkout/sessions" }, 3);
    expect((await providerError(provider.createPayment(args))).kind).toBe("unknown");
    clock += 6 * 60_000;
    const repeat = await provider.createPayment(args);
    const made = st.control.sessions().filter((s) => s.client_reference_id === args.paymentId);
    expect(made.map((s) => s.id)).toEqual([repeat.providerPaymentId]);
    const sent = sessionsOf(account.id).map((r) => Number(new URLSearchParams(r.body).get("expires_at")));
    expect(new Set(sent).size).toBeGreaterThan(1);
  });

  test("refund partial (pending, then succeeded), then the rest; the refund carries our id; more than is left is 'rejected'", async () => {
    const { provider } = accountProvider();
    const created = await provider.createPayment(usd());
    st.control.pay(created.providerPaymentId);
    const refundId = randomUUID();
    const first = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 500, currency: "USD", reason: "Cancelled", refundId });
    expect(first).toMatchObject({ status: "pending", amountCents: 500, providerPaymentId: created.providerPaymentId });
    expect(st.control.refund(first.providerRefundId)).toMatchObject({ reason: "requested_by_customer", metadata: { refund_id: refundId, reason: "Cancelled" } });
    await expect.poll(async () => (await provider.getRefund(first.providerRefundId, created.providerPaymentId)).status).toBe("succeeded");
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(500);

    const rest = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 1500, currency: "USD", reason: null, refundId: randomUUID() });
    expect(rest.amountCents).toBe(1500);
    await expect.poll(async () => (await provider.getRefund(rest.providerRefundId, created.providerPaymentId)).status).toBe("succeeded");
    expect((await provider.getPayment(created.providerPaymentId)).refundedCents).toBe(2000);

    const tooMuch = await providerError(provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 1, currency: "USD", reason: null, refundId: randomUUID() }));
    expect(tooMuch.kind).toBe("rejected");
  });

  test("a refund's unknown outcome is repeated with its key: one refund at the fake", async () => {
    const { provider } = accountProvider();
    const created = await provider.createPayment(usd());
    st.control.pay(created.providerPaymentId);
    const args = { providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 2000, currency: "USD" as const, reason: null, refundId: randomUUID() };
    st.control.failNext({ executed: true, path: "/v1/refunds" }, 3);
    expect((await providerError(provider.refund(args))).kind).toBe("unknown");
    const refund = await provider.refund(args);
    const posts = st.control.requests.filter((r) => r.method === "POST" && r.path === "/v1/refunds" && r.headers["idempotency-key"] === args.idempotencyKey);
    expect(posts).toHaveLength(4);
    expect(new Set(posts.filter((r) => r.status === 200).map((r) => (r.response as { id: string }).id))).toEqual(new Set([refund.providerRefundId]));
  });

  test("refund pending until the provider settles it: succeeded, or failed with its reason", async () => {
    const { provider } = accountProvider();
    const created = await provider.createPayment(usd());
    st.control.scenario({ refund: { manual: true } }, { id: created.providerPaymentId });
    st.control.pay(created.providerPaymentId);
    const one = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 700, currency: "USD", reason: null, refundId: randomUUID() });
    const two = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 300, currency: "USD", reason: null, refundId: randomUUID() });
    expect((await provider.getRefund(one.providerRefundId, created.providerPaymentId)).status).toBe("pending");
    st.control.settleRefund(one.providerRefundId, "succeeded");
    st.control.settleRefund(two.providerRefundId, "failed");
    expect(await provider.getRefund(one.providerRefundId, created.providerPaymentId)).toMatchObject({ status: "succeeded", amountCents: 700 });
    expect(await provider.getRefund(two.providerRefundId, created.providerPaymentId)).toMatchObject({ status: "failed", failureReason: "expired_or_canceled_card" });
  });

  test("refunding an unpaid session is 'rejected' without a refund request", async () => {
    const { account, provider } = accountProvider();
    const created = await provider.createPayment(usd());
    expect((await providerError(provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 100, currency: "USD", reason: null, refundId: randomUUID() }))).kind).toBe("rejected");
    expect(st.control.requests.filter((r) => r.path === "/v1/refunds" && r.tenant === account.id)).toHaveLength(0);
  });

  test("wrong key → 'credentials' (the key never in the message); unknown session → 'not_found'; testConnection", async () => {
    const { provider } = accountProvider();
    const wrong = new StripeProvider({ secretKey: "sk_test_definitely_not_a_real_key_123456", webhookSecret: "whsec_x", apiUrl: st.url });
    const error = await providerError(wrong.createPayment(usd()));
    expect(error.kind).toBe("credentials");
    expect(error.message).not.toContain("sk_test_definitely");
    expect(await wrong.testConnection()).toMatchObject({ ok: false });
    expect(await provider.testConnection()).toEqual({ ok: true });
    expect((await providerError(provider.getPayment("cs_test_does_not_exist"))).kind).toBe("not_found");
  });

  test("deliveries captured from the fake parse to hints: sessions name the payment, PaymentIntents our id, refunds our refund id", async () => {
    const { account, provider } = accountProvider();
    const args = usd();
    const created = await provider.createPayment(args);
    st.control.pay(created.providerPaymentId);
    const refundId = randomUUID();
    const refund = await provider.refund({ providerPaymentId: created.providerPaymentId, idempotencyKey: randomUUID(), amountCents: 2000, currency: "USD", reason: null, refundId });
    const mine = (d: DeliveryRecord) => d.url === account.webhookUrl && d.ok && d.attempt === 1;
    const deliveries = await st.control.waitForDeliveries(mine, 5);
    const byType = (type: string) => deliveries.find((d) => d.type === type)!;

    const completed = await provider.parseWebhook(asRequest(byType("checkout.session.completed")));
    expect(completed).toEqual({
      eventKey: byType("checkout.session.completed").eventId,
      type: "checkout.session.completed",
      object: { kind: "payment", providerPaymentId: created.providerPaymentId, paymentId: args.paymentId },
    });
    expect(completed.eventKey).toMatch(/^evt_/);
    expect((await provider.parseWebhook(asRequest(byType("payment_intent.succeeded")))).object).toEqual({ kind: "payment", providerPaymentId: null, paymentId: args.paymentId });
    expect((await provider.parseWebhook(asRequest(byType("refund.created")))).object).toEqual({ kind: "refund", providerRefundId: refund.providerRefundId, providerPaymentId: null, refundId });
    expect((await provider.parseWebhook(asRequest(byType("charge.refunded")))).object).toEqual({ kind: "payment", providerPaymentId: null, paymentId: args.paymentId });
  });

  test("a forged or missing signature → WebhookRejected 400; a body changed after signing too; another endpoint's secret too", async () => {
    const { account, provider } = accountProvider();
    const created = await provider.createPayment(usd());
    st.control.expire(created.providerPaymentId);
    const [delivery] = await st.control.waitForDeliveries((d) => d.url === account.webhookUrl && d.type === "checkout.session.expired" && d.ok);
    expect((await provider.parseWebhook(asRequest(delivery))).object).toMatchObject({ kind: "payment", providerPaymentId: created.providerPaymentId });

    const headers = { ...delivery.headers };
    delete headers["stripe-signature"];
    expect((await rejected(provider.parseWebhook(asRequest({ body: delivery.body, headers })))).status).toBe(400);
    const forged = stripeSignatureHeader(delivery.body, "whsec_somebody_else");
    expect((await rejected(provider.parseWebhook(asRequest({ body: delivery.body, headers: { ...headers, "stripe-signature": forged } })))).status).toBe(400);
    const tampered = delivery.body.replace('"expired"', '"complete"');
    expect(tampered).not.toBe(delivery.body);
    expect((await rejected(provider.parseWebhook(asRequest({ body: tampered, headers: delivery.headers })))).status).toBe(400);
    const old = stripeSignatureHeader(delivery.body, account.webhookSecret, Math.floor(Date.now() / 1000) - 600);
    expect((await rejected(provider.parseWebhook(asRequest({ body: delivery.body, headers: { ...headers, "stripe-signature": old } })))).status).toBe(400);
    const other = accountProvider();
    expect((await rejected(other.provider.parseWebhook(asRequest(delivery)))).status).toBe(400);
  });

  test("an event type we do not use is verified and ignored", async () => {
    const { account, provider } = accountProvider();
    const body = JSON.stringify({ id: "evt_test_customer", object: "event", type: "customer.created", data: { object: { id: "cus_1", object: "customer" } } });
    const hint = await provider.parseWebhook({ rawBody: body, headers: new Headers({ "stripe-signature": stripeSignatureHeader(body, account.webhookSecret) }), remoteAddress: null });
    expect(hint).toEqual({ eventKey: "evt_test_customer", type: "customer.created", object: { kind: "ignored" } });
  });
});

describe("both adapters behind one interface", () => {
  test("createProvider builds them from the settings (API URLs, YooKassa's extra senders)", async () => {
    const shop = yk.control.addShop();
    const account = st.control.addAccount();
    const organizationId = randomUUID();
    const yooKassa = createProvider({ provider: "yookassa", shopId: shop.shopId, secretKey: shop.secretKey }, { organizationId });
    const stripe = createProvider({ provider: "stripe", secretKey: account.secretKey, webhookSecret: account.webhookSecret }, { organizationId });
    expect(await yooKassa.testConnection()).toEqual({ ok: true });
    expect(await stripe.testConnection()).toEqual({ ok: true });
    const created = await yooKassa.createPayment(input());
    expect(created.checkoutUrl).toContain(yk.url);
    const notification = JSON.stringify({ type: "notification", event: "payment.succeeded", object: { id: created.providerPaymentId, metadata: {} } });
    expect((await yooKassa.parseWebhook({ rawBody: notification, headers: new Headers(), remoteAddress: "127.0.0.1" })).object.kind).toBe("payment");
    expect((await stripe.createPayment(input({ currency: "USD", amountCents: 999 }))).checkoutUrl).toContain(st.url);
  });

  test("the ids and currencies they declare", () => {
    const providers: PaymentProvider[] = [
      new YooKassaProvider({ shopId: "1", secretKey: "x" }),
      new StripeProvider({ secretKey: "sk_test_x", webhookSecret: "whsec_x" }),
    ];
    expect(providers.map((p) => [p.id, p.currencies])).toEqual([
      ["yookassa", ["RUB"]],
      ["stripe", ["USD", "EUR"]],
    ]);
  });
});
