// The built-in demo provider: a checkout page of our own (app/[locale]/(site)/pay/demo/[id]) where no
// money moves, behind the same interface as YooKassa and Stripe (docs/payments.md → "Providers").
// Its "API" state lives in demo_payments / demo_refunds / demo_events, so every web process sees the
// same checkout; its "webhooks" are real HTTP POSTs to /api/payments/webhooks/demo/<organization>,
// signed `X-Demo-Signature: t=<unix>,v1=<hex HMAC-SHA256(key, t + "." + body)>` with a key derived
// from AUTH_SECRET (HKDF), sent by the demo-webhook job (retried like any job).
//
// Test cards (the page lists them):
//   4242 4242 4242 4242  success at once (+ payment.succeeded webhook), the buyer goes back;
//   4000 0000 0000 0002  declined: the checkout stays open with the message, as Stripe's does;
//   4000 0000 0000 0259  processing: pending for PAYMENTS_DEMO_DELAY_MS, then succeeded + webhook; the
//                        page waits and then sends the buyer back;
//   4000 0000 0000 0077  "only by webhook": the buyer goes back at once while the payment is pending;
//                        it succeeds (and the webhook leaves) about 2 s later.
// A checkout past its expiresAt cannot be paid: it is failed ("expired") when next read or paid.
import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { db, withTransaction, type DbClient, type Prisma } from "@/lib/db";
import { authSecret, env } from "@/lib/env";
import type { Currency } from "@/lib/generated/prisma/enums";
import type { DemoPayment, DemoRefund } from "@/lib/generated/prisma/client";
import { enqueue, kick } from "@/lib/jobs";
import { paymentsDemoEnabled } from "./demo-mode";
import {
  type CreatePaymentInput,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderRefund,
  type RefundInput,
  type WebhookHint,
  type WebhookRequest,
  ProviderError,
  WebhookRejected,
} from "./types";

export const DEMO_CARDS = {
  success: "4242424242424242",
  decline: "4000000000000002",
  delayed: "4000000000000259",
  webhookOnly: "4000000000000077",
} as const;

export type DemoCardOutcome = keyof typeof DEMO_CARDS;

/** The "only by webhook" card: the state changes this long after the buyer was sent back. */
export const DEMO_WEBHOOK_ONLY_DELAY_MS = 2000;
/** A signature older (or newer) than this is refused. */
export const DEMO_SIGNATURE_TOLERANCE_S = 300;
export const DEMO_SIGNATURE_HEADER = "x-demo-signature";
const DECLINE_MESSAGE = "Your card was declined.";
const DECLINE_CODE = "card_declined";
const EXPIRED = "expired";

export type DemoStatus = "PENDING" | "SUCCEEDED" | "FAILED";

/** What the checkout page shows (no secrets; the id is the page's capability). */
export type DemoCheckout = {
  id: string;
  status: DemoStatus;
  amountCents: number;
  currency: Currency;
  description: string;
  returnUrl: string;
  expiresAt: Date;
  expired: boolean;
  /** A delayed success is under way (PENDING until settleAt). */
  processing: boolean;
  failureReason: string | null;
};

export function demoCardOutcome(card: string): DemoCardOutcome | null {
  const digits = card.replace(/[\s-]+/g, "");
  for (const [outcome, number] of Object.entries(DEMO_CARDS)) if (number === digits) return outcome as DemoCardOutcome;
  return null;
}

// ───────────────────────────── the adapter ─────────────────────────────

export class DemoProvider implements PaymentProvider {
  readonly id = "demo" as const;
  readonly currencies: readonly Currency[] = ["RUB", "USD", "EUR"];

  constructor(private readonly organizationId: string) {}

