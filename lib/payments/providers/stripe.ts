// Stripe adapter: Checkout Sessions (mode=payment) through the official SDK (stripe@23.2.0;
// /work/shared/reference/payments.md §2, docs/payments.md → "Providers"). Our providerPaymentId is the
// session id (cs_…); its PaymentIntent exists only from the buyer's first attempt, so refunds read the
// session first. Every create passes the service's idempotency key explicitly, which also makes the
// SDK's own retries (maxNetworkRetries 2: network errors, 409, 5xx) safe: a retry replays, never
// doubles. Webhooks are verified with the organization's endpoint secret (whsec_…).
import "server-only";
import Stripe from "stripe";
import type { Currency } from "@/lib/generated/prisma/enums";
import { toCurrency } from "./amounts";
import {
  type CreatePaymentInput,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderRefund,
  type ProviderRefundStatus,
  type RefundInput,
  type WebhookHint,
  type WebhookRequest,
  ProviderError,
  WebhookRejected,
} from "./types";

export type StripeOptions = {
  secretKey: string;
  /** The webhook endpoint's signing secret (whsec_…). */
  webhookSecret: string;
  /** API origin, default https://api.stripe.com (the SDK adds /v1/). */
  apiUrl?: string;
  /** Per call (the SDK's timeout); past it the outcome is unknown. Default 30 s. */
  timeoutMs?: number;
  /** The clock expires_at is placed by (tests move it). */
  now?: () => Date;
};

type Json = Record<string, unknown>;

/** Stripe Checkout accepts expires_at between 30 minutes and 24 hours after creation. */
const MIN_EXPIRY_S = 30 * 60;
const MAX_EXPIRY_S = 24 * 60 * 60;
/** Slack for the clock difference between us and Stripe at both ends of that window. */
const EXPIRY_MARGIN_S = 60;
/** expires_at moves into the window in steps of this size (see checkoutExpiry). */
const EXPIRY_STEP_S = 5 * 60;
/** How many earlier steps a repeat tries when Stripe says the key was used with another expires_at. */
const MAX_EXPIRY_REPLAY_STEPS = 12;
/** An id that cannot exist: reading it proves the key works (404) or not (401). */
const CONNECTION_PROBE_ID = "cs_aqstream_connection_check";

export class StripeProvider implements PaymentProvider {
  readonly id = "stripe" as const;
  readonly currencies: readonly Currency[] = ["USD", "EUR"];
  private readonly client: Stripe;

  constructor(private readonly options: StripeOptions) {
    const api = new URL(options.apiUrl ?? "https://api.stripe.com");
    const protocol = api.protocol === "http:" ? "http" : "https";
    this.client = new Stripe(options.secretKey, {
      host: api.hostname,
      port: api.port ? Number(api.port) : protocol === "http" ? 80 : 443,
      protocol,
      maxNetworkRetries: 2,
      timeout: options.timeoutMs ?? 30_000,
      telemetry: false,
    });
  }

