/**
 * Stateful fake of the YooKassa API v3 (payments, refunds, notifications) for tests, built from
 * /work/shared/reference/payments.md §1. The adapter talks HTTP to it exactly as to api.yookassa.ru:
 * its base URL is `${fake.url}/v3/`.
 *
 *   const yk = await startFakeYooKassa({ webhookRetryDelaysMs: [20, 40] });
 *   const shop = yk.control.addShop({ webhookUrl: "http://127.0.0.1:3000/api/payments/webhooks/yookassa/org1" });
 *   // POST ${yk.url}/v3/payments  (Basic shop.shopId:shop.secretKey, Idempotence-Key)
 *   //   → { status: "pending", confirmation: { confirmation_url: `${yk.url}/checkout/<id>` } }
 *   yk.control.pay(paymentId)                     // or the buyer presses "Pay" on the checkout page
 *   yk.control.scenario({ webhook: "twice" })      // every notification delivered twice
 *   yk.control.scenario({ webhook: "dropped" }, { id: paymentId })   // this payment's are lost
 *   yk.control.failNext({ executed: true, path: "/v3/payments" })   // created, but the client gets 500
 *   yk.control.requestsTo("POST", "/v3/payments")[0].headers["idempotence-key"]
 *   await yk.control.waitForDeliveries((d) => d.type === "payment.succeeded" && d.ok)
 *   await yk.stop();
 *
 * API (auth: HTTP Basic shopId:secretKey of a shop added through the control API; others → 401):
 *   POST /v3/payments            create (Idempotence-Key required, ≤ 64 chars)
 *   GET  /v3/payments/{id}       a payment of another shop is "not found" (404)
 *   POST /v3/payments/{id}/capture, /cancel   for capture=false payments in waiting_for_capture
 *   POST /v3/refunds             full or partial (Idempotence-Key required)
 *   GET  /v3/refunds/{id}
 * Idempotence: a key is kept per shop for 24 h with the first 200 answer; the same key with the same
 * method, path and body replays that answer unchanged; with another body → 400 "Idempotence key
 * duplicated". Errors (4xx) are not kept. A second request with a key whose first request is still
 * executing waits for it and gets its answer.
 *
 * Checkout page (the payment's confirmation_url): GET /checkout/{id} with "Pay" and "Decline" buttons;
 * POST /checkout/{id}/pay | /decline moves the payment and redirects (303) to its return_url.
 *
 * Notifications: {"type":"notification","event":…,"object":{…the object at that moment…}} POSTed
 * unsigned to the shop's webhookUrl; any answer other than 200 is retried (webhookRetryDelaysMs).
 *
 * Control API for a fake in another process (JSON bodies): see tests/fakes/README.md.
 * Standalone: `node --import tsx tests/fakes/yookassa-api.ts --port 8091 [--shop <id>:<secret>[@<webhookUrl>]]…`
 * prints `FAKE_YOOKASSA_URL=http://127.0.0.1:8091` and runs until SIGINT/SIGTERM.
 */
import type http from "node:http";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import {
  type ApiContext,
  type ApiReply,
  type CommonControl,
  type FakeServerOptions,
  type Subject,
  FakeProviderServer,
  canonical,
  cliValues,
  escapeHtml,
  htmlPage,
  randomBase62,
  randomHex,
  redirect,
  sendHtml,
  sendJson,
} from "./payments-kit";

export type YooKassaPaymentStatus = "pending" | "waiting_for_capture" | "succeeded" | "canceled";
export type YooKassaRefundStatus = "pending" | "succeeded" | "canceled";

export interface YooKassaShop {
  shopId: string;
  secretKey: string;
  /** Where notifications go (the "HTTP notifications" URL of the shop's profile). */
  webhookUrl?: string;
}

export interface YooKassaAmount {
  value: string;
  currency: string;
}

interface PaymentState {
  id: string;
  shopId: string;
  status: YooKassaPaymentStatus;
  amountMinor: number;
  currency: string;
  capture: boolean;
  description?: string;
  metadata: Record<string, string>;
  returnUrl: string;
  createdAt: string;
  capturedAt?: string;
  expiresAt?: string;
  cancellation?: { party: string; reason: string };
  cardUsed: boolean;
  /** A checkout-page action scheduled by the "only by webhook" scenario. */
  scheduled?: boolean;
}

