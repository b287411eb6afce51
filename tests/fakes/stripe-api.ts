/**
 * Stateful fake of the subset of the Stripe API that a Checkout-Sessions integration uses, with
 * webhooks signed exactly as Stripe signs them. Built from /work/shared/reference/payments.md §2.
 * stripe-node talks to it with `new Stripe(account.secretKey, { host: "127.0.0.1", port, protocol: "http" })`.
 *
 *   const stripe = await startFakeStripe({ webhookRetryDelaysMs: [20, 40] });
 *   const account = stripe.control.addAccount({ webhookUrl: "http://127.0.0.1:3000/api/payments/webhooks/stripe/org1" });
 *   // POST ${stripe.url}/v1/checkout/sessions  (Bearer account.secretKey, form body with bracket keys)
 *   //   → { id: "cs_test_…", url: `${stripe.url}/pay/cs_test_…`, status: "open", payment_intent: null, … }
 *   stripe.control.pay(sessionId)                 // or the buyer types 4242 4242 4242 4242 on /pay/{id}
 *   stripe.control.scenario({ webhook: { copies: 2, order: "reversed" } })
 *   stripe.control.failNext({ executed: true, path: "/v1/refunds" })   // refunded, but the client gets 500
 *   // every delivery carries Stripe-Signature: t=<seconds>,v1=<hex HMAC-SHA256(whsec_…, `${t}.${body}`)>
 *   await stripe.stop();
 *
 * API (auth: `Authorization: Bearer sk_…` of an account added through the control API; others → 401):
 *   POST /v1/checkout/sessions              mode=payment with line_items[i][price_data]…
 *   GET  /v1/checkout/sessions/{id}         ?expand[]=payment_intent
 *   POST /v1/checkout/sessions/{id}/expire
 *   GET  /v1/payment_intents/{id}           ?expand[]=latest_charge
 *   GET  /v1/charges/{id}
 *   POST /v1/refunds                        payment_intent | charge, amount (default: the rest), reason, metadata
 *   GET  /v1/refunds/{id}
 *   GET  /v1/events/{id}
 * Objects of another account are "No such …" (404). Idempotency-Key (≤ 255) on a POST: the first result
 * is kept per account for 24 h and replayed (same status and body, `Idempotent-Replayed: true`); the same
 * key with another endpoint or other params → 400 idempotency_error; while the first is still executing
 * → 409 idempotency_key_in_use. Parameter validation errors are not kept; everything else is.
 *
 * Hosted checkout (session.url): GET /pay/{id} with a card number field; 4242 4242 4242 4242 pays and
 * redirects (303) to success_url ({CHECKOUT_SESSION_ID} replaced); 4000 0000 0000 0002 is declined
 * (card_declined), 4000 0000 0000 9995 has insufficient funds: the page shows the error and stays open,
 * as Stripe's does; the "Back" link goes to cancel_url.
 *
 * Standalone: `node --import tsx tests/fakes/stripe-api.ts --port 12111 [--account sk_test_…[:whsec_…][@webhookUrl]]…`
 * prints `FAKE_STRIPE_URL=http://127.0.0.1:12111` and runs until SIGINT/SIGTERM.
 */
import type http from "node:http";
import { createHmac } from "node:crypto";
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
  redirect,
  sendHtml,
  sendJson,
} from "./payments-kit";

/** The API version stripe-node 23.2.0 pins (and the version of the events the fake sends). */
export const STRIPE_API_VERSION = "2026-11-18.endive";

export interface StripeAccount {
  id: string;
  secretKey: string;
  /** The webhook endpoint's signing secret (whsec_…). */
  webhookSecret: string;
  webhookUrl?: string;
  apiVersion: string;
}

export type StripeEventType =
  | "checkout.session.completed"
  | "checkout.session.expired"
  | "payment_intent.succeeded"
  | "payment_intent.payment_failed"
  | "charge.refunded"
  | "refund.created"
  | "refund.updated"
  | "refund.failed";

export type StripeDecline = "card_declined" | "insufficient_funds";

interface SessionState {
  id: string;
  accountId: string;
  created: number;
  expiresAt: number;
  amountTotal: number;
  currency: string;
  metadata: Record<string, string>;
  clientReferenceId: string | null;
  customerEmail: string | null;
  successUrl: string | null;
  cancelUrl: string | null;
  piMetadata: Record<string, string>;
  piDescription: string | null;
  status: "open" | "complete" | "expired";
  paymentStatus: "paid" | "unpaid";
  paymentIntentId: string | null;
  /** A completion scheduled by the "only by webhook" scenario. */
  scheduled?: boolean;
}

interface IntentState {
  id: string;
  accountId: string;
  sessionId: string;
  amount: number;
  amountReceived: number;
  currency: string;
  status: "requires_payment_method" | "succeeded" | "canceled";
  metadata: Record<string, string>;
  description: string | null;
  created: number;
  latestChargeId: string | null;
  lastPaymentError: Record<string, unknown> | null;
  canceledAt: number | null;
  cancellationReason: string | null;
}

interface ChargeState {
  id: string;
  accountId: string;
  paymentIntentId: string;
  amount: number;
  currency: string;
  created: number;
  status: "succeeded" | "failed";
  last4: string;
  failureCode: string | null;
  declineCode: string | null;
}

interface RefundState {
  id: string;
  accountId: string;
  paymentIntentId: string;
  chargeId: string;
  amount: number;
  currency: string;
  created: number;
  status: "pending" | "succeeded" | "failed";
  reason: string | null;
  metadata: Record<string, string>;
  failureReason: string | null;
}

interface RequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

export interface StripeControl extends CommonControl {
  readonly url: string;
  /** Adds an account (one per organization); keys are generated when not given. */
  addAccount(account?: Partial<StripeAccount>): StripeAccount;
  updateAccount(accountId: string, changes: Partial<Omit<StripeAccount, "id">>): StripeAccount;
  readonly accounts: StripeAccount[];
  /** The buyer pays with a test card (default 4242…): the session completes, or a decline is recorded. */
  pay(sessionId: string, card?: string): Record<string, unknown>;
  /** The buyer's card is declined; the session stays open (the buyer may try again). */
  decline(sessionId: string, reason?: StripeDecline): Record<string, unknown>;
  /** The session expires (as at expires_at, or POST …/expire). */
  expire(sessionId: string): Record<string, unknown>;
  /** Finishes a pending refund. */
  settleRefund(refundId: string, status: "succeeded" | "failed"): Record<string, unknown>;
  /** Objects as the API shows them (no auth), or undefined. */
  session(sessionId: string): Record<string, unknown> | undefined;
  paymentIntent(paymentIntentId: string): Record<string, unknown> | undefined;
  charge(chargeId: string): Record<string, unknown> | undefined;
  refund(refundId: string): Record<string, unknown> | undefined;
  /** Every session, oldest first. */
  sessions(): Array<Record<string, unknown>>;
  /** A sent event's parsed body. */
  stripeEvent(eventId: string): Record<string, unknown> | undefined;
}

