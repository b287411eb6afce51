// Money in the providers' own formats, converted with integer arithmetic only (never floats):
// YooKassa wants a major-unit string with two decimals ("100.00"); Stripe integer minor units with a
// lower-case currency code. RUB, USD and EUR all have two minor digits (ISO 4217).
import type { Currency } from "@/lib/generated/prisma/enums";

const CURRENCIES: readonly Currency[] = ["RUB", "USD", "EUR"];

/** 10050 → "100.50"; 1 → "0.01". Throws on anything that is not a positive safe integer. */
export function formatMajorAmount(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor <= 0) throw new RangeError(`amount must be a positive whole number of minor units, got ${minor}`);
  const whole = Math.floor(minor / 100);
  const fraction = minor % 100;
  return `${whole}.${String(fraction).padStart(2, "0")}`;
}

/**
 * "100.50" → 10050; "100" and "100.5" are read too (a provider answer is read leniently), but never a
 * comma, a sign, an exponent or more than two decimals. Null when the text is not an amount.
 */
export function parseMajorAmount(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) return null;
  const minor = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** "rub" / "RUB" → "RUB"; null for a currency AqStream does not take. */
export function toCurrency(value: unknown): Currency | null {
  if (typeof value !== "string") return null;
  const upper = value.toUpperCase();
  return (CURRENCIES as readonly string[]).includes(upper) ? (upper as Currency) : null;
}
