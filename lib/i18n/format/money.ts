// The one money formatter (pure: server and client alike).
import type { Locale } from "../config";
import { intlFormatters } from "./intl";

/**
 * An amount in minor units in the reader's language: 150000 RUB → "1 500 ₽" (ru) / "RUB 1,500" (en),
 * 1250 EUR → "12,50 €" / "€12.50". Whole amounts drop the decimals.
 */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  const fractionDigits = cents % 100 === 0 ? 0 : 2;
  return intlFormatters
    .getNumberFormat(locale === "en" ? "en-US" : "ru-RU", {
      style: "currency",
      currency,
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    })
    .format(cents / 100);
}
