// Public API of the promo area (server side): promo codes of an event (docs/registrations.md → "Promo
// codes and hidden ticket types"). The rules themselves are the pure module ./rules.ts (TypeScript and
// SQL twins), which the sale statement composes.
import "server-only";

export { assertPromoAttemptsLeft, countFailedPromo } from "./attempts";
export { lookupPromoCode, type PromoLookup } from "./lookup";
export { createPromoCode, deactivatePromoCode, listPromoCodes, promoWindowText, type PromoCodeItem, type PromoCodeState } from "./promo-codes";