interface RefundState {
  id: string;
  shopId: string;
  paymentId: string;
  status: YooKassaRefundStatus;
  amountMinor: number;
  currency: string;
  description?: string;
  createdAt: string;
  withReceipt: boolean;
  cancellation?: { party: string; reason: string };
}

export type YooKassaEvent = "payment.waiting_for_capture" | "payment.succeeded" | "payment.canceled" | "refund.succeeded";

export interface YooKassaControl extends CommonControl {
  readonly url: string;
  /** Adds a shop (one per organization); id and secret are generated when not given. */
  addShop(shop?: Partial<YooKassaShop>): YooKassaShop;
  updateShop(shopId: string, changes: Partial<Omit<YooKassaShop, "shopId">>): YooKassaShop;
  readonly shops: YooKassaShop[];
  /** The buyer paid: pending → succeeded (capture=true) or waiting_for_capture (capture=false). */
  pay(paymentId: string): Record<string, unknown>;
  /** The buyer's card was declined: pending → canceled {party: payment_network, reason}. */
  decline(paymentId: string, reason?: string): Record<string, unknown>;
  /** Nobody paid in time (expired_on_confirmation), or a held payment was not captured (expired_on_capture). */
  expire(paymentId: string): Record<string, unknown>;
  /** Finishes a pending refund (scenario refund.manual or afterMs). */
  settleRefund(refundId: string, status: "succeeded" | "canceled"): Record<string, unknown>;
  /** The payment as GET /v3/payments/{id} answers it (no auth), or undefined. */
  payment(paymentId: string): Record<string, unknown> | undefined;
  refund(refundId: string): Record<string, unknown> | undefined;
  /** Every payment as the API shows it, oldest first (e.g. to find one by metadata). */
  payments(): Array<Record<string, unknown>>;
}

export interface FakeYooKassaOptions extends FakeServerOptions {
  shops?: Array<Partial<YooKassaShop>>;
}

const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
const AMOUNT_PATTERN = /^(0|[1-9]\d*)\.\d{2}$/;
/** income_amount = amount minus this commission (so that amount and income_amount differ, like the real one). */
const COMMISSION = 0.035;

export class FakeYooKassa extends FakeProviderServer implements YooKassaControl {
  private shopList: YooKassaShop[] = [];
  private paymentStates = new Map<string, PaymentState>();
  private refundStates = new Map<string, RefundState>();

  constructor(options: FakeYooKassaOptions = {}) {
    // "Reply 200 (body ignored); any other code → redelivered".
    super(options, (status) => status === 200);
    for (const shop of options.shops ?? []) this.addShop(shop);
  }

  protected readonly keepsFailedReplies = false;

  // ───────────────────────────── control ─────────────────────────────

  get shops(): YooKassaShop[] {
    return this.shopList.map((s) => ({ ...s }));
  }

  addShop(shop: Partial<YooKassaShop> = {}): YooKassaShop {
    const created: YooKassaShop = {
      shopId: shop.shopId ?? String(100_000 + this.shopList.length * 7 + Math.floor(Math.random() * 7)),
      secretKey: shop.secretKey ?? `test_${randomBase62(43)}`,
      webhookUrl: shop.webhookUrl,
    };
    if (this.shopList.some((s) => s.shopId === created.shopId)) throw new Error(`shop ${created.shopId} exists`);
    this.shopList.push(created);
    return { ...created };
  }

  updateShop(shopId: string, changes: Partial<Omit<YooKassaShop, "shopId">>): YooKassaShop {
    const shop = this.shopList.find((s) => s.shopId === shopId);
    if (!shop) throw new Error(`no shop ${shopId}`);
    if (changes.secretKey !== undefined) shop.secretKey = changes.secretKey;
    if ("webhookUrl" in changes) shop.webhookUrl = changes.webhookUrl;
    return { ...shop };
  }

  pay(paymentId: string): Record<string, unknown> {
    const payment = this.mustPayment(paymentId);
    if (payment.status !== "pending") throw new Error(`payment ${paymentId} is ${payment.status}, not pending`);
    payment.cardUsed = true;
    if (payment.capture) {
      payment.status = "succeeded";
      payment.capturedAt = new Date().toISOString();
      this.notify("payment.succeeded", payment);
    } else {
      payment.status = "waiting_for_capture";
      payment.expiresAt = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
      this.notify("payment.waiting_for_capture", payment);
    }
    return paymentJson(payment, this.url, this.refundsOf(payment.id));
  }

