// The period of the organization dashboard and the platform view (docs/analytics.md): whole days
// [from, to] in a time zone, from the page's `?from=YYYY-MM-DD&to=YYYY-MM-DD`. Pure (no database), so
// a page, a route and a test parse the same way. Bad input never throws: the default period is used and
// `error` carries a message key the page shows next to the picker.
import { isValidTimeZone } from "@/lib/events/time";
import type { Period } from "./types";
import { dayKey } from "@/lib/i18n/format";

export const DEFAULT_PERIOD_TIMEZONE = "Europe/Moscow";
/** The default: the last 30 days ending today (both included). */
export const DEFAULT_PERIOD_DAYS = 30;
/** The longest period a dashboard reads (a year, leap day included). */
export const MAX_PERIOD_DAYS = 366;

/** Message keys of the analytics namespace (lib/i18n/messages/areas/analytics.ts). */
export type PeriodError = "analytics.period.invalidDate" | "analytics.period.fromAfterTo" | "analytics.period.tooLong";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** YYYY-MM-DD → days since 1970-01-01, or null when it is not a real calendar date. */
export function dayNumber(value: string): number | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2100) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** Days since 1970-01-01 → YYYY-MM-DD. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(instant: Date, timeZone: string): string {
  return dayKey(instant, timeZone);
}

/** Every day of the period, in order. */
export function periodDays(period: Period): string[] {
  const from = dayNumber(period.from);
  const to = dayNumber(period.to);
  if (from === null || to === null) return [];
  const days: string[] = [];
  for (let d = from; d <= to; d++) days.push(dayString(d));
  return days;
}

/** The default period: the last 30 days ending today in the time zone. */
export function defaultPeriod(options: { now?: Date; timezone?: string } = {}): Period {
  const timezone = options.timezone && isValidTimeZone(options.timezone) ? options.timezone : DEFAULT_PERIOD_TIMEZONE;
  const today = dayNumber(localDay(options.now ?? new Date(), timezone))!;
  return { from: dayString(today - (DEFAULT_PERIOD_DAYS - 1)), to: dayString(today), timezone };
}

/**
 * Parses `?from=&to=`. Both empty → the default without error. One given → the other defaults (`from`
 * alone: up to today, or that day itself when it is in the future; `to` alone: the 30 days ending then).
 * Invalid (not a real YYYY-MM-DD date, from after to, more than 366 days) → the default period and the
 * reason's message key (the page shows it next to the picker).
 */
export function parsePeriod(
  input: { from?: string | null; to?: string | null },
  options: { now?: Date; timezone?: string } = {},
): { period: Period; error: PeriodError | null } {
  const fallback = defaultPeriod(options);
  const fromText = (input.from ?? "").trim();
  const toText = (input.to ?? "").trim();
  if (!fromText && !toText) return { period: fallback, error: null };
  const today = dayNumber(fallback.to)!;
  const from = fromText ? dayNumber(fromText) : null;
  const to = toText ? dayNumber(toText) : null;
  if ((fromText && from === null) || (toText && to === null)) return { period: fallback, error: "analytics.period.invalidDate" };
  const end = to ?? Math.max(today, from!);
  const start = from ?? end - (DEFAULT_PERIOD_DAYS - 1);
  if (start > end) return { period: fallback, error: "analytics.period.fromAfterTo" };
  if (end - start + 1 > MAX_PERIOD_DAYS) return { period: fallback, error: "analytics.period.tooLong" };
  return { period: { from: dayString(start), to: dayString(end), timezone: fallback.timezone }, error: null };
}