  async createPayment(input: CreatePaymentInput): Promise<ProviderPayment> {
    assertEnabled();
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw new ProviderError("rejected", "The amount must be a positive whole number of minor units");
    const data = {
      organizationId: this.organizationId,
      paymentId: input.paymentId,
      idempotencyKey: input.idempotencyKey,
      amountCents: input.amountCents,
      currency: input.currency,
      description: input.description.slice(0, 128),
      returnUrl: input.returnUrl,
      expiresAt: input.expiresAt,
      metadata: { ...input.metadata, payment_id: input.paymentId },
    };
    // Idempotent like a provider: the same key gives the same checkout; with other values it is refused.
    await db.demoPayment.createMany({ data: [data], skipDuplicates: true });
    const row = await db.demoPayment.findUniqueOrThrow({
      where: { organizationId_idempotencyKey: { organizationId: this.organizationId, idempotencyKey: input.idempotencyKey } },
    });
    if (row.paymentId !== input.paymentId || row.amountCents !== input.amountCents || row.currency !== input.currency) {
      throw new ProviderError("rejected", "This idempotency key was used for another payment");
    }
    return toPayment(row, 0);
  }

  async getPayment(providerPaymentId: string): Promise<ProviderPayment> {
    const row = await settleIfDue(await this.find(providerPaymentId));
    const refunded = await refundedCents(db, row.id);
    return toPayment(row, refunded);
  }

  async refund(input: RefundInput): Promise<ProviderRefund> {
    assertEnabled();
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw new ProviderError("rejected", "The refund amount must be a positive whole number of minor units");
    const payment = await this.find(input.providerPaymentId);
    const refund = await withTransaction(undefined, async (tx) => {
      // The payment's row lock serializes its refunds: the sum can never exceed the payment, and a
      // repeat with the same key (even a concurrent one) finds the first refund after the lock.
      const [locked] = await tx.$queryRaw<Array<{ status: string; amount_cents: number; currency: Currency }>>`
        SELECT status, amount_cents, currency FROM demo_payments WHERE id = ${payment.id}::uuid FOR UPDATE`;
      const existing = await tx.demoRefund.findUnique({
        where: { organizationId_idempotencyKey: { organizationId: this.organizationId, idempotencyKey: input.idempotencyKey } },
      });
      if (existing) return { ...existing, created: false };
      if (locked.status !== "SUCCEEDED") throw new ProviderError("rejected", "Only a paid demo payment can be refunded");
      if (locked.currency !== input.currency) throw new ProviderError("rejected", `The refund currency must be the payment's (${locked.currency})`);
      const left = locked.amount_cents - (await refundedCents(tx, payment.id));
      if (input.amountCents > left) throw new ProviderError("rejected", `The refund is more than what is left to refund (${left})`);
      const created = await tx.demoRefund.create({
        data: {
          organizationId: this.organizationId,
          demoPaymentId: payment.id,
          idempotencyKey: input.idempotencyKey,
          refundId: input.refundId,
          amountCents: input.amountCents,
          reason: input.reason?.slice(0, 250) ?? null,
        },
      });
      await emitEvent(tx, this.organizationId, "refund.succeeded", refundObject(created));
      return { ...created, created: true };
    });
    if (refund.created) kick();
    return toRefund(refund);
  }

