// The one place Intl formatters are created: cached per locale and options (creating them is
// expensive), shared by the ICU runtime (lib/i18n/icu.ts) and the date / money formatters. Tiny and
// pure, so a client island can format a date style it was handed without the style table (date.ts).
// Intl objects are expensive to create: one per locale + options, kept for the process / page.
const intlCache = new Map<string, Intl.NumberFormat | Intl.PluralRules | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.PluralRules | Intl.DateTimeFormat>(kind: string, locale: string | string[] | undefined, options: object | undefined, make: () => T): T {
  const key = `${kind}|${String(locale)}|${options ? JSON.stringify(options) : ""}`;
  let value = intlCache.get(key) as T | undefined;
  if (!value) {
    value = make();
    intlCache.set(key, value);
  }
  return value;
}

export const intlFormatters = {
  getNumberFormat: (locale?: string | string[], options?: Intl.NumberFormatOptions) => cached("n", locale, options, () => new Intl.NumberFormat(locale, options)),
  getPluralRules: (locale?: string | string[], options?: Intl.PluralRulesOptions) => cached("p", locale, options, () => new Intl.PluralRules(locale, options)),
  getDateTimeFormat: (locale?: string | string[], options?: Intl.DateTimeFormatOptions) => cached("d", locale, options, () => new Intl.DateTimeFormat(locale, options)),
};

/** A date style resolved for a language (lib/i18n/format/date.ts → resolveDateStyle). */
export type ResolvedDateStyle = { locale: string; options: Intl.DateTimeFormatOptions };

export type FormatDateOptions = {
  /** The zone to show the wall clock of (an event's zone); omitted: the runtime's own (the browser's). */
  timeZone?: string;
  /** Append the zone's short name ("GMT+3", "CET"): timeZoneName "short". */
  zoneName?: boolean;
};

/** Formats a date with a resolved style. */
export function formatWithStyle(date: Date, style: ResolvedDateStyle, options: FormatDateOptions = {}): string {
  const intl = { ...style.options, ...(options.timeZone ? { timeZone: options.timeZone } : {}), ...(options.zoneName ? { timeZoneName: "short" as const } : {}) };
  return intlFormatters.getDateTimeFormat(style.locale, intl).format(date);
}