  decline(paymentId: string, reason = "insufficient_funds"): Record<string, unknown> {
    const payment = this.mustPayment(paymentId);
    if (payment.status !== "pending") throw new Error(`payment ${paymentId} is ${payment.status}, not pending`);
    payment.cardUsed = true;
    return this.cancelPayment(payment, { party: "payment_network", reason });
  }

  expire(paymentId: string): Record<string, unknown> {
    const payment = this.mustPayment(paymentId);
    if (payment.status === "pending") return this.cancelPayment(payment, { party: "yoo_kassa", reason: "expired_on_confirmation" });
    if (payment.status === "waiting_for_capture") return this.cancelPayment(payment, { party: "yoo_kassa", reason: "expired_on_capture" });
    throw new Error(`payment ${paymentId} is ${payment.status}: nothing to expire`);
  }

  settleRefund(refundId: string, status: "succeeded" | "canceled"): Record<string, unknown> {
    const refund = this.refundStates.get(refundId);
    if (!refund) throw new Error(`no refund ${refundId}`);
    if (refund.status !== "pending") throw new Error(`refund ${refundId} is already ${refund.status}`);
    this.finishRefund(refund, status);
    return refundJson(refund);
  }

  payment(paymentId: string): Record<string, unknown> | undefined {
    const payment = this.paymentStates.get(paymentId);
    return payment && paymentJson(payment, this.url, this.refundsOf(payment.id));
  }

  refund(refundId: string): Record<string, unknown> | undefined {
    const refund = this.refundStates.get(refundId);
    return refund && refundJson(refund);
  }

  payments(): Array<Record<string, unknown>> {
    return [...this.paymentStates.values()].map((p) => paymentJson(p, this.url, this.refundsOf(p.id)));
  }

  protected resetState(): void {
    this.paymentStates.clear();
    this.refundStates.clear();
  }

  protected ownControl(method: string, parts: string[], _url: URL, json: Record<string, unknown>, res: http.ServerResponse): boolean {
    const [area, id, action] = parts.map(decodeURIComponent);
    if (area === "shops" && parts.length === 1) {
      if (method === "GET") return send(res, this.shops);
      if (method === "POST") return send(res, this.addShop(json as Partial<YooKassaShop>));
    }
    if (area === "shops" && parts.length === 2 && method === "POST") return send(res, this.updateShop(id, json as Partial<YooKassaShop>));
    if (area === "payments" && parts.length === 1 && method === "GET") return send(res, this.payments());
    if (area === "payments" && parts.length === 2 && method === "GET") {
      const payment = this.payment(id);
      return payment ? send(res, payment) : send(res, { error: `no payment ${id}` }, 404);
    }
    if (area === "payments" && parts.length === 3 && method === "POST") {
      if (action === "pay") return send(res, this.pay(id));
      if (action === "decline") return send(res, this.decline(id, json.reason as string | undefined));
      if (action === "expire") return send(res, this.expire(id));
    }
    if (area === "refunds" && parts.length === 2 && method === "GET") {
      const refund = this.refund(id);
      return refund ? send(res, refund) : send(res, { error: `no refund ${id}` }, 404);
    }
    if (area === "refunds" && action === "settle" && method === "POST") {
      return send(res, this.settleRefund(id, json.status === "canceled" ? "canceled" : "succeeded"));
    }
    return false;
  }

  // ───────────────────────────── API ─────────────────────────────

  protected isApiPath(path: string): boolean {
    return path === "/v3" || path.startsWith("/v3/");
  }

  protected failureBody(status: number): unknown {
    if (status === 500) return ykErrorBody("internal_server_error", "Internal server error");
    if (status === 429) return ykErrorBody("too_many_requests", "Too many requests");
    return ykErrorBody(status >= 500 ? "internal_server_error" : "invalid_request", `Error ${status}`);
  }

