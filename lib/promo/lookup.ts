// "Have a code?": the promo code a visitor typed on the register page, looked up for the event. The
// lookup is rate-limited per address against guessing (failures only: ./attempts.ts); whether the code
// applies to each ticket type is lib/promo/rules promoRefusal(), the same rule the sale re-checks under
// the code's row lock — so the page can show the discounted price and the types it unlocks, and the
// sale still decides.
import "server-only";
import { db, type DbClient } from "@/lib/db";
import { assertPromoAttemptsLeft, countFailedPromo } from "./attempts";
import { normalizePromoCode, type PromoTerms } from "./rules";

export type PromoLookup = { code: string; terms: PromoTerms | null };

/**
 * The code's terms for this event (null terms: no such code — counted as a failed attempt of `ip`).
 * Throws RATE_LIMITED when the address has used up its failed attempts.
 */
export async function lookupPromoCode(options: { eventId: string; code: string; ip: string | null | undefined; tx?: DbClient }): Promise<PromoLookup> {
  await assertPromoAttemptsLeft(options.ip);
  const code = normalizePromoCode(options.code);
  const row = code
    ? await (options.tx ?? db).promoCode.findUnique({
        where: { eventId_code: { eventId: options.eventId, code } },
        select: {
          id: true,
          ticketTypeId: true,
          discountKind: true,
          discountValue: true,
          currency: true,
          usageLimit: true,
          usedCount: true,
          validFrom: true,
          validUntil: true,
          isActive: true,
        },
      })
    : null;
  if (!row) await countFailedPromo(options.ip);
  return { code: code ?? options.code.trim().toUpperCase().slice(0, 32), terms: row };
}
