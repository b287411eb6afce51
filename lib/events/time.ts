// Event times: organizers type a local date-time in the event's IANA time zone ("2027-03-15T19:00" in
// Europe/Moscow); the database stores the UTC instant. Pure module (no server-only, no database, no
// dependency): the forms, the services and the tests share it.
//
// The conversion is DST-correct without a library: the zone's UTC offset at an instant comes from
// Intl (the runtime's ICU time-zone data), and a local wall-clock time is resolved by checking which
// candidate offsets (those in force a day before and a day after) really map back to it:
//   - one match: the usual case;
//   - two matches (clocks went back, the hour repeats): `disambiguation` picks — "compatible" and
//     "earlier" give the first occurrence, "later" the second;
//   - no match (clocks went forward, the time does not exist): "compatible" and "later" move it
//     forward by the gap (02:30 → 03:30), "earlier" back (02:30 → 01:30), "reject" returns null.
// These are exactly Temporal's rules (Temporal.ZonedDateTime.from(..., { disambiguation })).
// The event schema rejects non-existent times so an organizer never gets a time they did not type.

/** "YYYY-MM-DDTHH:mm", optionally ":ss" and ".SSS"; a space may replace the "T". */
export const LOCAL_DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

export type Disambiguation = "compatible" | "earlier" | "later" | "reject";

export interface ZonedParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** The zone's offset from UTC at that instant, in minutes (Moscow: 180; New York in winter: -300). */
  offsetMinutes: number;
}

type LocalFields = Omit<ZonedParts, "offsetMinutes">;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// ───────────────────────────── time zones ─────────────────────────────

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "iso8601",
      numberingSystem: "latn",
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The canonical spelling of an IANA time zone the runtime knows ("europe/moscow" → "Europe/Moscow"),
 * or null. Only zone names: offsets ("+03:00") and abbreviations ("MSK") are refused.
 */
export function canonicalTimeZone(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const zone = value.trim();
  const cached = zoneCache.get(zone);
  if (cached !== undefined) return cached;
  let result: string | null = null;
  if (zone && zone.length <= 64 && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) {
    if (zone.includes("/") || /^(UTC|GMT|UCT|Zulu|Universal)$/i.test(zone)) {
      try {
        result = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
      } catch {
        result = null;
      }
    }
  }
  if (zoneCache.size > 1000) zoneCache.clear();
  zoneCache.set(zone, result);
  return result;
}

/** Zone name → canonical name (or null): creating an Intl.DateTimeFormat is expensive. */
const zoneCache = new Map<string, string | null>();

export function isValidTimeZone(value: unknown): value is string {
  return canonicalTimeZone(value) !== null;
}

/** Zone names for a picker (the runtime's list; the default zone first). */
export function supportedTimeZones(): string[] {
  const list = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set(["Europe/Moscow", ...list, "UTC"])];
}

// ───────────────────────────── UTC → local ─────────────────────────────

function wallClock(epochMs: number, timeZone: string): LocalFields {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const era = parts.find((p) => p.type === "era")?.value ?? "AD";
  const rawYear = get("year");
  const ms = ((epochMs % 1000) + 1000) % 1000;
  return {
    year: era === "BC" || era === "B" ? 1 - rawYear : rawYear,
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
    millisecond: ms,
  };
}

function localAsUtcMs(f: LocalFields): number {
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, f.millisecond);
  return d.getTime();
}

/** The zone's offset from UTC at this instant, in milliseconds. */
function offsetMsAt(epochMs: number, timeZone: string): number {
  return localAsUtcMs(wallClock(epochMs, timeZone)) - epochMs;
}

function assertZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"`);
}

