// Formatting for the participant's pages (server and client components alike; pure).
import type { Locale } from "@/lib/i18n/config";

const intlLocale = (locale: Locale) => (locale === "en" ? "en-GB" : "ru-RU");

export { formatMoney as formatPrice } from "@/lib/i18n/format";

/** "пт, 15 марта 2027 г., 19:00" in the event's time zone (with the zone's name when it is not Moscow). */
export function formatDateTime(date: Date | string, timeZone: string, locale: Locale): string {
  const d = typeof date === "string" ? new Date(date) : date;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    weekday: "short",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: timeZone === "Europe/Moscow" ? undefined : "short",
  }).format(d);
}

/** "15 мар., 19:00" (short, for lists). */
export function formatShortDateTime(date: Date | string, timeZone: string, locale: Locale): string {
  const d = typeof date === "string" ? new Date(date) : date;
  return new Intl.DateTimeFormat(intlLocale(locale), { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone }).format(d);
}

/** A remaining duration as "1:05:09" / "4:09" (never negative). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
