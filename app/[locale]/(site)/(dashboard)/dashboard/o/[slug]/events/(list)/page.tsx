import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EventStatusBadge } from "@/components/events/event-status-badge";
import { formatEventDateTime } from "@/components/events/format";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { LinkButton } from "@/components/ui/link-button";
import { isAppError } from "@/lib/errors";
import { listEvents } from "@/lib/events";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";
import { EVENT_LIST_WHEN, EVENT_STATUSES } from "@/lib/validation/events";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("events.ui.title") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

const selectClasses =
  "block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-500/40";

export default async function OrganizationEventsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const [{ user, overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  const { organization } = overview;
  const status = (EVENT_STATUSES as readonly string[]).includes(one(query.status)) ? (one(query.status) as (typeof EVENT_STATUSES)[number]) : undefined;
  const when = (EVENT_LIST_WHEN as readonly string[]).includes(one(query.when)) ? (one(query.when) as (typeof EVENT_LIST_WHEN)[number]) : "upcoming";
  const q = one(query.q).trim().slice(0, 100);
  const page = Math.max(1, Math.min(100_000, Number.parseInt(one(query.page), 10) || 1));

  let list;
  try {
    list = await listEvents({ actor: actorOf(user), organizationId: organization.id, status, when, q: q || undefined, page });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  const base = `/dashboard/o/${encodeURIComponent(organization.slug)}/events`;
  const filtered = Boolean(status || q || when !== "upcoming");
  const pageHref = (p: number) => {
    const sp = new URLSearchParams();
    if (status) sp.set("status", status);
    if (when !== "upcoming") sp.set("when", when);
    if (q) sp.set("q", q);
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `${base}?${s}` : base;
  };

  return (
    <div className="flex flex-col gap-5">
      <header className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("events.ui.title")}</h1>
          <p className="text-slate-600">{t("events.ui.subtitle")}</p>
        </div>
        <LinkButton href={`${base}/new`} size="lg" data-testid="create-event">
          + {t("events.ui.create")}
        </LinkButton>
      </header>

      <form method="get" action={base} role="search" aria-label={t("events.ui.filters.label")} className="grid gap-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[1fr_1fr_2fr_auto] sm:items-end">
        <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-800">
          {t("events.ui.filters.when")}
          <select name="when" defaultValue={when} className={selectClasses} data-testid="filter-when">
            <option value="upcoming">{t("events.ui.filters.upcoming")}</option>
            <option value="past">{t("events.ui.filters.past")}</option>
            <option value="all">{t("events.ui.filters.all")}</option>
          </select>
        </label>
        <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-800">
          {t("events.ui.filters.status")}
          <select name="status" defaultValue={status ?? ""} className={selectClasses} data-testid="filter-status">
            <option value="">{t("events.ui.filters.anyStatus")}</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`events.ui.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-800">
          {t("events.ui.filters.search")}
          <input
            type="search"
            name="q"
            defaultValue={q}
            maxLength={100}
            className="block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3.5 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-500/40"
            data-testid="filter-q"
          />
        </label>
        <div className="flex gap-2">
          <button type="submit" className="min-h-12 flex-1 rounded-xl bg-brand-600 px-4 font-semibold text-white hover:bg-brand-700 sm:flex-none" data-testid="filter-apply">
            {t("events.ui.filters.apply")}
          </button>
          {filtered && (
            <Link href={base} className="flex min-h-12 items-center rounded-xl px-3 text-sm font-medium text-slate-700 underline underline-offset-2 hover:bg-slate-100">
              {t("events.ui.filters.reset")}
            </Link>
          )}
        </div>
      </form>

      {list.items.length === 0 ? (
        <div className="flex flex-col items-center gap-3 rounded-2xl border border-dashed border-slate-300 bg-white p-6 text-center" data-testid="events-empty">
          <p className="font-medium text-slate-800">{filtered ? t("events.ui.list.emptyFiltered") : t("events.ui.list.empty")}</p>
          <p className="text-sm text-slate-600">{filtered ? t("events.ui.list.emptyFilteredHint") : t("events.ui.list.emptyHint")}</p>
          {!filtered && (
            <LinkButton href={`${base}/new`} data-testid="create-event-empty">
              {t("events.ui.create")}
            </LinkButton>
          )}
        </div>
      ) : (
        <section aria-label={t("events.ui.title")} className="flex flex-col gap-3">
          <p className="text-sm text-slate-600" aria-live="polite">
            {t("events.ui.list.count", { count: list.total })}
          </p>
          <ul className="flex flex-col gap-2" data-testid="event-list">
            {list.items.map((e) => (
              <li key={e.id}>
                <Link
                  href={`${base}/${e.id}`}
                  className="flex flex-col gap-1.5 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-300 hover:bg-brand-50/40 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                  data-testid="event-list-item"
                >
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="min-w-0 font-semibold break-words text-brand-700">{e.title}</span>
                    <EventStatusBadge status={e.status} t={t} />
                  </span>
                  <span className="text-sm text-slate-700">
                    <time dateTime={e.startsAt.toISOString()}>{formatEventDateTime(locale, e.startsAt, e.timezone)}</time>{" "}
                    <span className="text-slate-500">({e.timezone})</span> · {t(`events.ui.locationType.${e.locationType}`)}
                  </span>
                  <span className="text-sm text-slate-600">
                    {e.capacity === null ? t("events.ui.list.soldUnlimited", { count: e.registrationCount }) : t("events.ui.list.sold", { count: e.registrationCount, capacity: e.capacity })}
                    {e.group && <> · {t("events.ui.list.privateGroup", { group: e.group.name })}</>}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {list.totalPages > 1 && (
            <nav aria-label={t("events.ui.list.page", { page: list.page, total: list.totalPages })} className="flex items-center justify-between gap-2">
              {list.page > 1 ? (
                <LinkButton href={pageHref(list.page - 1)} variant="secondary" rel="prev">
                  ← {t("events.ui.list.prev")}
                </LinkButton>
              ) : (
                <span />
              )}
              <span className="text-sm text-slate-600">{t("events.ui.list.page", { page: list.page, total: list.totalPages })}</span>
              {list.page < list.totalPages ? (
                <LinkButton href={pageHref(list.page + 1)} variant="secondary" rel="next">
                  {t("events.ui.list.next")} →
                </LinkButton>
              ) : (
                <span />
              )}
            </nav>
          )}
        </section>
      )}
    </div>
  );
}
