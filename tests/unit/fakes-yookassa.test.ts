// The YooKassa API v3 fake (tests/fakes/yookassa-api.ts) against the facts of
// /work/shared/reference/payments.md §1, spoken to with plain fetch as an adapter would.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type FakeYooKassaHandle, type YooKassaShop, startFakeYooKassa } from "@/tests/fakes/yookassa-api";
import { type WebhookReceiver, startWebhookReceiver } from "@/tests/helpers/webhook-receiver";

let yk: FakeYooKassaHandle;
let hooks: WebhookReceiver;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  yk = await startFakeYooKassa({ webhookRetryDelaysMs: [20, 40] });
});

afterAll(async () => {
  await yk.stop();
  await hooks.stop();
});

beforeEach(() => {
  yk.control.reset();
  hooks.received.length = 0;
});

const auth = (shop: Pick<YooKassaShop, "shopId" | "secretKey">) => `Basic ${Buffer.from(`${shop.shopId}:${shop.secretKey}`).toString("base64")}`;

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}

async function call(
  method: string,
  pathname: string,
  options: { shop?: YooKassaShop; body?: unknown; key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.shop) headers.authorization = auth(options.shop);
  if (method === "POST") {
    headers["content-type"] ??= "application/json";
    if (options.key !== null) headers["idempotence-key"] = options.key ?? randomUUID();
  }
  const res = await fetch(`${yk.url}${pathname}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

const paymentBody = (over: Record<string, unknown> = {}) => ({
  amount: { value: "100.00", currency: "RUB" },
  capture: true,
  confirmation: { type: "redirect", return_url: "https://aqstream.example/payments/return?r=1" },
  description: "Ticket #1",
  metadata: { registration_id: "reg-1" },
  ...over,
});

async function createPayment(shop: YooKassaShop, over: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const answer = await call("POST", "/v3/payments", { shop, body: paymentBody(over) });
  expect(answer.status).toBe(200);
  return answer.json;
}

async function paidPayment(shop: YooKassaShop, over: Record<string, unknown> = {}): Promise<string> {
  const payment = await createPayment(shop, over);
  yk.control.pay(payment.id as string);
  return payment.id as string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("POST /v3/payments", () => {
  test("creates a pending payment with a redirect confirmation pointing at the fake's checkout page", async () => {
    const shop = yk.control.addShop();
    const key = randomUUID();
    const answer = await call("POST", "/v3/payments", { shop, body: paymentBody(), key });
    expect(answer.status).toBe(200);
    const p = answer.json;
    expect(p.id).toMatch(/^[0-9a-f]{8}-000f-5000-8000-[0-9a-f]{12}$/);
    expect(p).toMatchObject({
      status: "pending",
      paid: false,
      amount: { value: "100.00", currency: "RUB" },
      description: "Ticket #1",
      metadata: { registration_id: "reg-1" },
      test: true,
      refundable: false,
      recipient: { account_id: shop.shopId },
      confirmation: {
        type: "redirect",
        return_url: "https://aqstream.example/payments/return?r=1",
        confirmation_url: `${yk.url}/checkout/${p.id as string}`,
      },
    });
    expect(p.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(p).not.toHaveProperty("cancellation_details");
    const [recorded] = yk.control.requestsTo("POST", "/v3/payments");
    expect(recorded).toMatchObject({ method: "POST", path: "/v3/payments", status: 200, tenant: shop.shopId, replayed: false });
    expect(recorded.headers["idempotence-key"]).toBe(key);
    expect(JSON.parse(recorded.body)).toEqual(paymentBody());
  });

  test.each([
    ["a value without decimals", { amount: { value: "100", currency: "RUB" } }, "amount.value"],
    ["a number instead of a string", { amount: { value: 100, currency: "RUB" } }, "amount.value"],
    ["a comma", { amount: { value: "100,00", currency: "RUB" } }, "amount.value"],
    ["a thousands separator", { amount: { value: "1 000.00", currency: "RUB" } }, "amount.value"],
    ["one decimal", { amount: { value: "100.0", currency: "RUB" } }, "amount.value"],
    ["zero", { amount: { value: "0.00", currency: "RUB" } }, "amount.value"],
    ["another currency", { amount: { value: "100.00", currency: "USD" } }, "amount.currency"],
    ["no amount", { amount: undefined }, "amount"],
    ["capture not a boolean", { capture: "true" }, "capture"],
    ["no confirmation", { confirmation: undefined }, "confirmation"],
    ["another confirmation type", { confirmation: { type: "embedded" } }, "confirmation.type"],
    ["no return_url", { confirmation: { type: "redirect" } }, "confirmation.return_url"],
    ["a return_url that is not a URL", { confirmation: { type: "redirect", return_url: "javascript:alert(1)" } }, "confirmation.return_url"],
    ["a description over 128", { description: "x".repeat(129) }, "description"],
    ["17 metadata keys", { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, "metadata"],
    ["a metadata key over 32", { metadata: { ["k".repeat(33)]: "v" } }, "metadata"],
    ["a metadata value over 512", { metadata: { k: "v".repeat(513) } }, "metadata"],
    ["a metadata value that is not a string", { metadata: { k: 1 } }, "metadata"],
  ])("rejects %s with 400 invalid_request naming the parameter, and creates nothing", async (_name, over, parameter) => {
    const shop = yk.control.addShop();
    const answer = await call("POST", "/v3/payments", { shop, body: paymentBody(over) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ type: "error", code: "invalid_request", parameter });
    expect(answer.json.id).toEqual(expect.any(String));
    expect(yk.control.payments()).toHaveLength(0);
  });

  test("accepts the documented limits exactly (description 128, 16 metadata keys of 32 chars, values of 512)", async () => {
    const shop = yk.control.addShop();
    const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`${i}`.padStart(32, "k"), "v".repeat(512)]));
    const p = await createPayment(shop, { description: "d".repeat(128), metadata, amount: { value: "0.01", currency: "RUB" } });
    expect(p.metadata).toEqual(metadata);
    expect(p.amount).toEqual({ value: "0.01", currency: "RUB" });
  });

  test("415 for a body that is not JSON, 405 for a wrong method, 404 for an unknown path", async () => {
    const shop = yk.control.addShop();
    const form = await call("POST", "/v3/payments", { shop, body: "amount=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    expect(form.json).not.toHaveProperty("code");
    expect((await call("DELETE", "/v3/payments/abc", { shop })).status).toBe(405);
    const unknown = await call("GET", "/v3/receipts", { shop });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe("not_found");
  });
});

describe("Idempotence-Key", () => {
  test("is required on every POST and at most 64 characters", async () => {
    const shop = yk.control.addShop();
    const missing = await call("POST", "/v3/payments", { shop, body: paymentBody(), key: null });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: "invalid_request", parameter: "Idempotence-Key" });
    const long = await call("POST", "/v3/payments", { shop, body: paymentBody(), key: "k".repeat(65) });
    expect(long.status).toBe(400);
    expect(long.json.parameter).toBe("Idempotence-Key");
    expect((await call("POST", "/v3/payments", { shop, body: paymentBody(), key: "k".repeat(64) })).status).toBe(200);
    const refundWithoutKey = await call("POST", "/v3/refunds", { shop, body: { payment_id: "x" }, key: null });
    expect(refundWithoutKey.json.parameter).toBe("Idempotence-Key");
    expect(yk.control.payments()).toHaveLength(1);
  });

  test("same key + same body → the original response (even with keys in another order); one payment", async () => {
    const shop = yk.control.addShop();
    const key = randomUUID();
    const first = await call("POST", "/v3/payments", { shop, body: paymentBody(), key });
    const { amount, ...rest } = paymentBody();
    const again = await call("POST", "/v3/payments", { shop, body: { ...rest, amount: { currency: "RUB", value: "100.00" } }, key });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(amount).toBeDefined();
    expect(yk.control.payments()).toHaveLength(1);
    expect(yk.control.requests.map((r) => r.replayed)).toEqual([false, true]);
  });

  test("the replay is the original answer, not the payment's current state", async () => {
    const shop = yk.control.addShop();
    const key = randomUUID();
    const first = await call("POST", "/v3/payments", { shop, body: paymentBody(), key });
    yk.control.pay(first.json.id as string);
    const again = await call("POST", "/v3/payments", { shop, body: paymentBody(), key });
    expect(again.json.status).toBe("pending");
    expect((await call("GET", `/v3/payments/${first.json.id as string}`, { shop })).json.status).toBe("succeeded");
  });

  test("same key + another body → 400 'Idempotence key duplicated'", async () => {
    const shop = yk.control.addShop();
    const key = randomUUID();
    await call("POST", "/v3/payments", { shop, body: paymentBody(), key });
    const other = await call("POST", "/v3/payments", { shop, body: paymentBody({ amount: { value: "200.00", currency: "RUB" } }), key });
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({ type: "error", code: "invalid_request", description: "Idempotence key duplicated", parameter: "Idempotence-Key" });
    expect(yk.control.payments()).toHaveLength(1);
  });

  test("keys belong to a shop; errors are not kept; after the retention a key makes a new operation", async () => {
    const a = yk.control.addShop();
    const b = yk.control.addShop();
    const key = randomUUID();
    const bad = await call("POST", "/v3/payments", { shop: a, body: paymentBody({ amount: { value: "1", currency: "RUB" } }), key });
    expect(bad.status).toBe(400);
    const fromA = await call("POST", "/v3/payments", { shop: a, body: paymentBody(), key });
    const fromB = await call("POST", "/v3/payments", { shop: b, body: paymentBody(), key });
    expect(fromA.status).toBe(200);
    expect(fromB.status).toBe(200);
    expect(fromB.json.id).not.toBe(fromA.json.id);
    yk.control.expireIdempotencyKeys();
    const later = await call("POST", "/v3/payments", { shop: a, body: paymentBody(), key });
    expect(later.json.id).not.toBe(fromA.json.id);
    expect(yk.control.payments()).toHaveLength(3);
  });

  test("a key whose first request is still executing: the second waits and gets the same answer", async () => {
    const shop = yk.control.addShop();
    yk.control.setLatency(80);
    const key = randomUUID();
    const [one, two] = await Promise.all([
      call("POST", "/v3/payments", { shop, body: paymentBody(), key }),
      call("POST", "/v3/payments", { shop, body: paymentBody(), key }),
    ]);
    expect(one.status).toBe(200);
    expect(two.json).toEqual(one.json);
    expect(yk.control.payments()).toHaveLength(1);
  });
});

describe("authentication and shops", () => {
  test("401 invalid_credentials without credentials, with a wrong secret or an unknown shop", async () => {
    const shop = yk.control.addShop();
    for (const authorization of [undefined, auth({ shopId: shop.shopId, secretKey: "test_wrong" }), auth({ shopId: "999", secretKey: shop.secretKey }), "Bearer x"]) {
      const answer = await call("POST", "/v3/payments", { body: paymentBody(), headers: authorization ? { authorization } : {} });
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ type: "error", code: "invalid_credentials" });
    }
    expect(yk.control.payments()).toHaveLength(0);
    expect(yk.control.requests.every((r) => r.tenant === undefined)).toBe(true);
  });

  test("a shop cannot read, capture or refund another shop's payment (404 / 400), nor read its refunds", async () => {
    const a = yk.control.addShop();
    const b = yk.control.addShop();
    const paymentId = await paidPayment(a);
    const refund = await call("POST", "/v3/refunds", { shop: a, body: { payment_id: paymentId, amount: { value: "10.00", currency: "RUB" } } });
    expect((await call("GET", `/v3/payments/${paymentId}`, { shop: a })).status).toBe(200);
    const read = await call("GET", `/v3/payments/${paymentId}`, { shop: b });
    expect(read.status).toBe(404);
    expect(read.json.code).toBe("not_found");
    expect((await call("POST", `/v3/payments/${paymentId}/capture`, { shop: b, body: {} })).status).toBe(404);
    const foreignRefund = await call("POST", "/v3/refunds", { shop: b, body: { payment_id: paymentId, amount: { value: "10.00", currency: "RUB" } } });
    expect(foreignRefund.status).toBe(400);
    expect(foreignRefund.json.parameter).toBe("payment_id");
    expect((await call("GET", `/v3/refunds/${refund.json.id as string}`, { shop: b })).status).toBe(404);
    expect(yk.control.payment(paymentId)?.refunded_amount).toEqual({ value: "10.00", currency: "RUB" });
  });
});

describe("GET /v3/payments/{id} and the lifecycle", () => {
  test("404 for an unknown id; a paid payment is succeeded, paid, captured, without confirmation", async () => {
    const shop = yk.control.addShop();
    expect((await call("GET", "/v3/payments/23d93cac-000f-5000-8000-126628f15141", { shop })).status).toBe(404);
    const id = await paidPayment(shop);
    const p = (await call("GET", `/v3/payments/${id}`, { shop })).json;
    expect(p).toMatchObject({ status: "succeeded", paid: true, refundable: true, amount: { value: "100.00", currency: "RUB" } });
    expect(p).not.toHaveProperty("confirmation");
    expect(p.captured_at).toEqual(expect.any(String));
    expect(p.income_amount).toEqual({ value: "96.50", currency: "RUB" });
    expect(p.payment_method).toMatchObject({ type: "bank_card" });
  });

  test("without capture:true the money is only held: waiting_for_capture, then capture or cancel or expiry", async () => {
    const shop = yk.control.addShop();
    const held = await createPayment(shop, { capture: undefined });
    yk.control.pay(held.id as string);
    const waiting = (await call("GET", `/v3/payments/${held.id as string}`, { shop })).json;
    expect(waiting).toMatchObject({ status: "waiting_for_capture", paid: true, refundable: false });
    expect(waiting.expires_at).toEqual(expect.any(String));
    const refund = await call("POST", "/v3/refunds", { shop, body: { payment_id: held.id, amount: { value: "10.00", currency: "RUB" } } });
    expect(refund.status).toBe(400);
    const captured = await call("POST", `/v3/payments/${held.id as string}/capture`, { shop, body: { amount: { value: "80.00", currency: "RUB" } } });
    expect(captured.json).toMatchObject({ status: "succeeded", amount: { value: "80.00", currency: "RUB" } });
    expect((await call("POST", `/v3/payments/${held.id as string}/capture`, { shop, body: {} })).status).toBe(400);

    const toCancel = await createPayment(shop, { capture: false });
    expect((await call("POST", `/v3/payments/${toCancel.id as string}/cancel`, { shop, body: {} })).status).toBe(400);
    yk.control.pay(toCancel.id as string);
    const canceled = await call("POST", `/v3/payments/${toCancel.id as string}/cancel`, { shop, body: {} });
    expect(canceled.json).toMatchObject({ status: "canceled", cancellation_details: { party: "merchant", reason: "canceled_by_merchant" } });

    const forgotten = await createPayment(shop, { capture: false });
    yk.control.pay(forgotten.id as string);
    expect(yk.control.expire(forgotten.id as string)).toMatchObject({ status: "canceled", cancellation_details: { party: "yoo_kassa", reason: "expired_on_capture" } });
  });

  test("decline and expiry cancel a pending payment with the documented party and reason; final states stay final", async () => {
    const shop = yk.control.addShop();
    const declined = await createPayment(shop);
    expect(yk.control.decline(declined.id as string)).toMatchObject({
      status: "canceled",
      paid: false,
      cancellation_details: { party: "payment_network", reason: "insufficient_funds" },
    });
    const unpaid = await createPayment(shop);
    expect(yk.control.expire(unpaid.id as string)).toMatchObject({ cancellation_details: { party: "yoo_kassa", reason: "expired_on_confirmation" } });
    expect(() => yk.control.pay(declined.id as string)).toThrow(/not pending/);
    expect(() => yk.control.expire(declined.id as string)).toThrow(/nothing to expire/);
  });
});

describe("refunds", () => {
  test("partial then full; more than the rest → 400; a refunded payment is no longer refundable", async () => {
    const shop = yk.control.addShop();
    const paymentId = await paidPayment(shop);
    const part = await call("POST", "/v3/refunds", { shop, body: { payment_id: paymentId, amount: { value: "30.00", currency: "RUB" }, description: "Partial" } });
    expect(part.status).toBe(200);
    expect(part.json).toMatchObject({ payment_id: paymentId, status: "succeeded", amount: { value: "30.00", currency: "RUB" }, description: "Partial" });
    expect(part.json.id).toMatch(/^[0-9a-f]{8}-0015-5000-9000-[0-9a-f]{12}$/);
    expect((await call("GET", `/v3/payments/${paymentId}`, { shop })).json).toMatchObject({
      refunded_amount: { value: "30.00", currency: "RUB" },
      refundable: true,
      status: "succeeded",
    });
    const tooMuch = await call("POST", "/v3/refunds", { shop, body: { payment_id: paymentId, amount: { value: "70.01", currency: "RUB" } } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json).toMatchObject({ code: "invalid_request", parameter: "amount.value" });
    const rest = await call("POST", "/v3/refunds", { shop, body: { payment_id: paymentId, amount: { value: "70.00", currency: "RUB" } } });
    expect(rest.json.status).toBe("succeeded");
    expect((await call("GET", `/v3/payments/${paymentId}`, { shop })).json).toMatchObject({ refunded_amount: { value: "100.00", currency: "RUB" }, refundable: false });
    expect((await call("POST", "/v3/refunds", { shop, body: { payment_id: paymentId, amount: { value: "0.01", currency: "RUB" } } })).status).toBe(400);
    const read = await call("GET", `/v3/refunds/${part.json.id as string}`, { shop });
    expect(read.json).toEqual(part.json);
    expect((await call("GET", "/v3/refunds/00000000-0015-5000-9000-000000000000", { shop })).status).toBe(404);
  });

  test("a payment that is not succeeded cannot be refunded; bad amounts and currencies are 400", async () => {
    const shop = yk.control.addShop();
    const pending = await createPayment(shop);
    const notPaid = await call("POST", "/v3/refunds", { shop, body: { payment_id: pending.id, amount: { value: "1.00", currency: "RUB" } } });
    expect(notPaid.status).toBe(400);
    expect(notPaid.json.parameter).toBe("payment_id");
    yk.control.pay(pending.id as string);
    for (const [amount, parameter] of [
      [{ value: "1", currency: "RUB" }, "amount.value"],
      [{ value: "1.00", currency: "EUR" }, "amount.currency"],
      [undefined, "amount"],
    ] as const) {
      const answer = await call("POST", "/v3/refunds", { shop, body: { payment_id: pending.id, amount } });
      expect(answer.status).toBe(400);
      expect(answer.json.parameter).toBe(parameter);
    }
    expect((await call("POST", "/v3/refunds", { shop, body: { amount: { value: "1.00", currency: "RUB" } } })).json.parameter).toBe("payment_id");
  });

  test("refunds are keyed: a replay returns the same refund and refunds once", async () => {
    const shop = yk.control.addShop();
    const paymentId = await paidPayment(shop);
    const key = randomUUID();
    const body = { payment_id: paymentId, amount: { value: "40.00", currency: "RUB" } };
    const one = await call("POST", "/v3/refunds", { shop, body, key });
    const two = await call("POST", "/v3/refunds", { shop, body, key });
    expect(two.json).toEqual(one.json);
    expect(yk.control.payment(paymentId)?.refunded_amount).toEqual({ value: "40.00", currency: "RUB" });
  });

  test("pending refunds: settled later, manually, or canceled (no notification for a canceled one)", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/yk` });
    const paymentId = await paidPayment(shop);
    yk.control.scenario({ refund: { manual: true } }, { id: paymentId });
    const manual = await call("POST", "/v3/refunds", { shop, body: { payment_id: paymentId, amount: { value: "10.00", currency: "RUB" } } });
    expect(manual.json.status).toBe("pending");
    expect(yk.control.payment(paymentId)).not.toHaveProperty("refunded_amount");
    expect(yk.control.settleRefund(manual.json.id as string, "succeeded")).toMatchObject({ status: "succeeded" });
    yk.control.scenario({ refund: { outcome: "canceled", afterMs: 30 } }, { id: paymentId });
    const canceled = await call("POST", "/v3/refunds", { shop, body: { payment_id: paymentId, amount: { value: "90.00", currency: "RUB" } } });
    expect(canceled.json.status).toBe("pending");
    // Pending refunds count against the rest.
    expect((await call("POST", "/v3/refunds", { shop, body: { payment_id: paymentId, amount: { value: "1.00", currency: "RUB" } } })).status).toBe(400);
    await sleep(60);
    expect(yk.control.refund(canceled.json.id as string)).toMatchObject({ status: "canceled", cancellation_details: { party: "yoo_kassa" } });
    await yk.control.webhooksIdle();
    expect(yk.control.events.map((e) => e.type)).toEqual(["payment.succeeded", "refund.succeeded"]);
    expect(yk.control.payment(paymentId)?.refunded_amount).toEqual({ value: "10.00", currency: "RUB" });
  });
});

