import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Catalogue } from "@/components/public/catalogue";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { parseCatalogueParams } from "@/lib/public/catalogue-params";
import { listCatalogue } from "@/lib/public/queries";

// /events?q=…&format=…&when=…&from=…&to=…&page=… (proxy.ts rewrites a catalogue URL with a query
// string here): rendered per request, not indexed.
type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  const t = translatorFor(isLocale(locale) ? locale : "ru");
  return { title: t("public.catalogue.title"), robots: { index: false, follow: true }, alternates: { canonical: "/events" } };
}

export default async function CatalogueSearchPage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const filter = parseCatalogueParams(await searchParams);
  const page = await listCatalogue(filter);
  return <Catalogue page={page} params={filter} locale={locale} t={translatorFor(locale)} />;
}
