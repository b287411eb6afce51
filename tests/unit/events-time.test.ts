// Event times: local date-times in an IANA zone ↔ UTC, across DST changes (gaps and overlaps), zones
// with half-hour and 45-minute offsets, the southern hemisphere, historical offsets, and exact round
// trips.
import { describe, expect, test } from "vitest";
import {
  canonicalTimeZone,
  isLocalDateTime,
  isValidTimeZone,
  localTimeExists,
  parseLocalDateTime,
  resolveLocalTime,
  supportedTimeZones,
  toLocalDateTimeString,
  utcToZonedParts,
  zonedTimeToUtc,
} from "@/lib/events/time";

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("zonedTimeToUtc", () => {
  test.each([
    ["2027-03-15T19:00", "Europe/Moscow", "2027-03-15T16:00:00.000Z"],
    ["2027-07-15T19:00", "Europe/Moscow", "2027-07-15T16:00:00.000Z"], // no DST in Moscow since 2014
    ["2027-01-15T09:30", "America/New_York", "2027-01-15T14:30:00.000Z"], // EST −5
    ["2027-07-15T09:30", "America/New_York", "2027-07-15T13:30:00.000Z"], // EDT −4
    ["2027-07-15T09:30", "Asia/Kolkata", "2027-07-15T04:00:00.000Z"], // +5:30
    ["2027-07-15T09:30", "Asia/Kathmandu", "2027-07-15T03:45:00.000Z"], // +5:45
    ["2027-01-15T12:00", "Australia/Sydney", "2027-01-15T01:00:00.000Z"], // AEDT +11 (southern summer)
    ["2027-07-15T12:00", "Australia/Sydney", "2027-07-15T02:00:00.000Z"], // AEST +10
    ["2027-12-31T23:59", "Pacific/Kiritimati", "2027-12-31T09:59:00.000Z"], // +14
    ["2027-06-01T00:00", "UTC", "2027-06-01T00:00:00.000Z"],
    ["2027-06-01 08:00", "Asia/Vladivostok", "2027-05-31T22:00:00.000Z"], // space separator, previous UTC day
    ["2027-06-01T08:00:30.250", "Europe/Moscow", "2027-06-01T05:00:30.250Z"],
  ])("%s in %s → %s", (local, zone, expected) => {
    expect(iso(zonedTimeToUtc(local, zone))).toBe(expected);
  });

  test("the year 2028 leap day exists; 2027-02-29 does not parse", () => {
    expect(iso(zonedTimeToUtc("2028-02-29T10:00", "Europe/Moscow"))).toBe("2028-02-29T07:00:00.000Z");
    expect(parseLocalDateTime("2027-02-29T10:00")).toBeNull();
    expect(() => zonedTimeToUtc("2027-02-29T10:00", "Europe/Moscow")).toThrow(RangeError);
  });

  test("malformed strings and unknown zones throw RangeError", () => {
    for (const bad of ["2027-13-01T10:00", "2027-01-01T24:00", "2027-01-01", "10:00", "2027-01-01T10:60", "tomorrow", ""]) {
      expect(isLocalDateTime(bad), bad).toBe(false);
      expect(() => zonedTimeToUtc(bad, "Europe/Moscow"), bad).toThrow(RangeError);
    }
    expect(() => zonedTimeToUtc("2027-01-01T10:00", "Mars/Olympus")).toThrow(RangeError);
  });
});

