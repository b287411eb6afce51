"use client";
// Translations for client components. A layout or page that renders client components wraps them in
// <I18nProvider locale={locale} messages={pick(locale, [...namespaces])}> with only the namespaces
// those components use (lib/i18n/namespaces.ts; docs/i18n.md); a nested provider adds its namespaces
// to its parent's. The messages arrive compiled, so the browser never parses ICU.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { ClientMessages } from "./catalogue";
import type { Locale } from "./config";
import { createTranslator, isCompiledMessage, lookupPath, type Translator } from "./translate";

type I18nValue = { locale: Locale; messages: ClientMessages; t: Translator };

const I18nContext = createContext<I18nValue | null>(null);

function merge(base: ClientMessages, extra: ClientMessages): ClientMessages {
  const out: ClientMessages = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = current && !isCompiledMessage(current) && !isCompiledMessage(value) ? merge(current, value) : value;
  }
  return out;
}

export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: ClientMessages; children: ReactNode }) {
  const parent = useContext(I18nContext);
  const value = useMemo(() => {
    const all = parent && parent.locale === locale ? merge(parent.messages, messages) : messages;
    return {
      locale,
      messages: all,
      t: createTranslator(locale, (key) => {
        const found = lookupPath(all, key);
        return isCompiledMessage(found) ? found : undefined;
      }),
    };
  }, [parent, locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useT() / useLocale() must be used inside <I18nProvider>");
  return value;
}

export function useT(): Translator {
  return useI18n().t;
}

export function useLocale(): Locale {
  return useI18n().locale;
}
