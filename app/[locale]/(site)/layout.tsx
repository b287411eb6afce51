import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";
import { I18nProvider } from "@/lib/i18n/client";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";
import { catalogues } from "@/lib/i18n/messages";

/**
 * Pages with the signed-in header (it reads the session, so these pages render per request). Client
 * components here get the whole catalogue (the root layout's provider carries only a few namespaces).
 */
export default async function SiteLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  const locale = isLocale(raw) ? raw : DEFAULT_LOCALE;
  return (
    <I18nProvider locale={locale} messages={catalogues[locale]}>
      <SiteHeader />
      <main id="main" className="flex flex-1 flex-col">
        {children}
      </main>
    </I18nProvider>
  );
}
