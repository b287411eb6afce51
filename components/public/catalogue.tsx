// The catalogue page body (shared by the static /events, the dynamic /events?… route and the members'
// twin): a GET filter form that works without JavaScript, the private events of the viewer's groups
// (twin only), the cards, pagination.
import Link from "next/link";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import { catalogueHref, isFiltered, type CatalogueParams } from "@/lib/public/catalogue-params";
import type { CataloguePage, MemberEventItem } from "@/lib/public/queries";
import { EventCard } from "./event-card";
import { MemberEvents } from "./member-events";

const field = "min-h-11 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";
const label = "text-sm font-medium text-slate-800";

export function Catalogue({
  page,
  params,
  locale,
  t,
  memberEvents = [],
}: {
  page: CataloguePage;
  params: CatalogueParams;
  locale: Locale;
  t: Translator;
  /** Members' twin only: the viewer's private events matching the filters. */
  memberEvents?: MemberEventItem[];
}) {
  const filtered = isFiltered(params);
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 px-4 py-8">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("public.catalogue.title")}</h1>
        <p className="text-slate-700">{t("public.catalogue.lead")}</p>
      </header>

      <form action="/events" method="get" role="search" aria-label={t("public.catalogue.filters")} className="grid gap-3 rounded-2xl border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="catalogue-filters">
        <div className="flex flex-col gap-1 sm:col-span-2">
          <label htmlFor="catalogue-q" className={label}>
            {t("public.catalogue.searchLabel")}
          </label>
          <input id="catalogue-q" name="q" type="search" defaultValue={params.q} maxLength={100} placeholder={t("public.catalogue.searchPlaceholder")} className={field} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="catalogue-format" className={label}>
            {t("public.catalogue.format")}
          </label>
          <select id="catalogue-format" name="format" defaultValue={params.format ?? ""} className={field}>
            <option value="">{t("public.catalogue.formatAny")}</option>
            <option value="online">{t("public.catalogue.formatOnline")}</option>
            <option value="offline">{t("public.catalogue.formatOffline")}</option>
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="catalogue-when" className={label}>
            {t("public.catalogue.when")}
          </label>
          <select id="catalogue-when" name="when" defaultValue={params.period ?? ""} className={field}>
            <option value="">{t("public.catalogue.whenAny")}</option>
            <option value="today">{t("public.catalogue.whenToday")}</option>
            <option value="week">{t("public.catalogue.whenWeek")}</option>
            <option value="month">{t("public.catalogue.whenMonth")}</option>
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="catalogue-from" className={label}>
            {t("public.catalogue.from")}
          </label>
          <input id="catalogue-from" name="from" type="date" defaultValue={params.from ?? ""} className={field} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="catalogue-to" className={label}>
            {t("public.catalogue.to")}
          </label>
          <input id="catalogue-to" name="to" type="date" defaultValue={params.to ?? ""} className={field} />
        </div>
        <div className="flex items-end gap-2 sm:col-span-2">
          <button type="submit" className="inline-flex min-h-11 flex-1 items-center justify-center rounded-xl bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700 sm:flex-none">
            {t("public.catalogue.apply")}
          </button>
          {filtered && (
            <Link href="/events" className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50">
              {t("public.catalogue.reset")}
            </Link>
          )}
        </div>
      </form>

      <MemberEvents events={memberEvents} locale={locale} t={t} title={t("public.memberEvents.title")} />

      {filtered && (
        <p className="text-sm text-slate-600" role="status" data-testid="catalogue-count">
          {t("public.catalogue.results", { count: page.total })}
        </p>
      )}

      {page.items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 p-6 text-center text-slate-600" data-testid="catalogue-empty">
          {filtered ? t("public.catalogue.emptyFiltered") : t("public.catalogue.empty")}
        </p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="catalogue-list">
          {page.items.map((event, i) => (
            <li key={event.id}>
              <EventCard event={event} locale={locale} t={t} priority={i < 2} />
            </li>
          ))}
        </ul>
      )}

      {page.pageCount > 1 && (
        <nav aria-label={t("public.catalogue.pagination")} className="flex items-center justify-between gap-3">
          {page.page > 1 ? (
            <Link href={catalogueHref(params, { page: page.page - 1 })} rel="prev" className="inline-flex min-h-11 items-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50">
              {t("public.catalogue.prev")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-slate-600">{t("public.catalogue.pageOf", { page: page.page, pages: page.pageCount })}</span>
          {page.page < page.pageCount ? (
            <Link href={catalogueHref(params, { page: page.page + 1 })} rel="next" className="inline-flex min-h-11 items-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50" data-testid="catalogue-next">
              {t("public.catalogue.next")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}
