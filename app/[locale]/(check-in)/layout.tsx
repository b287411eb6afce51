import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { CheckInQueryProvider } from "@/components/check-in/query-provider";
import { I18nProvider } from "@/lib/i18n/client";
import { pick } from "@/lib/i18n/catalogue";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";

// The door scanner: full screen, dark, no site header — nothing between the moderator and the camera.
export const viewport: Viewport = {
  themeColor: "#020617",
  colorScheme: "dark",
};

export const metadata: Metadata = {
  robots: { index: false, follow: false },
  appleWebApp: { capable: true, statusBarStyle: "black-translucent" },
};

// The scanner's texts for its client components (the root layout's provider carries only a few
// namespaces: docs/i18n.md).
export default async function CheckInLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  const locale = isLocale(raw) ? raw : DEFAULT_LOCALE;
  return (
    <I18nProvider locale={locale} messages={pick(locale, ["checkIn.scanner"])}>
      <CheckInQueryProvider>
        <main id="main" className="flex min-h-dvh flex-1 flex-col bg-slate-950 text-slate-50">
          {children}
        </main>
      </CheckInQueryProvider>
    </I18nProvider>
  );
}
