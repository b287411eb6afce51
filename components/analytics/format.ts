// Pure helpers of the analytics pages (server and client alike): locale-aware numbers and percents,
// bucket labels in the right time zone, the one-sentence summaries of the charts, funnel step
// conversions and the quick periods. No texts here: callers pass the translated sentence pieces.
import type { Locale } from "@/lib/i18n/config";
import { dayKey, formatDate } from "@/lib/i18n/format/date";
import { intlFormatters } from "@/lib/i18n/format/intl";
import type { Funnel, RegistrationsPoint } from "@/lib/analytics/types";

/**
 * Series colours, each with at least 4.5:1 contrast on white (Tailwind blue-700, emerald-700, red-700,
 * violet-700, amber-700). Here, not in the chart's client module: a server page that imported a value
 * from a "use client" file would get a client reference, not the string (the bars came out black).
 */
export const SERIES_COLORS = ["#1d4ed8", "#047857", "#b91c1c", "#6d28d9", "#b45309"] as const;

const intlLocale = (locale: Locale) => (locale === "en" ? "en-US" : "ru-RU");

/** 1234 → "1 234" (ru) / "1,234" (en). */
export function formatCount(value: number, locale: Locale): string {
  return intlFormatters.getNumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(value);
}

/** 0.4567 → "45,7 %" (ru) / "45.7%" (en); null (no denominator) → "—". Whole percents drop the decimal. */
export function formatPercent(ratio: number | null, locale: Locale): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  return intlFormatters.getNumberFormat(intlLocale(locale), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

export type BucketKind = "day" | "hour" | "quarter" | "calendarDay";

/**
 * The label of a time bucket. `day` / `hour` / `quarter` are instants (ISO) shown on the event's wall
 * clock (`timeZone`); `calendarDay` is a "YYYY-MM-DD" of the organization's zone, already a local day,
 * so it is formatted as that date with no zone arithmetic (UTC in, UTC out: it can't shift a day).
 */
export function bucketLabel(start: string, kind: BucketKind, locale: Locale, timeZone: string): string {
  switch (kind) {
    case "calendarDay":
      return formatDate(new Date(`${start}T00:00:00Z`), locale, "day", { timeZone: "UTC" });
    case "day":
      return formatDate(start, locale, "day", { timeZone });
    case "hour":
      return formatDate(start, locale, "dayMonthTime", { timeZone });
    case "quarter":
      return formatDate(start, locale, "dayMonthTime", { timeZone });
  }
}

export type SeriesPeak = { total: number; peak: number; peakIndex: number };

/** Total and the first biggest bucket of a series; null when every bucket is zero (nothing to point at). */
export function seriesPeak(values: readonly number[]): SeriesPeak | null {
  let total = 0;
  let peak = 0;
  let peakIndex = -1;
  values.forEach((value, index) => {
    total += value;
    if (value > peak) {
      peak = value;
      peakIndex = index;
    }
  });
  return peakIndex < 0 ? null : { total, peak, peakIndex };
}

/** Total created registrations of a registrations series, and the bucket with the most. */
export function registrationsPeak(points: readonly RegistrationsPoint[]): SeriesPeak | null {
  return seriesPeak(points.map((p) => p.created));
}

export const FUNNEL_STEPS = ["views", "formOpens", "started", "confirmed", "checkedIn"] as const satisfies readonly (keyof Funnel)[];
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/**
 * Each step with its conversion from the step before (null for the first step and when the step
 * before is zero). Views and form opens are beacon counts (visitors who opt out are not counted), so a
 * step may exceed the one before: the conversion is shown as it is (above 100 %), never clamped, so
 * the table says exactly what was counted.
 */
export function funnelSteps(funnel: Funnel): { step: FunnelStep; count: number; conversion: number | null }[] {
  return FUNNEL_STEPS.map((step, index) => {
    const previous = index === 0 ? 0 : funnel[FUNNEL_STEPS[index - 1]];
    return { step, count: funnel[step], conversion: index === 0 || previous === 0 ? null : funnel[step] / previous };
  });
}

export const QUICK_PERIODS = [7, 30, 90] as const;

/** Adds whole days to a "YYYY-MM-DD" (calendar arithmetic, no zones). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The last `days` days ending today in `timeZone` (both ends included): the quick links of the period picker. */
export function lastDays(days: number, now: Date, timeZone: string): { from: string; to: string } {
  const to = dayKey(now, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

export const COMPARISON_SORTS = ["registrations", "confirmed", "checkedIn", "views", "conversion", "fillRate"] as const;
export type ComparisonSort = (typeof COMPARISON_SORTS)[number];

export function parseComparisonSort(value: string | null | undefined): ComparisonSort {
  return (COMPARISON_SORTS as readonly string[]).includes(value ?? "") ? (value as ComparisonSort) : "registrations";
}

/** The events comparison sorted by a column, biggest first; no value (null) last; ties by title then id (stable across reloads). */
export function sortComparison<T extends { eventId: string; title: string } & Record<ComparisonSort, number | null>>(rows: readonly T[], key: ComparisonSort): T[] {
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return y - x;
    }
    return a.title.localeCompare(b.title) || a.eventId.localeCompare(b.eventId);
  });
}

/** "7 дек. 2026 г., 07:05 GMT+3" / "7 Dec 2026, 07:05 GMT+3": when the figures were read, on the event's clock with the zone named (explicit parts: Intl refuses a zone name with dateStyle). */
export function formatGeneratedAt(at: string, locale: Locale, timeZone: string): string {
  return formatDate(at, locale, "dayMonthYearTime", { timeZone, zoneName: true });
}
