// The promo-code rules, written once in TypeScript (here) and once as SQL fragments over a promo_codes
// row (./rules-sql.ts) (docs/registrations.md → "Promo codes and hidden ticket types"). Pure module (no
// database, no node modules: the organizer's form uses it in the browser): the sale
// (lib/registrations/register.ts predicts with the TypeScript, the sale statement decides with the SQL),
// "Have a code?" and the forms use it; tests/integration/promo.test.ts runs both on the same rows so
// the two cannot drift apart.
//
//   normalizePromoCode  — trim + upper case; valid when 3..32 of A-Z 0-9 - _ (the table's CHECK too);
//   promoRefusal        — why a code does not apply to a ticket type now (null: it applies);
//   priceAfterPromo     — the amount due after the code: PERCENT takes floor(price × percent / 100)
//                         off (the discount is rounded down to a whole minor unit), FIXED takes
//                         min(value, price) off and applies only to a type of the code's currency;
//                         never below 0, never above the list price.
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