  async getRefund(providerRefundId: string, providerPaymentId: string): Promise<ProviderRefund> {
    const row = isUuid(providerRefundId)
      ? await db.demoRefund.findFirst({ where: { id: providerRefundId, organizationId: this.organizationId } })
      : null;
    if (!row || row.demoPaymentId !== providerPaymentId) throw new ProviderError("not_found", "No such demo refund");
    return toRefund(row);
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookHint> {
    const header = request.headers.get(DEMO_SIGNATURE_HEADER);
    if (!header) throw new WebhookRejected(400, "The X-Demo-Signature header is missing");
    if (!verifyDemoSignature(request.rawBody, header)) throw new WebhookRejected(400, "The demo webhook signature does not verify (or is too old)");
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody);
    } catch {
      throw new WebhookRejected(400, "The demo webhook is not JSON");
    }
    if (!isObject(body) || typeof body.id !== "string" || typeof body.type !== "string" || !isObject(body.object)) {
      throw new WebhookRejected(400, "Not a demo webhook: expected {id, type, object}");
    }
    const object = body.object;
    if (object.organization_id !== this.organizationId) throw new WebhookRejected(400, "The demo webhook is for another organization");
    const type = body.type;
    if (type.startsWith("payment.") && typeof object.id === "string") {
      return { eventKey: body.id, type, object: { kind: "payment", providerPaymentId: object.id, paymentId: stringOrNull(object.payment_id) } };
    }
    if (type.startsWith("refund.") && typeof object.id === "string") {
      return {
        eventKey: body.id,
        type,
        object: { kind: "refund", providerRefundId: object.id, providerPaymentId: stringOrNull(object.payment), refundId: stringOrNull(object.refund_id) },
      };
    }
    return { eventKey: body.id, type, object: { kind: "ignored" } };
  }

  async testConnection(): Promise<{ ok: true } | { ok: false; reason: string }> {
    return paymentsDemoEnabled() ? { ok: true } : { ok: false, reason: "Demo payments are turned off on this server (PAYMENTS_DEMO)" };
  }

  private async find(providerPaymentId: string): Promise<DemoPayment> {
    const row = isUuid(providerPaymentId) ? await db.demoPayment.findFirst({ where: { id: providerPaymentId, organizationId: this.organizationId } }) : null;
    if (!row) throw new ProviderError("not_found", "No such demo payment");
    return row;
  }
}

// ───────────────────────────── the checkout page's side ─────────────────────────────

/** The checkout as its page shows it (settling a delayed success that is due); null when unknown. */
export async function getDemoCheckout(id: string): Promise<DemoCheckout | null> {
  if (!paymentsDemoEnabled() || !isUuid(id)) return null;
  const row = await db.demoPayment.findUnique({ where: { id } });
  if (!row) return null;
  return toCheckout(await settleIfDue(row));
}

export type DemoPayResult =
  | { outcome: "paid" | "webhook-only"; returnUrl: string }
  | { outcome: "processing" }
  | { outcome: "declined"; message: string }
  | { outcome: "expired" | "closed"; returnUrl: string }
  | { outcome: "unknown-card" };

/**
 * The buyer submits a card on the checkout page. Each outcome is one compare-and-set on a PENDING row,
 * so a double submit or two tabs cannot pay twice.
 */
export async function payDemoCheckout(id: string, card: string, now: Date = new Date()): Promise<DemoPayResult | null> {
  assertEnabled();
  if (!isUuid(id)) return null;
  const row = await db.demoPayment.findUnique({ where: { id } });
  if (!row) return null;
  const current = await settleIfDue(row, now);
  if (current.status !== "PENDING") return { outcome: current.failureReason === EXPIRED ? "expired" : "closed", returnUrl: current.returnUrl };
  if (current.settleAt) return { outcome: "processing" };
  const outcome = demoCardOutcome(card);
  if (!outcome) return { outcome: "unknown-card" };
  if (outcome === "decline") {
    await db.demoPayment.updateMany({
      where: { id, status: "PENDING", settleAt: null, expiresAt: { gt: now } },
      data: { failureReason: `${DECLINE_MESSAGE} (${DECLINE_CODE})` },
    });
    return { outcome: "declined", message: DECLINE_MESSAGE };
  }
  if (outcome === "success") {
    const done = await finish(id, "SUCCEEDED", null, now);
    if (!done) return { outcome: "closed", returnUrl: current.returnUrl };
    return { outcome: "paid", returnUrl: current.returnUrl };
  }
  const delayMs = outcome === "delayed" ? env().PAYMENTS_DEMO_DELAY_MS : DEMO_WEBHOOK_ONLY_DELAY_MS;
  const settleAt = new Date(now.getTime() + delayMs);
  const scheduled = await withTransaction(undefined, async (tx) => {
    const changed = await tx.demoPayment.updateMany({ where: { id, status: "PENDING", settleAt: null, expiresAt: { gt: now } }, data: { settleAt, failureReason: null } });
    if (changed.count === 0) return false;
    // Nobody may look at the payment again: the job makes the success (and its webhook) happen anyway.
    await enqueue(tx, "payments/demo-settle-due", { demoPaymentId: id }, { id: `demo-settle:${id}`, runAt: settleAt });
    return true;
  });
  if (!scheduled) return { outcome: "closed", returnUrl: current.returnUrl };
  return outcome === "delayed" ? { outcome: "processing" } : { outcome: "webhook-only", returnUrl: current.returnUrl };
}

