import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import "../globals.css";
import { I18nProvider } from "@/lib/i18n/client";
import { LOCALES, isLocale } from "@/lib/i18n/config";
import { catalogues, type Messages } from "@/lib/i18n/messages";
import { createTranslator } from "@/lib/i18n/translate";

// Every page lives under /[locale]: proxy.ts rewrites the URL a person sees (/events, /dashboard, …)
// to /<locale>/… from the locale cookie, so the locale is a route parameter and the root layout reads
// no cookie. That keeps public pages statically renderable and cacheable per locale (docs/architecture.md).
export function generateStaticParams() {
  return LOCALES.map((locale) => ({ locale }));
}

type LayoutProps = { children: ReactNode; params: Promise<{ locale: string }> };

// The client-side catalogue is sent with the HTML of every page (RSC payload, ~110 KB). This provider
// carries only the namespaces of the root's own client boundaries (not-found.tsx, error.tsx); the group
// layouts (site) and (check-in) wrap their pages in a provider with the whole catalogue, and the cached
// public pages (public) need none (their islands get texts as props): docs/public-pages.md.
const ROOT_CLIENT_NAMESPACES = ["common", "notFound", "errorPage"] as const;

function rootClientMessages(messages: Messages): Messages {
  return Object.fromEntries(ROOT_CLIENT_NAMESPACES.map((key) => [key, messages[key]])) as unknown as Messages;
}

export async function generateMetadata({ params }: Omit<LayoutProps, "children">): Promise<Metadata> {
  const { locale } = await params;
  const t = createTranslator(catalogues[isLocale(locale) ? locale : "ru"]);
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
  const messages = catalogues[locale];
  const t = createTranslator(messages);
  return (
    <html lang={locale}>
      <body className="flex min-h-dvh flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-3 focus:shadow"
        >
          {t("common.skipToContent")}
        </a>
        <I18nProvider locale={locale} messages={rootClientMessages(messages)}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
