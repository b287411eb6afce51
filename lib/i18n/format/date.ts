// The one date formatter. Every date the product shows goes through formatDate() with a named style:
// the Intl options of each style live in DATE_STYLES and nowhere else, so "how a date looks" is
// decided once. Event dates are formatted in the event's own time zone (never the server's).
import type { Locale } from "../config";
import { formatWithStyle, intlFormatters, type FormatDateOptions, type ResolvedDateStyle } from "./intl";

type DateStyle = {
  options: Intl.DateTimeFormatOptions;
  /** The English variant: "en-GB" (15 Mar 2027, 19:00) or "en" (US: Mon, March 15, 2027 at 19:00). */
  en: "en-GB" | "en";
};

export const DATE_STYLES = {
  /** "пн, 15 марта 2027 г. в 19:00" / "Mon, March 15, 2027 at 19:00": messages and event pages (formatEventDate adds the zone). */
  event: { en: "en", options: { weekday: "short", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" } },
  /** "пт, 15 марта 2027 г., 19:00" / "Fri, 15 March 2027, 19:00": a participant's ticket. */
  ticket: { en: "en-GB", options: { weekday: "short", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" } },
  /** "15 марта 2027 г., 19:00" / "15 March 2027 at 19:00": e-mails. */
  long: { en: "en-GB", options: { dateStyle: "long", timeStyle: "short" } },
  /** "15 мар. 2027 г., 19:00" / "15 Mar 2027, 19:00": dashboards. */
  medium: { en: "en-GB", options: { dateStyle: "medium", timeStyle: "short" } },
  /** "15 мар. 2027 г., 19:00:05": the activity log. */
  mediumSeconds: { en: "en-GB", options: { dateStyle: "medium", timeStyle: "medium" } },
  /** "15.03.2027, 19:00:05": the development mailbox. */
  short: { en: "en-GB", options: { dateStyle: "short", timeStyle: "medium" } },
  /** "15 мар. 2027 г." / "15 Mar 2027": a day. */
  day: { en: "en-GB", options: { dateStyle: "medium" } },
  /** "15 мар. 2027 г., 19:00" / "15 Mar 2027, 19:00" (explicit parts): registration lists. */
  dayMonthYearTime: { en: "en-GB", options: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" } },
  /** "15 мар., 19:00" / "15 Mar, 19:00": short lists. */
  dayMonthTime: { en: "en-GB", options: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } },
  /** "15 мар., 19:00" / "Mar 15, 07:00 PM": the door scanner (the phone's own zone and conventions). */
  scannerDayTime: { en: "en", options: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } },
  /** "19:00" / "07:00 PM": the door scanner's clock. */
  scannerTime: { en: "en", options: { hour: "2-digit", minute: "2-digit" } },
  /** "19:00": an end time on the same day. */
  time: { en: "en-GB", options: { timeStyle: "short" } },
  /** "пн, 15 марта, 19:00" / "Mon, March 15, 19:00": the viewer's own time on an event page. */
  viewer: { en: "en", options: { weekday: "short", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" } },
} satisfies Record<string, DateStyle>;

export type DateStyleName = keyof typeof DATE_STYLES;

export type { FormatDateOptions, ResolvedDateStyle };

/** "ru" / "en" as well as the database's "RU" / "EN". */
export type AnyLocale = Locale | "RU" | "EN";

function lang(locale: AnyLocale | string): "ru" | "en" {
  return String(locale).toLowerCase().startsWith("en") ? "en" : "ru";
}

function toDate(date: Date | string): Date {
  return typeof date === "string" ? new Date(date) : date;
}

/** A style resolved for a language: the Intl locale and options (a client island gets it as a prop). */
export function resolveDateStyle(locale: AnyLocale, style: DateStyleName): ResolvedDateStyle {
  const spec: DateStyle = DATE_STYLES[style];
  return { locale: lang(locale) === "en" ? spec.en : "ru-RU", options: spec.options };
}

/** The one way to show a date: `formatDate(event.startsAt, locale, "medium", { timeZone: event.timezone })`. */
export function formatDate(date: Date | string, locale: AnyLocale, style: DateStyleName, options: FormatDateOptions = {}): string {
  return formatWithStyle(toDate(date), resolveDateStyle(locale, style), options);
}

/** Whether a zone name is known to this runtime (an unknown one falls back to UTC in messages). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    intlFormatters.getDateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Calendar day of a moment in a zone ("2027-03-15"): for same-day checks. */
export function dayKey(date: Date | string, timeZone: string): string {
  return intlFormatters.getDateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(toDate(date));
}

function zonePart(date: Date, timeZone: string, locale: "ru" | "en", style: "shortGeneric" | "shortOffset"): string {
  return intlFormatters.getDateTimeFormat(locale, { timeZone, timeZoneName: style }).formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? "";
}

/**
 * A date of an event in its own time zone, with the zone shown — for messages (Telegram, e-mail) and
 * the public pages:
 *   RU: "пн, 15 марта 2027 г. в 19:00 (Москва, GMT+3)"
 *   EN: "Mon, March 15, 2027 at 19:00 (Moscow Time, GMT+3)"
 * An unknown zone falls back to UTC (and says so).
 */
export function formatEventDate(date: Date | string, timeZone: string, locale: AnyLocale): string {
  const when = toDate(date);
  const language = lang(locale);
  const zone = timeZone && isKnownTimeZone(timeZone) ? timeZone : "UTC";
  const main = formatDate(when, language, "event", { timeZone: zone });
  if (zone === "UTC" || zone === "Etc/UTC") return `${main} (UTC)`;
  const generic = zonePart(when, zone, language, "shortGeneric");
  const offset = zonePart(when, zone, language, "shortOffset");
  const label = generic && generic !== offset ? `${generic}, ${offset}` : offset || zone;
  return `${main} (${label})`;
}
