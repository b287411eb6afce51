import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Catalogue } from "@/components/public/catalogue";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { EMPTY_CATALOGUE_PARAMS } from "@/lib/public/catalogue-params";
import { listCatalogue } from "@/lib/public/queries";

// The unfiltered catalogue, page by page: /events is page 1 (proxy.ts rewrites it here as /<locale>/events/1),
// /events/2 … the next ones. Static and cached per locale and page; rendered on first request (not at
// build time: the build reads no database), expired on demand when an event changes
// (lib/public/revalidate.ts) and at the latest after a minute (events start, time passes).
// A search or a filter (/events?…) is rewritten to ../search, which renders per request.
export const revalidate = 60;
export const dynamicParams = true;
export function generateStaticParams(): { page: string }[] {
  return [];
}

type Props = { params: Promise<{ locale: string; page: string }> };

function pageNumber(value: string): number | null {
  if (!/^[1-9]\d{0,3}$/.test(value)) return null;
  return Number(value);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, page } = await params;
  const t = translatorFor(isLocale(locale) ? locale : "ru");
  const n = pageNumber(page) ?? 1;
  return {
    title: n > 1 ? `${t("public.catalogue.title")} · ${n}` : t("public.catalogue.title"),
    description: t("public.catalogue.metaDescription"),
    alternates: { canonical: n > 1 ? `/events/${n}` : "/events" },
  };
}

export default async function CataloguePage({ params }: Props) {
  const { locale, page } = await params;
  const n = pageNumber(page);
  if (!isLocale(locale) || n === null) notFound();
  const filter = { ...EMPTY_CATALOGUE_PARAMS, page: n };
  const result = await listCatalogue(filter);
  if (n > result.pageCount) notFound();
  return <Catalogue page={result} params={filter} locale={locale} t={translatorFor(locale)} />;
}