export interface FakeStripeOptions extends FakeServerOptions {
  accounts?: Array<Partial<StripeAccount>>;
}

const TEST_CARDS: Record<string, { outcome: "success" } | { outcome: "decline"; decline: StripeDecline }> = {
  "4242424242424242": { outcome: "success" },
  "4000000000000002": { outcome: "decline", decline: "card_declined" },
  "4000000000009995": { outcome: "decline", decline: "insufficient_funds" },
};

const DECLINES: Record<StripeDecline, { declineCode: string; message: string; card: string }> = {
  card_declined: { declineCode: "generic_decline", message: "Your card was declined.", card: "4000000000000002" },
  insufficient_funds: { declineCode: "insufficient_funds", message: "Your card has insufficient funds.", card: "4000000000009995" },
};

const SESSION_PARAMS = new Set([
  "mode",
  "line_items",
  "success_url",
  "cancel_url",
  "client_reference_id",
  "metadata",
  "payment_intent_data",
  "expires_at",
  "customer_email",
  "locale",
  "payment_method_types",
  "submit_type",
  "billing_address_collection",
  "expand",
]);
const REFUND_PARAMS = new Set(["payment_intent", "charge", "amount", "reason", "metadata", "expand"]);
const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"];
/** Default refund flow: answered "pending", settles (succeeded) this many ms later. */
const DEFAULT_REFUND_SETTLE_MS = 50;

export class FakeStripe extends FakeProviderServer implements StripeControl {
  private accountList: StripeAccount[] = [];
  private sessionStates = new Map<string, SessionState>();
  private intents = new Map<string, IntentState>();
  private charges = new Map<string, ChargeState>();
  private refundStates = new Map<string, RefundState>();
  private sentEvents = new Map<string, { accountId: string; json: Record<string, unknown> }>();

  constructor(options: FakeStripeOptions = {}) {
    // Stripe counts any 2xx as delivered.
    super(options, (status) => status >= 200 && status < 300);
    for (const account of options.accounts ?? []) this.addAccount(account);
  }

  protected readonly keepsFailedReplies = true;

  // ───────────────────────────── control ─────────────────────────────

  get accounts(): StripeAccount[] {
    return this.accountList.map((a) => ({ ...a }));
  }

  addAccount(account: Partial<StripeAccount> = {}): StripeAccount {
    const created: StripeAccount = {
      id: account.id ?? `acct_${randomBase62(16)}`,
      secretKey: account.secretKey ?? `sk_test_${randomBase62(99)}`,
      webhookSecret: account.webhookSecret ?? `whsec_${randomBase62(32)}`,
      webhookUrl: account.webhookUrl,
      apiVersion: account.apiVersion ?? STRIPE_API_VERSION,
    };
    if (this.accountList.some((a) => a.id === created.id || a.secretKey === created.secretKey)) {
      throw new Error(`account ${created.id} (or its secret key) exists`);
    }
    this.accountList.push(created);
    return { ...created };
  }

