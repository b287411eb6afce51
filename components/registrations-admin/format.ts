// Formatting for the organizer's registrations view (server and client components alike; pure).
import type { Locale } from "@/lib/i18n/config";

const intlLocale = (locale: Locale) => (locale === "en" ? "en-GB" : "ru-RU");

/** "1 500 ₽" / "€12.50": minor units in the page's language. */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  const fractionDigits = cents % 100 === 0 ? 0 : 2;
  return new Intl.NumberFormat(intlLocale(locale), {
    style: "currency",
    currency,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(cents / 100);
}

/** "15 мар. 2027 г., 19:00" in the event's time zone. */
export function formatWhen(date: Date | string, timeZone: string, locale: Locale): string {
  const d = typeof date === "string" ? new Date(date) : date;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(d);
}
