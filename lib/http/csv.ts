// CSV for the organizer's exports (registrations, payments): UTF-8 with a BOM (Excel), `,` separators,
// CRLF line ends, RFC 4180 quoting and the formula-injection guard — one place for every export.
// Pure module.
import { utcToZonedParts } from "@/lib/events/time";

/** The CSV's field separator (see docs/registrations.md: Excel and Google Sheets open UTF-8 + BOM with commas). */
export const CSV_DELIMITER = ",";
export const CSV_BOM = "\uFEFF";

/**
 * The formula-injection guard: a text starting with = + - @ tab or CR gets a ' prefix, so a spreadsheet
 * shows it as text instead of evaluating it. One rule for the CSVs and the XLSX export (lib/analytics/exports).
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV cell: formula-injection guard (neutraliseFormula), then RFC 4180 quoting. */
export function csvCell(value: string | number | null | undefined): string {
  const text = neutraliseFormula(value === null || value === undefined ? "" : String(value));
  return /[",\r\n;]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(CSV_DELIMITER)}\r\n`;
}

/**
 * The zone's UTC offset (ms) for every instant of one UTC hour, or null when it changes inside that hour
 * (a DST transition): the offset at the hour's first and last millisecond, when equal, holds for the
 * whole hour (zones change their offset at most once an hour). Cached per zone: an export formats
 * hundreds of thousands of times, and Intl's formatToParts costs tens of microseconds each.
 */
const HOUR_MS = 3_600_000;
const hourOffsets = new Map<string, Map<number, number | null>>();

function zoneOffsetOfHour(hour: number, timeZone: string): number | null {
  let zone = hourOffsets.get(timeZone);
  if (!zone) hourOffsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(hour);
  if (offset === undefined) {
    // exact to the second (offsetMinutes is rounded: Liberia kept −0:44:30 until 1972)
    const at = (epochMs: number) => {
      const p = utcToZonedParts(epochMs, timeZone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond) - epochMs;
    };
    const first = at(hour * HOUR_MS);
    offset = first === at(hour * HOUR_MS + HOUR_MS - 1) ? first : null;
    if (zone.size >= 100_000) zone.clear(); // bounded: ~11 years of distinct hours per zone
    zone.set(hour, offset);
  }
  return offset;
}

/** "2027-03-15 19:00:05" in the given time zone (Excel reads it as a date-time). */
export function formatZoned(date: Date | null, timeZone: string): string {
  if (!date) return "";
  const two = (n: number) => String(n).padStart(2, "0");
  const epochMs = date.getTime();
  const offset = Number.isFinite(epochMs) ? zoneOffsetOfHour(Math.floor(epochMs / HOUR_MS), timeZone) : null;
  if (offset !== null && epochMs >= 0) {
    // the wall clock is the UTC clock of the instant moved by the zone's offset
    const d = new Date(epochMs + offset);
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  }
  const p = utcToZonedParts(date, timeZone);
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