  updateAccount(accountId: string, changes: Partial<Omit<StripeAccount, "id">>): StripeAccount {
    const account = this.accountList.find((a) => a.id === accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    if (changes.secretKey !== undefined) account.secretKey = changes.secretKey;
    if (changes.webhookSecret !== undefined) account.webhookSecret = changes.webhookSecret;
    if (changes.apiVersion !== undefined) account.apiVersion = changes.apiVersion;
    if ("webhookUrl" in changes) account.webhookUrl = changes.webhookUrl;
    return { ...account };
  }

  pay(sessionId: string, card = "4242424242424242"): Record<string, unknown> {
    const session = this.mustOpenSession(sessionId);
    const test = TEST_CARDS[card.replace(/\s+/g, "")];
    if (!test) throw new Error(`the fake knows only the test cards ${Object.keys(TEST_CARDS).join(", ")}`);
    if (test.outcome === "success") this.completeSession(session, card);
    else this.declineAttempt(session, test.decline);
    return this.sessionJson(session);
  }

  decline(sessionId: string, reason: StripeDecline = "card_declined"): Record<string, unknown> {
    const session = this.mustOpenSession(sessionId);
    this.declineAttempt(session, reason);
    return this.sessionJson(session);
  }

  expire(sessionId: string): Record<string, unknown> {
    const session = this.mustOpenSession(sessionId);
    this.expireSession(session, { id: null, idempotency_key: null });
    return this.sessionJson(session);
  }

  settleRefund(refundId: string, status: "succeeded" | "failed"): Record<string, unknown> {
    const refund = this.refundStates.get(refundId);
    if (!refund) throw new Error(`no refund ${refundId}`);
    if (refund.status !== "pending") throw new Error(`refund ${refundId} is already ${refund.status}`);
    this.finishRefund(refund, status);
    return this.refundJson(refund);
  }

  session(sessionId: string): Record<string, unknown> | undefined {
    const session = this.sessionStates.get(sessionId);
    if (!session) return undefined;
    this.touch(session);
    return this.sessionJson(session);
  }

  paymentIntent(paymentIntentId: string): Record<string, unknown> | undefined {
    const intent = this.intents.get(paymentIntentId);
    return intent && this.intentJson(intent);
  }

  charge(chargeId: string): Record<string, unknown> | undefined {
    const charge = this.charges.get(chargeId);
    return charge && this.chargeJson(charge);
  }

  refund(refundId: string): Record<string, unknown> | undefined {
    const refund = this.refundStates.get(refundId);
    return refund && this.refundJson(refund);
  }

  sessions(): Array<Record<string, unknown>> {
    return [...this.sessionStates.values()].map((s) => {
      this.touch(s);
      return this.sessionJson(s);
    });
  }

  stripeEvent(eventId: string): Record<string, unknown> | undefined {
    return this.sentEvents.get(eventId)?.json;
  }

  protected resetState(): void {
    this.sessionStates.clear();
    this.intents.clear();
    this.charges.clear();
    this.refundStates.clear();
    this.sentEvents.clear();
  }

  protected ownControl(method: string, parts: string[], _url: URL, json: Record<string, unknown>, res: http.ServerResponse): boolean {
    const [area, id, action] = parts.map(decodeURIComponent);
    if (area === "accounts" && parts.length === 1) {
      if (method === "GET") return send(res, this.accounts);
      if (method === "POST") return send(res, this.addAccount(json as Partial<StripeAccount>));
    }
    if (area === "accounts" && parts.length === 2 && method === "POST") return send(res, this.updateAccount(id, json as Partial<StripeAccount>));
    if (area === "sessions" && parts.length === 1 && method === "GET") return send(res, this.sessions());
    if (area === "sessions" && parts.length === 3 && method === "POST") {
      if (action === "pay") return send(res, this.pay(id, json.card as string | undefined));
      if (action === "decline") return send(res, this.decline(id, json.reason as StripeDecline | undefined));
      if (action === "expire") return send(res, this.expire(id));
    }
    const getters: Record<string, (id: string) => Record<string, unknown> | undefined> = {
      sessions: (x) => this.session(x),
      payment_intents: (x) => this.paymentIntent(x),
      charges: (x) => this.charge(x),
      refunds: (x) => this.refund(x),
      stripe_events: (x) => this.stripeEvent(x),
    };
    if (parts.length === 2 && method === "GET" && getters[area]) {
      const found = getters[area](id);
      return found ? send(res, found) : send(res, { error: `no ${area} ${id}` }, 404);
    }
    if (area === "refunds" && action === "settle" && method === "POST") {
      return send(res, this.settleRefund(id, json.status === "failed" ? "failed" : "succeeded"));
    }
    return false;
  }

  // ───────────────────────────── API ─────────────────────────────

  protected isApiPath(path: string): boolean {
    return path === "/v1" || path.startsWith("/v1/");
  }

  protected failureBody(status: number): unknown {
    if (status === 429) {
      return { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests hit the API too quickly." } };
    }
    return { error: { type: "api_error", message: "An unknown error occurred. (injected by the fake)" } };
  }

  protected async api(ctx: ApiContext): Promise<ApiReply> {
    const requestId = `req_${randomBase62(14)}`;
    ctx.record.requestId = requestId;
    const account = this.authenticate(ctx.headers.authorization);
    const reply = account ? await this.authorized(ctx, account, requestId) : this.unauthorized(ctx.headers.authorization);
    return {
      ...reply,
      headers: {
        "request-id": requestId,
        "stripe-version": ctx.headers["stripe-version"] ?? account?.apiVersion ?? STRIPE_API_VERSION,
        ...reply.headers,
      },
    };
  }

  private unauthorized(header: string | undefined): ApiReply {
    const key = bearerKey(header);
    if (!key) {
      return {
        status: 401,
        body: {
          error: {
            type: "invalid_request_error",
            message:
              "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
          },
        },
      };
    }
    const masked = key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}` : "****";
    return { status: 401, body: { error: { type: "invalid_request_error", message: `Invalid API Key provided: ${masked}` } } };
  }

  private authenticate(header: string | undefined): StripeAccount | undefined {
    const key = bearerKey(header);
    return key ? this.accountList.find((a) => a.secretKey === key) : undefined;
  }

  private async authorized(ctx: ApiContext, account: StripeAccount, requestId: string): Promise<ApiReply> {
    ctx.record.tenant = account.id;
    const path = ctx.url.pathname.replace(/\/+$/, "");
    const route = matchRoute(ctx.method, path);
    if (!route) {
      return stripeError(404, "invalid_request_error", `Unrecognized request URL (${ctx.method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);
    }

    if (ctx.method === "GET") {
      const query = parseStripeForm(ctx.url.search.slice(1));
      const unknown = Object.keys(query).find((k) => k !== "expand");
      if (unknown) return paramUnknown(unknown);
      return this.read(route, account, expandList(query.expand));
    }

    if ((ctx.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
      return stripeError(400, "invalid_request_error", "Invalid request: Stripe's API takes application/x-www-form-urlencoded bodies, not JSON.");
    }
    const key = ctx.headers["idempotency-key"];
    if (key !== undefined && key.length > 255) {
      return stripeError(400, "invalid_request_error", "Idempotency-Key must be at most 255 characters long.", { param: "Idempotency-Key" });
    }
    const params = parseStripeForm(ctx.body);
    const request: RequestInfo = { id: requestId, idempotency_key: key ?? null };
    const execute = async (): Promise<ApiReply> => {
      if (ctx.failure?.saved) return { status: 500, body: this.failureBody(500), save: true };
      await this.latency();
      return this.write(route, account, params, request);
    };
    if (key === undefined || key === "") return execute();

    const outcome = await this.idempotency.run({
      tenant: account.id,
      key,
      fingerprint: `POST ${path} ${canonical(params)}`,
      requestId,
      saveByDefault: () => true,
      conflict: () =>
        stripeError(
          400,
          "idempotency_error",
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
      inFlight: () => ({
        ...stripeError(
          409,
          "invalid_request_error",
          `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
          { code: "idempotency_key_in_use" },
        ),
        headers: { "stripe-should-retry": "true" },
      }),
      execute,
    });
    ctx.record.replayed = outcome.replayed;
    const headers: Record<string, string> = { ...outcome.reply.headers, "idempotency-key": key };
    if (outcome.replayed) {
      headers["idempotent-replayed"] = "true";
      if (outcome.originalRequestId) headers["original-request"] = outcome.originalRequestId;
    }
    return { ...outcome.reply, headers };
  }

  private read(route: Route, account: StripeAccount, expand: string[]): ApiReply {
    switch (route.name) {
      case "session": {
        const session = this.sessionStates.get(route.id);
        if (!session || session.accountId !== account.id) return noSuch("checkout.session", route.id, "session");
        this.touch(session);
        return ok(this.sessionJson(session, expand));
      }
      case "payment_intent": {
        const intent = this.intents.get(route.id);
        if (!intent || intent.accountId !== account.id) return noSuch("payment_intent", route.id, "intent");
        return ok(this.intentJson(intent, expand));
      }
      case "charge": {
        const charge = this.charges.get(route.id);
        if (!charge || charge.accountId !== account.id) return noSuch("charge", route.id, "charge");
        return ok(this.chargeJson(charge, expand));
      }
      case "refund": {
        const refund = this.refundStates.get(route.id);
        if (!refund || refund.accountId !== account.id) return noSuch("refund", route.id, "refund");
        return ok(this.refundJson(refund, expand));
      }
      case "event": {
        const event = this.sentEvents.get(route.id);
        if (!event || event.accountId !== account.id) return noSuch("event", route.id, "id");
        return ok(event.json);
      }
      default:
        return stripeError(404, "invalid_request_error", `Unrecognized request URL (GET: ${route.name}).`);
    }
  }

  private write(route: Route, account: StripeAccount, params: Record<string, unknown>, request: RequestInfo): ApiReply {
    switch (route.name) {
      case "sessions":
        return this.createSession(account, params);
      case "expire": {
        const unknown = Object.keys(params).find((k) => k !== "expand");
        if (unknown) return paramUnknown(unknown);
        const session = this.sessionStates.get(route.id);
        if (!session || session.accountId !== account.id) return noSuch("checkout.session", route.id, "session");
        this.touch(session);
        if (session.status !== "open") {
          return stripeError(
            400,
            "invalid_request_error",
            `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of ${session.status}.`,
          );
        }
        this.expireSession(session, request);
        return ok(this.sessionJson(session, expandList(params.expand)));
      }
      case "refunds":
        return this.createRefund(account, params, request);
      default:
        return stripeError(404, "invalid_request_error", `Unrecognized request URL (POST: ${route.name}).`);
    }
  }

  private createSession(account: StripeAccount, params: Record<string, unknown>): ApiReply {
    const unknown = Object.keys(params).find((k) => !SESSION_PARAMS.has(k));
    if (unknown) return paramUnknown(unknown);
    if (params.mode === undefined) return paramMissing("mode");
    if (params.mode !== "payment") return invalidParam("mode", `The fake models only mode=payment (got ${String(params.mode)}).`);
    const items = params.line_items;
    if (items === undefined) return paramMissing("line_items");
    if (!Array.isArray(items) || items.length === 0) return invalidParam("line_items", "Invalid array");
    let currency: string | undefined;
    let total = 0;
    for (let i = 0; i < items.length; i++) {
      const at = `line_items[${i}]`;
      const item = items[i] as Record<string, unknown> | undefined;
      if (!isObject(item)) return invalidParam(at, "Invalid object");
      const extra = Object.keys(item).find((k) => k !== "price_data" && k !== "quantity");
      if (extra) return extra === "price" ? invalidParam(`${at}[price]`, "The fake models only price_data, not saved prices.") : paramUnknown(`${at}[${extra}]`);
      const priceData = item.price_data;
      if (!isObject(priceData)) return paramMissing(`${at}[price_data]`);
      if (priceData.currency === undefined) return paramMissing(`${at}[price_data][currency]`);
      if (typeof priceData.currency !== "string" || !/^[a-zA-Z]{3}$/.test(priceData.currency)) {
        return invalidParam(`${at}[price_data][currency]`, `Invalid currency: ${String(priceData.currency)}`);
      }
      const itemCurrency = priceData.currency.toLowerCase();
      if (currency !== undefined && itemCurrency !== currency) {
        return invalidParam(`${at}[price_data][currency]`, "All line items must be in the same currency.");
      }
      currency = itemCurrency;
      if (priceData.unit_amount === undefined) return paramMissing(`${at}[price_data][unit_amount]`);
      const unitAmount = parseInteger(priceData.unit_amount);
      if (unitAmount === undefined || unitAmount < 0) return invalidInteger(`${at}[price_data][unit_amount]`, priceData.unit_amount);
      const productData = priceData.product_data;
      if (!isObject(productData) || productData.name === undefined) return paramMissing(`${at}[price_data][product_data][name]`);
      if (typeof productData.name !== "string" || productData.name === "") return invalidParam(`${at}[price_data][product_data][name]`, "Invalid string: empty");
      if (item.quantity === undefined) return paramMissing(`${at}[quantity]`);
      const quantity = parseInteger(item.quantity);
      if (quantity === undefined || quantity < 1) return invalidInteger(`${at}[quantity]`, item.quantity);
      total += unitAmount * quantity;
    }
    if (total < 50) {
      return stripeError(400, "invalid_request_error", `The Checkout Session's total amount due must add up to at least 0.50 ${currency}.`, {
        code: "amount_too_small",
        save: false,
      });
    }
    const successUrl = optionalUrl(params.success_url, "success_url");
    if ("error" in successUrl) return successUrl.error;
    const cancelUrl = optionalUrl(params.cancel_url, "cancel_url");
    if ("error" in cancelUrl) return cancelUrl.error;
    if (params.client_reference_id !== undefined && (typeof params.client_reference_id !== "string" || params.client_reference_id.length > 200)) {
      return invalidParam("client_reference_id", "client_reference_id must be a string of at most 200 characters.");
    }
    const metadata = parseMetadata(params.metadata, "metadata");
    if ("error" in metadata) return metadata.error;
    let piMetadata: Record<string, string> = {};
    let piDescription: string | null = null;
    if (params.payment_intent_data !== undefined) {
      const data = params.payment_intent_data;
      if (!isObject(data)) return invalidParam("payment_intent_data", "Invalid object");
      const extra = Object.keys(data).find((k) => k !== "metadata" && k !== "description");
      if (extra) return paramUnknown(`payment_intent_data[${extra}]`);
      const parsed = parseMetadata(data.metadata, "payment_intent_data[metadata]");
      if ("error" in parsed) return parsed.error;
      piMetadata = parsed.value;
      if (data.description !== undefined) piDescription = String(data.description);
    }
    if (params.payment_method_types !== undefined) {
      const types = params.payment_method_types;
      if (!Array.isArray(types) || types.some((t) => t !== "card")) {
        return invalidParam("payment_method_types", "The fake models only payment_method_types[]=card.");
      }
    }
    const created = nowSeconds();
    let expiresAt = created + 24 * 3600;
    if (params.expires_at !== undefined) {
      const value = parseInteger(params.expires_at);
      if (value === undefined) return invalidInteger("expires_at", params.expires_at);
      if (value < created + 30 * 60) {
        return invalidParam("expires_at", "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.");
      }
      if (value > created + 24 * 3600) {
        return invalidParam("expires_at", "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.");
      }
      expiresAt = value;
    }
    const session: SessionState = {
      id: `cs_test_${randomBase62(58)}`,
      accountId: account.id,
      created,
      expiresAt,
      amountTotal: total,
      currency: currency as string,
      metadata: metadata.value,
      clientReferenceId: (params.client_reference_id as string | undefined) ?? null,
      customerEmail: typeof params.customer_email === "string" ? params.customer_email : null,
      successUrl: successUrl.value,
      cancelUrl: cancelUrl.value,
      piMetadata,
      piDescription,
      status: "open",
      paymentStatus: "unpaid",
      paymentIntentId: null,
    };
    this.sessionStates.set(session.id, session);
    return ok(this.sessionJson(session, expandList(params.expand)));
  }

  private createRefund(account: StripeAccount, params: Record<string, unknown>, request: RequestInfo): ApiReply {
    const unknown = Object.keys(params).find((k) => !REFUND_PARAMS.has(k));
    if (unknown) return paramUnknown(unknown);
    if (params.payment_intent === undefined && params.charge === undefined) {
      return stripeError(400, "invalid_request_error", "One of the following params should be provided for this request: payment_intent or charge.", {
        save: false,
      });
    }
    let amount: number | undefined;
    if (params.amount !== undefined) {
      amount = parseInteger(params.amount);
      if (amount === undefined || amount <= 0) return invalidInteger("amount", params.amount, "Invalid positive integer");
    }
    if (params.reason !== undefined && !REFUND_REASONS.includes(String(params.reason))) {
      return invalidParam("reason", `Invalid reason: must be one of ${REFUND_REASONS.join(", ")}`);
    }
    const metadata = parseMetadata(params.metadata, "metadata");
    if ("error" in metadata) return metadata.error;

    // From here on the request "executes": its errors are kept for the idempotency key.
    let intent: IntentState | undefined;
    if (params.payment_intent !== undefined) {
      intent = this.intents.get(String(params.payment_intent));
      if (!intent || intent.accountId !== account.id) return noSuch("payment_intent", String(params.payment_intent), "payment_intent", 400);
    } else {
      const charge = this.charges.get(String(params.charge));
      if (!charge || charge.accountId !== account.id) return noSuch("charge", String(params.charge), "charge", 400);
      intent = this.intents.get(charge.paymentIntentId);
    }
    const charge = intent?.latestChargeId ? this.charges.get(intent.latestChargeId) : undefined;
    if (!intent || intent.status !== "succeeded" || !charge || charge.status !== "succeeded") {
      return stripeError(400, "invalid_request_error", `This PaymentIntent (${intent?.id ?? String(params.payment_intent)}) does not have a successful charge to refund.`, {
        param: params.payment_intent !== undefined ? "payment_intent" : "charge",
      });
    }
    const remaining = charge.amount - this.refundedOf(charge.id);
    if (remaining <= 0) {
      return stripeError(400, "invalid_request_error", `Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    }
    const refundAmount = amount ?? remaining;
    if (refundAmount > remaining) {
      return stripeError(
        400,
        "invalid_request_error",
        `Refund amount (${money(refundAmount, charge.currency)}) is greater than unrefunded amount on charge (${money(remaining, charge.currency)})`,
        { code: "amount_too_large", param: "amount" },
      );
    }
    const session = this.sessionStates.get(intent.sessionId) as SessionState;
    const scenario = this.scenarios.resolve(this.subjectOf(session)).refund ?? {};
    const outcome = scenario.outcome === "failed" || scenario.outcome === "canceled" ? "failed" : "succeeded";
    const afterMs = scenario.afterMs ?? DEFAULT_REFUND_SETTLE_MS;
    const refund: RefundState = {
      id: `re_${randomBase62(24)}`,
      accountId: account.id,
      paymentIntentId: intent.id,
      chargeId: charge.id,
      amount: refundAmount,
      currency: charge.currency,
      created: nowSeconds(),
      status: !scenario.manual && afterMs <= 0 && outcome === "succeeded" ? "succeeded" : "pending",
      reason: (params.reason as string | undefined) ?? null,
      metadata: metadata.value,
      failureReason: null,
    };
    this.refundStates.set(refund.id, refund);
    this.emit("refund.created", this.refundJson(refund), session, request);
    this.emit("charge.refunded", this.chargeJson(charge), session, request);
    if (refund.status === "succeeded") this.dispatcher.settle(session.id);
    else if (!scenario.manual) {
      this.later(Math.max(0, afterMs), () => {
        if (refund.status === "pending") this.finishRefund(refund, outcome);
      });
    }
    return ok(this.refundJson(refund, expandList(params.expand)));
  }

  // ───────────────────────────── state changes ─────────────────────────────

  /** Lazy expiry: a session past its expires_at is expired when anyone looks at it. */
  private touch(session: SessionState): void {
    if (session.status === "open" && !session.scheduled && nowSeconds() >= session.expiresAt) {
      this.expireSession(session, { id: null, idempotency_key: null });
    }
  }

  private mustOpenSession(sessionId: string): SessionState {
    const session = this.sessionStates.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    this.touch(session);
    if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}, not open`);
    return session;
  }

  private ensureIntent(session: SessionState): IntentState {
    // Since API version 2022-08-01 a session's PaymentIntent is created when the buyer submits payment.
    if (session.paymentIntentId) return this.intents.get(session.paymentIntentId) as IntentState;
    const intent: IntentState = {
      id: `pi_${randomBase62(24)}`,
      accountId: session.accountId,
      sessionId: session.id,
      amount: session.amountTotal,
      amountReceived: 0,
      currency: session.currency,
      status: "requires_payment_method",
      metadata: { ...session.piMetadata },
      description: session.piDescription,
      created: nowSeconds(),
      latestChargeId: null,
      lastPaymentError: null,
      canceledAt: null,
      cancellationReason: null,
    };
    this.intents.set(intent.id, intent);
    session.paymentIntentId = intent.id;
    return intent;
  }

  private newCharge(intent: IntentState, card: string, decline?: StripeDecline): ChargeState {
    const charge: ChargeState = {
      id: `ch_${randomBase62(24)}`,
      accountId: intent.accountId,
      paymentIntentId: intent.id,
      amount: intent.amount,
      currency: intent.currency,
      created: nowSeconds(),
      status: decline ? "failed" : "succeeded",
      last4: card.replace(/\s+/g, "").slice(-4),
      failureCode: decline ? "card_declined" : null,
      declineCode: decline ? DECLINES[decline].declineCode : null,
    };
    this.charges.set(charge.id, charge);
    intent.latestChargeId = charge.id;
    return charge;
  }

  private completeSession(session: SessionState, card: string): void {
    const intent = this.ensureIntent(session);
    this.newCharge(intent, card);
    intent.status = "succeeded";
    intent.amountReceived = intent.amount;
    intent.lastPaymentError = null;
    session.status = "complete";
    session.paymentStatus = "paid";
    const request = { id: null, idempotency_key: null };
    this.emit("payment_intent.succeeded", this.intentJson(intent), session, request);
    this.emit("checkout.session.completed", this.sessionJson(session), session, request);
    this.dispatcher.settle(session.id);
  }

  private declineAttempt(session: SessionState, reason: StripeDecline): void {
    const intent = this.ensureIntent(session);
    const decline = DECLINES[reason];
    const charge = this.newCharge(intent, decline.card, reason);
    intent.status = "requires_payment_method";
    intent.lastPaymentError = {
      type: "card_error",
      code: "card_declined",
      decline_code: decline.declineCode,
      message: decline.message,
      charge: charge.id,
      doc_url: "https://stripe.com/docs/error-codes/card-declined",
    };
    this.emit("payment_intent.payment_failed", this.intentJson(intent), session, { id: null, idempotency_key: null });
  }

  private expireSession(session: SessionState, request: RequestInfo): void {
    session.status = "expired";
    const intent = session.paymentIntentId ? this.intents.get(session.paymentIntentId) : undefined;
    if (intent && intent.status !== "succeeded") {
      intent.status = "canceled";
      intent.canceledAt = nowSeconds();
      intent.cancellationReason = "abandoned";
    }
    this.emit("checkout.session.expired", this.sessionJson(session), session, request);
    this.dispatcher.settle(session.id);
  }

  private finishRefund(refund: RefundState, status: "succeeded" | "failed"): void {
    refund.status = status;
    if (status === "failed") refund.failureReason = "expired_or_canceled_card";
    const intent = this.intents.get(refund.paymentIntentId) as IntentState;
    const session = this.sessionStates.get(intent.sessionId) as SessionState;
    const request = { id: null, idempotency_key: null };
    this.emit("refund.updated", this.refundJson(refund), session, request, { status: "pending" });
    if (status === "failed") this.emit("refund.failed", this.refundJson(refund), session, request);
    this.dispatcher.settle(session.id);
  }

  private emit(type: StripeEventType, object: Record<string, unknown>, session: SessionState, request: RequestInfo, previous?: Record<string, unknown>): void {
    const account = this.accountList.find((a) => a.id === session.accountId) as StripeAccount;
    const event = {
      id: `evt_${randomBase62(24)}`,
      object: "event",
      api_version: account.apiVersion,
      created: nowSeconds(),
      data: previous ? { object, previous_attributes: previous } : { object },
      livemode: false,
      pending_webhooks: account.webhookUrl ? 1 : 0,
      request,
      type,
    };
    this.sentEvents.set(event.id, { accountId: account.id, json: event });
    // Stripe sends pretty-printed JSON: only the raw bytes verify, never a re-serialised object.
    const body = JSON.stringify(event, null, 2);
    this.dispatcher.emit(
      {
        id: event.id,
        type,
        tenant: account.id,
        scope: session.id,
        url: account.webhookUrl,
        body,
        headers: () => ({
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "cache-control": "no-cache",
          // A fresh timestamp on every attempt, like Stripe.
          "stripe-signature": stripeSignatureHeader(body, account.webhookSecret),
        }),
      },
      this.webhookFor(this.subjectOf(session)),
    );
  }

  private subjectOf(session: SessionState): Subject {
    const ids = [session.id];
    if (session.paymentIntentId) ids.push(session.paymentIntentId);
    return { ids, tenant: session.accountId, metadata: { ...session.piMetadata, ...session.metadata } };
  }

  private refundedOf(chargeId: string): number {
    let sum = 0;
    for (const r of this.refundStates.values()) if (r.chargeId === chargeId && r.status !== "failed") sum += r.amount;
    return sum;
  }

  // ───────────────────────────── JSON shapes ─────────────────────────────

  private sessionJson(s: SessionState, expand: string[] = []): Record<string, unknown> {
    const intent = s.paymentIntentId ? this.intents.get(s.paymentIntentId) : undefined;
    return {
      id: s.id,
      object: "checkout.session",
      amount_subtotal: s.amountTotal,
      amount_total: s.amountTotal,
      cancel_url: s.cancelUrl,
      client_reference_id: s.clientReferenceId,
      created: s.created,
      currency: s.currency,
      customer_email: s.customerEmail,
      expires_at: s.expiresAt,
      livemode: false,
      locale: null,
      metadata: { ...s.metadata },
      mode: "payment",
      payment_intent: intent && expand.includes("payment_intent") ? this.intentJson(intent) : s.paymentIntentId,
      payment_method_types: ["card"],
      payment_status: s.paymentStatus,
      status: s.status,
      success_url: s.successUrl,
      ui_mode: "hosted",
      url: s.status === "open" ? `${this.url}/pay/${s.id}` : null,
    };
  }

  private intentJson(i: IntentState, expand: string[] = []): Record<string, unknown> {
    const charge = i.latestChargeId ? this.charges.get(i.latestChargeId) : undefined;
    return {
      id: i.id,
      object: "payment_intent",
      amount: i.amount,
      amount_capturable: 0,
      amount_received: i.amountReceived,
      canceled_at: i.canceledAt,
      cancellation_reason: i.cancellationReason,
      capture_method: "automatic_async",
      created: i.created,
      currency: i.currency,
      description: i.description,
      last_payment_error: i.lastPaymentError,
      latest_charge: charge && expand.includes("latest_charge") ? this.chargeJson(charge) : i.latestChargeId,
      livemode: false,
      metadata: { ...i.metadata },
      payment_method_types: ["card"],
      status: i.status,
    };
  }

  private chargeJson(c: ChargeState, expand: string[] = []): Record<string, unknown> {
    const intent = this.intents.get(c.paymentIntentId) as IntentState;
    const refunded = c.status === "succeeded" ? this.refundedOf(c.id) : 0;
    return {
      id: c.id,
      object: "charge",
      amount: c.amount,
      amount_captured: c.status === "succeeded" ? c.amount : 0,
      amount_refunded: refunded,
      captured: c.status === "succeeded",
      created: c.created,
      currency: c.currency,
      failure_code: c.failureCode,
      livemode: false,
      metadata: { ...intent.metadata },
      outcome: c.status === "succeeded" ? { type: "authorized", network_status: "approved_by_network" } : { type: "issuer_declined", reason: c.declineCode },
      paid: c.status === "succeeded",
      payment_intent: expand.includes("payment_intent") ? this.intentJson(intent) : c.paymentIntentId,
      payment_method_details: { type: "card", card: { brand: "visa", last4: c.last4, exp_month: 12, exp_year: 2034, funding: "credit", country: "US" } },
      refunded: c.status === "succeeded" && refunded >= c.amount,
      status: c.status,
    };
  }

  private refundJson(r: RefundState, expand: string[] = []): Record<string, unknown> {
    const charge = this.charges.get(r.chargeId) as ChargeState;
    const intent = this.intents.get(r.paymentIntentId) as IntentState;
    const json: Record<string, unknown> = {
      id: r.id,
      object: "refund",
      amount: r.amount,
      balance_transaction: null,
      charge: expand.includes("charge") ? this.chargeJson(charge) : r.chargeId,
      created: r.created,
      currency: r.currency,
      metadata: { ...r.metadata },
      payment_intent: expand.includes("payment_intent") ? this.intentJson(intent) : r.paymentIntentId,
      reason: r.reason,
      status: r.status,
    };
    if (r.failureReason) json.failure_reason = r.failureReason;
    return json;
  }

  // ───────────────────────────── hosted checkout ─────────────────────────────

  protected async page(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): Promise<void> {
    const match = /^\/pay\/([^/]+)$/.exec(url.pathname);
    const session = match ? this.sessionStates.get(decodeURIComponent(match[1])) : undefined;
    if (!session) return sendHtml(res, 404, htmlPage("Not found", "<h1>Checkout Session not found</h1>"));
    this.touch(session);
    const method = (req.method ?? "GET").toUpperCase();
    if (method === "GET") return sendHtml(res, 200, this.checkoutHtml(session));
    if (method !== "POST") return sendHtml(res, 405, htmlPage("Method not allowed", "<h1>Method not allowed</h1>"));
    if (session.status !== "open" || session.scheduled) return redirect(res, `/pay/${session.id}`);

    const card = (new URLSearchParams(body).get("card") ?? "").replace(/[\s-]+/g, "");
    const test = TEST_CARDS[card];
    if (!test) {
      const message = luhnValid(card) ? "The fake checkout knows only the test cards 4242 4242 4242 4242, 4000 0000 0000 0002 and 4000 0000 0000 9995." : "Your card number is invalid.";
      return sendHtml(res, 200, this.checkoutHtml(session, message));
    }
    if (test.outcome === "decline") {
      this.declineAttempt(session, test.decline);
      return sendHtml(res, 200, this.checkoutHtml(session, DECLINES[test.decline].message));
    }
    const delay = this.scenarios.resolve(this.subjectOf(session)).returnBeforeStateMs;
    if (delay !== undefined && delay >= 0) {
      // "Only by webhook": the buyer lands on success_url while the session is still open.
      session.scheduled = true;
      this.later(delay, () => {
        session.scheduled = false;
        if (session.status === "open") this.completeSession(session, card);
      });
    } else this.completeSession(session, card);
    if (!session.successUrl) return redirect(res, `/pay/${session.id}`);
    return redirect(res, session.successUrl.replaceAll("{CHECKOUT_SESSION_ID}", session.id));
  }

  private checkoutHtml(session: SessionState, error?: string): string {
    const amount = money(session.amountTotal, session.currency);
    const head = `<h1>Stripe test checkout</h1>
<p class="muted">Account ${escapeHtml(session.accountId)} · ${escapeHtml(session.id.slice(0, 20))}…</p>
<p><strong data-testid="amount">${escapeHtml(amount)}</strong></p>`;
    const back = session.cancelUrl ? `<p><a href="${escapeHtml(session.cancelUrl)}" data-testid="cancel">Back</a></p>` : "";
    if (session.scheduled) return htmlPage("Stripe test checkout", `${head}<p data-testid="status">Processing…</p>`);
    if (session.status === "complete") {
      const done = session.successUrl ? `<p><a href="${escapeHtml(session.successUrl.replaceAll("{CHECKOUT_SESSION_ID}", session.id))}">Continue</a></p>` : "";
      return htmlPage("Stripe test checkout", `${head}<p data-testid="status">Payment complete</p>${done}`);
    }
    if (session.status === "expired") {
      return htmlPage("Stripe test checkout", `${head}<p data-testid="status">This Checkout Session is no longer active.</p>${back}`);
    }
    return htmlPage(
      "Stripe test checkout",
      `${head}${error ? `<p class="error" role="alert" data-testid="error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/pay/${escapeHtml(session.id)}">
<p><label for="card">Card number</label><br><input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required></p>
<p><label for="exp">Expiry</label><br><input id="exp" name="exp" value="12 / 34"></p>
<p><label for="cvc">CVC</label><br><input id="cvc" name="cvc" value="123"></p>
<button type="submit" data-testid="pay">Pay ${escapeHtml(amount)}</button>
</form>${back}`,
    );
  }
}

// ───────────────────────────── signature ─────────────────────────────

/**
 * The Stripe-Signature header value for a payload, as Stripe computes it:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(key = the whole "whsec_…" secret, message = t + "." + payload)>`.
 */
export function stripeSignatureHeader(payload: string, secret: string, timestamp = nowSeconds()): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

// ───────────────────────────── form bodies ─────────────────────────────

/**
 * Parses a Stripe form body (or query string) with bracket keys into nested objects and arrays:
 * `line_items[0][price_data][currency]=eur&metadata[k]=v&expand[]=x` →
 * `{ line_items: [{ price_data: { currency: "eur" } }], metadata: { k: "v" }, expand: ["x"] }`. Values stay strings.
 */
export function parseStripeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    const path = match ? [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])] : [key];
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length; i++) {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]);
      if (Array.isArray(node)) {
        const index = path[i] === "" ? node.length : Number(path[i]);
        if (last) node[index] = value;
        else {
          if (!isContainer(node[index])) node[index] = nextIsIndex ? [] : {};
          node = node[index] as Record<string, unknown> | unknown[];
        }
      } else {
        const name = path[i];
        if (last) node[name] = value;
        else {
          if (!isContainer(node[name])) node[name] = nextIsIndex ? [] : {};
          node = node[name] as Record<string, unknown> | unknown[];
        }
      }
    }
  }
  return root;
}

// ───────────────────────────── helpers ─────────────────────────────

type Route = { name: "sessions" | "session" | "expire" | "payment_intent" | "charge" | "refunds" | "refund" | "event"; id: string };

function matchRoute(method: string, path: string): Route | undefined {
  const table: Array<[RegExp, Route["name"], string]> = [
    [/^\/v1\/checkout\/sessions$/, "sessions", "POST"],
    [/^\/v1\/checkout\/sessions\/([^/]+)$/, "session", "GET"],
    [/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, "expire", "POST"],
    [/^\/v1\/payment_intents\/([^/]+)$/, "payment_intent", "GET"],
    [/^\/v1\/charges\/([^/]+)$/, "charge", "GET"],
    [/^\/v1\/refunds$/, "refunds", "POST"],
    [/^\/v1\/refunds\/([^/]+)$/, "refund", "GET"],
    [/^\/v1\/events\/([^/]+)$/, "event", "GET"],
  ];
  for (const [pattern, name, allowed] of table) {
    const match = pattern.exec(path);
    if (match && method === allowed) return { name, id: match[1] ? decodeURIComponent(match[1]) : "" };
  }
  return undefined;
}

function bearerKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1], "base64").toString("utf8").split(":")[0] || undefined;
  return undefined;
}

