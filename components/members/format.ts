// Date formatting for the members and groups pages (server components format, client components show).
import type { Locale } from "@/lib/i18n/config";

export function formatDate(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale === "ru" ? "ru-RU" : "en-GB", { dateStyle: "medium" }).format(date);
}