/** The wall-clock parts of an instant in a zone, with the zone's offset then. */
export function utcToZonedParts(date: Date | string | number, timeZone: string): ZonedParts {
  assertZone(timeZone);
  const epochMs = new Date(date).getTime();
  if (Number.isNaN(epochMs)) throw new RangeError("Invalid date");
  const fields = wallClock(epochMs, timeZone);
  return { ...fields, offsetMinutes: Math.round((localAsUtcMs(fields) - epochMs) / MINUTE) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An instant as the local date-time string of a zone, the form's value: "2027-03-15T19:00", with
 * ":ss" / ".SSS" only when they are not zero, so the string maps back to exactly the same instant.
 */
export function toLocalDateTimeString(date: Date | string | number, timeZone: string): string {
  const p = utcToZonedParts(date, timeZone);
  let out = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
  if (p.second || p.millisecond) out += `:${pad(p.second)}`;
  if (p.millisecond) out += `.${pad(p.millisecond, 3)}`;
  return out;
}

// ───────────────────────────── local → UTC ─────────────────────────────

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The fields of a local date-time string, or null when it is malformed or not a real calendar date. */
export function parseLocalDateTime(value: unknown): LocalFields | null {
  if (typeof value !== "string") return null;
  const m = LOCAL_DATE_TIME_PATTERN.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  const millisecond = m[7] ? Number(m[7].padEnd(3, "0")) : 0;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, millisecond };
}

export function isLocalDateTime(value: unknown): value is string {
  return parseLocalDateTime(value) !== null;
}

/** What a local wall-clock time is in a zone: one instant, two (clocks went back) or none (a gap). */
export function resolveLocalTime(local: string | LocalFields, timeZone: string): { instants: Date[]; gapMs: number } {
  assertZone(timeZone);
  const fields = typeof local === "string" ? parseLocalDateTime(local) : local;
  if (!fields) throw new RangeError(`Invalid local date-time "${String(local)}"`);
  const naive = localAsUtcMs(fields);
  const before = offsetMsAt(naive - DAY, timeZone);
  const after = offsetMsAt(naive + DAY, timeZone);
  const candidates = [...new Set([before, offsetMsAt(naive, timeZone), after])];
  const instants = candidates
    .map((offset) => naive - offset)
    .filter((utc) => offsetMsAt(utc, timeZone) === naive - utc)
    .sort((a, b) => a - b);
  return { instants: [...new Set(instants)].map((ms) => new Date(ms)), gapMs: instants.length === 0 ? after - before : 0 };
}

/**
 * The UTC instant of a local date-time in a zone ("2027-03-15T19:00", "Europe/Moscow" → 16:00Z).
 * Returns null only for a non-existent time with `disambiguation: "reject"`. Throws RangeError for a
 * malformed string or an unknown zone.
 */
export function zonedTimeToUtc(local: string, timeZone: string, options?: { disambiguation?: Exclude<Disambiguation, "reject"> }): Date;
export function zonedTimeToUtc(local: string, timeZone: string, options: { disambiguation: Disambiguation }): Date | null;
export function zonedTimeToUtc(local: string, timeZone: string, options: { disambiguation?: Disambiguation } = {}): Date | null {
  const disambiguation = options.disambiguation ?? "compatible";
  const fields = parseLocalDateTime(local);
  if (!fields) throw new RangeError(`Invalid local date-time "${local}"`);
  const { instants } = resolveLocalTime(fields, timeZone);
  if (instants.length === 1) return instants[0];
  if (instants.length > 1) return disambiguation === "later" ? instants[instants.length - 1] : instants[0];
  // A gap: the wall clock jumped over this time.
  if (disambiguation === "reject") return null;
  const naive = localAsUtcMs(fields);
  const offsetBefore = offsetMsAt(naive - DAY, timeZone);
  const offsetAfter = offsetMsAt(naive + DAY, timeZone);
  // Reading the time with the offset in force before the jump lands after the gap, and vice versa.
  return new Date(disambiguation === "earlier" ? naive - offsetAfter : naive - offsetBefore);
}

/** Whether a local date-time exists in the zone (false inside a spring-forward gap). */
export function localTimeExists(local: string, timeZone: string): boolean {
  const fields = parseLocalDateTime(local);
  return !!fields && resolveLocalTime(fields, timeZone).instants.length > 0;
}