  protected async api(ctx: ApiContext): Promise<ApiReply> {
    const shop = this.authenticate(ctx.headers.authorization);
    if (!shop) {
      return ykError(401, "invalid_credentials", "Login or password are incorrect: check the shopId and the secret key", "Authorization");
    }
    ctx.record.tenant = shop.shopId;
    const path = ctx.url.pathname.replace(/\/+$/, "");
    const route = matchRoute(ctx.method, path);
    if (route === "method-not-allowed") return { status: 405, body: { type: "error", id: randomUUID(), description: "Method Not Allowed" } };
    if (!route) return ykError(404, "not_found", `Unknown endpoint ${ctx.method} ${path}`);

    if (ctx.method === "GET") {
      if (route.name === "payment") {
        const payment = this.paymentStates.get(route.id);
        if (!payment || payment.shopId !== shop.shopId) return ykError(404, "not_found", "Payment not found or forbidden", "payment_id");
        return { status: 200, body: paymentJson(payment, this.url, this.refundsOf(payment.id)) };
      }
      const refund = this.refundStates.get(route.id);
      if (!refund || refund.shopId !== shop.shopId) return ykError(404, "not_found", "Refund not found or forbidden", "refund_id");
      return { status: 200, body: refundJson(refund) };
    }

    // Every POST: JSON body and an Idempotence-Key.
    const contentType = (ctx.headers["content-type"] ?? "").toLowerCase();
    if (!contentType.startsWith("application/json")) {
      return { status: 415, body: { type: "error", id: randomUUID(), description: "Unsupported Media Type: send application/json" } };
    }
    const key = ctx.headers["idempotence-key"];
    if (key === undefined || key === "") {
      return ykError(400, "invalid_request", "Idempotence-Key header is missing (required for every POST)", "Idempotence-Key");
    }
    if (key.length > 64) return ykError(400, "invalid_request", "Idempotence-Key is longer than 64 characters", "Idempotence-Key");
    let body: unknown;
    try {
      body = ctx.body.trim() ? JSON.parse(ctx.body) : {};
    } catch {
      return ykError(400, "invalid_request", "The request body is not valid JSON");
    }
    if (!isObject(body)) return ykError(400, "invalid_request", "The request body must be a JSON object");

    const outcome = await this.idempotency.run({
      tenant: shop.shopId,
      key,
      fingerprint: `${ctx.method} ${path} ${canonical(body)}`,
      requestId: String(ctx.record.seq),
      inFlight: "wait",
      // As in the third-party SDK fixtures the reference cites (wording unconfirmed).
      conflict: () => ykError(400, "invalid_request", "Idempotence key duplicated", "Idempotence-Key"),
      saveByDefault: (reply) => reply.status === 200,
      execute: async () => {
        await this.latency();
        switch (route.name) {
          case "payments":
            return this.createPayment(shop, body);
          case "capture":
            return this.capturePayment(shop, route.id, body);
          case "cancel":
            return this.cancelByMerchant(shop, route.id);
          case "refunds":
            return this.createRefund(shop, body);
          default:
            return ykError(404, "not_found", `Unknown endpoint ${ctx.method} ${path}`);
        }
      },
    });
    ctx.record.replayed = outcome.replayed;
    return outcome.reply;
  }

