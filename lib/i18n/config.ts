// Locales of the UI. Pure module: importable from server, client and proxy code alike.
export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "ru";

/** Cookie that carries the chosen UI locale (one year, readable by the server only). */
export const LOCALE_COOKIE = "locale";
export const LOCALE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The Prisma `Locale` enum (RU / EN) as a UI locale. */
export function fromDbLocale(value: string | null | undefined): Locale {
  const lower = value?.toLowerCase();
  return isLocale(lower) ? lower : DEFAULT_LOCALE;
}
