// The Stripe API fake (tests/fakes/stripe-api.ts) against the facts of
// /work/shared/reference/payments.md §2, spoken to with plain fetch and form bodies as stripe-node sends them.
import { spawn } from "node:child_process";
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type FakeStripeHandle, type StripeAccount, STRIPE_API_VERSION, parseStripeForm, startFakeStripe, stripeSignatureHeader } from "@/tests/fakes/stripe-api";
import { type ReceivedWebhook, type WebhookReceiver, startWebhookReceiver } from "@/tests/helpers/webhook-receiver";

let stripe: FakeStripeHandle;
let hooks: WebhookReceiver;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  stripe = await startFakeStripe({ webhookRetryDelaysMs: [20, 40] });
});

afterAll(async () => {
  await stripe.stop();
  await hooks.stop();
});

beforeEach(() => {
  stripe.control.reset();
  hooks.received.length = 0;
});

/** Form encoding as stripe-node does it: qs with indices, brackets left raw. */
function form(value: Record<string, unknown>, prefix = ""): string {
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const name = prefix ? `${prefix}[${encodeURIComponent(key)}]` : encodeURIComponent(key);
    if (v !== null && typeof v === "object") {
      const inner = Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : (v as Record<string, unknown>);
      const encoded = form(inner, name);
      if (encoded) parts.push(encoded);
    } else parts.push(`${name}=${encodeURIComponent(String(v))}`);
  }
  return parts.join("&");
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}

type Err = { error: { type: string; code?: string; message: string; param?: string } };

async function call(
  method: string,
  pathname: string,
  options: { account?: StripeAccount; params?: Record<string, unknown>; key?: string | null; headers?: Record<string, string>; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "stripe-version": STRIPE_API_VERSION, ...options.headers };
  if (options.account) headers.authorization = `Bearer ${options.account.secretKey}`;
  let body: string | undefined;
  if (method === "POST") {
    headers["content-type"] ??= "application/x-www-form-urlencoded";
    // stripe-node sends a key on every POST.
    if (options.key !== null) headers["idempotency-key"] = options.key ?? `stripe-node-retry-${randomUUID()}`;
    body = options.raw ?? form(options.params ?? {});
  }
  const query = method === "GET" && options.params ? `?${form(options.params)}` : "";
  const res = await fetch(`${stripe.url}${pathname}${query}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

const errorOf = (a: Answer) => (a.json as unknown as Err).error;

const sessionParams = (over: Record<string, unknown> = {}) => ({
  mode: "payment",
  line_items: [{ price_data: { currency: "eur", unit_amount: 1500, product_data: { name: "Ticket: Meetup" } }, quantity: 2 }],
  success_url: "https://aqstream.example/payments/return?session={CHECKOUT_SESSION_ID}",
  cancel_url: "https://aqstream.example/payments/cancel",
  client_reference_id: "reg-1",
  metadata: { registration_id: "reg-1", organization_id: "org-1" },
  payment_intent_data: { metadata: { registration_id: "reg-1" } },
  ...over,
});

async function createSession(account: StripeAccount, over: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const answer = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(over) });
  expect(answer.status).toBe(200);
  return answer.json;
}

async function paidSession(account: StripeAccount): Promise<{ sessionId: string; intentId: string }> {
  const session = await createSession(account);
  const paid = stripe.control.pay(session.id as string);
  return { sessionId: session.id as string, intentId: paid.payment_intent as string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Verification written from the reference (§2 "Signature"), independently of the fake's signer. */
function verifySignature(rawBody: string, header: string, secret: string, toleranceSeconds = 300): boolean {
  const pairs = header.split(",").map((item) => {
    const at = item.indexOf("=");
    return [item.slice(0, at), item.slice(at + 1)] as const;
  });
  const t = Number(pairs.find(([k]) => k === "t")?.[1]);
  const signatures = pairs.filter(([k]) => k === "v1").map(([, v]) => v);
  if (!Number.isInteger(t) || signatures.length === 0) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${rawBody}`, "utf8").digest("hex"));
  const matches = signatures.some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected));
  return matches && Math.floor(Date.now() / 1000) - t <= toleranceSeconds;
}