  async createPayment(input: CreatePaymentInput): Promise<ProviderPayment> {
    if (!this.currencies.includes(input.currency)) throw new ProviderError("rejected", `Stripe takes USD and EUR here, not ${input.currency}`);
    const metadata = { ...input.metadata, payment_id: input.paymentId };
    const create = (expiresAt: number) =>
      this.client.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [
            {
              price_data: {
                currency: input.currency.toLowerCase(),
                unit_amount: input.amountCents,
                product_data: { name: input.description.trim() || input.paymentId },
              },
              quantity: 1,
            },
          ],
          success_url: input.returnUrl,
          cancel_url: input.returnUrl,
          client_reference_id: input.paymentId,
          metadata,
          payment_intent_data: { metadata },
          expires_at: expiresAt,
        },
        { idempotencyKey: input.idempotencyKey },
      );
    const expiry = checkoutExpiry(input.expiresAt, this.options.now?.() ?? new Date());
    try {
      return toPayment((await create(expiry)) as unknown as Json);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeIdempotencyError)) throw toProviderError(error);
      // The key was first used with another expires_at: the window moved on between an attempt whose
      // outcome was unknown and this repeat. Stripe replays the first result for the exact first
      // parameters, which are the earlier steps of the same series (checkoutExpiry).
      for (const earlier of earlierExpiries(input.expiresAt, expiry)) {
        try {
          return toPayment((await create(earlier)) as unknown as Json);
        } catch (again) {
          if (!(again instanceof Stripe.errors.StripeIdempotencyError)) throw toProviderError(again);
        }
      }
      throw toProviderError(error);
    }
  }

  async getPayment(providerPaymentId: string): Promise<ProviderPayment> {
    const session = (await this.run(() =>
      this.client.checkout.sessions.retrieve(providerPaymentId, { expand: ["payment_intent"] }),
    )) as unknown as Json;
    const payment = toPayment(session);
    const intent = isObject(session.payment_intent) ? session.payment_intent : null;
    if (intent && typeof intent.latest_charge === "string" && intent.status === "succeeded") {
      const charge = (await this.run(() => this.client.charges.retrieve(intent.latest_charge as string))) as unknown as Json;
      payment.refundedCents = typeof charge.amount_refunded === "number" ? charge.amount_refunded : 0;
    }
    return payment;
  }

  async refund(input: RefundInput): Promise<ProviderRefund> {
    const session = (await this.run(() => this.client.checkout.sessions.retrieve(input.providerPaymentId))) as unknown as Json;
    const paymentIntent = idOf(session.payment_intent);
    if (!paymentIntent || session.payment_status !== "paid") {
      throw new ProviderError("rejected", "This Stripe checkout has no successful payment to refund");
    }
    const metadata: Record<string, string> = { refund_id: input.refundId };
    if (input.reason) metadata.reason = input.reason.slice(0, 500);
    const refund = await this.run(() =>
      this.client.refunds.create(
        { payment_intent: paymentIntent, amount: input.amountCents, reason: "requested_by_customer", metadata },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return toRefund(refund as unknown as Json, input.providerPaymentId);
  }

  async getRefund(providerRefundId: string, providerPaymentId: string): Promise<ProviderRefund> {
    const refund = await this.run(() => this.client.refunds.retrieve(providerRefundId));
    return toRefund(refund as unknown as Json, providerPaymentId);
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookHint> {
    const header = request.headers.get("stripe-signature");
    if (!header) throw new WebhookRejected(400, "The Stripe-Signature header is missing");
    let event: Json;
    try {
      event = this.client.webhooks.constructEvent(request.rawBody, header, this.options.webhookSecret) as unknown as Json;
    } catch {
      throw new WebhookRejected(400, "The Stripe signature does not verify with this endpoint's secret (or is too old)");
    }
    const type = String(event.type);
    const eventKey = String(event.id);
    const data = isObject(event.data) ? event.data : {};
    const object = isObject(data.object) ? data.object : {};
    const metadata = isObject(object.metadata) ? object.metadata : {};
    if (type.startsWith("checkout.session.")) {
      return {
        eventKey,
        type,
        object: {
          kind: "payment",
          providerPaymentId: stringOrNull(object.id),
          paymentId: stringOrNull(object.client_reference_id) ?? stringOrNull(metadata.payment_id),
        },
      };
    }
    if (type.startsWith("payment_intent.") || type === "charge.refunded") {
      // Our providerPaymentId is the session's id, which these objects do not carry: the service finds
      // the payment by our own id from the metadata (the session copies it to its PaymentIntent).
      const paymentId = stringOrNull(metadata.payment_id);
      return { eventKey, type, object: paymentId ? { kind: "payment", providerPaymentId: null, paymentId } : { kind: "ignored" } };
    }
    if (type.startsWith("refund.") || type.startsWith("charge.refund.")) {
      const refundId = stringOrNull(object.id);
      if (!refundId) return { eventKey, type, object: { kind: "ignored" } };
      return { eventKey, type, object: { kind: "refund", providerRefundId: refundId, providerPaymentId: null, refundId: stringOrNull(metadata.refund_id) } };
    }
    return { eventKey, type, object: { kind: "ignored" } };
  }

  async testConnection(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.run(() => this.client.checkout.sessions.retrieve(CONNECTION_PROBE_ID));
      return { ok: true };
    } catch (error) {
      if (error instanceof ProviderError) {
        if (error.kind === "not_found") return { ok: true };
        return { ok: false, reason: error.message };
      }
      return { ok: false, reason: "Stripe could not be reached" };
    }
  }

  /** Runs one SDK call and turns its errors into ProviderError kinds. */
  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toProviderError(error);
    }
  }
}

/**
 * The session's expires_at (unix seconds) for our hold's end. Stripe takes 30 min – 24 h after creation;
 * a hold end outside that window moves into it by whole EXPIRY_STEP_S steps from the hold end, so a
 * repeat with the same idempotency key a little later sends the same value (Stripe refuses a key reused
 * with other parameters) — the hold of a fresh "Pay" (now + 30 min) always needs such a step.
 */