function stripeError(
  status: number,
  type: string,
  message: string,
  extra: { code?: string; param?: string; save?: boolean } = {},
): ApiReply {
  const error: Record<string, unknown> = { type };
  if (extra.code) {
    error.code = extra.code;
    error.doc_url = `https://stripe.com/docs/error-codes/${extra.code.replace(/_/g, "-")}`;
  }
  error.message = message;
  if (extra.param) error.param = extra.param;
  return { status, body: { error }, save: extra.save };
}

/** Parameter validation: such errors are not kept for the idempotency key. */
function paramUnknown(param: string): ApiReply {
  return stripeError(400, "invalid_request_error", `Received unknown parameter: ${param}`, { code: "parameter_unknown", param, save: false });
}

function paramMissing(param: string): ApiReply {
  return stripeError(400, "invalid_request_error", `Missing required param: ${param}.`, { code: "parameter_missing", param, save: false });
}

function invalidParam(param: string, message: string): ApiReply {
  return stripeError(400, "invalid_request_error", message, { param, save: false });
}

function invalidInteger(param: string, value: unknown, what = "Invalid integer"): ApiReply {
  return stripeError(400, "invalid_request_error", `${what}: ${String(value)}`, { code: "parameter_invalid_integer", param, save: false });
}

function noSuch(objectName: string, id: string, param: string, status = 404): ApiReply {
  return stripeError(status, "invalid_request_error", `No such ${objectName}: '${id}'`, { code: "resource_missing", param });
}

