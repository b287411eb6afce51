// A layout that only hands texts to the client components below it:
//   // app/[locale]/(site)/(dashboard)/dashboard/account/layout.tsx
//   export default textsLayout(["account", "media"]);
// It wraps the segment's page, loading and error files (and everything nested) in an I18nProvider with
// those namespaces, added to the ones the layouts above provide (docs/i18n.md).
import type { ReactNode } from "react";
import { pick } from "./catalogue";
import { I18nProvider } from "./client";
import { DEFAULT_LOCALE, isLocale } from "./config";
import type { MessageKey, Namespace } from "./translate";

type LayoutProps = { children: ReactNode; params: Promise<{ locale: string }> };

export function textsLayout(namespaces: readonly (Namespace | MessageKey)[]) {
  return async function TextsLayout({ children, params }: LayoutProps) {
    const { locale: raw } = await params;
    const locale = isLocale(raw) ? raw : DEFAULT_LOCALE;
    return (
      <I18nProvider locale={locale} messages={pick(locale, namespaces)}>
        {children}
      </I18nProvider>
    );
  };
}