  private authenticate(header: string | undefined): YooKassaShop | undefined {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon === -1) return undefined;
    const shopId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    return this.shopList.find((s) => s.shopId === shopId && s.secretKey === secret);
  }

  private createPayment(shop: YooKassaShop, body: Record<string, unknown>): ApiReply {
    const amount = parseAmount(body.amount, "amount");
    if ("error" in amount) return amount.error;
    if (body.capture !== undefined && typeof body.capture !== "boolean") return ykError(400, "invalid_request", "capture must be a boolean", "capture");
    const confirmation = body.confirmation;
    if (!isObject(confirmation)) {
      return ykError(400, "invalid_request", "confirmation is required (the fake models only the redirect scenario)", "confirmation");
    }
    if (confirmation.type !== "redirect") {
      return ykError(400, "invalid_request", "confirmation.type must be \"redirect\" (the only scenario the fake models)", "confirmation.type");
    }
    const returnUrl = confirmation.return_url;
    if (typeof returnUrl !== "string" || returnUrl.length > 2048 || !isHttpUrl(returnUrl)) {
      return ykError(400, "invalid_request", "confirmation.return_url must be an http(s) URL of at most 2048 characters", "confirmation.return_url");
    }
    if (body.description !== undefined && (typeof body.description !== "string" || body.description.length > 128)) {
      return ykError(400, "invalid_request", "description must be a string of at most 128 characters", "description");
    }
    const metadata = parseMetadata(body.metadata);
    if ("error" in metadata) return metadata.error;

    const payment: PaymentState = {
      id: yooId("000f", "8000"),
      shopId: shop.shopId,
      status: "pending",
      amountMinor: amount.minor,
      currency: amount.currency,
      capture: body.capture === true,
      description: body.description as string | undefined,
      metadata: metadata.value,
      returnUrl,
      createdAt: new Date().toISOString(),
      cardUsed: false,
    };
    this.paymentStates.set(payment.id, payment);
    return { status: 200, body: paymentJson(payment, this.url, []) };
  }

  private capturePayment(shop: YooKassaShop, paymentId: string, body: Record<string, unknown>): ApiReply {
    const payment = this.paymentStates.get(paymentId);
    if (!payment || payment.shopId !== shop.shopId) return ykError(404, "not_found", "Payment not found or forbidden", "payment_id");
    if (payment.status !== "waiting_for_capture") {
      return ykError(400, "invalid_request", `Only a payment in waiting_for_capture can be captured; this one is ${payment.status}`, "payment_id");
    }
    if (body.amount !== undefined) {
      const amount = parseAmount(body.amount, "amount");
      if ("error" in amount) return amount.error;
      if (amount.minor > payment.amountMinor) return ykError(400, "invalid_request", "The capture amount exceeds the payment amount", "amount.value");
      payment.amountMinor = amount.minor;
    }
    payment.status = "succeeded";
    payment.capturedAt = new Date().toISOString();
    payment.expiresAt = undefined;
    this.notify("payment.succeeded", payment);
    return { status: 200, body: paymentJson(payment, this.url, this.refundsOf(payment.id)) };
  }

  private cancelByMerchant(shop: YooKassaShop, paymentId: string): ApiReply {
    const payment = this.paymentStates.get(paymentId);
    if (!payment || payment.shopId !== shop.shopId) return ykError(404, "not_found", "Payment not found or forbidden", "payment_id");
    if (payment.status !== "waiting_for_capture") {
      return ykError(400, "invalid_request", `Only a payment in waiting_for_capture can be canceled; this one is ${payment.status}`, "payment_id");
    }
    return { status: 200, body: this.cancelPayment(payment, { party: "merchant", reason: "canceled_by_merchant" }) };
  }

  private createRefund(shop: YooKassaShop, body: Record<string, unknown>): ApiReply {
    if (typeof body.payment_id !== "string" || !body.payment_id) return ykError(400, "invalid_request", "payment_id is required", "payment_id");
    const amount = parseAmount(body.amount, "amount");
    if ("error" in amount) return amount.error;
    if (body.description !== undefined && (typeof body.description !== "string" || body.description.length > 250)) {
      return ykError(400, "invalid_request", "description must be a string of at most 250 characters", "description");
    }
    const payment = this.paymentStates.get(body.payment_id);
    if (!payment || payment.shopId !== shop.shopId) return ykError(400, "invalid_request", `Payment ${body.payment_id} not found`, "payment_id");
    if (payment.status !== "succeeded") {
      return ykError(400, "invalid_request", `Only a succeeded payment can be refunded; this one is ${payment.status}`, "payment_id");
    }
    if (amount.currency !== payment.currency) {
      return ykError(400, "invalid_request", `The refund currency must be the payment's (${payment.currency})`, "amount.currency");
    }
    const remaining = payment.amountMinor - this.refundsOf(payment.id).filter((r) => r.status !== "canceled").reduce((sum, r) => sum + r.amountMinor, 0);
    if (amount.minor > remaining) {
      return ykError(400, "invalid_request", `The refund amount exceeds the amount available for refund (${formatMinor(remaining)} ${payment.currency})`, "amount.value");
    }
    const refund: RefundState = {
      id: yooId("0015", "9000"),
      shopId: shop.shopId,
      paymentId: payment.id,
      status: "pending",
      amountMinor: amount.minor,
      currency: amount.currency,
      description: body.description as string | undefined,
      createdAt: new Date().toISOString(),
      withReceipt: body.receipt !== undefined,
    };
    this.refundStates.set(refund.id, refund);
    const scenario = this.scenarios.resolve(this.subjectOf(payment)).refund ?? {};
    const outcome = scenario.outcome === "succeeded" || scenario.outcome === undefined ? "succeeded" : "canceled";
    const afterMs = scenario.afterMs ?? 0;
    if (!scenario.manual) {
      if (afterMs <= 0) this.finishRefund(refund, outcome);
      else
        this.later(afterMs, () => {
          if (refund.status === "pending") this.finishRefund(refund, outcome);
        });
    }
    return { status: 200, body: refundJson(refund) };
  }

  // ───────────────────────────── state changes ─────────────────────────────

  private cancelPayment(payment: PaymentState, details: { party: string; reason: string }): Record<string, unknown> {
    payment.status = "canceled";
    payment.cancellation = details;
    payment.expiresAt = undefined;
    this.notify("payment.canceled", payment);
    return paymentJson(payment, this.url, this.refundsOf(payment.id));
  }

  private finishRefund(refund: RefundState, status: "succeeded" | "canceled"): void {
    refund.status = status;
    const payment = this.paymentStates.get(refund.paymentId) as PaymentState;
    if (status === "succeeded") {
      this.emit("refund.succeeded", refundJson(refund), payment, true);
    } else {
      refund.cancellation = { party: "yoo_kassa", reason: "general_decline" };
      // YooKassa has no notification for a canceled refund: only the API shows it.
      this.dispatcher.settle(payment.id);
    }
  }

  private notify(event: YooKassaEvent, payment: PaymentState): void {
    const final = payment.status === "succeeded" || payment.status === "canceled";
    this.emit(event, paymentJson(payment, this.url, this.refundsOf(payment.id)), payment, final);
  }

  private emit(event: YooKassaEvent, object: Record<string, unknown>, payment: PaymentState, final: boolean): void {
    const shop = this.shopList.find((s) => s.shopId === payment.shopId);
    const body = JSON.stringify({ type: "notification", event, object });
    this.dispatcher.emit(
      {
        id: `yk-${randomHex(16)}`,
        type: event,
        tenant: payment.shopId,
        scope: payment.id,
        url: shop?.webhookUrl,
        body,
        headers: () => ({ "content-type": "application/json" }),
      },
      this.webhookFor(this.subjectOf(payment)),
    );
    if (final) this.dispatcher.settle(payment.id);
  }

  private subjectOf(payment: PaymentState): Subject {
    return { ids: [payment.id], tenant: payment.shopId, metadata: payment.metadata };
  }

  private refundsOf(paymentId: string): RefundState[] {
    return [...this.refundStates.values()].filter((r) => r.paymentId === paymentId);
  }

  private mustPayment(paymentId: string): PaymentState {
    const payment = this.paymentStates.get(paymentId);
    if (!payment) throw new Error(`no payment ${paymentId}`);
    return payment;
  }

  // ───────────────────────────── checkout page ─────────────────────────────

  protected async page(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const match = /^\/checkout\/([^/]+)(?:\/(pay|decline))?$/.exec(url.pathname);
    const payment = match ? this.paymentStates.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !payment) return sendHtml(res, 404, htmlPage("Not found", "<h1>Payment not found</h1>"));
    const action = match[2];
    const method = (req.method ?? "GET").toUpperCase();
    if (!action && method === "GET") return sendHtml(res, 200, this.checkoutHtml(payment));
    if (!action || method !== "POST") return sendHtml(res, 405, htmlPage("Method not allowed", "<h1>Method not allowed</h1>"));

    if (payment.status !== "pending" || payment.scheduled) return redirect(res, payment.returnUrl);
    const run = () => (action === "pay" ? this.pay(payment.id) : this.decline(payment.id));
    const delay = this.scenarios.resolve(this.subjectOf(payment)).returnBeforeStateMs;
    if (delay !== undefined && delay >= 0) {
      // "Only by webhook": the buyer is back before the payment changes.
      payment.scheduled = true;
      this.later(delay, () => {
        payment.scheduled = false;
        if (payment.status === "pending") run();
      });
    } else run();
    return redirect(res, payment.returnUrl);
  }

  private checkoutHtml(payment: PaymentState): string {
    const amount = `${formatMinor(payment.amountMinor)} ${payment.currency}`;
    const head = `<h1>YooKassa test checkout</h1>
<p class="muted">Shop ${escapeHtml(payment.shopId)} · payment ${escapeHtml(payment.id)}</p>
<p>${escapeHtml(payment.description ?? "")}</p>
<p><strong data-testid="amount">${escapeHtml(amount)}</strong></p>`;
    if (payment.status !== "pending" || payment.scheduled) {
      return htmlPage(
        "YooKassa test checkout",
        `${head}<p data-testid="status">Status: ${escapeHtml(payment.scheduled ? "processing" : payment.status)}</p>
<p><a href="${escapeHtml(payment.returnUrl)}">Back to the shop</a></p>`,
      );
    }
    const base = `/checkout/${encodeURIComponent(payment.id)}`;
    return htmlPage(
      "YooKassa test checkout",
      `${head}<form method="post" action="${base}/pay"><button type="submit" name="pay" data-testid="pay">Pay</button></form>
<form method="post" action="${base}/decline"><button type="submit" name="decline" data-testid="decline">Decline</button></form>`,
    );
  }
}