describe("DST: spring forward (a gap) and fall back (an overlap)", () => {
  // Berlin 2027-03-28: 02:00 CET → 03:00 CEST; 2027-10-31: 03:00 CEST → 02:00 CET.
  test("a time inside the gap does not exist; the default moves it forward by the gap, like Temporal", () => {
    expect(localTimeExists("2027-03-28T02:30", "Europe/Berlin")).toBe(false);
    expect(resolveLocalTime("2027-03-28T02:30", "Europe/Berlin")).toEqual({ instants: [], gapMs: 3_600_000 });
    expect(iso(zonedTimeToUtc("2027-03-28T02:30", "Europe/Berlin"))).toBe("2027-03-28T01:30:00.000Z"); // = 03:30 CEST
    expect(iso(zonedTimeToUtc("2027-03-28T02:30", "Europe/Berlin", { disambiguation: "later" }))).toBe("2027-03-28T01:30:00.000Z");
    expect(iso(zonedTimeToUtc("2027-03-28T02:30", "Europe/Berlin", { disambiguation: "earlier" }))).toBe("2027-03-28T00:30:00.000Z"); // = 01:30 CET
    expect(zonedTimeToUtc("2027-03-28T02:30", "Europe/Berlin", { disambiguation: "reject" })).toBeNull();
  });

  test("the edges of the gap", () => {
    expect(iso(zonedTimeToUtc("2027-03-28T01:59", "Europe/Berlin"))).toBe("2027-03-28T00:59:00.000Z");
    expect(localTimeExists("2027-03-28T02:00", "Europe/Berlin")).toBe(false);
    expect(iso(zonedTimeToUtc("2027-03-28T03:00", "Europe/Berlin"))).toBe("2027-03-28T01:00:00.000Z");
  });

  test("a repeated time has two instants; the default is the first, 'later' the second", () => {
    const { instants } = resolveLocalTime("2027-10-31T02:30", "Europe/Berlin");
    expect(instants.map(iso)).toEqual(["2027-10-31T00:30:00.000Z", "2027-10-31T01:30:00.000Z"]);
    expect(iso(zonedTimeToUtc("2027-10-31T02:30", "Europe/Berlin"))).toBe("2027-10-31T00:30:00.000Z");
    expect(iso(zonedTimeToUtc("2027-10-31T02:30", "Europe/Berlin", { disambiguation: "earlier" }))).toBe("2027-10-31T00:30:00.000Z");
    expect(iso(zonedTimeToUtc("2027-10-31T02:30", "Europe/Berlin", { disambiguation: "later" }))).toBe("2027-10-31T01:30:00.000Z");
  });

  test("New York: the gap at 02:00 in March and the repeated 01:00 hour in November", () => {
    expect(localTimeExists("2027-03-14T02:15", "America/New_York")).toBe(false);
    expect(iso(zonedTimeToUtc("2027-03-14T02:15", "America/New_York"))).toBe("2027-03-14T07:15:00.000Z"); // 03:15 EDT
    expect(resolveLocalTime("2027-11-07T01:15", "America/New_York").instants).toHaveLength(2);
  });

  test("southern hemisphere and a 30-minute DST shift (Lord Howe Island)", () => {
    // Sydney: clocks go back on 2027-04-04 at 03:00 → 02:00, forward on 2027-10-03 at 02:00 → 03:00.
    expect(resolveLocalTime("2027-04-04T02:30", "Australia/Sydney").instants).toHaveLength(2);
    expect(localTimeExists("2027-10-03T02:30", "Australia/Sydney")).toBe(false);
    // Lord Howe: +11 → +10:30 on 2027-04-04 at 02:00 (01:30–02:00 repeats).
    expect(resolveLocalTime("2027-04-04T01:45", "Australia/Lord_Howe").instants.map(iso)).toEqual([
      "2027-04-03T14:45:00.000Z",
      "2027-04-03T15:15:00.000Z",
    ]);
  });

  test("a whole calendar day that never happened (Samoa skipped 2011-12-30)", () => {
    expect(localTimeExists("2011-12-30T12:00", "Pacific/Apia")).toBe(false);
    expect(iso(zonedTimeToUtc("2011-12-29T10:00", "Pacific/Apia"))).toBe("2011-12-29T20:00:00.000Z"); // −10
    expect(iso(zonedTimeToUtc("2011-12-31T10:00", "Pacific/Apia"))).toBe("2011-12-30T20:00:00.000Z"); // +14
  });

  test("Moscow's history: +4 all year in 2013, +3 since October 2014, local mean time in 1880", () => {
    expect(iso(zonedTimeToUtc("2013-01-15T12:00", "Europe/Moscow"))).toBe("2013-01-15T08:00:00.000Z");
    expect(iso(zonedTimeToUtc("2015-01-15T12:00", "Europe/Moscow"))).toBe("2015-01-15T09:00:00.000Z");
    expect(toLocalDateTimeString(new Date("1880-01-01T00:00:00Z"), "Europe/Moscow")).toBe("1880-01-01T02:30:17");
  });
});