function ok(body: Record<string, unknown>): ApiReply {
  return { status: 200, body };
}

function parseMetadata(input: unknown, param: string): { value: Record<string, string> } | { error: ApiReply } {
  if (input === undefined || input === "") return { value: {} };
  if (!isObject(input)) return { error: invalidParam(param, "Invalid object") };
  const entries = Object.entries(input);
  if (entries.length > 50) return { error: invalidParam(param, "You can have up to 50 metadata keys.") };
  for (const [key, value] of entries) {
    if (key.length > 40) return { error: invalidParam(`${param}[${key}]`, `Metadata keys can have up to 40 characters, but you passed in a key that is ${key.length} characters.`) };
    if (typeof value !== "string") return { error: invalidParam(`${param}[${key}]`, "Metadata values must be strings.") };
    if (value.length > 500) {
      return { error: invalidParam(`${param}[${key}]`, `Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters.`) };
    }
  }
  return { value: Object.fromEntries(entries) as Record<string, string> };
}

function optionalUrl(input: unknown, param: string): { value: string | null } | { error: ApiReply } {
  if (input === undefined) return { value: null };
  if (typeof input !== "string" || input.length > 5000) return { error: stripeError(400, "invalid_request_error", "Not a valid URL", { code: "url_invalid", param, save: false }) };
  try {
    const url = new URL(input);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    return { error: stripeError(400, "invalid_request_error", "Not a valid URL", { code: "url_invalid", param, save: false }) };
  }
  return { value: input };
}

