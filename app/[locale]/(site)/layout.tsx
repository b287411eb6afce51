import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";
import { I18nProvider } from "@/lib/i18n/client";
import { pick } from "@/lib/i18n/catalogue";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";

/**
 * Pages with the signed-in header (it reads the session, so these pages render per request). Client
 * components here get the texts of server actions' answers (AppError and validation messages); each
 * section adds its own namespaces (docs/i18n.md).
 */
export default async function SiteLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  const locale = isLocale(raw) ? raw : DEFAULT_LOCALE;
  return (
    <I18nProvider locale={locale} messages={pick(locale, ["errors", "validation"])}>
      <SiteHeader />
      <main id="main" className="flex flex-1 flex-col">
        {children}
      </main>
    </I18nProvider>
  );
}