/** A delayed success whose time has come → SUCCEEDED + webhook; a checkout past expiry → FAILED. Idempotent. */
export async function settleDemoPaymentIfDue(id: string): Promise<DemoStatus | null> {
  const row = await db.demoPayment.findUnique({ where: { id } });
  return row ? ((await settleIfDue(row)).status as DemoStatus) : null;
}

async function settleIfDue(row: DemoPayment, now: Date = new Date()): Promise<DemoPayment> {
  if (row.status !== "PENDING") return row;
  const due = row.settleAt ? row.settleAt <= now : row.expiresAt <= now;
  if (!due) return row;
  const changed = row.settleAt ? await finish(row.id, "SUCCEEDED", null, now) : await finish(row.id, "FAILED", EXPIRED, now);
  // null: another request made the same change first.
  return changed ?? db.demoPayment.findUniqueOrThrow({ where: { id: row.id } });
}

/** PENDING → SUCCEEDED | FAILED (compare-and-set) with its webhook event in the same transaction. */
async function finish(id: string, status: "SUCCEEDED" | "FAILED", failureReason: string | null, now: Date): Promise<DemoPayment | null> {
  const finished = await withTransaction(undefined, async (tx) => {
    const changed = await tx.demoPayment.updateMany({
      where: status === "SUCCEEDED" ? { id, status: "PENDING", OR: [{ settleAt: null, expiresAt: { gt: now } }, { settleAt: { lte: now } }] } : { id, status: "PENDING", settleAt: null, expiresAt: { lte: now } },
      data: { status, failureReason, settleAt: null },
    });
    if (changed.count === 0) return null;
    const row = await tx.demoPayment.findUniqueOrThrow({ where: { id } });
    await emitEvent(tx, row.organizationId, status === "SUCCEEDED" ? "payment.succeeded" : "payment.failed", paymentObject(row));
    return row;
  });
  if (finished) kick(); // the webhook job: send it now rather than at the next poll
  return finished;
}

// ───────────────────────────── webhooks ─────────────────────────────

async function emitEvent(tx: Prisma.TransactionClient, organizationId: string, type: string, object: Record<string, unknown>): Promise<void> {
  const event = await tx.demoEvent.create({ data: { organizationId, type, object: object as Prisma.InputJsonValue } });
  await enqueue(tx, "payments/demo-webhook-requested", { demoEventId: event.id }, { id: `demo-webhook:${event.id}` });
}

/** The exact body of a demo webhook. */
export function demoWebhookBody(event: { id: string; type: string; object: unknown }): string {
  return JSON.stringify({ id: event.id, type: event.type, object: event.object });
}

/**
 * Sends one demo event to the organization's webhook endpoint (the demo-webhook job). Anything but a
 * 2xx throws, so the job retries it.
 */
export async function deliverDemoEvent(demoEventId: string): Promise<{ status: number } | null> {
  const event = await db.demoEvent.findUnique({ where: { id: demoEventId } });
  if (!event) return null;
  const e = env();
  const url = new URL(`/api/payments/webhooks/demo/${event.organizationId}`, e.INTERNAL_APP_URL ?? e.APP_URL);
  const body = demoWebhookBody(event);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", [DEMO_SIGNATURE_HEADER]: demoSignatureHeader(body) },
    body,
    signal: AbortSignal.timeout(10_000),
    redirect: "error",
  });
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300) throw new Error(`the demo webhook endpoint answered ${response.status}`);
  return { status: response.status };
}

