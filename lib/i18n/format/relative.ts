// The one relative-time and duration formatter (pure: server and client alike).
import type { Locale } from "../config";

const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** "5 minutes ago" / "5 минут назад", "now" / "сейчас" (no time zones: only the distance counts). */
export function relativeTime(date: Date, locale: Locale, now: Date = new Date()): string {
  let format = relativeFormats.get(locale);
  if (!format) relativeFormats.set(locale, (format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" })));
  let value = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(value) < 60) return format.format(0, "second"); // "now" / "сейчас"
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), "year");
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A remaining time in whole days, hours, minutes and seconds (rounded up to the second, never negative). */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number; seconds: number; totalSeconds: number } {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  return {
    days: Math.floor(totalSeconds / 86_400),
    hours: Math.floor((totalSeconds % 86_400) / 3600),
    minutes: Math.floor((totalSeconds % 3600) / 60),
    seconds: totalSeconds % 60,
    totalSeconds,
  };
}

/** Whether a countdown is long enough to be told in days and hours (see formatCountdown). */
export function isDaysLong(ms: number): boolean {
  return ms >= DAY_MS;
}

/** A remaining duration as a clock: "1:05:09" / "4:09" (never negative). Longer than a day: use days/hours texts. */
export function formatCountdown(ms: number): string {
  const { totalSeconds } = splitDuration(ms);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
