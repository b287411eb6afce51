// The exports' fast zoned time (lib/http/csv.ts formatZoned: an offset cached per UTC hour) gives
// exactly what Intl gives, around DST transitions, in half- and quarter-hour zones and in a zone whose
// offset had seconds; and the XLSX writer's cell rules (lib/analytics/exports/xlsx.ts).
import { describe, expect, test } from "vitest";
import { cellXml, columnName, escapeXml, sheetName } from "@/lib/analytics/exports/xlsx";
import { utcToZonedParts } from "@/lib/events/time";
import { formatZoned, neutraliseFormula } from "@/lib/http/csv";

function slow(date: Date, tz: string): string {
  const p = utcToZonedParts(date, tz);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

describe("formatZoned", () => {
  test.each([
    ["Europe/Berlin", "2026-03-29T00:00:00Z"],
    ["Europe/Berlin", "2026-10-25T00:00:00Z"],
    ["America/New_York", "2026-03-08T05:00:00Z"],
    ["America/New_York", "2026-11-01T04:00:00Z"],
    ["Australia/Lord_Howe", "2026-04-04T14:00:00Z"],
    ["Australia/Lord_Howe", "2026-10-03T15:00:00Z"],
    ["Asia/Kathmandu", "2026-06-01T00:00:00Z"],
    ["Europe/Moscow", "2014-10-25T21:00:00Z"],
    ["Africa/Monrovia", "1972-01-06T23:00:00Z"],
    ["Asia/Vladivostok", "2027-03-15T09:02:00Z"],
  ])("%s around %s: every 7 minutes 13 seconds over 6 hours equals Intl", (tz, around) => {
    const start = new Date(around).getTime() - 3 * 3_600_000;
    for (let t = start; t < start + 6 * 3_600_000; t += 433_000) {
      const date = new Date(t);
      expect(formatZoned(date, tz), `${tz} ${date.toISOString()}`).toBe(slow(date, tz));
    }
  });

  test("null is empty; a known value", () => {
    expect(formatZoned(null, "Europe/Moscow")).toBe("");
    expect(formatZoned(new Date("2027-03-15T09:02:00Z"), "Asia/Vladivostok")).toBe("2027-03-15 19:02:00");
  });
});

describe("XLSX cells", () => {
  test("never a formula: text is an inline string after the CSV's guard", () => {
    expect(neutraliseFormula("=1+1")).toBe("'=1+1");
    for (const evil of ['=HYPERLINK("http://x","y")', "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
      const xml = cellXml("B7", evil);
      expect(xml).toMatch(/^<c r="B7" t="inlineStr"><is><t xml:space="preserve">'/);
      expect(xml).not.toContain("<f>");
    }
    expect(cellXml("A1", "Иванова & <Ко>")).toBe('<c r="A1" t="inlineStr"><is><t xml:space="preserve">Иванова &amp; &lt;Ко&gt;</t></is></c>');
  });

  test("numbers, money, zoned times, empties", () => {
    expect(cellXml("A2", 3)).toBe('<c r="A2"><v>3</v></c>');
    expect(cellXml("A2", "1500.00")).toBe('<c r="A2" s="3"><v>1500</v></c>');
    expect(cellXml("A2", "-12.50")).toBe('<c r="A2" s="3"><v>-12.5</v></c>');
    // 2027-03-15 19:02:00 as Excel's serial day (days since 1899-12-30)
    expect(cellXml("A2", "2027-03-15 19:02:00")).toBe(`<c r="A2" s="2"><v>${Date.UTC(2027, 2, 15, 19, 2, 0) / 86_400_000 + 25_569}</v></c>`);
    expect(cellXml("A2", "0123")).toContain('t="inlineStr"'); // a code with a leading zero stays text
    expect(cellXml("A2", "")).toBe("");
    expect(cellXml("A2", null)).toBe("");
    expect(cellXml("A2", Number.NaN)).toBe("");
  });

  test("XML-forbidden characters are dropped; columns and sheet names", () => {
    expect(escapeXml("a\u0000b\u0007c\u001Fd\td\ne")).toBe("abcd\td\ne");
    expect(escapeXml("x\uD800y")).toBe("xy");
    expect(escapeXml("😀")).toBe("😀");
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    const taken = new Set<string>();
    expect(sheetName("Платежи: и/возвраты [2027]", 0, taken)).toBe("Платежи  и возвраты  2027");
    expect(sheetName("A".repeat(40), 1, taken)).toHaveLength(31);
  });
});
