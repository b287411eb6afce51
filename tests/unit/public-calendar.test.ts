import { describe, expect, it } from "vitest";
import { buildIcs, escapeIcsText, foldIcsLine, googleCalendarUrl, icsFileName, icsUtc } from "@/lib/events/calendar";

const event = {
  id: "5b6f1c1e-9a1b-4c1d-8e1f-0a1b2c3d4e5f",
  title: "Встреча; итоги, планы",
  description: "Line one\nLine two, with comma; and \\ backslash",
  startsAt: new Date("2027-03-15T16:00:00Z"),
  endsAt: new Date("2027-03-15T18:30:00Z"),
  timezone: "Europe/Moscow",
  location: "Москва, ул. Тверская, 1",
  url: "https://aqstream.example/e/org/meetup",
};

describe("icsUtc", () => {
  it("formats a UTC basic date-time", () => {
    expect(icsUtc(new Date("2027-03-15T16:05:09.123Z"))).toBe("20270315T160509Z");
  });
});

describe("escapeIcsText", () => {
  it("escapes backslash, semicolon, comma and newlines (RFC 5545 3.3.11)", () => {
    expect(escapeIcsText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
  });
});

describe("foldIcsLine", () => {
  it("keeps short lines", () => {
    expect(foldIcsLine("SUMMARY:short")).toBe("SUMMARY:short");
  });
  it("folds at 75 octets without splitting UTF-8 characters", () => {
    const line = `SUMMARY:${"Ж".repeat(100)}`;
    const folded = foldIcsLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(2);
    for (const [i, part] of parts.entries()) {
      const bytes = new TextEncoder().encode(part).length;
      expect(bytes).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(" ")).toBe(true);
    }
    // Unfolding gives the original back.
    expect(folded.replace(/\r\n /g, "")).toBe(line);
  });
});

describe("buildIcs", () => {
  const ics = buildIcs(event, { now: new Date("2027-01-01T00:00:00Z") });
  const unfolded = ics.replace(/\r\n /g, "");

  it("is a CRLF VCALENDAR with one VEVENT", () => {
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics.endsWith("END:VEVENT\r\nEND:VCALENDAR\r\n")).toBe(true);
    expect(ics.split("\r\n").every((l) => !l.includes("\n"))).toBe(true);
  });
  it("has UTC start/end, uid, stamp, escaped summary/description/location", () => {
    expect(unfolded).toContain("DTSTART:20270315T160000Z");
    expect(unfolded).toContain("DTEND:20270315T183000Z");
    expect(unfolded).toContain(`UID:${event.id}@aqstream.example`);
    expect(unfolded).toContain("DTSTAMP:20270101T000000Z");
    expect(unfolded).toContain("SUMMARY:Встреча\\; итоги\\, планы");
    expect(unfolded).toContain("DESCRIPTION:Line one\\nLine two\\, with comma\\; and \\\\ backslash\\n\\nhttps://aqstream.example/e/org/meetup");
    expect(unfolded).toContain("LOCATION:Москва\\, ул. Тверская\\, 1");
    expect(unfolded).toContain("STATUS:CONFIRMED");
  });
  it("ends 6 hours after the start when there is no end, and marks cancelled events", () => {
    const noEnd = buildIcs({ ...event, endsAt: null, status: "CANCELLED" }).replace(/\r\n /g, "");
    expect(noEnd).toContain("DTEND:20270315T220000Z");
    expect(noEnd).toContain("STATUS:CANCELLED");
  });
  it("every physical line is at most 75 octets", () => {
    const long = buildIcs({ ...event, description: "Очень длинное описание ".repeat(40) });
    for (const line of long.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});

describe("googleCalendarUrl", () => {
  it("builds a TEMPLATE link with UTC dates, zone, details and location", () => {
    const url = new URL(googleCalendarUrl(event));
    expect(url.origin + url.pathname).toBe("https://calendar.google.com/calendar/render");
    expect(url.searchParams.get("action")).toBe("TEMPLATE");
    expect(url.searchParams.get("text")).toBe(event.title);
    expect(url.searchParams.get("dates")).toBe("20270315T160000Z/20270315T183000Z");
    expect(url.searchParams.get("ctz")).toBe("Europe/Moscow");
    expect(url.searchParams.get("location")).toBe(event.location);
    expect(url.searchParams.get("details")).toContain(event.url);
  });
  it("keeps the page URL when a long description is cut", () => {
    const url = new URL(googleCalendarUrl({ ...event, description: "x".repeat(5000) }));
    const details = url.searchParams.get("details")!;
    expect(details.length).toBeLessThanOrEqual(1500);
    expect(details.endsWith(event.url)).toBe(true);
  });
});

describe("icsFileName", () => {
  it("makes a safe file name", () => {
    expect(icsFileName("meetup-2027")).toBe("meetup-2027.ics");
    expect(icsFileName('../"evil"\r\n')).toBe("evil.ics");
    expect(icsFileName("")).toBe("event.ics");
  });
});
