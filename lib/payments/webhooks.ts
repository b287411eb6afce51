// Provider webhooks (docs/payments.md "Webhooks"). The route (app/api/payments/webhooks/[provider]/[organization])
// hands the raw delivery here:
//   receiveWebhook — the organization's adapter verifies and parses it (WebhookRejected → its status,
//     nothing written); ignored types → 200; the payment is looked up IN THIS ORGANIZATION (by the
//     provider's id, or our id from the hint) — unknown → 200 and a log line, nothing written; else ONE
//     statement stores the delivery in payment_webhook_events (UNIQUE provider + organization + event key,
//     ON CONFLICT DO NOTHING) together with its job (lib/jobs enqueueStatement, only when the row was
//     new) → 200. A repeated delivery is a no-op: one row, one job.
//   processWebhookEvent — the job: re-reads the object from the provider (a webhook body is never
//     trusted) and runs the one settle path; a refund hint goes to syncRefund (lib/payments/refunds).
import "server-only";
import { randomUUID } from "node:crypto";
import { db, onPrisma, sql } from "@/lib/db";
import { enqueueStatement, kick } from "@/lib/jobs";
import { isUuid } from "@/lib/permissions";
import { providerForPayment } from "./accounts";
import { syncRefund } from "./refunds";
import { ProviderError, WebhookRejected, type OnlineProviderId, type PaymentProvider } from "./providers/types";
import { settlePayment } from "./settle";

export const WEBHOOK_JOB_EVENT = "payments/webhook-received" as const;

export type WebhookAnswer = { status: number; body: { ok: boolean; result: "stored" | "duplicate" | "ignored" | "unknown_payment" | "rejected" | "not_connected" } };

type Found = { id: string; provider_payment_id: string | null };

async function findPayment(
  organizationId: string,
  providerId: OnlineProviderId,
  hint: { providerPaymentId: string | null; paymentId: string | null },
): Promise<Found | undefined> {
  if (hint.providerPaymentId) {
    const rows = await db.$queryRaw<Found[]>`
      SELECT id, provider_payment_id FROM payments
       WHERE tenant_id = ${organizationId}::uuid AND provider = ${providerId} AND provider_payment_id = ${hint.providerPaymentId}`;
    if (rows[0]) return rows[0];
  }
  if (hint.paymentId && isUuid(hint.paymentId)) {
    const rows = await db.$queryRaw<Found[]>`
      SELECT id, provider_payment_id FROM payments
       WHERE tenant_id = ${organizationId}::uuid AND provider = ${providerId} AND id = ${hint.paymentId}::uuid`;
    // Our id names the payment only if the provider's id agrees (or is not known yet).
    const row = rows[0];
    if (row && (!row.provider_payment_id || !hint.providerPaymentId || row.provider_payment_id === hint.providerPaymentId)) return row;
  }
  return undefined;
}

async function findRefundPayment(
  organizationId: string,
  providerId: OnlineProviderId,
  hint: { providerRefundId: string; providerPaymentId: string | null; refundId: string | null },
): Promise<Found | undefined> {
  const byPayment = await findPayment(organizationId, providerId, { providerPaymentId: hint.providerPaymentId, paymentId: null });
  if (byPayment) return byPayment;
  const rows = await db.$queryRaw<Found[]>`
    SELECT p.id, p.provider_payment_id FROM refunds f JOIN payments p ON p.id = f.payment_id
     WHERE p.tenant_id = ${organizationId}::uuid AND p.provider = ${providerId}
       AND (f.provider_refund_id = ${hint.providerRefundId} OR f.id = ${hint.refundId && isUuid(hint.refundId) ? hint.refundId : null}::uuid)
     LIMIT 1`;
  return rows[0];
}