// ───────────────────────────── JSON shapes ─────────────────────────────

function paymentJson(p: PaymentState, baseUrl: string, refunds: RefundState[]): Record<string, unknown> {
  const refundedMinor = refunds.filter((r) => r.status === "succeeded").reduce((sum, r) => sum + r.amountMinor, 0);
  const reservedMinor = refunds.filter((r) => r.status !== "canceled").reduce((sum, r) => sum + r.amountMinor, 0);
  const paid = p.status === "succeeded" || p.status === "waiting_for_capture";
  const json: Record<string, unknown> = {
    id: p.id,
    status: p.status,
    paid,
    amount: { value: formatMinor(p.amountMinor), currency: p.currency },
  };
  if (paid) json.income_amount = { value: formatMinor(Math.round(p.amountMinor * (1 - COMMISSION))), currency: p.currency };
  if (p.description !== undefined) json.description = p.description;
  json.recipient = { account_id: p.shopId, gateway_id: "100500" };
  if (p.cardUsed) {
    json.payment_method = {
      type: "bank_card",
      id: p.id,
      saved: false,
      title: "Bank card *4444",
      card: { first6: "555555", last4: "4444", expiry_year: "2030", expiry_month: "12", card_type: "MasterCard", issuer_country: "RU" },
    };
  }
  if (p.capturedAt) json.captured_at = p.capturedAt;
  json.created_at = p.createdAt;
  if (p.expiresAt) json.expires_at = p.expiresAt;
  if (p.status === "pending") {
    json.confirmation = { type: "redirect", return_url: p.returnUrl, confirmation_url: `${baseUrl}/checkout/${p.id}` };
  }
  json.test = true;
  if (refundedMinor > 0) json.refunded_amount = { value: formatMinor(refundedMinor), currency: p.currency };
  json.refundable = p.status === "succeeded" && reservedMinor < p.amountMinor;
  json.metadata = { ...p.metadata };
  if (p.cancellation) json.cancellation_details = { ...p.cancellation };
  return json;
}

