// Dates of the organizer's event pages: always in the event's own time zone, with the zone named.
// Pure (server and client components alike); the formats themselves live in lib/i18n/format.
import type { Locale } from "@/lib/i18n/config";
import { dayKey, formatDate, formatMoney } from "@/lib/i18n/format";

/** "15 мар. 2027 г., 19:00" in `timeZone`. */
export function formatEventDateTime(locale: Locale, date: Date | string, timeZone: string): string {
  return formatDate(date, locale, "medium", { timeZone });
}

/** Start (and end) in the event's zone: "15 мар. 2027 г., 19:00 – 22:00 (Europe/Moscow)". */
export function formatEventRange(locale: Locale, startsAt: Date | string, endsAt: Date | string | null, timeZone: string): string {
  const start = formatEventDateTime(locale, startsAt, timeZone);
  if (!endsAt) return `${start} (${timeZone})`;
  const end = dayKey(startsAt, timeZone) === dayKey(endsAt, timeZone) ? formatDate(endsAt, locale, "time", { timeZone }) : formatEventDateTime(locale, endsAt, timeZone);
  return `${start} – ${end} (${timeZone})`;
}

/** A money amount from minor units: 150050 RUB → "1 500,50 ₽". */
export function formatPrice(locale: Locale, cents: number, currency: string): string {
  return formatMoney(cents, currency, locale);
}

/** An audit timestamp in the viewer's locale (UTC shown as the browser-independent server zone of the event). */
export function formatActivityTime(locale: Locale, date: Date | string, timeZone: string): string {
  return formatDate(date, locale, "mediumSeconds", { timeZone });
}
