// YooKassa API v3 adapter (plain fetch; /work/shared/reference/payments.md §1, docs/payments.md →
// "Providers"). HTTP Basic shopId:secretKey; every POST carries `Idempotence-Key` = the key the
// service stored before the call, so a repeat after an unknown outcome reaches the same payment or
// refund. Amounts travel as "100.00" strings (integer arithmetic, lib/payments/providers/amounts.ts);
// `capture: true`, so a paid payment is `succeeded` and never left held in `waiting_for_capture`.
//
// Notifications are unsigned: the sender address must be in YooKassa's published ranges (or the
// YOOKASSA_WEBHOOK_IPS setting), and the body only names the object the service re-reads by GET.
import "server-only";
import { BlockList, isIP } from "node:net";
import { randomUUID } from "node:crypto";
import type { Currency } from "@/lib/generated/prisma/enums";
import { formatMajorAmount, parseMajorAmount, toCurrency } from "./amounts";
import {
  type CreatePaymentInput,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderPaymentStatus,
  type ProviderRefund,
  type ProviderRefundStatus,
  type RefundInput,
  type WebhookHint,
  type WebhookRequest,
  ProviderError,
  WebhookRejected,
} from "./types";

/** Where YooKassa sends notifications from (yookassa.ru/developers/using-api/webhooks#ip). */
export const YOOKASSA_NOTIFICATION_RANGES = [
  "185.71.76.0/27",
  "185.71.77.0/27",
  "77.75.153.0/25",
  "77.75.154.128/25",
  "77.75.156.11",
  "77.75.156.35",
  "2a02:5180::/32",
] as const;

export type YooKassaOptions = {
  shopId: string;
  secretKey: string;
  /** API base, ending in /v3/ (default https://api.yookassa.ru/v3/). */
  baseUrl?: string;
  /** Per call; past it the outcome is unknown. Default 30 s. */
  timeoutMs?: number;
  /** Extra notification senders: comma list of addresses / CIDR ranges (YOOKASSA_WEBHOOK_IPS). */
  extraWebhookSenders?: string;
};

type Json = Record<string, unknown>;

const DESCRIPTION_LIMIT = 128;
const REFUND_DESCRIPTION_LIMIT = 250;

export class YooKassaProvider implements PaymentProvider {
  readonly id = "yookassa" as const;
  readonly currencies: readonly Currency[] = ["RUB"];
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly authorization: string;
  private readonly senders: BlockList;

  constructor(private readonly options: YooKassaOptions) {
    const base = options.baseUrl ?? "https://api.yookassa.ru/v3/";
    this.baseUrl = base.endsWith("/") ? base : `${base}/`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.authorization = `Basic ${Buffer.from(`${options.shopId}:${options.secretKey}`, "utf8").toString("base64")}`;
    this.senders = senderList([...YOOKASSA_NOTIFICATION_RANGES, ...splitList(options.extraWebhookSenders)]);
  }

  async createPayment(input: CreatePaymentInput): Promise<ProviderPayment> {
    if (input.currency !== "RUB") throw new ProviderError("rejected", `YooKassa takes RUB only, not ${input.currency}`);
    const body = {
      amount: { value: formatMajorAmount(input.amountCents), currency: input.currency },
      capture: true,
      confirmation: { type: "redirect", return_url: input.returnUrl },
      description: truncate(input.description, DESCRIPTION_LIMIT),
      metadata: { ...input.metadata, payment_id: input.paymentId },
    };
    return toPayment(await this.call("POST", "payments", body, input.idempotencyKey));
  }

  async getPayment(providerPaymentId: string): Promise<ProviderPayment> {
    return toPayment(await this.call("GET", `payments/${encodeURIComponent(providerPaymentId)}`));
  }

