// The promo-code rules (lib/promo/rules.ts), pure: normalization, whether a code applies, the price
// after it. Their SQL twins are checked against these in tests/integration/promo.test.ts.
import { describe, expect, test } from "vitest";
import { normalizePromoCode, priceAfterPromo, promoRefusal, type PromoTerms } from "@/lib/promo/rules";

const NOW = new Date("2027-03-01T12:00:00Z");
const HOUR = 3_600_000;
const TYPE = { id: "t1", currency: "RUB" as const, isHidden: false };

function terms(overrides: Partial<PromoTerms> = {}): PromoTerms {
  return {
    id: "p1",
    ticketTypeId: null,
    discountKind: "PERCENT",
    discountValue: 20,
    currency: null,
    usageLimit: null,
    usedCount: 0,
    validFrom: null,
    validUntil: null,
    isActive: true,
    ...overrides,
  };
}

describe("normalizePromoCode", () => {
  test.each([
    [" speaker-2027 ", "SPEAKER-2027"],
    ["vip_1", "VIP_1"],
    ["abc", "ABC"],
    ["A".repeat(32), "A".repeat(32)],
  ])("%j → %s", (input, out) => expect(normalizePromoCode(input)).toBe(out));

  test.each([["ab"], ["A".repeat(33)], ["with space"], ["скидка"], ["50%"], [""], [null], [42]])("%j is no code", (input) => {
    expect(normalizePromoCode(input)).toBeNull();
  });
});

describe("priceAfterPromo", () => {
  test("no code: the list price", () => expect(priceAfterPromo(150_000, "RUB", null)).toEqual({ priceCents: 150_000, discountCents: 0 }));
  test("percent: the discount is rounded down to whole minor units", () => {
    expect(priceAfterPromo(999, "USD", { discountKind: "PERCENT", discountValue: 33, currency: null })).toEqual({ priceCents: 670, discountCents: 329 });
    expect(priceAfterPromo(1, "RUB", { discountKind: "PERCENT", discountValue: 99, currency: null })).toEqual({ priceCents: 1, discountCents: 0 });
  });
  test("100 %: free", () => expect(priceAfterPromo(150_000, "RUB", { discountKind: "PERCENT", discountValue: 100, currency: null })).toEqual({ priceCents: 0, discountCents: 150_000 }));
  test("fixed: never below zero", () => {
    expect(priceAfterPromo(150_000, "RUB", { discountKind: "FIXED", discountValue: 50_000, currency: "RUB" })).toEqual({ priceCents: 100_000, discountCents: 50_000 });
    expect(priceAfterPromo(150_000, "RUB", { discountKind: "FIXED", discountValue: 900_000, currency: "RUB" })).toEqual({ priceCents: 0, discountCents: 150_000 });
  });
  test("fixed in another currency: no discount", () => {
    expect(priceAfterPromo(150_000, "RUB", { discountKind: "FIXED", discountValue: 500, currency: "EUR" })).toEqual({ priceCents: 150_000, discountCents: 0 });
  });
  test("a free type stays free", () => expect(priceAfterPromo(0, "RUB", { discountKind: "FIXED", discountValue: 500, currency: "RUB" })).toEqual({ priceCents: 0, discountCents: 0 }));
  test("large prices do not lose precision", () => {
    expect(priceAfterPromo(1_000_000_000, "RUB", { discountKind: "PERCENT", discountValue: 37, currency: null })).toEqual({ priceCents: 630_000_000, discountCents: 370_000_000 });
  });
});

describe("promoRefusal", () => {
  test("applies", () => expect(promoRefusal(terms(), TYPE, NOW)).toBeNull());
  test("unknown", () => expect(promoRefusal(null, TYPE, NOW)).toBe("unknown"));
  test("inactive", () => expect(promoRefusal(terms({ isActive: false }), TYPE, NOW)).toBe("inactive"));
  test("window: from is inclusive, until exclusive", () => {
    expect(promoRefusal(terms({ validFrom: new Date(NOW.getTime() + 1) }), TYPE, NOW)).toBe("notYetValid");
    expect(promoRefusal(terms({ validFrom: NOW }), TYPE, NOW)).toBeNull();
    expect(promoRefusal(terms({ validUntil: NOW }), TYPE, NOW)).toBe("expired");
    expect(promoRefusal(terms({ validFrom: new Date(NOW.getTime() - HOUR), validUntil: new Date(NOW.getTime() + HOUR) }), TYPE, NOW)).toBeNull();
  });
  test("usage limit", () => {
    expect(promoRefusal(terms({ usageLimit: 10, usedCount: 9 }), TYPE, NOW)).toBeNull();
    expect(promoRefusal(terms({ usageLimit: 10, usedCount: 10 }), TYPE, NOW)).toBe("usedUp");
  });
  test("for another type", () => expect(promoRefusal(terms({ ticketTypeId: "t2" }), TYPE, NOW)).toBe("otherType"));
  test("a hidden type: only its own code unlocks it", () => {
    const hidden = { ...TYPE, isHidden: true };
    expect(promoRefusal(terms(), hidden, NOW)).toBe("otherType");
    expect(promoRefusal(terms({ ticketTypeId: "t1" }), hidden, NOW)).toBeNull();
  });
  test("fixed: the type's currency only", () => {
    expect(promoRefusal(terms({ discountKind: "FIXED", discountValue: 100, currency: "USD" }), TYPE, NOW)).toBe("otherCurrency");
    expect(promoRefusal(terms({ discountKind: "FIXED", discountValue: 100, currency: "RUB" }), TYPE, NOW)).toBeNull();
  });
});