describe("POST /v1/checkout/sessions", () => {
  test("creates an open session from a bracket-keyed form; its PaymentIntent comes with the first payment attempt", async () => {
    const account = stripe.control.addAccount();
    const key = `stripe-node-retry-${randomUUID()}`;
    const before = Math.floor(Date.now() / 1000);
    const answer = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key });
    expect(answer.status).toBe(200);
    const s = answer.json;
    expect(s.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(s).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      payment_intent: null,
      amount_total: 3000,
      currency: "eur",
      client_reference_id: "reg-1",
      metadata: { registration_id: "reg-1", organization_id: "org-1" },
      livemode: false,
      url: `${stripe.url}/pay/${s.id as string}`,
      success_url: "https://aqstream.example/payments/return?session={CHECKOUT_SESSION_ID}",
    });
    expect(s.expires_at as number).toBeGreaterThanOrEqual(before + 24 * 3600);
    expect(answer.headers.get("request-id")).toMatch(/^req_/);
    expect(answer.headers.get("idempotency-key")).toBe(key);
    expect(answer.headers.get("idempotent-replayed")).toBeNull();
    const [recorded] = stripe.control.requestsTo("POST", "/v1/checkout/sessions");
    expect(recorded.headers["idempotency-key"]).toBe(key);
    expect(recorded.headers.authorization).toBe(`Bearer ${account.secretKey}`);
    expect(recorded.body).toContain("line_items[0][price_data][unit_amount]=1500");
    expect(recorded).toMatchObject({ tenant: account.id, status: 200, requestId: answer.headers.get("request-id") });
  });

  test("expires_at must be 30 minutes to 24 hours ahead", async () => {
    const account = stripe.control.addAccount();
    const now = Math.floor(Date.now() / 1000);
    for (const expiresAt of [now + 29 * 60, now + 24 * 3600 + 60]) {
      const answer = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams({ expires_at: expiresAt }) });
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ type: "invalid_request_error", param: "expires_at" });
    }
    const ok = await createSession(account, { expires_at: now + 31 * 60 });
    expect(ok.expires_at).toBe(now + 31 * 60);
  });

  test.each([
    ["no mode", { mode: undefined }, "parameter_missing", "mode"],
    ["a decimal unit_amount", { line_items: [{ price_data: { currency: "eur", unit_amount: "15.00", product_data: { name: "T" } }, quantity: 1 }] }, "parameter_invalid_integer", "line_items[0][price_data][unit_amount]"],
    ["no quantity", { line_items: [{ price_data: { currency: "eur", unit_amount: 1500, product_data: { name: "T" } } }] }, "parameter_missing", "line_items[0][quantity]"],
    ["no product name", { line_items: [{ price_data: { currency: "eur", unit_amount: 1500 }, quantity: 1 }] }, "parameter_missing", "line_items[0][price_data][product_data][name]"],
    ["no line items", { line_items: undefined }, "parameter_missing", "line_items"],
    ["an unknown parameter", { shipping_rate: "x" }, "parameter_unknown", "shipping_rate"],
    ["an invalid success_url", { success_url: "not a url" }, "url_invalid", "success_url"],
    ["a 41-char metadata key", { metadata: { ["k".repeat(41)]: "v" } }, undefined, `metadata[${"k".repeat(41)}]`],
    ["a 501-char metadata value", { metadata: { k: "v".repeat(501) } }, undefined, "metadata[k]"],
    ["a subscription", { mode: "subscription" }, undefined, "mode"],
  ])("rejects %s with 400 invalid_request_error", async (_name, over, code, param) => {
    const account = stripe.control.addAccount();
    const answer = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(over) });
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error).toMatchObject({ type: "invalid_request_error", param });
    if (code) expect(error.code).toBe(code);
    expect(error.message).toEqual(expect.any(String));
    expect(stripe.control.sessions()).toHaveLength(0);
  });

  test("a total under 0.50 and a JSON body are refused", async () => {
    const account = stripe.control.addAccount();
    const small = await call("POST", "/v1/checkout/sessions", {
      account,
      params: sessionParams({ line_items: [{ price_data: { currency: "usd", unit_amount: 49, product_data: { name: "T" } }, quantity: 1 }] }),
    });
    expect(small.status).toBe(400);
    const json = await call("POST", "/v1/checkout/sessions", { account, raw: JSON.stringify(sessionParams()), headers: { "content-type": "application/json" } });
    expect(json.status).toBe(400);
    expect(stripe.control.sessions()).toHaveLength(0);
  });
});