export function checkoutExpiry(expiresAt: Date, now: Date = new Date()): number {
  const nowS = Math.floor(now.getTime() / 1000);
  const wanted = Math.floor(expiresAt.getTime() / 1000);
  const earliest = nowS + MIN_EXPIRY_S + EXPIRY_MARGIN_S;
  const latest = nowS + MAX_EXPIRY_S - EXPIRY_MARGIN_S;
  if (wanted < earliest) return wanted + Math.ceil((earliest - wanted) / EXPIRY_STEP_S) * EXPIRY_STEP_S;
  if (wanted > latest) return wanted - Math.ceil((wanted - latest) / EXPIRY_STEP_S) * EXPIRY_STEP_S;
  return wanted;
}

/** The values checkoutExpiry gave for this hold end earlier (newest first), up to an hour back. */
export function earlierExpiries(expiresAt: Date, current: number): number[] {
  const wanted = Math.floor(expiresAt.getTime() / 1000);
  const steps = Math.round((current - wanted) / EXPIRY_STEP_S);
  const direction = Math.sign(steps);
  const out: number[] = [];
  for (let i = 1; i <= Math.min(Math.abs(steps), MAX_EXPIRY_REPLAY_STEPS); i++) out.push(wanted + (steps - direction * i) * EXPIRY_STEP_S);
  return out;
}

export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) return new ProviderError("unknown", "Stripe could not be reached; the outcome is unknown");
  const code = error.code ?? null;
  const status = error.statusCode ?? 0;
  if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError || status === 401 || status === 403) {
    return new ProviderError("credentials", `Stripe refused the secret key (${status || error.type})`, code);
  }
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError) {
    return new ProviderError("unknown", `Stripe did not give an answer (${status || "no connection"}); the outcome is unknown`, code);
  }
  if (status >= 500 || status === 409 || status === 429 || status === 0) {
    return new ProviderError("unknown", `Stripe answered ${status || "nothing"}; the outcome is unknown`, code);
  }
  if (status === 404 || code === "resource_missing") return new ProviderError("not_found", `Stripe: ${error.message}`, code);
  return new ProviderError("rejected", `Stripe refused the request: ${error.message}`, code);
}

function toPayment(session: Json): ProviderPayment {
  const currency = toCurrency(session.currency);
  if (typeof session.id !== "string" || typeof session.amount_total !== "number" || currency === null) {
    throw new ProviderError("unknown", "Stripe answered a checkout session without an id, an amount or a known currency");
  }
  const intent = isObject(session.payment_intent) ? session.payment_intent : null;
  const lastError = intent && isObject(intent.last_payment_error) ? intent.last_payment_error : null;
  const sessionStatus = String(session.status);
  const paid = session.payment_status === "paid";
  let status: ProviderPayment["status"] = "pending";
  let failureReason: string | null = null;
  if (sessionStatus === "complete" && paid) status = "succeeded";
  else if (sessionStatus === "expired") {
    status = "failed";
    failureReason = "expired";
  } else if (lastError) {
    // A declined attempt keeps the session open: the buyer may try another card.
    failureReason = declineText(lastError);
  }
  const metadata = isObject(session.metadata) ? session.metadata : {};
  return {
    providerPaymentId: session.id,
    status,
    amountCents: session.amount_total,
    currency,
    checkoutUrl: sessionStatus === "open" && typeof session.url === "string" ? session.url : null,
    refundedCents: 0,
    failureReason,
    paymentId: stringOrNull(session.client_reference_id) ?? stringOrNull(metadata.payment_id),
    metadata: {
      provider_status: sessionStatus,
      payment_status: stringOrNull(session.payment_status),
      payment_intent: idOf(session.payment_intent),
      livemode: session.livemode === true,
    },
  };
}

function toRefund(refund: Json, providerPaymentId: string): ProviderRefund {
  if (typeof refund.id !== "string" || typeof refund.amount !== "number") {
    throw new ProviderError("unknown", "Stripe answered a refund without an id or an amount");
  }
  const raw = String(refund.status);
  const status: ProviderRefundStatus = raw === "succeeded" ? "succeeded" : raw === "failed" || raw === "canceled" ? "failed" : "pending";
  return {
    providerRefundId: refund.id,
    providerPaymentId,
    status,
    amountCents: refund.amount,
    failureReason: status === "failed" ? (stringOrNull(refund.failure_reason) ?? raw) : null,
  };
}

function declineText(error: Json): string {
  const message = stringOrNull(error.message);
  const code = stringOrNull(error.decline_code) ?? stringOrNull(error.code);
  if (message && code) return `${message} (${code})`;
  return message ?? code ?? "declined";
}

function idOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (isObject(value) && typeof value.id === "string") return value.id;
  return null;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