function refundJson(r: RefundState): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: r.id,
    payment_id: r.paymentId,
    status: r.status,
    amount: { value: formatMinor(r.amountMinor), currency: r.currency },
    created_at: r.createdAt,
  };
  if (r.description !== undefined) json.description = r.description;
  if (r.withReceipt) json.receipt_registration = r.status === "succeeded" ? "succeeded" : "pending";
  if (r.cancellation) json.cancellation_details = { ...r.cancellation };
  return json;
}

// ───────────────────────────── helpers ─────────────────────────────

type Route = { name: "payments" | "payment" | "capture" | "cancel" | "refunds" | "refund"; id: string };

function matchRoute(method: string, path: string): Route | "method-not-allowed" | undefined {
  const table: Array<[RegExp, Route["name"], string]> = [
    [/^\/v3\/payments$/, "payments", "POST"],
    [/^\/v3\/payments\/([^/]+)$/, "payment", "GET"],
    [/^\/v3\/payments\/([^/]+)\/capture$/, "capture", "POST"],
    [/^\/v3\/payments\/([^/]+)\/cancel$/, "cancel", "POST"],
    [/^\/v3\/refunds$/, "refunds", "POST"],
    [/^\/v3\/refunds\/([^/]+)$/, "refund", "GET"],
  ];
  for (const [pattern, name, allowed] of table) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (method !== allowed) return "method-not-allowed";
    const id = match[1] ? decodeURIComponent(match[1]) : "";
    if (match[1] && !ID_PATTERN.test(id)) return undefined;
    return { name, id };
  }
  return undefined;
}