describe("Idempotency-Key", () => {
  test("same key + same params → the first answer replayed with Idempotent-Replayed: true; one session", async () => {
    const account = stripe.control.addAccount();
    const key = `stripe-node-retry-${randomUUID()}`;
    const first = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key });
    const again = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("original-request")).toBe(first.headers.get("request-id"));
    expect(again.headers.get("request-id")).not.toBe(first.headers.get("request-id"));
    expect(stripe.control.sessions()).toHaveLength(1);
    expect(stripe.control.requests.map((r) => r.replayed)).toEqual([false, true]);
  });

  test("same key + other params, or another endpoint → 400 idempotency_error", async () => {
    const account = stripe.control.addAccount();
    const key = randomUUID();
    await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key });
    const other = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams({ client_reference_id: "reg-2" }), key });
    expect(other.status).toBe(400);
    expect(errorOf(other).type).toBe("idempotency_error");
    expect(errorOf(other).message).toMatch(/^Keys for idempotent requests can only be used with the same parameters they were first used with/);
    const otherEndpoint = await call("POST", "/v1/refunds", { account, params: { payment_intent: "pi_x" }, key });
    expect(errorOf(otherEndpoint).type).toBe("idempotency_error");
    expect(stripe.control.sessions()).toHaveLength(1);
  });

  test("at most 255 characters; keys are per account; parameter errors are not kept, executed errors are", async () => {
    const a = stripe.control.addAccount();
    const b = stripe.control.addAccount();
    expect((await call("POST", "/v1/checkout/sessions", { account: a, params: sessionParams(), key: "k".repeat(256) })).status).toBe(400);
    const key = "k".repeat(255);
    expect((await call("POST", "/v1/checkout/sessions", { account: a, params: sessionParams({ mode: undefined }), key })).status).toBe(400);
    const fixed = await call("POST", "/v1/checkout/sessions", { account: a, params: sessionParams(), key });
    expect(fixed.status).toBe(200);
    const sameKeyOtherAccount = await call("POST", "/v1/checkout/sessions", { account: b, params: sessionParams(), key });
    expect(sameKeyOtherAccount.json.id).not.toBe(fixed.json.id);

    const { intentId } = await paidSession(a);
    const refundKey = randomUUID();
    const tooMuch = await call("POST", "/v1/refunds", { account: a, params: { payment_intent: intentId, amount: 999_999 }, key: refundKey });
    expect(tooMuch.status).toBe(400);
    const replayed = await call("POST", "/v1/refunds", { account: a, params: { payment_intent: intentId, amount: 999_999 }, key: refundKey });
    expect(replayed.status).toBe(400);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    stripe.control.expireIdempotencyKeys();
    expect((await call("POST", "/v1/checkout/sessions", { account: a, params: sessionParams(), key })).json.id).not.toBe(fixed.json.id);
  });

  test("a key whose first request is still executing → 409 idempotency_key_in_use (not kept)", async () => {
    const account = stripe.control.addAccount();
    stripe.control.setLatency(80);
    const key = randomUUID();
    const answers = await Promise.all([
      call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key }),
      call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409]);
    const conflict = answers.find((a) => a.status === 409) as Answer;
    expect(errorOf(conflict).code).toBe("idempotency_key_in_use");
    expect(conflict.headers.get("stripe-should-retry")).toBe("true");
    expect(stripe.control.sessions()).toHaveLength(1);
    stripe.control.setLatency(0);
    expect((await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key })).headers.get("idempotent-replayed")).toBe("true");
  });

  test("without a key nothing is kept: a repeat makes a second session", async () => {
    const account = stripe.control.addAccount();
    await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key: null });
    await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key: null });
    expect(stripe.control.sessions()).toHaveLength(2);
  });
});

describe("authentication and accounts", () => {
  test("401 without a key or with an unknown one; another account's objects are 'No such …' (404)", async () => {
    const a = stripe.control.addAccount();
    const b = stripe.control.addAccount();
    const none = await call("POST", "/v1/checkout/sessions", { params: sessionParams() });
    expect(none.status).toBe(401);
    expect(errorOf(none)).toMatchObject({ type: "invalid_request_error", message: expect.stringMatching(/^You did not provide an API key/) });
    const wrong = await call("GET", "/v1/checkout/sessions/cs_test_x", { headers: { authorization: "Bearer sk_test_00000000000000000000wxyz" } });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).message).toMatch(/^Invalid API Key provided: sk_test_\*+wxyz$/);
    expect(errorOf(wrong).message).not.toContain("00000000000000000000");

    const { sessionId, intentId } = await paidSession(a);
    const foreign = await call("GET", `/v1/checkout/sessions/${sessionId}`, { account: b });
    expect(foreign.status).toBe(404);
    expect(errorOf(foreign)).toMatchObject({ type: "invalid_request_error", code: "resource_missing", message: `No such checkout.session: '${sessionId}'` });
    expect((await call("GET", `/v1/payment_intents/${intentId}`, { account: b })).status).toBe(404);
    expect((await call("POST", `/v1/checkout/sessions/${sessionId}/expire`, { account: b })).status).toBe(404);
    const refund = await call("POST", "/v1/refunds", { account: b, params: { payment_intent: intentId } });
    expect(refund.status).toBe(400);
    expect(errorOf(refund).code).toBe("resource_missing");
    const own = await call("POST", "/v1/refunds", { account: a, params: { payment_intent: intentId, amount: 100 } });
    expect((await call("GET", `/v1/refunds/${own.json.id as string}`, { account: b })).status).toBe(404);
    expect((await call("GET", "/v1/customers/cus_1", { account: a })).status).toBe(404);
  });
});