  async refund(input: RefundInput): Promise<ProviderRefund> {
    if (input.currency !== "RUB") throw new ProviderError("rejected", `YooKassa takes RUB only, not ${input.currency}`);
    // YooKassa refunds take no metadata: the idempotency key binds the call to our refund row.
    const body: Json = {
      payment_id: input.providerPaymentId,
      amount: { value: formatMajorAmount(input.amountCents), currency: input.currency },
    };
    if (input.reason) body.description = truncate(input.reason, REFUND_DESCRIPTION_LIMIT);
    return toRefund(await this.call("POST", "refunds", body, input.idempotencyKey));
  }

  async getRefund(providerRefundId: string, _providerPaymentId?: string): Promise<ProviderRefund> {
    return toRefund(await this.call("GET", `refunds/${encodeURIComponent(providerRefundId)}`));
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookHint> {
    if (!this.allowedSender(request.remoteAddress)) {
      throw new WebhookRejected(403, `YooKassa notifications are accepted only from YooKassa's addresses (got ${request.remoteAddress ?? "none"})`);
    }
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody);
    } catch {
      throw new WebhookRejected(400, "The notification is not JSON");
    }
    if (!isObject(body) || body.type !== "notification" || typeof body.event !== "string" || !isObject(body.object) || typeof body.object.id !== "string" || !body.object.id) {
      throw new WebhookRejected(400, "Not a YooKassa notification: expected {type: \"notification\", event, object: {id}}");
    }
    const event = body.event;
    const object = body.object;
    const objectId = object.id as string;
    const eventKey = `${event}:${objectId}`;
    if (event.startsWith("payment.")) {
      const metadata = isObject(object.metadata) ? object.metadata : {};
      return { eventKey, type: event, object: { kind: "payment", providerPaymentId: objectId, paymentId: stringOrNull(metadata.payment_id) } };
    }
    if (event.startsWith("refund.")) {
      return { eventKey, type: event, object: { kind: "refund", providerRefundId: objectId, providerPaymentId: stringOrNull(object.payment_id), refundId: null } };
    }
    return { eventKey, type: event, object: { kind: "ignored" } };
  }

  async testConnection(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      // A payment that cannot exist: 404 means the shop id and key were accepted.
      await this.call("GET", `payments/${randomUUID()}`);
      return { ok: true };
    } catch (error) {
      if (error instanceof ProviderError) {
        if (error.kind === "not_found") return { ok: true };
        return { ok: false, reason: error.message };
      }
      return { ok: false, reason: "YooKassa could not be reached" };
    }
  }

  /** Whether `address` may post notifications (YooKassa's ranges or the configured extra senders). */
  allowedSender(address: string | null): boolean {
    const ip = normalizeIp(address);
    if (!ip) return false;
    const family = isIP(ip);
    if (family === 0) return false;
    return this.senders.check(ip, family === 4 ? "ipv4" : "ipv6");
  }

  private async call(method: "GET" | "POST", path: string, body?: Json, idempotencyKey?: string): Promise<Json> {
    const headers: Record<string, string> = { authorization: this.authorization, accept: "application/json" };
    if (method === "POST") {
      if (!idempotencyKey) throw new ProviderError("rejected", "A YooKassa POST needs an idempotency key");
      headers["content-type"] = "application/json";
      headers["idempotence-key"] = idempotencyKey;
    }
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: "error",
        cache: "no-store",
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new ProviderError("unknown", timedOut ? `YooKassa did not answer within ${this.timeoutMs} ms` : "YooKassa could not be reached");
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new ProviderError("unknown", "The connection to YooKassa broke while reading the answer");
    }
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.status === 200 && isObject(json)) return json;
    throw errorOf(response.status, isObject(json) ? json : null);
  }
}

function errorOf(status: number, body: Json | null): ProviderError {
  const code = typeof body?.code === "string" ? body.code : null;
  const description = typeof body?.description === "string" ? body.description.slice(0, 300) : null;
  const parameter = typeof body?.parameter === "string" ? ` (${body.parameter})` : "";
  const detail = description ? `: ${description}${parameter}` : "";
  if (status === 401 || status === 403) return new ProviderError("credentials", `YooKassa refused the shop id or secret key (${status})`, code);
  if (status === 404) return new ProviderError("not_found", `YooKassa: not found${detail}`, code);
  if (status === 400 || status === 405 || status === 415 || status === 422) return new ProviderError("rejected", `YooKassa refused the request${detail}`, code);
  // 429, 5xx, 202 (the old "still processing") or an answer that is not JSON: nothing is known.
  return new ProviderError("unknown", `YooKassa answered ${status}${detail}; the outcome is unknown`, code);
}

