// Formatting for the organizer's registrations view (server and client components alike; pure). The
// formats themselves live in lib/i18n/format.
import type { Locale } from "@/lib/i18n/config";
import { formatDate } from "@/lib/i18n/format/date";

export { formatMoney } from "@/lib/i18n/format/money";

/** "15 мар. 2027 г., 19:00" in the event's time zone. */
export function formatWhen(date: Date | string, timeZone: string, locale: Locale): string {
  return formatDate(date, locale, "dayMonthYearTime", { timeZone });
}