function ykErrorBody(code: string, description?: string, parameter?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "error", id: randomUUID(), code };
  if (description !== undefined) body.description = description;
  if (parameter !== undefined) body.parameter = parameter;
  return body;
}

function ykError(status: number, code: string, description?: string, parameter?: string): ApiReply {
  return { status, body: ykErrorBody(code, description, parameter) };
}

function parseAmount(input: unknown, field: string): { minor: number; currency: string } | { error: ApiReply } {
  if (!isObject(input)) return { error: ykError(400, "invalid_request", `${field} is required: {"value":"100.00","currency":"RUB"}`, field) };
  const value = input.value;
  if (typeof value !== "string" || !AMOUNT_PATTERN.test(value)) {
    return {
      error: ykError(
        400,
        "invalid_request",
        `${field}.value must be a string with two decimal places after a dot, e.g. "100.00" (got ${JSON.stringify(value)})`,
        `${field}.value`,
      ),
    };
  }
  const minor = parseMinor(value);
  if (minor <= 0) return { error: ykError(400, "invalid_request", `${field}.value must be greater than 0`, `${field}.value`) };
  if (input.currency !== "RUB") {
    return { error: ykError(400, "invalid_request", `${field}.currency must be "RUB" (got ${JSON.stringify(input.currency)})`, `${field}.currency`) };
  }
  return { minor, currency: "RUB" };
}

function parseMetadata(input: unknown): { value: Record<string, string> } | { error: ApiReply } {
  if (input === undefined || input === null) return { value: {} };
  if (!isObject(input)) return { error: ykError(400, "invalid_request", "metadata must be an object of strings", "metadata") };
  const entries = Object.entries(input);
  if (entries.length > 16) return { error: ykError(400, "invalid_request", "metadata may have at most 16 keys", "metadata") };
  for (const [key, value] of entries) {
    if (key.length > 32) return { error: ykError(400, "invalid_request", `metadata key "${key}" is longer than 32 characters`, "metadata") };
    if (typeof value !== "string") return { error: ykError(400, "invalid_request", `metadata.${key} must be a string`, "metadata") };
    if (value.length > 512) return { error: ykError(400, "invalid_request", `metadata.${key} is longer than 512 characters`, "metadata") };
  }
  return { value: Object.fromEntries(entries) as Record<string, string> };
}

function parseMinor(value: string): number {
  const [whole, fraction] = value.split(".");
  return Number(whole) * 100 + Number(fraction);
}

/** 10050 → "100.50". */
export function formatMinor(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

/** Ids shaped like the real ones ("23d93cac-000f-5000-8000-126628f15141"). */
function yooId(middle: string, variant: string): string {
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, "0").slice(-8);
  return `${time}-${middle}-5000-${variant}-${randomHex(12)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function send(res: http.ServerResponse, payload: unknown, status = 200): true {
  sendJson(res, status, payload);
  return true;
}

export interface FakeYooKassaHandle {
  /** Base URL of the fake; the API is under `${url}/v3/`. */
  url: string;
  stop(): Promise<void>;
  control: YooKassaControl;
}

/** Creates and starts a fake on 127.0.0.1 (random free port unless `port` is given). */
export async function startFakeYooKassa(options: FakeYooKassaOptions = {}): Promise<FakeYooKassaHandle> {
  const fake = new FakeYooKassa(options);
  const url = await fake.start();
  return { url, stop: () => fake.stop(), control: fake };
}

// Standalone: node --import tsx tests/fakes/yookassa-api.ts --port 8091 [--host 127.0.0.1] [--shop id:secret[@webhookUrl]]…
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => cliValues(argv, name)[0];
  const shops = cliValues(argv, "shop").map((spec) => {
    const at = spec.indexOf("@");
    const credentials = at === -1 ? spec : spec.slice(0, at);
    const colon = credentials.indexOf(":");
    if (colon === -1) throw new Error(`--shop ${spec}: expected <shopId>:<secretKey>[@<webhookUrl>]`);
    return { shopId: credentials.slice(0, colon), secretKey: credentials.slice(colon + 1), webhookUrl: at === -1 ? undefined : spec.slice(at + 1) };
  });
  const handle = await startFakeYooKassa({ port: Number(arg("port") ?? 0), host: arg("host"), shops });
  console.log(`FAKE_YOOKASSA_URL=${handle.url}`);
  const shutdown = () => void handle.stop().then(() => process.exit(0));
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
