import { describe, expect, test } from "vitest";
import { CronParseError, cronMatches, latestCronTick, nextCronTick, parseCron } from "@/lib/jobs/cron";

const at = (iso: string) => new Date(iso);

describe("parseCron", () => {
  test("wildcards, lists, ranges and steps", () => {
    const s = parseCron("*/15 9-17 1,15 * MON-FRI");
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...s.daysOfMonth]).toEqual([1, 15]);
    expect(s.months.size).toBe(12);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(s.timeZone).toBe("UTC");
  });

  test("names, 7 = Sunday, a/n and range/step", () => {
    expect([...parseCron("0 0 * JAN,jul 7").months]).toEqual([1, 7]);
    expect([...parseCron("0 0 * * 7").daysOfWeek]).toEqual([0]);
    expect([...parseCron("5/20 * * * *").minutes]).toEqual([5, 25, 45]);
    expect([...parseCron("0 1-10/3 * * *").hours]).toEqual([1, 4, 7, 10]);
  });

  test("macros and a time zone prefix", () => {
    expect([...parseCron("@hourly").minutes]).toEqual([0]);
    expect(parseCron("@daily").hours.has(0)).toBe(true);
    const s = parseCron("TZ=Europe/Moscow 0 9 * * *");
    expect(s.timeZone).toBe("Europe/Moscow");
  });

  test.each([
    ["* * * *", /expected 5 fields/],
    ["60 * * * *", /out of range/],
    ["* 24 * * *", /out of range/],
    ["*/0 * * * *", /bad step/],
    ["5-1 * * * *", /backwards/],
    ["a * * * *", /not a valid minute/],
    ["1,,2 * * * *", /empty list item/],
    ["@every5m", /unknown macro/],
    ["TZ=Mars/Olympus 0 * * * *", /unknown time zone/],
  ])("refuses %s", (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronParseError);
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe("nextCronTick", () => {
  test("every minute: the next whole minute, strictly after", () => {
    expect(nextCronTick("* * * * *", at("2027-03-15T10:00:00.000Z")).toISOString()).toBe("2027-03-15T10:01:00.000Z");
    expect(nextCronTick("* * * * *", at("2027-03-15T10:00:59.999Z")).toISOString()).toBe("2027-03-15T10:01:00.000Z");
  });

  test("hourly and daily roll over hours, days, months and years", () => {
    expect(nextCronTick("0 * * * *", at("2027-03-15T10:00:00Z")).toISOString()).toBe("2027-03-15T11:00:00.000Z");
    expect(nextCronTick("30 3 * * *", at("2027-12-31T04:00:00Z")).toISOString()).toBe("2028-01-01T03:30:00.000Z");
    expect(nextCronTick("0 0 1 * *", at("2027-01-31T12:00:00Z")).toISOString()).toBe("2027-02-01T00:00:00.000Z");
  });

  test("leap day", () => {
    expect(nextCronTick("0 0 29 2 *", at("2027-03-01T00:00:00Z")).toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  test("day of month OR day of week when both are restricted (classic cron)", () => {
    // 2027-03-15 is a Monday; next "the 20th or a Friday" is Friday the 19th.
    expect(nextCronTick("0 12 20 * FRI", at("2027-03-15T00:00:00Z")).toISOString()).toBe("2027-03-19T12:00:00.000Z");
    // Only weekdays restricted.
    expect(nextCronTick("0 12 * * SUN", at("2027-03-15T00:00:00Z")).toISOString()).toBe("2027-03-21T12:00:00.000Z");
  });

  test("time zones, including a DST change", () => {
    // 09:00 in Moscow (UTC+3, no DST) is 06:00 UTC.
    expect(nextCronTick("TZ=Europe/Moscow 0 9 * * *", at("2027-03-15T07:00:00Z")).toISOString()).toBe("2027-03-16T06:00:00.000Z");
    // Berlin switches to summer time on 2027-03-28: 09:00 is 08:00 UTC before and 07:00 UTC after.
    expect(nextCronTick("TZ=Europe/Berlin 0 9 * * *", at("2027-03-27T09:00:00Z")).toISOString()).toBe("2027-03-28T07:00:00.000Z");
    expect(nextCronTick("TZ=Europe/Berlin 0 9 * * *", at("2027-03-26T09:00:00Z")).toISOString()).toBe("2027-03-27T08:00:00.000Z");
  });

  test("an impossible date never fires", () => {
    expect(() => nextCronTick("0 0 31 2 *", at("2027-01-01T00:00:00Z"))).toThrow(/never fires/);
  });
});

describe("cronMatches / latestCronTick", () => {
  test("matches the minute of a tick", () => {
    expect(cronMatches("*/5 * * * *", at("2027-03-15T10:05:42Z"))).toBe(true);
    expect(cronMatches("*/5 * * * *", at("2027-03-15T10:06:00Z"))).toBe(false);
  });

  test("latest tick at or before now within the window", () => {
    const now = at("2027-03-15T10:07:30Z");
    expect(latestCronTick("*/5 * * * *", now, at("2027-03-15T10:00:00Z"))?.toISOString()).toBe("2027-03-15T10:05:00.000Z");
    expect(latestCronTick("0 * * * *", now, at("2027-03-15T10:00:00Z"))?.toISOString()).toBe("2027-03-15T10:00:00.000Z");
    expect(latestCronTick("0 * * * *", now, at("2027-03-15T10:00:00.001Z"))).toBeNull();
    expect(latestCronTick("* * * * *", at("2027-03-15T10:07:00Z"), at("2027-03-15T10:07:00Z"))?.toISOString()).toBe("2027-03-15T10:07:00.000Z");
  });
});
