import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Catalogue } from "@/components/public/catalogue";
import { getCurrentUser } from "@/lib/identity/session";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { catalogueHref, isFiltered, parseCatalogueParams } from "@/lib/public/catalogue-params";
import { listCatalogue, listMemberEvents } from "@/lib/public/queries";

// The members' twin of the catalogue: proxy.ts rewrites /events, /events/<n> (as ?page=<n>) and
// /events?… here when the request carries a session cookie. Rendered per request: the same catalogue
// plus, on its first page, the upcoming private events of the viewer's groups that match the filters
// (docs/public-pages.md). Anonymous visitors keep the cached /events/<n> and the per-request search.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { locale } = await params;
  const filter = parseCatalogueParams(await searchParams);
  const t = translatorFor(isLocale(locale) ? locale : "ru");
  const filtered = isFiltered(filter);
  return {
    title: !filtered && filter.page > 1 ? `${t("public.catalogue.title")} · ${filter.page}` : t("public.catalogue.title"),
    description: t("public.catalogue.metaDescription"),
    // The same canonical URL as the anonymous page; a per-viewer variant is never indexed.
    robots: { index: false, follow: true },
    alternates: { canonical: filtered ? "/events" : catalogueHref(filter) },
  };
}

export default async function MemberCataloguePage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const filter = parseCatalogueParams(await searchParams);
  const user = await getCurrentUser();
  const [page, memberEvents] = await Promise.all([
    listCatalogue(filter),
    filter.page === 1 ? listMemberEvents({ viewerId: user?.id ?? null, params: filter }) : Promise.resolve([]),
  ]);
  // Like the static pages: an unfiltered page past the end does not exist.
  if (!isFiltered(filter) && filter.page > page.pageCount) notFound();
  return <Catalogue page={page} params={filter} locale={locale} t={translatorFor(locale)} memberEvents={memberEvents} />;
}
