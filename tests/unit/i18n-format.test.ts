// One set of formatters (lib/i18n/format): every date, amount and relative time the product shows
// comes from one module per kind. The wrappers of the feature areas keep their names and outputs
// (pinned here against the Intl options they used to carry), and no other module builds its own
// Intl formatter for display.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { formatWhen as formatCheckInWhen, formatTime } from "@/components/check-in/format";
import { formatActivityTime, formatEventDateTime, formatEventRange } from "@/components/events/format";
import { formatDate as formatMemberDate } from "@/components/members/format";
import { formatWhen } from "@/components/registrations-admin/format";
import { formatDateTime, formatShortDateTime } from "@/components/tickets/format";
import { translatorFor } from "@/lib/i18n/catalogue";
import { formatCountdown, formatDate, formatEventDate, formatMoney, isDaysLong, relativeTime, splitDuration } from "@/lib/i18n/format";
import { formatMoney as publicFormatMoney } from "@/lib/public/format";

const at = new Date("2027-03-15T16:00:05Z"); // 19:00:05 in Moscow
const intl = (tag: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, options).format(at);

describe("dates", () => {
  test("the area wrappers render exactly what their own Intl options did", () => {
    const zone = "Europe/Moscow";
    expect(formatEventDateTime("ru", at, zone)).toBe(intl("ru-RU", { dateStyle: "medium", timeStyle: "short", timeZone: zone }));
    expect(formatEventDateTime("en", at, zone)).toBe(intl("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: zone }));
    expect(formatActivityTime("en", at, zone)).toBe(intl("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: zone }));
    expect(formatEventRange("ru", at, new Date("2027-03-15T19:00:00Z"), zone)).toBe(`${formatEventDateTime("ru", at, zone)} – 22:00 (Europe/Moscow)`);
    expect(formatEventRange("ru", at, new Date("2027-03-16T19:00:00Z"), zone)).toContain("16 мар. 2027 г., 22:00");
    expect(formatWhen(at, zone, "ru")).toBe(intl("ru-RU", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone }));
    expect(formatMemberDate("en", at)).toBe(intl("en-GB", { dateStyle: "medium" }));
    const ticket = { weekday: "short", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" } as const;
    expect(formatDateTime(at, zone, "ru")).toBe(intl("ru-RU", { ...ticket, timeZone: zone }));
    expect(formatDateTime(at, "Europe/Berlin", "en")).toBe(intl("en-GB", { ...ticket, timeZone: "Europe/Berlin", timeZoneName: "short" }));
    expect(formatShortDateTime(at, zone, "en")).toBe(intl("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: zone }));
    expect(formatTime(at.toISOString(), "en")).toBe(intl("en", { hour: "2-digit", minute: "2-digit" }));
    const t = translatorFor("ru");
    expect(formatCheckInWhen(t, new Date(Date.now() - 86_400_000 * 3).toISOString(), "ru")).toMatch(/^Отмечен/);
  });

  test("an event date in messages: the event's zone, named", () => {
    expect(formatEventDate(at, "Europe/Moscow", "ru")).toBe("пн, 15 марта 2027 г. в 19:00 (Москва, GMT+3)");
    expect(formatEventDate(at, "Europe/Moscow", "EN")).toBe("Mon, March 15, 2027 at 19:00 (Moscow Time, GMT+3)");
    expect(formatEventDate(at, "Nowhere/City", "en")).toBe("Mon, March 15, 2027 at 16:00 (UTC)");
  });

  test("a style without a zone uses the runtime's own (the browser's on the client)", () => {
    expect(formatDate(at, "ru", "day")).toBe(intl("ru-RU", { dateStyle: "medium" }));
    expect(formatDate(at, "en", "viewer", { timeZone: "UTC" })).toBe(intl("en", { weekday: "short", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" }));
  });
});

describe("money", () => {
  test("one formatter, also behind the public pages' name", () => {
    expect(formatMoney(150000, "RUB", "ru")).toBe(new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB", maximumFractionDigits: 0 }).format(1500));
    expect(formatMoney(1250, "EUR", "en")).toBe("€12.50");
    expect(publicFormatMoney).toBe(formatMoney);
  });
});

describe("relative time and durations", () => {
  test("relative time", () => {
    const now = new Date("2027-03-15T12:00:00Z");
    expect(relativeTime(new Date(now.getTime() - 5 * 60_000), "en", now)).toBe("5 minutes ago");
    expect(relativeTime(new Date(now.getTime() - 21 * 60_000), "ru", now)).toBe("21 минуту назад");
  });

  test("countdowns: a clock under a day, days and hours beyond", () => {
    expect(formatCountdown(65_000)).toBe("1:05");
    expect(formatCountdown(3_909_000)).toBe("1:05:09");
    expect(formatCountdown(-5)).toBe("0:00");
    expect(isDaysLong(23 * 3_600_000)).toBe(false);
    expect(isDaysLong(24 * 3_600_000)).toBe(true);
    expect(splitDuration(2 * 86_400_000 + 5 * 3_600_000 + 1)).toMatchObject({ days: 2, hours: 5, minutes: 0, seconds: 1 });
  });
});

describe("no second copy", () => {
  // Time-zone arithmetic (wall clock ↔ instant, zone validation, cron) uses Intl.DateTimeFormat to
  // read parts, not to show a date: those modules are the exceptions.
  const ARITHMETIC = new Set(["lib/events/time.ts", "lib/jobs/cron.ts", "lib/validation/organizations.ts"]);
  const ROOT = path.resolve(import.meta.dirname, "../..");
  const files = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir)).flatMap((name) => {
      const rel = path.join(dir, name);
      if (name === "generated" || name === "node_modules") return [];
      if (statSync(path.join(ROOT, rel)).isDirectory()) return files(rel);
      return /\.tsx?$/.test(name) ? [rel] : [];
    });

  test("only lib/i18n/format builds Intl date, number and relative-time formatters for display", () => {
    const offenders = ["app", "components", "lib"]
      .flatMap(files)
      .filter((f) => !f.startsWith("lib/i18n/") && !ARITHMETIC.has(f))
      .filter((f) => /new Intl\.(DateTimeFormat|NumberFormat|RelativeTimeFormat)\(|\.toLocale(Date|Time)?String\(/.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