/** Verifies, finds, stores once with its job (see the file comment). Never throws for the provider's input. */
export async function receiveWebhook(input: {
  providerId: OnlineProviderId;
  organizationId: string;
  rawBody: string;
  headers: Headers;
  remoteAddress: string | null;
}): Promise<WebhookAnswer> {
  const { providerId, organizationId } = input;
  if (!isUuid(organizationId)) return { status: 404, body: { ok: false, result: "not_connected" } };
  let provider: PaymentProvider;
  try {
    provider = await providerForPayment(organizationId, providerId);
  } catch (e) {
    if (e instanceof ProviderError) return { status: 404, body: { ok: false, result: "not_connected" } };
    throw e;
  }
  let hint;
  try {
    hint = await provider.parseWebhook({ rawBody: input.rawBody, headers: input.headers, remoteAddress: input.remoteAddress });
  } catch (e) {
    if (e instanceof WebhookRejected) {
      console.warn(`[payments] webhook ${providerId}/${organizationId} rejected: ${e.status} ${e.message}`);
      return { status: e.status, body: { ok: false, result: "rejected" } };
    }
    throw e;
  }
  if (hint.object.kind === "ignored") return { status: 200, body: { ok: true, result: "ignored" } };

  const object = hint.object;
  const payment = object.kind === "payment" ? await findPayment(organizationId, providerId, object) : await findRefundPayment(organizationId, providerId, object);
  if (!payment) {
    console.warn(`[payments] webhook ${providerId}/${organizationId} ${hint.type} ${hint.eventKey}: no such payment here; acknowledged, nothing written`);
    return { status: 200, body: { ok: true, result: "unknown_payment" } };
  }

  const rowId = randomUUID();
  const refund = object.kind === "refund" ? { providerRefundId: object.providerRefundId, providerPaymentId: object.providerPaymentId, refundId: object.refundId && isUuid(object.refundId) ? object.refundId : null } : null;
  const [row] = await onPrisma(db).rows<{ stored: number }>(sql`
    WITH ev AS (
      INSERT INTO payment_webhook_events (id, provider, tenant_id, event_key, type, payment_id, received_at)
      VALUES (${rowId}::uuid, ${providerId}, ${organizationId}::uuid, ${hint.eventKey.slice(0, 300)}, ${hint.type.slice(0, 100)}, ${payment.id}::uuid, now())
      ON CONFLICT (provider, tenant_id, event_key) DO NOTHING
      RETURNING id
    ), job AS (
      ${enqueueStatement(WEBHOOK_JOB_EVENT, { webhookEventId: rowId, providerPaymentId: object.providerPaymentId || null, refund }, { id: `payment-webhook:${rowId}`, when: "ev" })}
    )
    SELECT (SELECT count(*)::int FROM ev) AS stored`);
  if (row.stored === 0) return { status: 200, body: { ok: true, result: "duplicate" } };
  kick();
  return { status: 200, body: { ok: true, result: "stored" } };
}

/** The webhook job: re-read and settle (or sync the refund); records what came of it on the delivery row. */
export async function processWebhookEvent(data: {
  webhookEventId: string;
  providerPaymentId: string | null;
  refund: { providerRefundId: string; providerPaymentId: string | null; refundId: string | null } | null;
}): Promise<string> {
  const event = await db.paymentWebhookEvent.findUnique({ where: { id: data.webhookEventId } });
  if (!event || !event.paymentId) return "gone";
  if (event.processedAt) return event.outcome ?? "done";
  const payment = await db.payment.findFirst({
    where: { id: event.paymentId, organizationId: event.organizationId },
    select: { id: true, provider: true, providerPaymentId: true, organizationId: true },
  });
  if (!payment) return "gone";
  let outcome: string;
  if (data.refund) {
    await syncRefund(payment.organizationId, data.refund);
    outcome = "refund_synced";
  } else if (!(payment.providerPaymentId ?? data.providerPaymentId)) {
    // Neither our row nor the hint names the provider's object: the reconciliation repeats the call with our key.
    outcome = "awaiting_provider_id";
  } else {
    // Our stored id first; the hint's only while ours is unknown (settle refuses a different one).
    const provider = await providerForPayment(payment.organizationId, payment.provider as OnlineProviderId);
    const state = await provider.getPayment((payment.providerPaymentId ?? data.providerPaymentId)!);
    if (!payment.providerPaymentId && state.paymentId !== payment.id) {
      // An unsigned hint pairing our id with someone else's provider object: not ours.
      outcome = "provider_object_mismatch";
    } else {
      outcome = (await settlePayment({ paymentId: payment.id, organizationId: payment.organizationId, state })).outcome;
    }
  }
  await db.paymentWebhookEvent.update({ where: { id: event.id }, data: { processedAt: new Date(), outcome } });
  return outcome;
}
