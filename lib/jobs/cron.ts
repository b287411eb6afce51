// A tiny 5-field cron parser (minute hour day-of-month month day-of-week), the dialect Inngest
// accepts, so one expression drives both the embedded runner and Inngest:
//   *  a,b  a-b  */n  a-b/n  a/n   month names JAN–DEC, weekday names SUN–SAT, weekday 0–7 (0 and 7 = Sunday)
//   macros @yearly @annually @monthly @weekly @daily @midnight @hourly
//   optional time zone prefix "TZ=Europe/Moscow 0 9 * * *" (default UTC)
// Day-of-month and day-of-week follow classic cron: when both are restricted, either may match.
// Kept in-house (≈150 lines, unit-tested) rather than adding a dependency.

export class CronParseError extends Error {
  constructor(expression: string, reason: string) {
    super(`Invalid cron expression "${expression}": ${reason}`);
    this.name = "CronParseError";
  }
}

export interface CronSchedule {
  readonly expression: string;
  readonly timeZone: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0] (months start at 1). */
  namesOffset?: number;
}

const FIELDS: FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES, namesOffset: 1 },
  { name: "day of week", min: 0, max: 7, names: DAY_NAMES, namesOffset: 0 },
];

function parseValue(raw: string, spec: FieldSpec, expression: string): number {
  const upper = raw.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (spec.namesOffset ?? 0);
  if (!/^\d+$/.test(raw)) throw new CronParseError(expression, `"${raw}" is not a valid ${spec.name}`);
  const value = Number(raw);
  if (value < spec.min || value > spec.max) {
    throw new CronParseError(expression, `${spec.name} ${value} is out of range ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec, expression: string): { values: Set<number>; restricted: boolean } {
  const values = new Set<number>();
  let restricted = true;
  for (const part of text.split(",")) {
    if (part === "") throw new CronParseError(expression, `empty list item in ${spec.name}`);
    const [rangeText, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new CronParseError(expression, `"${part}" has more than one step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronParseError(expression, `bad step "${stepText}" in ${spec.name}`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === "*") {
      from = spec.min;
      to = spec.name === "day of week" ? 6 : spec.max;
      if (stepText === undefined && text === "*") restricted = false;
    } else if (rangeText.includes("-")) {
      const [a, b, more] = rangeText.split("-");
      if (more !== undefined || a === "" || b === "") throw new CronParseError(expression, `bad range "${rangeText}" in ${spec.name}`);
      from = parseValue(a, spec, expression);
      to = parseValue(b, spec, expression);
      if (from > to) throw new CronParseError(expression, `range ${rangeText} in ${spec.name} runs backwards`);
    } else {
      from = parseValue(rangeText, spec, expression);
      // "a/n" means a, a+n, … up to the maximum.
      to = stepText !== undefined ? (spec.name === "day of week" ? 6 : spec.max) : from;
    }
    for (let v = from; v <= to; v += step) values.add(spec.name === "day of week" && v === 7 ? 0 : v);
  }
  return { values, restricted };
}

/** Parses an expression; throws CronParseError with the reason. */
export function parseCron(expression: string): CronSchedule {
  let text = expression.trim();
  let timeZone = "UTC";
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text);
  if (tz) {
    timeZone = tz[1];
    text = tz[2].trim();
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
    } catch {
      throw new CronParseError(expression, `unknown time zone "${timeZone}"`);
    }
  }
  if (text.startsWith("@")) {
    const macro = MACROS[text.toLowerCase()];
    if (!macro) throw new CronParseError(expression, `unknown macro ${text}`);
    text = macro;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new CronParseError(expression, `expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [minute, hour, dom, month, dow] = parts.map((part, i) => parseField(part, FIELDS[i], expression));
  return {
    expression,
    timeZone,
    minutes: minute.values,
    hours: hour.values,
    daysOfMonth: dom.values,
    months: month.values,
    daysOfWeek: dow.values,
    domRestricted: dom.restricted,
    dowRestricted: dow.restricted,
  };
}

interface WallClock {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function wallClock(date: Date, timeZone: string): WallClock {
  if (timeZone === "UTC") {
    return {
      minute: date.getUTCMinutes(),
      hour: date.getUTCHours(),
      day: date.getUTCDate(),
      month: date.getUTCMonth() + 1,
      weekday: date.getUTCDay(),
    };
  }
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(date)) parts[p.type] = p.value;
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour) % 24,
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: WEEKDAYS[parts.weekday] ?? 0,
  };
}

function dayMatches(s: CronSchedule, w: WallClock): boolean {
  if (!s.months.has(w.month)) return false;
  const dom = s.daysOfMonth.has(w.day);
  const dow = s.daysOfWeek.has(w.weekday);
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  if (s.domRestricted) return dom;
  if (s.dowRestricted) return dow;
  return true;
}

const MINUTE = 60_000;

/** True when the schedule fires in the minute containing `date`. */
export function cronMatches(schedule: CronSchedule | string, date: Date): boolean {
  const s = typeof schedule === "string" ? parseCron(schedule) : schedule;
  const w = wallClock(date, s.timeZone);
  return dayMatches(s, w) && s.hours.has(w.hour) && s.minutes.has(w.minute);
}

/** The first tick strictly after `after` (minute precision). Throws if none within ~5 years. */
export function nextCronTick(schedule: CronSchedule | string, after: Date): Date {
  const s = typeof schedule === "string" ? parseCron(schedule) : schedule;
  let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const limit = t + 5 * 366 * 24 * 60 * MINUTE;
  while (t < limit) {
    const w = wallClock(new Date(t), s.timeZone);
    if (!dayMatches(s, w)) {
      // UTC has no DST: jump to the next midnight. Other zones step an hour at a time so a DST shift
      // can never make us skip past a matching wall-clock time.
      t += s.timeZone === "UTC" ? ((23 - w.hour) * 60 + (60 - w.minute)) * MINUTE : (60 - w.minute) * MINUTE;
      continue;
    }
    if (!s.hours.has(w.hour)) {
      t += (60 - w.minute) * MINUTE;
      continue;
    }
    if (s.minutes.has(w.minute)) return new Date(t);
    let nextMinute = -1;
    for (let m = w.minute + 1; m < 60; m++) {
      if (s.minutes.has(m)) {
        nextMinute = m;
        break;
      }
    }
    t += (nextMinute === -1 ? 60 - w.minute : nextMinute - w.minute) * MINUTE;
  }
  throw new Error(`Cron expression "${s.expression}" never fires`);
}

/**
 * The latest tick at or before `now` that is not older than `notBefore`, or null.
 * The runner uses it to find the tick to claim (and catch up one missed tick after a restart).
 */
export function latestCronTick(schedule: CronSchedule | string, now: Date, notBefore: Date): Date | null {
  const s = typeof schedule === "string" ? parseCron(schedule) : schedule;
  let latest: Date | null = null;
  let cursor = new Date(notBefore.getTime() - 1);
  for (;;) {
    const next = nextCronTick(s, cursor);
    if (next.getTime() > now.getTime()) return latest;
    latest = next;
    cursor = next;
  }
}
