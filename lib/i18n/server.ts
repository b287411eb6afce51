// Locale and translations for Server Components, layouts, route handlers and server actions.
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { translatorFor } from "./catalogue";
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, type Locale } from "./config";
import type { Translator } from "./translate";

function configuredDefault(): Locale {
  try {
    return env().DEFAULT_LOCALE;
  } catch {
    // The environment is validated at start-up (instrumentation.ts); never fail a render over it.
    return DEFAULT_LOCALE;
  }
}

/** The request's UI locale: the `locale` cookie, else DEFAULT_LOCALE (ru). */
export const getLocale = cache(async (): Promise<Locale> => {
  const value = (await cookies()).get(LOCALE_COOKIE)?.value;
  return isLocale(value) ? value : configuredDefault();
});

/** `const t = await getT(); t("auth.loginTitle")`. */
export const getT = cache(async (): Promise<Translator> => translatorFor(await getLocale()));