describe("utcToZonedParts / toLocalDateTimeString", () => {
  test("parts and the offset in force", () => {
    expect(utcToZonedParts(new Date("2027-07-01T12:00:00.123Z"), "America/New_York")).toEqual({
      year: 2027,
      month: 7,
      day: 1,
      hour: 8,
      minute: 0,
      second: 0,
      millisecond: 123,
      offsetMinutes: -240,
    });
    expect(utcToZonedParts("2027-01-01T00:00:00Z", "Asia/Kathmandu").offsetMinutes).toBe(345);
    expect(utcToZonedParts(0, "UTC")).toMatchObject({ year: 1970, month: 1, day: 1, hour: 0, offsetMinutes: 0 });
  });

  test("midnight is 00, never 24", () => {
    expect(toLocalDateTimeString(new Date("2027-06-01T21:00:00Z"), "Europe/Moscow")).toBe("2027-06-02T00:00");
  });

  test("seconds and milliseconds are written only when present", () => {
    expect(toLocalDateTimeString(new Date("2027-06-01T16:00:00Z"), "Europe/Moscow")).toBe("2027-06-01T19:00");
    expect(toLocalDateTimeString(new Date("2027-06-01T16:00:05Z"), "Europe/Moscow")).toBe("2027-06-01T19:00:05");
    expect(toLocalDateTimeString(new Date("2027-06-01T16:00:00.007Z"), "Europe/Moscow")).toBe("2027-06-01T19:00:00.007");
  });

  test("the two instants of a repeated hour read back as the same wall-clock time", () => {
    expect(toLocalDateTimeString(new Date("2027-10-31T00:30:00Z"), "Europe/Berlin")).toBe("2027-10-31T02:30");
    expect(toLocalDateTimeString(new Date("2027-10-31T01:30:00Z"), "Europe/Berlin")).toBe("2027-10-31T02:30");
  });
});

describe("round trips", () => {
  const zones = ["Europe/Moscow", "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "UTC"];

  test("UTC → local → UTC is exact for every instant (every 5 h 13 min over 2027, with odd seconds)", () => {
    const start = Date.UTC(2027, 0, 1);
    for (const zone of zones) {
      let failures = 0;
      for (let t = start; t < start + 366 * 86_400_000; t += 313 * 60_000 + 1_013) {
        const local = toLocalDateTimeString(new Date(t), zone);
        const back = resolveLocalTime(local, zone).instants.map((d) => d.getTime());
        // In a repeated hour the string maps to two instants; ours is one of them.
        if (!back.includes(t)) failures += 1;
        else if (back.length === 1 && zonedTimeToUtc(local, zone).getTime() !== t) failures += 1;
      }
      expect(failures, zone).toBe(0);
    }
  }, 60_000);

  test("local → UTC → local is the identity for every existing wall-clock time", () => {
    for (const zone of zones) {
      for (let day = 0; day < 365; day += 3) {
        for (const hm of ["00:00", "01:30", "02:00", "02:30", "02:45", "03:00", "12:15", "23:59"]) {
          const date = new Date(Date.UTC(2027, 0, 1 + day)).toISOString().slice(0, 10);
          const local = `${date}T${hm}`;
          if (!localTimeExists(local, zone)) continue;
          expect(toLocalDateTimeString(zonedTimeToUtc(local, zone), zone), `${local} ${zone}`).toBe(local);
        }
      }
    }
  }, 60_000);
});

describe("time zones", () => {
  test("IANA names are accepted and canonicalized; offsets and abbreviations are not", () => {
    expect(canonicalTimeZone("Europe/Moscow")).toBe("Europe/Moscow");
    expect(canonicalTimeZone("europe/moscow")).toBe("Europe/Moscow");
    expect(canonicalTimeZone(" UTC ")).toBe("UTC");
    for (const bad of ["+03:00", "MSK", "GMT+3", "Mars/Olympus", "", "Europe/", 42, null]) {
      expect(isValidTimeZone(bad), String(bad)).toBe(false);
    }
  });

  test("the picker list starts with Moscow and contains common zones", () => {
    const zones = supportedTimeZones();
    expect(zones[0]).toBe("Europe/Moscow");
    expect(zones).toEqual(expect.arrayContaining(["Europe/Berlin", "America/New_York", "UTC"]));
    expect(new Set(zones).size).toBe(zones.length);
  });
});
