import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { PublicHeader } from "@/components/layout/public-header";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";

/**
 * The cached public pages (catalogue, event pages, organization pages): the locale comes from the
 * route parameter and nothing reads cookies or headers, so pages render statically and are served
 * from the ISR cache (docs/public-pages.md).
 */
export default async function PublicLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  return (
    <>
      <PublicHeader locale={locale} t={translatorFor(locale)} />
      <main id="main" className="flex flex-1 flex-col">
        {children}
      </main>
    </>
  );
}