function expandList(input: unknown): string[] {
  if (Array.isArray(input)) return input.filter((x): x is string => typeof x === "string");
  return typeof input === "string" ? [input] : [];
}

function parseInteger(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function money(minor: number, currency: string): string {
  return `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isContainer(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function send(res: http.ServerResponse, payload: unknown, status = 200): true {
  sendJson(res, status, payload);
  return true;
}

export interface FakeStripeHandle {
  /** Base URL of the fake; the API is under `${url}/v1/`. */
  url: string;
  stop(): Promise<void>;
  control: StripeControl;
}

/** Creates and starts a fake on 127.0.0.1 (random free port unless `port` is given). */
export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripeHandle> {
  const fake = new FakeStripe(options);
  const url = await fake.start();
  return { url, stop: () => fake.stop(), control: fake };
}

// Standalone: node --import tsx tests/fakes/stripe-api.ts --port 12111 [--host 127.0.0.1] [--account sk_test_…[:whsec_…][@webhookUrl]]…
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => cliValues(argv, name)[0];
  const accounts = cliValues(argv, "account").map((spec) => {
    const at = spec.indexOf("@");
    const keys = at === -1 ? spec : spec.slice(0, at);
    const [secretKey, webhookSecret] = keys.split(":");
    return { secretKey, webhookSecret: webhookSecret || undefined, webhookUrl: at === -1 ? undefined : spec.slice(at + 1) };
  });
  const handle = await startFakeStripe({ port: Number(arg("port") ?? 0), host: arg("host"), accounts });
  console.log(`FAKE_STRIPE_URL=${handle.url}`);
  const shutdown = () => void handle.stop().then(() => process.exit(0));
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
