// Query parameters of the public catalogue (/events): parsed leniently (a bad value is ignored, never
// an error page) into a normalized filter, and serialized back for links (pagination, chips).
// Pure module: the page, the queries and the unit tests share it.
import { utcToZonedParts, zonedTimeToUtc } from "@/lib/events/time";

export const CATALOGUE_PAGE_SIZE = 12;
export const CATALOGUE_QUERY_MAX = 100;
/** Date filters ("today", "this week", …) are days of this zone: the platform's home zone. */
export const CATALOGUE_TIME_ZONE = "Europe/Moscow";

export const CATALOGUE_FORMATS = ["online", "offline"] as const;
export const CATALOGUE_PERIODS = ["today", "week", "month"] as const;
export type CatalogueFormat = (typeof CATALOGUE_FORMATS)[number];
export type CataloguePeriod = (typeof CATALOGUE_PERIODS)[number];

export type CatalogueParams = {
  q: string;
  format: CatalogueFormat | null;
  period: CataloguePeriod | null;
  /** YYYY-MM-DD, inclusive (days in CATALOGUE_TIME_ZONE). Only when `period` is null. */
  from: string | null;
  to: string | null;
  page: number;
};

export const EMPTY_CATALOGUE_PARAMS: CatalogueParams = { q: "", format: null, period: null, from: null, to: null, page: 1 };

type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

function first(raw: RawParams, key: string): string | undefined {
  const value = raw instanceof URLSearchParams ? (raw.get(key) ?? undefined) : raw[key];
  return Array.isArray(value) ? value[0] : value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date "YYYY-MM-DD" (2027-02-30 is not), else null. */
export function parseDay(value: string | undefined): string | null {
  const m = value ? DATE.exec(value.trim()) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 2000 || y > 2100) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function parseCatalogueParams(raw: RawParams): CatalogueParams {
  const q = (first(raw, "q") ?? "").replace(/\s+/g, " ").trim().slice(0, CATALOGUE_QUERY_MAX);
  const formatRaw = first(raw, "format");
  const format = (CATALOGUE_FORMATS as readonly string[]).includes(formatRaw ?? "") ? (formatRaw as CatalogueFormat) : null;
  const periodRaw = first(raw, "when");
  const period = (CATALOGUE_PERIODS as readonly string[]).includes(periodRaw ?? "") ? (periodRaw as CataloguePeriod) : null;
  let from = period ? null : parseDay(first(raw, "from"));
  let to = period ? null : parseDay(first(raw, "to"));
  if (from && to && from > to) [from, to] = [to, from];
  const pageNumber = Number(first(raw, "page"));
  const page = Number.isInteger(pageNumber) && pageNumber >= 1 && pageNumber <= 10_000 ? pageNumber : 1;
  return { q, format, period, from, to, page };
}

/** The query string of the params (defaults left out), "" for the unfiltered first page. */
export function catalogueSearch(params: CatalogueParams, overrides: Partial<CatalogueParams> = {}): string {
  const p = { ...params, ...overrides };
  const search = new URLSearchParams();
  if (p.q) search.set("q", p.q);
  if (p.format) search.set("format", p.format);
  if (p.period) search.set("when", p.period);
  if (!p.period && p.from) search.set("from", p.from);
  if (!p.period && p.to) search.set("to", p.to);
  if (p.page > 1) search.set("page", String(p.page));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * The catalogue URL of the params: the unfiltered pages are static paths (/events, /events/2 …),
 * a search or filter is a query string on /events (rendered per request).
 */
export function catalogueHref(params: CatalogueParams, overrides: Partial<CatalogueParams> = {}): string {
  const p = { ...params, ...overrides };
  if (!isFiltered(p)) return p.page > 1 ? `/events/${p.page}` : "/events";
  return `/events${catalogueSearch(p)}`;
}

export function isFiltered(params: CatalogueParams): boolean {
  return Boolean(params.q || params.format || params.period || params.from || params.to);
}

function dayString(parts: { year: number; month: number; day: number }): string {
  return `${String(parts.year).padStart(4, "0")}-${String(parts.month).padStart(2, "0")}-${String(parts.day).padStart(2, "0")}`;
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return dayString({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}

/**
 * The time window of the date filter as UTC instants [start, end) — null bounds are open. "week" is
 * today through Sunday, "month" today through the last day of the month (days of CATALOGUE_TIME_ZONE).
 */
export function catalogueWindow(params: Pick<CatalogueParams, "period" | "from" | "to">, now: Date, timeZone = CATALOGUE_TIME_ZONE): { start: Date | null; end: Date | null } {
  const startOf = (day: string) => zonedTimeToUtc(`${day}T00:00`, timeZone);
  if (params.period) {
    const p = utcToZonedParts(now, timeZone);
    const today = dayString(p);
    let last = today;
    if (params.period === "week") {
      const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay(); // 0 = Sunday
      last = addDays(today, weekday === 0 ? 0 : 7 - weekday);
    } else if (params.period === "month") {
      const lastDay = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
      last = dayString({ year: p.year, month: p.month, day: lastDay });
    }
    return { start: startOf(today), end: startOf(addDays(last, 1)) };
  }
  return { start: params.from ? startOf(params.from) : null, end: params.to ? startOf(addDays(params.to, 1)) : null };
}
