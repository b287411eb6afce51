// parsePeriod (lib/analytics/period.ts): the dashboards' `?from=&to=`. Bad input never throws: the default
// period (the last 30 days ending today in the zone) and a message key.
import { describe, expect, test } from "vitest";
import { MAX_PERIOD_DAYS, defaultPeriod, localDay, parsePeriod, periodDays } from "@/lib/analytics/period";

// 2026-12-06 22:30 UTC = 2026-12-07 01:30 in Moscow (UTC+3)
const now = new Date("2026-12-06T22:30:00Z");

describe("parsePeriod", () => {
  test("nothing given → the last 30 days ending today in Moscow, no error", () => {
    expect(parsePeriod({}, { now })).toEqual({ period: { from: "2026-11-08", to: "2026-12-07", timezone: "Europe/Moscow" }, error: null });
    expect(parsePeriod({ from: "", to: "  " }, { now }).error).toBeNull();
  });

  test("today is the zone's: the same instant is still 6 December in New York", () => {
    expect(parsePeriod({}, { now, timezone: "America/New_York" }).period).toEqual({ from: "2026-11-07", to: "2026-12-06", timezone: "America/New_York" });
    // an unknown zone falls back to Moscow
    expect(parsePeriod({}, { now, timezone: "Mars/Olympus" }).period.timezone).toBe("Europe/Moscow");
  });

  test("a valid period is kept (both ends included); one end alone defaults the other", () => {
    expect(parsePeriod({ from: "2026-01-01", to: "2026-01-31" }, { now })).toEqual({ period: { from: "2026-01-01", to: "2026-01-31", timezone: "Europe/Moscow" }, error: null });
    expect(parsePeriod({ from: "2026-12-01" }, { now }).period).toMatchObject({ from: "2026-12-01", to: "2026-12-07" });
    expect(parsePeriod({ to: "2026-06-30" }, { now }).period).toMatchObject({ from: "2026-06-01", to: "2026-06-30" });
    expect(parsePeriod({ from: "2026-03-05", to: "2026-03-05" }, { now }).period).toMatchObject({ from: "2026-03-05", to: "2026-03-05" });
  });

  test("bad input → the default period and the reason's message key", () => {
    const fallback = defaultPeriod({ now });
    expect(parsePeriod({ from: "2026-02-30", to: "2026-03-01" }, { now })).toEqual({ period: fallback, error: "analytics.period.invalidDate" });
    expect(parsePeriod({ from: "yesterday" }, { now })).toEqual({ period: fallback, error: "analytics.period.invalidDate" });
    expect(parsePeriod({ from: "2026-1-1" }, { now }).error).toBe("analytics.period.invalidDate");
    expect(parsePeriod({ from: "2026-03-02", to: "2026-03-01" }, { now })).toEqual({ period: fallback, error: "analytics.period.fromAfterTo" });
    expect(parsePeriod({ from: "2024-01-01", to: "2026-01-01" }, { now })).toEqual({ period: fallback, error: "analytics.period.tooLong" });
  });

  test("at most 366 days: a leap year fits, one day more does not", () => {
    expect(parsePeriod({ from: "2024-01-01", to: "2024-12-31" }, { now }).error).toBeNull();
    expect(periodDays(parsePeriod({ from: "2024-01-01", to: "2024-12-31" }, { now }).period)).toHaveLength(MAX_PERIOD_DAYS);
    expect(parsePeriod({ from: "2024-01-01", to: "2025-01-01" }, { now }).error).toBe("analytics.period.tooLong");
  });

  test("periodDays lists every day in order; localDay is the zone's calendar day", () => {
    expect(periodDays({ from: "2026-02-27", to: "2026-03-02", timezone: "Europe/Moscow" })).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(localDay(now, "Europe/Moscow")).toBe("2026-12-07");
    expect(localDay(now, "UTC")).toBe("2026-12-06");
  });
});