describe("the checkout page", () => {
  test("shows Pay and Decline; Pay succeeds the payment and redirects to return_url", async () => {
    const shop = yk.control.addShop();
    const p = await createPayment(shop);
    const confirmationUrl = (p.confirmation as { confirmation_url: string }).confirmation_url;
    const page = await fetch(confirmationUrl);
    const html = await page.text();
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("100.00 RUB");
    expect(html).toMatch(/<button[^>]*>Pay<\/button>/);
    expect(html).toMatch(/<button[^>]*>Decline<\/button>/);
    const pay = await fetch(`${confirmationUrl}/pay`, { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe("https://aqstream.example/payments/return?r=1");
    expect(yk.control.payment(p.id as string)?.status).toBe("succeeded");
    // A second press changes nothing and still sends the buyer back.
    const again = await fetch(`${confirmationUrl}/pay`, { method: "POST", redirect: "manual" });
    expect(again.status).toBe(303);
    expect(await (await fetch(confirmationUrl)).text()).toContain("Status: succeeded");
  });

  test("Decline cancels the payment; an unknown payment is 404", async () => {
    const shop = yk.control.addShop();
    const p = await createPayment(shop);
    const decline = await fetch(`${yk.url}/checkout/${p.id as string}/decline`, { method: "POST", redirect: "manual" });
    expect(decline.status).toBe(303);
    expect(yk.control.payment(p.id as string)).toMatchObject({ status: "canceled", cancellation_details: { party: "payment_network" } });
    expect((await fetch(`${yk.url}/checkout/nope`)).status).toBe(404);
  });

  test("'only by webhook': the buyer is back while the payment is still pending; it succeeds later", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/yk` });
    const p = await createPayment(shop);
    yk.control.scenario({ returnBeforeStateMs: 60 }, { metadata: { registration_id: "reg-1" } });
    const pay = await fetch(`${yk.url}/checkout/${p.id as string}/pay`, { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    expect((await call("GET", `/v3/payments/${p.id as string}`, { shop })).json.status).toBe("pending");
    expect(await (await fetch(`${yk.url}/checkout/${p.id as string}`)).text()).toContain("processing");
    await hooks.waitFor(1);
    expect(hooks.received[0].json.event).toBe("payment.succeeded");
    expect(yk.control.payment(p.id as string)?.status).toBe("succeeded");
  });
});

describe("notifications", () => {
  test("POSTed unsigned to the shop's URL with the documented envelope and the object's state at that moment", async () => {
    const a = yk.control.addShop({ webhookUrl: `${hooks.url}/a` });
    const b = yk.control.addShop({ webhookUrl: `${hooks.url}/b` });
    const paid = await paidPayment(a);
    const declined = await createPayment(b);
    yk.control.decline(declined.id as string);
    await call("POST", "/v3/refunds", { shop: a, body: { payment_id: paid, amount: { value: "25.00", currency: "RUB" } } });
    await hooks.waitFor(3);
    await yk.control.webhooksIdle();
    const byPath = (p: string) => hooks.received.filter((r) => r.path === p).map((r) => r.json);
    expect(byPath("/a").map((n) => n.event)).toEqual(["payment.succeeded", "refund.succeeded"]);
    expect(byPath("/b").map((n) => n.event)).toEqual(["payment.canceled"]);
    const [succeeded, refunded] = byPath("/a");
    expect(Object.keys(succeeded).sort()).toEqual(["event", "object", "type"]);
    expect(succeeded).toMatchObject({ type: "notification", object: { id: paid, status: "succeeded", paid: true, metadata: { registration_id: "reg-1" } } });
    expect(succeeded.object).not.toHaveProperty("refunded_amount");
    expect(refunded).toMatchObject({ type: "notification", object: { payment_id: paid, status: "succeeded", amount: { value: "25.00", currency: "RUB" } } });
    const headers = hooks.received[0].headers;
    expect(headers["content-type"]).toBe("application/json");
    expect(Object.keys(headers).filter((h) => /signature|hmac/i.test(h))).toEqual([]);
    expect(yk.control.deliveries.every((d) => d.ok && d.status === 200 && d.attempt === 1)).toBe(true);
  });

  test("waiting_for_capture is notified for held payments; nothing is sent for a shop without a URL", async () => {
    const withUrl = yk.control.addShop({ webhookUrl: `${hooks.url}/w` });
    const without = yk.control.addShop();
    const held = await createPayment(withUrl, { capture: false });
    yk.control.pay(held.id as string);
    yk.control.pay((await createPayment(without)).id as string);
    await hooks.waitFor(1);
    await yk.control.webhooksIdle();
    expect(hooks.received.map((r) => r.json.event)).toEqual(["payment.waiting_for_capture"]);
    expect(yk.control.events.map((e) => e.state)).toEqual(["delivered", "no-endpoint"]);
  });

  test("any answer but 200 is redelivered (a 204 too) until 200", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/r` });
    hooks.answerNext(500, 204);
    await paidPayment(shop);
    await hooks.waitFor(3);
    await yk.control.webhooksIdle();
    expect(hooks.received.map((r) => r.answered)).toEqual([500, 204, 200]);
    expect(new Set(hooks.received.map((r) => r.body)).size).toBe(1);
    expect(yk.control.deliveries.map((d) => [d.attempt, d.status, d.ok])).toEqual([
      [1, 500, false],
      [2, 204, false],
      [3, 200, true],
    ]);
    expect(yk.control.events[0].state).toBe("delivered");
  });

  test("gives up after the last retry; an unreachable endpoint is a failed delivery with an error", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/r` });
    hooks.answerNext(500, 500, 500);
    await paidPayment(shop);
    await yk.control.webhooksIdle();
    expect(yk.control.deliveries).toHaveLength(3);
    expect(yk.control.events[0]).toMatchObject({ state: "failed", attempts: 3 });
    yk.control.updateShop(shop.shopId, { webhookUrl: "http://127.0.0.1:9/nowhere" });
    yk.control.setWebhookRetryDelays([]);
    await paidPayment(shop);
    await yk.control.webhooksIdle();
    expect(yk.control.deliveries.at(-1)).toMatchObject({ status: 0, ok: false, error: expect.any(String) });
  });

  test("reset() cancels pending retries and restores the retry delays of the start options", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/z` });
    hooks.answerNext(500);
    await paidPayment(shop);
    await yk.control.waitForDeliveries((d) => d.status === 500);
    yk.control.setWebhookRetryDelays([]);
    yk.control.reset();
    await sleep(60);
    expect(hooks.received).toHaveLength(1);
    expect(yk.control.deliveries).toHaveLength(0);
    hooks.answerNext(500);
    await paidPayment(shop);
    await hooks.waitFor(3);
    expect(hooks.received.map((r) => r.answered)).toEqual([500, 500, 200]);
  });

  test("twice: every notification arrives two times, identical", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/t` });
    yk.control.scenario({ webhook: "twice" }, { tenant: shop.shopId });
    await paidPayment(shop);
    await hooks.waitFor(2);
    await yk.control.webhooksIdle();
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[0].body).toBe(hooks.received[1].body);
    expect(yk.control.deliveries.map((d) => d.copy).sort()).toEqual([1, 2]);
  });

  test("out of order: succeeded arrives before waiting_for_capture", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/o` });
    yk.control.scenario({ webhook: "out-of-order" });
    const held = await createPayment(shop, { capture: false });
    yk.control.pay(held.id as string);
    await sleep(30);
    expect(hooks.received).toHaveLength(0);
    expect(yk.control.events[0].state).toBe("held");
    await call("POST", `/v3/payments/${held.id as string}/capture`, { shop, body: {} });
    await hooks.waitFor(2);
    expect(hooks.received.map((r) => r.json.event)).toEqual(["payment.succeeded", "payment.waiting_for_capture"]);
  });

  test("dropped: recorded, never sent, until resent", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/d` });
    const p = await createPayment(shop);
    yk.control.scenario({ webhook: "dropped" }, { id: p.id as string });
    yk.control.pay(p.id as string);
    await sleep(30);
    expect(hooks.received).toHaveLength(0);
    const [event] = yk.control.events;
    expect(event.state).toBe("dropped");
    expect(yk.control.resend(event.id)).toBe(true);
    await hooks.waitFor(1);
    expect(hooks.received[0].json.event).toBe("payment.succeeded");
  });

  test("delayed by N ms", async () => {
    const shop = yk.control.addShop({ webhookUrl: `${hooks.url}/l` });
    yk.control.scenario({ webhook: { delayMs: 80 } });
    const started = Date.now();
    await paidPayment(shop);
    await hooks.waitFor(1);
    expect(hooks.received[0].at - started).toBeGreaterThanOrEqual(75);
  });
});

describe("injected failures (unknown outcome → repeat with the same key)", () => {
  test("a 500 before execution: nothing happened; the repeat creates the payment", async () => {
    const shop = yk.control.addShop();
    yk.control.failNext({ path: "/v3/payments" });
    const key = randomUUID();
    const first = await call("POST", "/v3/payments", { shop, body: paymentBody(), key });
    expect(first.status).toBe(500);
    expect(first.json).toMatchObject({ type: "error", code: "internal_server_error" });
    expect(yk.control.payments()).toHaveLength(0);
    // YooKassa keeps no failed answers: `saved` is a plain failure before execution here.
    yk.control.failNext({ saved: true, path: "/v3/payments" });
    expect((await call("POST", "/v3/payments", { shop, body: paymentBody(), key })).status).toBe(500);
    expect(yk.control.payments()).toHaveLength(0);
    expect((await call("POST", "/v3/payments", { shop, body: paymentBody(), key })).status).toBe(200);
    expect(yk.control.requests.map((r) => [r.status, r.injected])).toEqual([
      [500, "error"],
      [500, "error"],
      [200, undefined],
    ]);
  });

  test("a 500 after execution: the repeat with the same key returns the payment made the first time", async () => {
    const shop = yk.control.addShop();
    yk.control.failNext({ executed: true, method: "POST" });
    const key = randomUUID();
    expect((await call("POST", "/v3/payments", { shop, body: paymentBody(), key })).status).toBe(500);
    expect(yk.control.payments()).toHaveLength(1);
    const repeat = await call("POST", "/v3/payments", { shop, body: paymentBody(), key });
    expect(repeat.status).toBe(200);
    expect(repeat.json.id).toBe(yk.control.payments()[0].id);
    expect(yk.control.payments()).toHaveLength(1);
    // A new key would have charged twice — the trap the fake lets a test show.
    await call("POST", "/v3/payments", { shop, body: paymentBody() });
    expect(yk.control.payments()).toHaveLength(2);
  });

  test("a timeout and a reset: no answer, the refund was made, the keyed repeat gets it", async () => {
    const shop = yk.control.addShop();
    const paymentId = await paidPayment(shop);
    const key = randomUUID();
    const body = { payment_id: paymentId, amount: { value: "10.00", currency: "RUB" } };
    yk.control.failNext({ kind: "timeout", executed: true, holdMs: 50, path: "/v3/refunds" });
    await expect(call("POST", "/v3/refunds", { shop, body, key })).rejects.toThrow();
    yk.control.failNext({ kind: "reset", path: "/v3/refunds" });
    await expect(call("POST", "/v3/refunds", { shop, body, key })).rejects.toThrow();
    const repeat = await call("POST", "/v3/refunds", { shop, body, key });
    expect(repeat.status).toBe(200);
    expect(yk.control.payment(paymentId)?.refunded_amount).toEqual({ value: "10.00", currency: "RUB" });
    expect(yk.control.requests.filter((r) => r.path === "/v3/refunds").map((r) => [r.status, r.injected ?? null, r.replayed])).toEqual([
      [0, "timeout", false],
      [0, "reset", false],
      [200, null, true],
    ]);
  });

  test("failures apply to the next N matching requests only", async () => {
    const shop = yk.control.addShop();
    const p = await createPayment(shop);
    yk.control.failNext({ method: "GET", status: 429 }, 2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call("GET", `/v3/payments/${p.id as string}`, { shop })).status);
    expect(statuses).toEqual([429, 429, 200]);
  });
});

describe("the HTTP control API and the standalone process", () => {
  test("shops, payments, scenarios, failures and the request log over /__control", async () => {
    const post = (p: string, body: unknown = {}) =>
      fetch(`${yk.url}/__control/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const shop = (await (await post("shops", { shopId: "700001", secretKey: "test_ctl", webhookUrl: `${hooks.url}/c` })).json()) as YooKassaShop;
    expect(shop).toEqual({ shopId: "700001", secretKey: "test_ctl", webhookUrl: `${hooks.url}/c` });
    expect((await post("scenario", { webhook: "twice", match: { tenant: "700001" } })).status).toBe(200);
    expect((await post("fail", { times: 1, path: "/v3/payments", status: 503 })).status).toBe(200);
    expect((await call("POST", "/v3/payments", { shop, body: paymentBody() })).status).toBe(503);
    const p = await createPayment(shop);
    const paid = (await (await post(`payments/${p.id as string}/pay`)).json()) as Record<string, unknown>;
    expect(paid.status).toBe("succeeded");
    expect((await post(`payments/${p.id as string}/pay`)).status).toBe(400);
    await post("webhooks/idle");
    expect(hooks.received).toHaveLength(2);
    const requests = (await (await fetch(`${yk.url}/__control/requests?method=POST&path=/v3/payments`)).json()) as Array<{ status: number }>;
    expect(requests.map((r) => r.status)).toEqual([503, 200]);
    const deliveries = (await (await fetch(`${yk.url}/__control/deliveries`)).json()) as unknown[];
    expect(deliveries).toHaveLength(2);
    expect((await (await fetch(`${yk.url}/__control/payments/${p.id as string}`)).json()) as unknown).toMatchObject({ status: "succeeded" });
    expect((await post("reset")).status).toBe(200);
    expect((await (await fetch(`${yk.url}/__control/payments`)).json()) as unknown[]).toEqual([]);
    expect((await post("nonsense")).status).toBe(404);
  });

  test("`--port 0 --shop id:secret@url` prints FAKE_YOOKASSA_URL and serves", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join("tests", "fakes", "yookassa-api.ts"), "--port", "0", "--shop", `800001:test_cli@${hooks.url}/cli`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const found = /FAKE_YOOKASSA_URL=(\S+)/.exec(out)?.[1];
          if (found) resolve(found);
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}/v3/payments`, {
        method: "POST",
        headers: { authorization: auth({ shopId: "800001", secretKey: "test_cli" }), "content-type": "application/json", "idempotence-key": randomUUID() },
        body: JSON.stringify(paymentBody()),
      });
      expect(res.status).toBe(200);
      const id = ((await res.json()) as { id: string }).id;
      await fetch(`${url}/__control/payments/${id}/pay`, { method: "POST" });
      await hooks.waitFor(1);
      expect(hooks.received[0].path).toBe("/cli");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
