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

/** "2027-03-15 19:00:05" in the given time zone (Excel reads it as a date-time). */
export function formatZoned(date: Date | null, timeZone: string): string {
  if (!date) return "";
  const p = utcToZonedParts(date, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
