// "5 minutes ago" / "5 минут назад" without time zones (the server does not know the reader's). Pure.
import type { Locale } from "@/lib/i18n/config";

const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

export function relativeTime(date: Date, locale: Locale, now: Date = new Date()): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  let value = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(value) < 60) return format.format(0, "second"); // "now" / "сейчас"
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), "year");
}
