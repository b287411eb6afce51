// Formatting for the participant's pages (server and client components alike; pure). The formats
// themselves live in lib/i18n/format.
import type { Locale } from "@/lib/i18n/config";
import { formatDate } from "@/lib/i18n/format/date";

export { formatMoney as formatPrice } from "@/lib/i18n/format/money";
export { formatCountdown } from "@/lib/i18n/format/relative";

/** "пт, 15 марта 2027 г., 19:00" in the event's time zone (with the zone's name when it is not Moscow). */
export function formatDateTime(date: Date | string, timeZone: string, locale: Locale): string {
  return formatDate(date, locale, "ticket", { timeZone, zoneName: timeZone !== "Europe/Moscow" });
}

/** "15 мар., 19:00" (short, for lists). */
export function formatShortDateTime(date: Date | string, timeZone: string, locale: Locale): string {
  return formatDate(date, locale, "dayMonthTime", { timeZone });
}