describe("the hosted checkout page and the objects it moves", () => {
  test("4242… pays: 303 to success_url with the session id; session complete+paid, PaymentIntent succeeded with a charge", async () => {
    const account = stripe.control.addAccount();
    const s = await createSession(account);
    const page = await (await fetch(s.url as string)).text();
    expect(page).toContain('name="card"');
    expect(page).toContain("30.00 EUR");
    const pay = await fetch(s.url as string, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "card=4242+4242+4242+4242&exp=12+%2F+34&cvc=123",
      redirect: "manual",
    });
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe(`https://aqstream.example/payments/return?session=${s.id as string}`);
    const session = (await call("GET", `/v1/checkout/sessions/${s.id as string}`, { account, params: { expand: ["payment_intent"] } })).json;
    expect(session).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    const intent = session.payment_intent as Record<string, unknown>;
    expect(intent).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 3000, amount_received: 3000, currency: "eur", metadata: { registration_id: "reg-1" } });
    expect(intent.id).toMatch(/^pi_/);
    const byId = (await call("GET", `/v1/payment_intents/${intent.id as string}`, { account, params: { expand: ["latest_charge"] } })).json;
    expect(byId.latest_charge).toMatchObject({ object: "charge", status: "succeeded", paid: true, amount: 3000, amount_refunded: 0, refunded: false });
    expect(await (await fetch(s.url as string)).text()).toContain("Payment complete");
  });

  test("declined cards stay on the page with Stripe's message; the PaymentIntent records the decline; a retry can pay", async () => {
    const account = stripe.control.addAccount();
    const s = await createSession(account);
    const post = (card: string) => fetch(s.url as string, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `card=${card}`, redirect: "manual" });
    const declined = await post("4000000000000002");
    expect(declined.status).toBe(200);
    expect(await declined.text()).toContain("Your card was declined.");
    let intent = stripe.control.paymentIntent(stripe.control.session(s.id as string)?.payment_intent as string);
    expect(intent).toMatchObject({ status: "requires_payment_method", last_payment_error: { type: "card_error", code: "card_declined", decline_code: "generic_decline" } });
    const poor = await post("4000000000009995");
    expect(await poor.text()).toContain("Your card has insufficient funds.");
    intent = stripe.control.paymentIntent(intent?.id as string);
    expect(intent?.last_payment_error).toMatchObject({ decline_code: "insufficient_funds" });
    expect(await (await post("1234")).text()).toContain("Your card number is invalid.");
    expect(stripe.control.session(s.id as string)).toMatchObject({ status: "open", payment_status: "unpaid" });
    expect((await post("4242424242424242")).status).toBe(303);
    expect(stripe.control.session(s.id as string)).toMatchObject({ status: "complete", payment_intent: intent?.id });
  });

  test("'only by webhook': the buyer lands on success_url while the session is still open; it completes later", async () => {
    const account = stripe.control.addAccount({ webhookUrl: `${hooks.url}/s` });
    const s = await createSession(account);
    stripe.control.scenario({ returnBeforeStateMs: 60 }, { id: s.id as string });
    const pay = await fetch(s.url as string, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "card=4242424242424242", redirect: "manual" });
    expect(pay.status).toBe(303);
    expect((await call("GET", `/v1/checkout/sessions/${s.id as string}`, { account })).json).toMatchObject({ status: "open", payment_status: "unpaid" });
    await hooks.waitFor(2);
    expect(hooks.received.map((r) => r.json.type)).toEqual(["payment_intent.succeeded", "checkout.session.completed"]);
  });

  test("expire: open → expired (url null, PaymentIntent canceled); a second expire or a payment is refused", async () => {
    const account = stripe.control.addAccount({ webhookUrl: `${hooks.url}/x` });
    const s = await createSession(account);
    stripe.control.decline(s.id as string);
    const key = randomUUID();
    const expired = await call("POST", `/v1/checkout/sessions/${s.id as string}/expire`, { account, key });
    expect(expired.json).toMatchObject({ status: "expired", url: null, payment_status: "unpaid" });
    expect(stripe.control.paymentIntent(expired.json.payment_intent as string)).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
    const again = await call("POST", `/v1/checkout/sessions/${s.id as string}/expire`, { account });
    expect(again.status).toBe(400);
    expect(errorOf(again).message).toContain("has a status of expired");
    expect(() => stripe.control.pay(s.id as string)).toThrow(/expired/);
    expect(await (await fetch(s.url as string)).text()).toContain("no longer active");
    await hooks.waitFor(2);
    const event = hooks.received.find((r) => r.json.type === "checkout.session.expired") as ReceivedWebhook;
    expect(event.json.request).toEqual({ id: expired.headers.get("request-id"), idempotency_key: key });
  });
});

