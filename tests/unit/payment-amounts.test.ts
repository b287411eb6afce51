// Money in the providers' formats: YooKassa's "100.00" strings both ways (integer arithmetic, never
// floats), the currency codes, and Stripe's expires_at window.
import { describe, expect, test } from "vitest";
import { formatMajorAmount, parseMajorAmount, toCurrency } from "@/lib/payments/providers/amounts";
import { checkoutExpiry, earlierExpiries } from "@/lib/payments/providers/stripe";

describe("formatMajorAmount", () => {
  test.each([
    [1, "0.01"],
    [10, "0.10"],
    [99, "0.99"],
    [100, "1.00"],
    [10050, "100.50"],
    [150_000, "1500.00"],
    [999_999_999, "9999999.99"],
    [100_000_000_000, "1000000000.00"],
  ])("%i → %s", (minor, text) => {
    expect(formatMajorAmount(minor)).toBe(text);
  });

  test("values whose float division would round wrong come out exact", () => {
    // 0.29 * 100 = 28.999999999999996 in floating point; the other way round must not drift either.
    expect(formatMajorAmount(29)).toBe("0.29");
    expect(formatMajorAmount(1_000_000_007)).toBe("10000000.07");
    for (let minor = 1; minor <= 1000; minor++) expect(parseMajorAmount(formatMajorAmount(minor))).toBe(minor);
  });

  test.each([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])("refuses %s", (minor) => {
    expect(() => formatMajorAmount(minor)).toThrow(RangeError);
  });
});

describe("parseMajorAmount", () => {
  test.each([
    ["0.01", 1],
    ["100.00", 10000],
    ["100.5", 10050],
    ["100", 10000],
    ["9999999.99", 999_999_999],
    ["0.29", 29],
    [" 12.34 ", 1234],
  ])("%j → %i", (text, minor) => {
    expect(parseMajorAmount(text)).toBe(minor);
  });

  test.each([["100,00"], ["1.001"], ["-1.00"], ["1e3"], [".50"], ["1 000.00"], [""], ["abc"], [100], [null], [undefined]])("refuses %j", (value) => {
    expect(parseMajorAmount(value)).toBeNull();
  });
});

describe("toCurrency", () => {
  test("reads the provider's codes in either case; unknown currencies are null", () => {
    expect(toCurrency("rub")).toBe("RUB");
    expect(toCurrency("EUR")).toBe("EUR");
    expect(toCurrency("usd")).toBe("USD");
    expect(toCurrency("gbp")).toBeNull();
    expect(toCurrency(undefined)).toBeNull();
  });
});

describe("checkoutExpiry (Stripe expires_at)", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  const nowS = now.getTime() / 1000;
  const at = (ms: number) => new Date(now.getTime() + ms);
  const MIN = 60_000;
  test("a hold end inside 30 min – 24 h is kept to the second", () => {
    expect(checkoutExpiry(at(2 * 3600_000), now)).toBe(nowS + 7200);
  });
  test("a hold end too early moves later in whole 5-minute steps from the hold end", () => {
    expect(checkoutExpiry(at(5 * MIN), now)).toBe(nowS + 35 * 60);
    expect(checkoutExpiry(at(-MIN), now)).toBe(nowS + 34 * 60);
  });
  test("a hold end past 24 h moves earlier the same way", () => {
    expect(checkoutExpiry(at(72 * 3600_000), now)).toBe(nowS + 24 * 3600 - 5 * 60);
  });
  test("a fresh Pay (hold = now + 30 min) repeated a few minutes later sends the same value; the earlier values are listed for a repeat that crossed a step", () => {
    const hold = at(30 * MIN);
    const first = checkoutExpiry(hold, at(1000));
    expect(first).toBe(nowS + 35 * 60);
    expect(checkoutExpiry(hold, at(3 * MIN))).toBe(first);
    const later = checkoutExpiry(hold, at(5 * MIN));
    expect(later).toBe(nowS + 40 * 60);
    expect(earlierExpiries(hold, later)).toEqual([nowS + 35 * 60, nowS + 30 * 60]);
    expect(earlierExpiries(hold, nowS + 30 * 60)).toEqual([]);
  });
});
