// The one interface every payment provider speaks (docs/payments.md → "Providers").
//
// An adapter knows its provider's HTTP API and nothing of AqStream's tables: the payment service
// (lib/payments) decides what to create, keeps the state, and calls an adapter with the organization's
// own credentials (lib/payments/accounts.ts decrypts them). Amounts are integer minor units and always
// come from the server; the adapter converts to the provider's format ("100.00" for YooKassa).
//
// Idempotency: every call that creates something takes the key the service stored before the call, so a
// repeat after an unknown outcome (timeout, 5xx, dropped connection) reaches the same provider object —
// never a second charge or a second refund. Adapters never invent keys.
//
// Webhooks are hints: `parseWebhook` verifies what can be verified (Stripe's signature; YooKassa's
// notifications are unsigned) and names the object; the service always re-reads the object with
// `getPayment` / `getRefund` before anything changes.
import type { Currency } from "@/lib/generated/prisma/enums";

export type ProviderId = "yookassa" | "stripe" | "demo" | "manual";
export const ONLINE_PROVIDERS = ["yookassa", "stripe", "demo"] as const satisfies readonly ProviderId[];
export type OnlineProviderId = (typeof ONLINE_PROVIDERS)[number];

/** The provider's view of a payment, normalized. */
export type ProviderPaymentStatus =
  /** created, the buyer has not paid (yet): YooKassa pending / waiting_for_capture, Stripe open+unpaid */
  | "pending"
  /** money taken: YooKassa succeeded, Stripe session complete + paid */
  | "succeeded"
  /** will never succeed: declined and closed, canceled, expired */
  | "failed";

export type ProviderPayment = {
  providerPaymentId: string;
  status: ProviderPaymentStatus;
  /** What the provider says was (or will be) charged, minor units — compared with ours before confirming. */
  amountCents: number;
  currency: Currency;
  /** Where to send the buyer while pending; null once final. */
  checkoutUrl: string | null;
  /** Sum of the provider's succeeded refunds, minor units. */
  refundedCents: number;
  /** Human-readable reason of a failure (decline code, expiry), never a secret. */
  failureReason: string | null;
  /** Our payment id as the provider echoes it back in metadata (a hint; null when absent). */
  paymentId: string | null;
  /** A small JSON-safe summary for payments.provider_metadata (ids, statuses; never credentials or card data). */
  metadata: Record<string, string | number | boolean | null>;
};

export type ProviderRefundStatus = "pending" | "succeeded" | "failed";

export type ProviderRefund = {
  providerRefundId: string;
  providerPaymentId: string;
  status: ProviderRefundStatus;
  amountCents: number;
  failureReason: string | null;
};

export type CreatePaymentInput = {
  /** Our payments.id: sent as metadata (payment_id) and Stripe client_reference_id. */
  paymentId: string;
  /** payments.idempotency_key (a UUID), stored before the call; the same on every repeat. */
  idempotencyKey: string;
  amountCents: number;
  currency: Currency;
  /** ≤ 128 characters (YooKassa's limit); shown on the checkout page. */
  description: string;
  /** Where the provider sends the buyer back (success, and for Stripe also the cancel link). */
  returnUrl: string;
  /** The checkout must not accept payment after this moment (Stripe expires_at; demo; YooKassa ignores). */
  expiresAt: Date;
  /** Extra metadata strings (registration_id, organization_id). */
  metadata: Record<string, string>;
};

export type RefundInput = {
  providerPaymentId: string;
  /** refunds.idempotency_key, stored before the call. */
  idempotencyKey: string;
  amountCents: number;
  currency: Currency;
  /** ≤ 250 characters. */
  reason: string | null;
  /** Our refunds.id, sent as metadata. */
  refundId: string;
};

/** What a verified webhook names. `eventKey` is the dedupe key stored in the database. */
export type WebhookHint = {
  /** Unique per delivery of the same fact: Stripe `evt_…`; YooKassa `<event>:<object id>` (no event id exists). */
  eventKey: string;
  /** The provider's event type, for the log. */
  type: string;
  /** Which of our objects to re-read. */
  object:
    | { kind: "payment"; providerPaymentId: string | null; paymentId: string | null }
    | { kind: "refund"; providerRefundId: string; providerPaymentId: string | null; refundId: string | null }
    | { kind: "ignored" };
};

export type WebhookRequest = {
  /** The body exactly as received (`await request.text()`), never re-serialized JSON. */
  rawBody: string;
  headers: Headers;
  /** The client address as the server resolved it (x-aq-client-ip), for YooKassa's sender allow-list. */
  remoteAddress: string | null;
};

/**
 * Why a provider call did not give an answer the service can act on.
 *  - "unknown"     : the outcome is unknown (timeout, 5xx, connection dropped): repeat with the SAME key later;
 *  - "rejected"    : the provider refused the request (validation, amount too large): do not repeat as is;
 *  - "credentials" : the organization's credentials are wrong or revoked;
 *  - "not_found"   : the object does not exist at the provider (for this account).
 */
export type ProviderErrorKind = "unknown" | "rejected" | "credentials" | "not_found";

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    /** Safe to log and to show the organizer: never contains a secret. */
    message: string,
    readonly providerCode: string | null = null,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** A webhook that failed verification (bad or missing signature, unparseable body, sender not allowed). */
export class WebhookRejected extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = "WebhookRejected";
  }
}

export interface PaymentProvider {
  readonly id: OnlineProviderId;
  /** Currencies this provider takes for this account. */
  readonly currencies: readonly Currency[];
  createPayment(input: CreatePaymentInput): Promise<ProviderPayment>;
  getPayment(providerPaymentId: string): Promise<ProviderPayment>;
  refund(input: RefundInput): Promise<ProviderRefund>;
  getRefund(providerRefundId: string, providerPaymentId: string): Promise<ProviderRefund>;
  /** Throws WebhookRejected; returns the hints (an ignored event type → `{kind: "ignored"}`). */
  parseWebhook(request: WebhookRequest): Promise<WebhookHint>;
  /** A harmless authenticated read: do these credentials work? Never throws. */
  testConnection(): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** Decrypted credentials per provider (lib/payments/accounts.ts stores them encrypted). */
export type ProviderCredentials =
  | { provider: "yookassa"; shopId: string; secretKey: string }
  | { provider: "stripe"; secretKey: string; webhookSecret: string }
  | { provider: "demo" };
