// Date formatting for the members and groups pages (server components format, client components show).
import type { Locale } from "@/lib/i18n/config";
import { formatDate as formatWithStyle } from "@/lib/i18n/format/date";

export function formatDate(locale: Locale, date: Date): string {
  return formatWithStyle(date, locale, "day");
}
