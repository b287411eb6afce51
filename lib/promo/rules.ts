// The promo-code rules, written once in TypeScript and once as SQL fragments over a promo_codes row
// (docs/registrations.md → "Promo codes and hidden ticket types"). Pure module (no database, no
// "server-only"): the sale (lib/registrations/register.ts predicts with the TypeScript, the sale
// statement decides with the SQL), "Have a code?" and the organizer's forms use it;
// tests/integration/promo.test.ts runs both on the same rows so the two cannot drift apart.
//
//   normalizePromoCode  — trim + upper case; valid when 3..32 of A-Z 0-9 - _ (the table's CHECK too);
//   promoRefusal        — why a code does not apply to a ticket type now (null: it applies);
//   priceAfterPromo     — the amount due after the code: PERCENT takes floor(price × percent / 100)
//                         off (the discount is rounded down to a whole minor unit), FIXED takes
//                         min(value, price) off and applies only to a type of the code's currency;
//                         never below 0, never above the list price.
import { sql, type Sql } from "@/lib/db/sql";

export const PROMO_CODE_PATTERN = /^[A-Z0-9_-]{3,32}$/;
export type PromoDiscountKind = "PERCENT" | "FIXED";
export type PromoCurrency = "RUB" | "USD" | "EUR";

/** The code as stored, or null when the text cannot be a code. */
export function normalizePromoCode(text: unknown): string | null {
  if (typeof text !== "string") return null;
  const code = text.trim().toUpperCase();
  return PROMO_CODE_PATTERN.test(code) ? code : null;
}

/** What the rules read of a promo_codes row. */
export type PromoTerms = {
  id: string;
  ticketTypeId: string | null;
  discountKind: PromoDiscountKind;
  discountValue: number;
  currency: PromoCurrency | null;
  usageLimit: number | null;
  usedCount: number;
  validFrom: Date | null;
  validUntil: Date | null;
  isActive: boolean;
};

export type PromoRefusal = "unknown" | "inactive" | "notYetValid" | "expired" | "usedUp" | "otherType" | "otherCurrency";

/** The message key of a refusal (the field error on the promo code field). */
export function promoRefusalMessage(refusal: PromoRefusal): string {
  return `promo.errors.${refusal}`;
}

/**
 * Why `promo` does not apply to the ticket type now; null when it does. A hidden type is unlocked only
 * by a code naming it (a whole-event code does not reach it): `otherType`.
 */
export function promoRefusal(
  promo: PromoTerms | null,
  type: { id: string; currency: PromoCurrency; isHidden: boolean },
  now: Date,
): PromoRefusal | null {
  if (!promo) return "unknown";
  if (!promo.isActive) return "inactive";
  if (promo.validFrom && promo.validFrom.getTime() > now.getTime()) return "notYetValid";
  if (promo.validUntil && promo.validUntil.getTime() <= now.getTime()) return "expired";
  if (promo.ticketTypeId !== null ? promo.ticketTypeId !== type.id : type.isHidden) return "otherType";
  if (promo.discountKind === "FIXED" && promo.currency !== type.currency) return "otherCurrency";
  if (promo.usageLimit !== null && promo.usedCount >= promo.usageLimit) return "usedUp";
  return null;
}

/** The amount due and the discount for a list price under a code (null: no code). */
export function priceAfterPromo(
  priceCents: number,
  currency: PromoCurrency,
  promo: Pick<PromoTerms, "discountKind" | "discountValue" | "currency"> | null,
): { priceCents: number; discountCents: number } {
  let discount = 0;
  if (promo && priceCents > 0) {
    if (promo.discountKind === "PERCENT") discount = Math.floor((priceCents * Math.min(100, Math.max(0, promo.discountValue))) / 100);
    else if (promo.currency === currency) discount = Math.min(Math.max(0, promo.discountValue), priceCents);
  }
  return { priceCents: priceCents - discount, discountCents: discount };
}

// ───────────────────────────── the SQL twins ─────────────────────────────

/**
 * priceAfterPromo()'s discount in SQL: `price` and `currency` are expressions over the ticket-type row,
 * `p` the alias of a promo row (all of whose columns may be NULL: no code → 0).
 */
export function promoDiscountSql(price: Sql, currency: Sql, p: Sql): Sql {
  return sql`(CASE WHEN ${price} <= 0 OR ${p}.discount_kind IS NULL THEN 0
           WHEN ${p}.discount_kind = 'PERCENT' THEN ((${price})::bigint * LEAST(100, GREATEST(0, ${p}.discount_value)) / 100)::int
           WHEN ${p}.currency = ${currency} THEN LEAST(GREATEST(0, ${p}.discount_value), ${price})
           ELSE 0 END)`;
}

/**
 * promoRefusal() = null in SQL: the code `p` applies, now, to the ticket-type row `t` (id, currency,
 * is_hidden). The sale statement locks `p` with this condition (FOR UPDATE re-checks it on the newest
 * row version after waiting), so the usage limit is decided like a seat.
 */
export function promoAppliesSql(p: Sql, t: Sql): Sql {
  return sql`(${p}.is_active
         AND (${p}.valid_from IS NULL OR ${p}.valid_from <= now())
         AND (${p}.valid_until IS NULL OR ${p}.valid_until > now())
         AND (CASE WHEN ${p}.ticket_type_id IS NOT NULL THEN ${p}.ticket_type_id = ${t}.id ELSE NOT ${t}.is_hidden END)
         AND (${p}.discount_kind = 'PERCENT' OR ${p}.currency = ${t}.currency)
         AND (${p}.usage_limit IS NULL OR ${p}.used_count < ${p}.usage_limit))`;
}