describe("refunds", () => {
  test("partial (pending → succeeded), then the rest by omitting amount; then nothing is left", async () => {
    const account = stripe.control.addAccount();
    const { intentId } = await paidSession(account);
    const part = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId, amount: 1000, reason: "requested_by_customer", metadata: { refund_id: "r1" } } });
    expect(part.status).toBe(200);
    expect(part.json).toMatchObject({ object: "refund", amount: 1000, currency: "eur", status: "pending", payment_intent: intentId, reason: "requested_by_customer", metadata: { refund_id: "r1" } });
    expect(part.json.id).toMatch(/^re_/);
    await sleep(80);
    expect((await call("GET", `/v1/refunds/${part.json.id as string}`, { account })).json.status).toBe("succeeded");
    const tooMuch = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId, amount: 2001 } });
    expect(tooMuch.status).toBe(400);
    expect(errorOf(tooMuch)).toMatchObject({ code: "amount_too_large", param: "amount" });
    const rest = await call("POST", "/v1/refunds", { account, params: { charge: part.json.charge } });
    expect(rest.json.amount).toBe(2000);
    const charge = stripe.control.charge(part.json.charge as string);
    expect(charge).toMatchObject({ amount_refunded: 3000, refunded: true });
    const none = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId } });
    expect(none.status).toBe(400);
    expect(errorOf(none).code).toBe("charge_already_refunded");
  });

  test("refusals: no successful charge, bad amount or reason, neither payment_intent nor charge, unknown ids", async () => {
    const account = stripe.control.addAccount();
    const s = await createSession(account);
    stripe.control.decline(s.id as string);
    const intentId = stripe.control.session(s.id as string)?.payment_intent as string;
    const unpaid = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId } });
    expect(unpaid.status).toBe(400);
    expect(errorOf(unpaid).message).toContain("does not have a successful charge to refund");
    expect(errorOf(await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId, amount: "-5" } })).code).toBe("parameter_invalid_integer");
    expect(errorOf(await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId, reason: "because" } })).param).toBe("reason");
    expect((await call("POST", "/v1/refunds", { account, params: {} })).status).toBe(400);
    expect((await call("POST", "/v1/refunds", { account, params: { payment_intent: "pi_nope" } })).status).toBe(400);
    expect((await call("GET", "/v1/refunds/re_nope", { account })).status).toBe(404);
  });

  test("failed and manual outcomes", async () => {
    const account = stripe.control.addAccount({ webhookUrl: `${hooks.url}/f` });
    const { sessionId, intentId } = await paidSession(account);
    stripe.control.scenario({ refund: { outcome: "failed", afterMs: 10 } }, { id: sessionId });
    const failing = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId, amount: 500 } });
    expect(failing.json.status).toBe("pending");
    await sleep(50);
    expect(stripe.control.refund(failing.json.id as string)).toMatchObject({ status: "failed", failure_reason: expect.any(String) });
    stripe.control.scenario({ refund: { manual: true } }, { id: intentId });
    const manual = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId } });
    expect(manual.json).toMatchObject({ status: "pending", amount: 3000 });
    await sleep(80);
    expect(stripe.control.refund(manual.json.id as string)?.status).toBe("pending");
    stripe.control.settleRefund(manual.json.id as string, "succeeded");
    await stripe.control.webhooksIdle();
    const types = hooks.received.map((r) => r.json.type);
    expect(types).toEqual([
      "payment_intent.succeeded",
      "checkout.session.completed",
      "refund.created",
      "charge.refunded",
      "refund.updated",
      "refund.failed",
      "refund.created",
      "charge.refunded",
      "refund.updated",
    ]);
    const updated = hooks.received[4].json as { data: { object: Record<string, unknown>; previous_attributes: Record<string, unknown> } };
    expect(updated.data.previous_attributes).toEqual({ status: "pending" });
    expect(updated.data.object.status).toBe("failed");
  });
});

