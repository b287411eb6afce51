// The analytics pages' pure helpers: numbers and percents in the viewer's locale, bucket labels in the
// right zone, chart summaries (total + peak) and funnel step conversions.
import { describe, expect, test } from "vitest";
import { SERIES_COLORS, addDays, bucketLabel, formatCount, formatGeneratedAt, formatPercent, funnelSteps, lastDays, parseComparisonSort, registrationsPeak, seriesPeak, sortComparison } from "@/components/analytics/format";

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("numbers", () => {
  test("counts use the locale's grouping", () => {
    expect(nbsp(formatCount(12345, "ru"))).toBe("12 345");
    expect(formatCount(12345, "en")).toBe("12,345");
  });
  test("percents keep one decimal, null is a dash", () => {
    expect(formatPercent(0.5, "en")).toBe("50%");
    expect(formatPercent(0.4567, "en")).toBe("45.7%");
    expect(nbsp(formatPercent(0.4567, "ru"))).toBe("45,7 %");
    expect(formatPercent(null, "ru")).toBe("—");
    expect(formatPercent(Number.NaN, "en")).toBe("—");
  });
});

describe("bucket labels", () => {
  test("a day bucket (local midnight as an instant) is that day in the event's zone, not in UTC", () => {
    // 12 March 2027 00:00 in Moscow = 11 March 21:00 UTC.
    expect(bucketLabel("2027-03-11T21:00:00.000Z", "day", "en", "Europe/Moscow")).toBe("12 Mar 2027");
    expect(bucketLabel("2027-03-11T21:00:00.000Z", "day", "ru", "Europe/Moscow")).toContain("12 мар");
  });
  test("an hour bucket shows the event's wall clock", () => {
    expect(bucketLabel("2027-03-12T09:00:00.000Z", "hour", "en", "Europe/Moscow")).toBe("12 Mar, 12:00");
  });
  test("a calendar day never shifts, whatever the runtime's zone", () => {
    expect(bucketLabel("2027-03-01", "calendarDay", "en", "America/Los_Angeles")).toBe("1 Mar 2027");
  });
});

describe("summaries", () => {
  test("total and the first biggest bucket", () => {
    expect(seriesPeak([1, 5, 2, 5])).toEqual({ total: 13, peak: 5, peakIndex: 1 });
  });
  test("all zeros or nothing → null (the page says there is nothing)", () => {
    expect(seriesPeak([])).toBeNull();
    expect(seriesPeak([0, 0])).toBeNull();
  });
  test("registrations: created per bucket", () => {
    const point = (created: number) => ({ start: "2027-03-01T00:00:00.000Z", created, confirmed: 0, cancelled: 0 });
    expect(registrationsPeak([point(3), point(58), point(1)])).toEqual({ total: 62, peak: 58, peakIndex: 1 });
  });
});

describe("funnel", () => {
  test("each step converts from the one before; the first and steps after a zero have none", () => {
    const steps = funnelSteps({ views: 200, formOpens: 50, started: 0, confirmed: 0, checkedIn: 0 });
    expect(steps.map((s) => [s.step, s.count, s.conversion])).toEqual([
      ["views", 200, null],
      ["formOpens", 50, 0.25],
      ["started", 0, 0],
      ["confirmed", 0, null],
      ["checkedIn", 0, null],
    ]);
  });
  test("a step above the one before (opted-out visitors) is shown as counted, not clamped", () => {
    expect(funnelSteps({ views: 2, formOpens: 2, started: 4, confirmed: 3, checkedIn: 1 })[2].conversion).toBe(2);
  });
});

describe("periods", () => {
  test("calendar arithmetic across months and leap days", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
  });
  test("the last 7 days end today in the organization's zone", () => {
    // 23:30 UTC on 1 March is already 2 March in Moscow.
    expect(lastDays(7, new Date("2027-03-01T23:30:00Z"), "Europe/Moscow")).toEqual({ from: "2027-02-24", to: "2027-03-02" });
  });
});

describe("events comparison", () => {
  const row = (eventId: string, title: string, registrations: number, conversion: number | null) => ({
    eventId,
    title,
    registrations,
    confirmed: 0,
    checkedIn: 0,
    views: 0,
    conversion,
    fillRate: null,
  });
  test("an unknown sort falls back to registrations", () => {
    expect(parseComparisonSort("drop table")).toBe("registrations");
    expect(parseComparisonSort(null)).toBe("registrations");
    expect(parseComparisonSort("fillRate")).toBe("fillRate");
  });
  test("biggest first, no value last, ties by title", () => {
    const rows = [row("1", "B", 5, null), row("2", "A", 5, 0.1), row("3", "C", 9, 0.5)];
    expect(sortComparison(rows, "registrations").map((r) => r.eventId)).toEqual(["3", "2", "1"]);
    expect(sortComparison(rows, "conversion").map((r) => r.eventId)).toEqual(["3", "2", "1"]);
    expect(rows.map((r) => r.eventId)).toEqual(["1", "2", "3"]); // the input is not reordered
  });
});

describe("when the figures were read", () => {
  test("on the event's clock, with the zone named, in both languages", () => {
    expect(formatGeneratedAt("2026-12-07T04:05:00.000Z", "en", "Europe/Moscow")).toBe("7 Dec 2026, 07:05 GMT+3");
    expect(nbsp(formatGeneratedAt("2026-12-07T04:05:00.000Z", "ru", "Europe/Moscow"))).toContain("07:05 GMT+3");
  });
});

describe("series colours", () => {
  // WCAG relative luminance and contrast ratio against the white card.
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  test("every colour has at least 4.5:1 contrast on white, and they differ", () => {
    for (const color of SERIES_COLORS) expect((1.05 / (luminance(color) + 0.05)), color).toBeGreaterThanOrEqual(4.5);
    expect(new Set(SERIES_COLORS).size).toBe(SERIES_COLORS.length);
  });
});
