// Formatting for the organizer's registrations view (server and client components alike; pure).
import type { Locale } from "@/lib/i18n/config";

const intlLocale = (locale: Locale) => (locale === "en" ? "en-GB" : "ru-RU");

export { formatMoney } from "@/lib/i18n/format";

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
