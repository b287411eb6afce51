// Reconciliation (cron every minute; docs/payments.md "Webhooks"): a lost webhook or a lost answer never
// loses money.
//   - PENDING without a provider id, older than a minute: the provider call's outcome was lost → repeat
//     createPayment with the SAME key and the SAME request (stored with the payment), then settle;
//   - PROCESSING untouched for two minutes, or past its checkout's expiry: re-read (getPayment) → settle.
// Claims are a lease: one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) bumps updated_at,
// so several processes never take the same payment in the same minute, and a crash just leaves it for
// the next lease. Flagged payments (amount mismatch) wait for the organizer and are skipped.
import "server-only";
import { db } from "@/lib/db";
import { providerForPayment } from "./accounts";
import { callProvider, storedCreateInput } from "./checkout";
import { ProviderError, type OnlineProviderId } from "./providers/types";
import { settlePayment } from "./settle";

type Claimed = {
  id: string;
  organization_id: string;
  provider: string;
  status: "PENDING" | "PROCESSING";
  provider_payment_id: string | null;
  provider_metadata: unknown;
};

export type ReconcileResult = { retried: number; reread: number; settled: number; errors: number };

/** One pass over stuck payments (see the file comment). `olderThanMs` overrides the ages (tests). */
export async function reconcilePayments(options: { limit?: number; pendingAgeMs?: number; processingAgeMs?: number } = {}): Promise<ReconcileResult> {
  const limit = options.limit ?? 100;
  const pendingAge = `${Math.max(0, options.pendingAgeMs ?? 60_000)} milliseconds`;
  const processingAge = `${Math.max(0, options.processingAgeMs ?? 120_000)} milliseconds`;
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE payments p SET updated_at = now()
     WHERE p.id IN (
       SELECT q.id FROM payments q
        WHERE q.provider <> 'manual' AND q.flag_reason IS NULL
          AND ((q.status = 'PENDING' AND q.provider_payment_id IS NULL AND q.updated_at <= now() - ${pendingAge}::interval)
            OR (q.status = 'PROCESSING' AND (q.updated_at <= now() - ${processingAge}::interval OR q.checkout_expires_at <= now())
                AND q.updated_at <= now() - interval '10 seconds'))
        ORDER BY q.updated_at
        LIMIT ${limit}::int
          FOR UPDATE SKIP LOCKED)
    RETURNING p.id, p.tenant_id AS organization_id, p.provider, p.status::text AS status, p.provider_payment_id, p.provider_metadata`;

  const result: ReconcileResult = { retried: 0, reread: 0, settled: 0, errors: 0 };
  for (const p of claimed) {
    try {
      if (p.status === "PENDING" && !p.provider_payment_id) {
        const request = storedCreateInput(p.provider_metadata);
        if (!request) continue;
        result.retried += 1;
        const out = await callProvider(p.organization_id, p.provider as OnlineProviderId, request).catch((e: unknown) => {
          if (e instanceof Error && "code" in e) return null; // refused: callProvider failed the payment
          throw e;
        });
        if (out && out.kind === "redirect") result.settled += 1;
        continue;
      }
      if (!p.provider_payment_id) continue;
      result.reread += 1;
      const provider = await providerForPayment(p.organization_id, p.provider as OnlineProviderId);
      const state = await provider.getPayment(p.provider_payment_id);
      const settled = await settlePayment({ paymentId: p.id, organizationId: p.organization_id, state });
      if (settled.outcome !== "unchanged" && settled.outcome !== "pending") result.settled += 1;
    } catch (e) {
      result.errors += 1;
      if (e instanceof ProviderError) console.warn(`[payments] reconcile ${p.id}: ${e.kind} ${e.message}`);
      else console.error(`[payments] reconcile ${p.id} failed`, e);
    }
  }
  return result;
}
