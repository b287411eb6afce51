// Formatting for the public pages (pure: server and client components share it).
import type { Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/i18n/format/money";
import type { Translator } from "@/lib/i18n/translate";

export { formatMoney };

/** "Free", "from 500 ₽", "Free or up to 1 000 ₽"; null when the event has no ticket types. */
export function priceLabel(price: { min: number; max: number; currency: string } | null, locale: Locale, t: Translator): string | null {
  if (!price) return null;
  if (price.max === 0) return t("public.catalogue.free");
  if (price.min === 0) return t("public.catalogue.freeOrPaid", { price: formatMoney(price.max, price.currency, locale) });
  return t("public.catalogue.priceFrom", { price: formatMoney(price.min, price.currency, locale) });
}

/** Map links for an address. */
export function mapLinks(address: string): { yandex: string; osm: string } {
  const q = encodeURIComponent(address);
  return { yandex: `https://yandex.ru/maps/?text=${q}`, osm: `https://www.openstreetmap.org/search?query=${q}` };
}

/** The app's absolute base URL without a trailing slash. */
export function absoluteBase(appUrl: string): string {
  return appUrl.replace(/\/+$/, "");
}

/** The public page of an event as a person sees it (proxy.ts adds the locale). */
export const eventPath = (organizationSlug: string, eventSlug: string) => `/e/${organizationSlug}/${eventSlug}`;
