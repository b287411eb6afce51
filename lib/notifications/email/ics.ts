// A calendar invite (.ics, RFC 5545) for a ticket email: one VEVENT, METHOD:PUBLISH (an "add to
// calendar" file, not a meeting request that expects a reply). Pure: unit-tested.
//
// The UID is stable per registration, so a second ticket email for the same registration updates the
// calendar entry instead of adding another. Times are UTC ("…Z"): every calendar shows them in the
// reader's own zone. Text values are escaped (backslash, semicolon, comma, newline) and lines are
// folded at 75 octets without splitting a UTF-8 character.

export interface IcsEvent {
  /** Stable id, e.g. `registration-<id>@host`. */
  uid: string;
  start: Date;
  /** Defaults to start + 2 hours when the event has no end. */
  end?: Date | null;
  summary: string;
  location?: string | null;
  description?: string | null;
  url?: string | null;
  /** DTSTAMP: when the file was made. */
  stamp?: Date;
}

const DEFAULT_DURATION_MS = 2 * 60 * 60_000;

/** 20261207T183000Z */
export function icsDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function icsText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

/** Folds a content line to at most 75 octets per line (continuations start with one space). */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    const limit = out.length === 0 ? 75 : 74; // a continuation line's leading space counts
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

/** The whole calendar file (CRLF line ends, as RFC 5545 requires). */
export function buildIcs(event: IcsEvent): string {
  if (Number.isNaN(event.start.getTime())) throw new Error("buildIcs: invalid start");
  const end = event.end && event.end.getTime() > event.start.getTime() ? event.end : new Date(event.start.getTime() + DEFAULT_DURATION_MS);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//AqStream//Tickets//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${icsText(event.uid)}`,
    `DTSTAMP:${icsDate(event.stamp ?? new Date())}`,
    `DTSTART:${icsDate(event.start)}`,
    `DTEND:${icsDate(end)}`,
    `SUMMARY:${icsText(event.summary)}`,
    ...(event.location ? [`LOCATION:${icsText(event.location)}`] : []),
    ...(event.description ? [`DESCRIPTION:${icsText(event.description)}`] : []),
    ...(event.url ? [`URL:${event.url.replace(/[\r\n]/g, "")}`] : []),
    "STATUS:CONFIRMED",
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