function toPayment(json: Json): ProviderPayment {
  const id = json.id;
  const amount = isObject(json.amount) ? json.amount : {};
  const amountCents = parseMajorAmount(amount.value);
  const currency = toCurrency(amount.currency);
  if (typeof id !== "string" || amountCents === null || currency === null) {
    throw new ProviderError("unknown", "YooKassa answered a payment without an id or a readable amount");
  }
  const raw = String(json.status);
  // pending and waiting_for_capture (never reached with capture: true, but held money is not yet ours).
  const status: ProviderPaymentStatus = raw === "succeeded" ? "succeeded" : raw === "canceled" ? "failed" : "pending";
  const confirmation = isObject(json.confirmation) ? json.confirmation : {};
  const cancellation = isObject(json.cancellation_details) ? json.cancellation_details : null;
  const refunded = isObject(json.refunded_amount) ? parseMajorAmount(json.refunded_amount.value) : 0;
  const metadata = isObject(json.metadata) ? json.metadata : {};
  return {
    providerPaymentId: id,
    status,
    amountCents,
    currency,
    checkoutUrl: raw === "pending" && typeof confirmation.confirmation_url === "string" ? confirmation.confirmation_url : null,
    refundedCents: refunded ?? 0,
    failureReason: status === "failed" ? cancellationText(cancellation) : null,
    paymentId: stringOrNull(metadata.payment_id),
    metadata: {
      provider_status: raw,
      paid: json.paid === true,
      test: json.test === true,
      cancellation_party: cancellation ? stringOrNull(cancellation.party) : null,
      cancellation_reason: cancellation ? stringOrNull(cancellation.reason) : null,
    },
  };
}

function toRefund(json: Json): ProviderRefund {
  const amount = isObject(json.amount) ? json.amount : {};
  const amountCents = parseMajorAmount(amount.value);
  if (typeof json.id !== "string" || typeof json.payment_id !== "string" || amountCents === null) {
    throw new ProviderError("unknown", "YooKassa answered a refund without an id or a readable amount");
  }
  const raw = String(json.status);
  const status: ProviderRefundStatus = raw === "succeeded" ? "succeeded" : raw === "canceled" ? "failed" : "pending";
  const cancellation = isObject(json.cancellation_details) ? json.cancellation_details : null;
  return {
    providerRefundId: json.id,
    providerPaymentId: json.payment_id,
    status,
    amountCents,
    failureReason: status === "failed" ? cancellationText(cancellation) : null,
  };
}

function cancellationText(details: Json | null): string {
  if (!details) return "canceled";
  const reason = stringOrNull(details.reason) ?? "canceled";
  const party = stringOrNull(details.party);
  return party ? `${reason} (${party})` : reason;
}

/** "::ffff:1.2.3.4" → "1.2.3.4"; trims; null when empty. */
function normalizeIp(address: string | null): string | null {
  const trimmed = address?.trim();
  if (!trimmed) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed;
}

function senderList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) continue;
    const type = family === 4 ? "ipv4" : "ipv6";
    const bits = Number(prefix);
    if (prefix === undefined) list.addAddress(address, type);
    else if (/^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128)) list.addSubnet(address, bits, type);
  }
  return list;
}

/** Parses a comma list of addresses / CIDR ranges; invalid entries are reported by lib/env validation. */
function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** At most `limit` UTF-16 units (how the limits are counted), never splitting a character. */
function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let out = "";
  for (const char of text) {
    if (out.length + char.length > limit - 1) break;
    out += char;
  }
  return `${out}…`;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