let signingKey: { secret: string; key: Buffer } | undefined;

function demoSigningKey(): Buffer {
  const secret = authSecret();
  if (signingKey?.secret !== secret) signingKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "", "aqstream demo webhooks", 32)) };
  return signingKey.key;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(key, t + "." + body)>`. */
export function demoSignatureHeader(body: string, timestamp: number = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", demoSigningKey()).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export function verifyDemoSignature(body: string, header: string, now: number = Math.floor(Date.now() / 1000)): boolean {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [name, value] = part.split("=", 2);
    if (name === "t" && /^\d{1,12}$/.test(value ?? "")) timestamp = Number(value);
    if (name === "v1" && /^[0-9a-f]{64}$/.test(value ?? "")) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return false;
  const expected = Buffer.from(createHmac("sha256", demoSigningKey()).update(`${timestamp}.${body}`, "utf8").digest("hex"), "utf8");
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "utf8"), expected));
  return matches && Math.abs(now - timestamp) <= DEMO_SIGNATURE_TOLERANCE_S;
}

// ───────────────────────────── shapes ─────────────────────────────

function paymentObject(row: DemoPayment): Record<string, unknown> {
  return {
    id: row.id,
    object: "demo_payment",
    organization_id: row.organizationId,
    payment_id: row.paymentId,
    status: row.status.toLowerCase(),
    amount: row.amountCents,
    currency: row.currency,
    failure_reason: row.failureReason,
  };
}

function refundObject(row: DemoRefund): Record<string, unknown> {
  return {
    id: row.id,
    object: "demo_refund",
    organization_id: row.organizationId,
    payment: row.demoPaymentId,
    refund_id: row.refundId,
    status: row.status.toLowerCase(),
    amount: row.amountCents,
  };
}

function toPayment(row: DemoPayment, refunded: number): ProviderPayment {
  const status = row.status === "SUCCEEDED" ? "succeeded" : row.status === "FAILED" ? "failed" : "pending";
  return {
    providerPaymentId: row.id,
    status,
    amountCents: row.amountCents,
    currency: row.currency,
    checkoutUrl: status === "pending" ? demoCheckoutUrl(row.id) : null,
    refundedCents: refunded,
    failureReason: row.failureReason,
    paymentId: row.paymentId,
    metadata: { provider_status: row.status.toLowerCase(), test: true, processing: row.status === "PENDING" && row.settleAt !== null },
  };
}

function toRefund(row: DemoRefund): ProviderRefund {
  return {
    providerRefundId: row.id,
    providerPaymentId: row.demoPaymentId,
    status: row.status === "SUCCEEDED" ? "succeeded" : "failed",
    amountCents: row.amountCents,
    failureReason: null,
  };
}

function toCheckout(row: DemoPayment, now: Date = new Date()): DemoCheckout {
  return {
    id: row.id,
    status: row.status as DemoStatus,
    amountCents: row.amountCents,
    currency: row.currency,
    description: row.description,
    returnUrl: row.returnUrl,
    expiresAt: row.expiresAt,
    expired: row.status === "FAILED" ? row.failureReason === EXPIRED : row.settleAt === null && row.expiresAt <= now,
    processing: row.status === "PENDING" && row.settleAt !== null,
    failureReason: row.failureReason,
  };
}

/** `${APP_URL}/pay/demo/<id>` (the locale comes from the buyer's cookie, as every page's). */
export function demoCheckoutUrl(id: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/pay/demo/${id}`;
}

async function refundedCents(client: DbClient, demoPaymentId: string): Promise<number> {
  const sum = await client.demoRefund.aggregate({ where: { demoPaymentId, status: "SUCCEEDED" }, _sum: { amountCents: true } });
  return sum._sum.amountCents ?? 0;
}

function assertEnabled(): void {
  if (!paymentsDemoEnabled()) throw new ProviderError("rejected", "Demo payments are turned off on this server (PAYMENTS_DEMO)");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: string): boolean {
  return UUID.test(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
