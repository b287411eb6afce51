// Which currencies each kind of account takes (docs/payments.md → "Providers and which one takes a
// payment"): YooKassa RUB, Stripe USD and EUR, Demo and Manual any. Pure module: the routing and the
// publish guard (lib/payments/guard.ts, lib/payments/accounts.ts) and the settings page read it.
import type { Currency } from "@/lib/generated/prisma/enums";
import type { ProviderId } from "./providers/types";

export const ALL_CURRENCIES = ["RUB", "USD", "EUR"] as const satisfies readonly Currency[];

export const PROVIDER_CURRENCIES: Record<ProviderId, readonly Currency[]> = {
  yookassa: ["RUB"],
  stripe: ["USD", "EUR"],
  demo: ALL_CURRENCIES,
  manual: ALL_CURRENCIES,
};

/** The real (money-moving) online providers, in the order routing tries them. */
export const REAL_PROVIDERS = ["yookassa", "stripe"] as const satisfies readonly ProviderId[];

/** What an organization with these connected accounts can take; demo counts only while demo is enabled. */
export function currenciesOf(connected: Iterable<string>, demoEnabled: boolean): Currency[] {
  const accepted = new Set<Currency>();
  for (const provider of connected) {
    if (provider === "demo" && !demoEnabled) continue;
    for (const currency of PROVIDER_CURRENCIES[provider as ProviderId] ?? []) accepted.add(currency);
  }
  return ALL_CURRENCIES.filter((c) => accepted.has(c));
}