describe("webhooks", () => {
  test("the envelope is the real one, pretty-printed, and signed as Stripe signs", async () => {
    const account = stripe.control.addAccount({ webhookUrl: `${hooks.url}/w` });
    const { sessionId } = await paidSession(account);
    await hooks.waitFor(2);
    const completed = hooks.received[1];
    const event = completed.json;
    expect(Object.keys(event).sort()).toEqual(["api_version", "created", "data", "id", "livemode", "object", "pending_webhooks", "request", "type"]);
    expect(event).toMatchObject({
      object: "event",
      api_version: "2026-11-18.endive",
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "checkout.session.completed",
      data: { object: { id: sessionId, object: "checkout.session", payment_status: "paid", status: "complete", metadata: { registration_id: "reg-1" } } },
    });
    expect(event.id).toMatch(/^evt_[A-Za-z0-9]{24}$/);
    expect(Math.abs((event.created as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(completed.body).toBe(JSON.stringify(event, null, 2));
    expect(completed.headers["content-type"]).toBe("application/json; charset=utf-8");

    const header = completed.headers["stripe-signature"] as string;
    expect(header).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    const t = Number(/^t=(\d+)/.exec(header)?.[1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
    expect(verifySignature(completed.body, header, account.webhookSecret)).toBe(true);
    expect(verifySignature(completed.body.replace('"paid"', '"unpaid"'), header, account.webhookSecret)).toBe(false);
    expect(verifySignature(JSON.stringify(event), header, account.webhookSecret)).toBe(false);
    expect(verifySignature(completed.body, header, account.webhookSecret.slice("whsec_".length))).toBe(false);
    expect(verifySignature(completed.body, header, `whsec_${"0".repeat(32)}`)).toBe(false);
    expect((await call("GET", `/v1/events/${event.id as string}`, { account })).json).toEqual(event);
  });

  test("stripeSignatureHeader: key = the whole whsec_ secret, message = t.payload, seconds, no spaces", () => {
    const payload = '{"id":"evt_1","object":"event"}';
    // hex HMAC-SHA256 computed outside Node (Python hmac) for this secret, timestamp and payload.
    expect(stripeSignatureHeader(payload, "whsec_test_secret", 1_700_000_000)).toBe(
      "t=1700000000,v1=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd",
    );
    const fresh = stripeSignatureHeader(payload, "whsec_test_secret");
    expect(verifySignature(payload, fresh, "whsec_test_secret")).toBe(true);
    expect(verifySignature(payload, stripeSignatureHeader(payload, "whsec_test_secret", Math.floor(Date.now() / 1000) - 301), "whsec_test_secret")).toBe(false);
  });

  test("refund events carry the API request's id and idempotency key; each account gets only its own", async () => {
    const a = stripe.control.addAccount({ webhookUrl: `${hooks.url}/a` });
    const b = stripe.control.addAccount({ webhookUrl: `${hooks.url}/b` });
    const { intentId } = await paidSession(a);
    await paidSession(b);
    const key = randomUUID();
    const refund = await call("POST", "/v1/refunds", { account: a, params: { payment_intent: intentId, amount: 700 }, key });
    await sleep(80);
    await stripe.control.webhooksIdle();
    const forA = hooks.received.filter((r) => r.path === "/a");
    const forB = hooks.received.filter((r) => r.path === "/b");
    expect(forB.map((r) => r.json.type)).toEqual(["payment_intent.succeeded", "checkout.session.completed"]);
    expect(forB.every((r) => verifySignature(r.body, r.headers["stripe-signature"] as string, b.webhookSecret))).toBe(true);
    expect(forB.some((r) => verifySignature(r.body, r.headers["stripe-signature"] as string, a.webhookSecret))).toBe(false);
    const created = forA.find((r) => r.json.type === "refund.created") as ReceivedWebhook;
    expect(created.json.request).toEqual({ id: refund.headers.get("request-id"), idempotency_key: key });
    const chargeRefunded = forA.find((r) => r.json.type === "charge.refunded") as ReceivedWebhook;
    expect((chargeRefunded.json.data as { object: Record<string, unknown> }).object).toMatchObject({ object: "charge", amount_refunded: 700, refunded: false });
  });

  test("a 2xx is delivered; other answers are retried, each attempt signed with a fresh timestamp", async () => {
    const account = stripe.control.addAccount({ webhookUrl: `${hooks.url}/r` });
    hooks.answerNext(500);
    const s = await createSession(account);
    stripe.control.decline(s.id as string);
    await hooks.waitFor(2);
    await stripe.control.webhooksIdle();
    expect(hooks.received.map((r) => r.answered)).toEqual([500, 200]);
    expect(hooks.received[0].body).toBe(hooks.received[1].body);
    expect(hooks.received.every((r) => verifySignature(r.body, r.headers["stripe-signature"] as string, account.webhookSecret))).toBe(true);
    expect(stripe.control.deliveries.map((d) => [d.attempt, d.status, d.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);
    hooks.received.length = 0;
    hooks.answerNext(204);
    stripe.control.pay(s.id as string);
    await stripe.control.webhooksIdle();
    expect(hooks.received.map((r) => r.answered)).toEqual([204, 200]);
    expect(stripe.control.deliveries.slice(2).every((d) => d.ok && d.attempt === 1)).toBe(true);
  });

  test("twice + out of order: completed before succeeded before the earlier decline, each twice", async () => {
    const account = stripe.control.addAccount({ webhookUrl: `${hooks.url}/o` });
    stripe.control.scenario({ webhook: { copies: 2, order: "reversed" } }, { tenant: account.id });
    const s = await createSession(account);
    stripe.control.decline(s.id as string);
    await sleep(30);
    expect(hooks.received).toHaveLength(0);
    stripe.control.pay(s.id as string);
    await hooks.waitFor(6);
    const types = hooks.received.map((r) => r.json.type);
    expect(types).toEqual([
      "checkout.session.completed",
      "checkout.session.completed",
      "payment_intent.succeeded",
      "payment_intent.succeeded",
      "payment_intent.payment_failed",
      "payment_intent.payment_failed",
    ]);
    expect(hooks.received[0].json.id).toBe(hooks.received[1].json.id);
  });

  test("dropped events are lost until resent; flushWebhooks releases held ones; delays hold delivery back", async () => {
    const account = stripe.control.addAccount({ webhookUrl: `${hooks.url}/d` });
    const s = await createSession(account, { metadata: { registration_id: "lost" } });
    stripe.control.scenario({ webhook: "dropped" }, { metadata: { registration_id: "lost" } });
    stripe.control.pay(s.id as string);
    await sleep(30);
    expect(hooks.received).toHaveLength(0);
    expect(stripe.control.events.map((e) => e.state)).toEqual(["dropped", "dropped"]);
    stripe.control.resend(stripe.control.events[1].id);
    await hooks.waitFor(1);
    expect(hooks.received[0].json.type).toBe("checkout.session.completed");

    stripe.control.clearScenarios();
    stripe.control.scenario({ webhook: "out-of-order" });
    const held = await createSession(account);
    stripe.control.decline(held.id as string);
    await sleep(20);
    expect(hooks.received).toHaveLength(1);
    stripe.control.flushWebhooks();
    await hooks.waitFor(2);

    stripe.control.clearScenarios();
    stripe.control.scenario({ webhook: { delayMs: 80 } });
    const started = Date.now();
    stripe.control.expire(held.id as string);
    await hooks.waitFor(3);
    expect(hooks.received[2].at - started).toBeGreaterThanOrEqual(75);
  });
});

describe("injected failures (unknown outcome → repeat with the same key)", () => {
  test("executed then 500: the refund exists; stripe-node's retry with the same key gets it replayed", async () => {
    const account = stripe.control.addAccount();
    const { intentId } = await paidSession(account);
    stripe.control.failNext({ executed: true, path: "/v1/refunds" });
    const key = `stripe-node-retry-${randomUUID()}`;
    const first = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId, amount: 300 }, key });
    expect(first.status).toBe(500);
    expect(errorOf(first).type).toBe("api_error");
    const retry = await call("POST", "/v1/refunds", { account, params: { payment_intent: intentId, amount: 300 }, key });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const charge = stripe.control.charge(stripe.control.paymentIntent(intentId)?.latest_charge as string);
    expect(charge?.amount_refunded).toBe(300);
  });

  test("a saved 500 is replayed to every retry with that key (Stripe keeps even 500s); nothing was done", async () => {
    const account = stripe.control.addAccount();
    stripe.control.failNext({ saved: true, path: "/v1/checkout/sessions" });
    const key = randomUUID();
    const first = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key });
    const retry = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key });
    expect([first.status, retry.status]).toEqual([500, 500]);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(stripe.control.sessions()).toHaveLength(0);
  });

  test("not executed, timeout and reset", async () => {
    const account = stripe.control.addAccount();
    const key = randomUUID();
    stripe.control.failNext({ path: "/v1/checkout/sessions" });
    expect((await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key })).status).toBe(500);
    expect(stripe.control.sessions()).toHaveLength(0);
    stripe.control.failNext({ kind: "timeout", executed: true, holdMs: 40, method: "POST" });
    await expect(call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key })).rejects.toThrow();
    stripe.control.failNext({ kind: "reset", method: "POST" });
    await expect(call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key })).rejects.toThrow();
    const last = await call("POST", "/v1/checkout/sessions", { account, params: sessionParams(), key });
    expect(last.status).toBe(200);
    expect(last.headers.get("idempotent-replayed")).toBe("true");
    expect(stripe.control.sessions()).toHaveLength(1);
    expect(stripe.control.requests.map((r) => [r.status, r.injected ?? null])).toEqual([
      [500, "error"],
      [0, "timeout"],
      [0, "reset"],
      [200, null],
    ]);
  });
});

