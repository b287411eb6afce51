import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import "../globals.css";
import { pick, translatorFor } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { LOCALES, isLocale } from "@/lib/i18n/config";

// Every page lives under /[locale]: proxy.ts rewrites the URL a person sees (/events, /dashboard, …)
// to /<locale>/… from the locale cookie, so the locale is a route parameter and the root layout reads
// no cookie. That keeps public pages statically renderable and cacheable per locale (docs/architecture.md).
export function generateStaticParams() {
  return LOCALES.map((locale) => ({ locale }));
}

type LayoutProps = { children: ReactNode; params: Promise<{ locale: string }> };

// Client components get only the namespaces they use (docs/i18n.md): this provider carries those of
// the root's own client boundaries (not-found.tsx, error.tsx); layouts and pages below add their own
// (nested providers merge), and the cached public pages add none (their islands get texts as props).
export async function generateMetadata({ params }: Omit<LayoutProps, "children">): Promise<Metadata> {
  const { locale } = await params;
  const t = translatorFor(isLocale(locale) ? locale : "ru");
  return {
    title: { default: t("meta.title"), template: t("meta.titleTemplate") },
    description: t("meta.description"),
    applicationName: t("common.appName"),
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  viewportFit: "cover",
  themeColor: "#1f57d1",
};

export default async function RootLayout({ children, params }: LayoutProps) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const t = translatorFor(locale);
  return (
    <html lang={locale}>
      <body className="flex min-h-dvh flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-3 focus:shadow"
        >
          {t("common.skipToContent")}
        </a>
        <I18nProvider locale={locale} messages={pick(locale, ["common.backHome", "common.retry", "notFound", "errorPage"])}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
