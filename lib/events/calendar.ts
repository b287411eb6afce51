// Add-to-calendar builders: a Google Calendar link and an iCalendar (.ics, RFC 5545) file for Apple
// Calendar and Outlook. Pure (no server-only): the public event page, the .ics route and ticket pages
// share them.
import { eventFinishesAt } from "./status";

export type CalendarEvent = {
  /** Stable id of the event (the iCalendar UID is `<id>@<host>`). */
  id: string;
  title: string;
  /** Plain text (Markdown is fine as is: calendars show text). */
  description?: string | null;
  startsAt: Date;
  endsAt: Date | null;
  timezone: string;
  /** Address, or the online note; null when none. */
  location?: string | null;
  /** Absolute URL of the public event page. */
  url: string;
  status?: "PUBLISHED" | "CANCELLED" | "COMPLETED" | "DRAFT";
  /** Last change (DTSTAMP / LAST-MODIFIED); default now. */
  updatedAt?: Date;
  organizerName?: string | null;
};

/** 20270315T160000Z */
export function icsUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

const GOOGLE_DETAILS_MAX = 1500;

export function googleCalendarUrl(event: CalendarEvent): string {
  const end = eventFinishesAt(event);
  const details = [event.description?.trim(), event.url].filter(Boolean).join("\n\n");
  const params = new URLSearchParams({
    action: "TEMPLATE",
    text: event.title,
    dates: `${icsUtc(event.startsAt)}/${icsUtc(end)}`,
    details: details.length > GOOGLE_DETAILS_MAX ? `${details.slice(0, GOOGLE_DETAILS_MAX - event.url.length - 3)}…\n\n${event.url}` : details,
    ctz: event.timezone,
  });
  if (event.location) params.set("location", event.location);
  return `https://calendar.google.com/calendar/render?${params.toString()}`;
}

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newlines. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with one space. Never
 * splits a UTF-8 character.
 */
export function foldIcsLine(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let currentBytes = 0;
  let limit = 75;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (currentBytes + bytes > limit) {
      parts.push(current);
      current = "";
      currentBytes = 0;
      limit = 74; // the leading space takes one octet
    }
    current += char;
    currentBytes += bytes;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function property(name: string, value: string): string {
  return foldIcsLine(`${name}:${value}`);
}

/** A one-event VCALENDAR (CRLF line ends, folded lines). Times are UTC, so no VTIMEZONE is needed. */
export function buildIcs(event: CalendarEvent, options: { now?: Date } = {}): string {
  const host = (() => {
    try {
      return new URL(event.url).host || "aqstream";
    } catch {
      return "aqstream";
    }
  })();
  const stamp = options.now ?? event.updatedAt ?? new Date();
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//AqStream//Events//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    property("UID", `${event.id}@${host}`),
    property("DTSTAMP", icsUtc(stamp)),
    ...(event.updatedAt ? [property("LAST-MODIFIED", icsUtc(event.updatedAt))] : []),
    property("DTSTART", icsUtc(event.startsAt)),
    property("DTEND", icsUtc(eventFinishesAt(event))),
    property("SUMMARY", escapeIcsText(event.title)),
    ...(event.description?.trim() ? [property("DESCRIPTION", escapeIcsText(`${event.description.trim()}\n\n${event.url}`))] : [property("DESCRIPTION", escapeIcsText(event.url))]),
    ...(event.location ? [property("LOCATION", escapeIcsText(event.location))] : []),
    property("URL", event.url),
    ...(event.organizerName ? [property(`ORGANIZER;CN="${event.organizerName.replace(/["\\;:,\r\n]/g, " ").trim()}"`, `MAILTO:noreply@${host}`)] : []),
    property("STATUS", event.status === "CANCELLED" ? "CANCELLED" : "CONFIRMED"),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/** A safe file name for the download: "<slug>.ics". */
export function icsFileName(slug: string): string {
  const safe = slug.replace(/[^a-z0-9-]+/gi, "-").replace(/^-+|-+$/g, "").slice(0, 80);
  return `${safe || "event"}.ics`;
}