describe("form parsing, the HTTP control API and the standalone process", () => {
  test("parseStripeForm builds nested objects and arrays from raw bracket keys", () => {
    expect(parseStripeForm("mode=payment&line_items[0][price_data][currency]=eur&line_items[0][quantity]=1&line_items[1][quantity]=2&metadata[a%20b]=c%26d&expand[]=x&expand[]=y")).toEqual({
      mode: "payment",
      line_items: [{ price_data: { currency: "eur" }, quantity: "1" }, { quantity: "2" }],
      metadata: { "a b": "c&d" },
      expand: ["x", "y"],
    });
    expect(parseStripeForm("metadata%5Bk%5D=v")).toEqual({ metadata: { k: "v" } });
  });

  test("accounts, sessions, refunds and logs over /__control", async () => {
    const post = (p: string, body: unknown = {}) =>
      fetch(`${stripe.url}/__control/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const account = (await (await post("accounts", { secretKey: "sk_test_ctl", webhookUrl: `${hooks.url}/c` })).json()) as StripeAccount;
    expect(account).toMatchObject({ secretKey: "sk_test_ctl", apiVersion: STRIPE_API_VERSION, webhookSecret: expect.stringMatching(/^whsec_/) });
    const s = await createSession(account);
    expect(((await (await post(`sessions/${s.id as string}/decline`, { reason: "insufficient_funds" })).json()) as Record<string, unknown>).status).toBe("open");
    const paid = (await (await post(`sessions/${s.id as string}/pay`, { card: "4242 4242 4242 4242" })).json()) as Record<string, unknown>;
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid" });
    await post("scenario", { refund: { manual: true } });
    const refund = await call("POST", "/v1/refunds", { account, params: { payment_intent: paid.payment_intent } });
    expect(((await (await post(`refunds/${refund.json.id as string}/settle`, { status: "failed" })).json()) as Record<string, unknown>).status).toBe("failed");
    await post("webhooks/idle");
    const deliveries = (await (await fetch(`${stripe.url}/__control/deliveries`)).json()) as Array<{ type: string }>;
    expect(deliveries.map((d) => d.type)).toContain("refund.failed");
    const requests = (await (await fetch(`${stripe.url}/__control/requests?path=/v1/refunds`)).json()) as Array<{ headers: Record<string, string> }>;
    expect(requests[0].headers["idempotency-key"]).toMatch(/^stripe-node-retry-/);
    expect((await (await fetch(`${stripe.url}/__control/payment_intents/${paid.payment_intent as string}`)).json()) as unknown).toMatchObject({ status: "succeeded" });
    expect((await post(`sessions/${s.id as string}/expire`)).status).toBe(400);
  });

  test("`--port 0 --account sk:whsec@url` prints FAKE_STRIPE_URL and serves", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join("tests", "fakes", "stripe-api.ts"), "--port", "0", "--account", `sk_test_cli:whsec_cli@${hooks.url}/cli`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const found = /FAKE_STRIPE_URL=(\S+)/.exec(out)?.[1];
          if (found) resolve(found);
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}/v1/checkout/sessions`, {
        method: "POST",
        headers: { authorization: "Bearer sk_test_cli", "content-type": "application/x-www-form-urlencoded" },
        body: form(sessionParams()),
      });
      expect(res.status).toBe(200);
      const id = ((await res.json()) as { id: string }).id;
      await fetch(`${url}/__control/sessions/${id}/pay`, { method: "POST" });
      await hooks.waitFor(2);
      expect(hooks.received.every((r) => r.path === "/cli" && verifySignature(r.body, r.headers["stripe-signature"] as string, "whsec_cli"))).toBe(true);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
