// The organization's analytics dashboard over a period (server component): totals, registrations and
// views per day (chart + table), upcoming events with their fill rate, and a comparison of events,
// sortable by a column through the URL (?sort=; plain links, no JavaScript needed).
import Link from "next/link";
import type { ReactNode } from "react";
import { DataTable, EmptyNote, Figure, Figures, NetMoney, Section } from "@/components/analytics/blocks";
import { ChartCard } from "@/components/analytics/chart-card";
import { bucketLabel, COMPARISON_SORTS, type ComparisonSort, formatCount, formatPercent, SERIES_COLORS, seriesPeak, sortComparison } from "@/components/analytics/format";
import { eventAnalyticsPath } from "@/lib/analytics/paths";
import type { OrganizationAnalytics } from "@/lib/analytics/types";
import type { Locale } from "@/lib/i18n/config";
import { formatDate } from "@/lib/i18n/format/date";
import { formatMoney } from "@/lib/i18n/format/money";
import type { MessageKey, Translator } from "@/lib/i18n/translate";

const SORT_LABELS: Record<ComparisonSort, MessageKey> = {
  registrations: "analytics.organization.registrations",
  confirmed: "analytics.organization.confirmed",
  checkedIn: "analytics.organization.checkedIn",
  views: "analytics.organization.views",
  conversion: "analytics.organization.conversion",
  fillRate: "analytics.organization.fillRate",
};

export function OrganizationAnalyticsView(props: {
  data: OrganizationAnalytics;
  slug: string;
  sort: ComparisonSort;
  /** The page's URL with another sort (the period kept). */
  sortHref: (sort: ComparisonSort) => string;
  picker: ReactNode;
  locale: Locale;
  t: Translator;
}) {
  const { data, slug, sort, sortHref, picker, locale, t } = props;
  const n = (value: number) => formatCount(value, locale);
  const zone = data.period.timezone;
  const labels = data.days.map((d) => bucketLabel(d.day, "calendarDay", locale, zone));
  const peak = seriesPeak(data.days.map((d) => d.registrations));
  const rows = sortComparison(data.events, sort);

  return (
    <div className="flex flex-col gap-4" data-testid="organization-analytics">
      <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{t("analytics.organization.title")}</h1>
      {picker}
      {data.isEmpty && <EmptyNote testId="analytics-empty">{t("analytics.organization.empty")}</EmptyNote>}

      <Section id="org-totals" title={t("analytics.organization.totals")} testId="org-totals">
        <Figures>
          <Figure label={t("analytics.organization.registrations")} value={n(data.totals.registrations)} testId="org-total-registrations" />
          <Figure label={t("analytics.organization.confirmed")} value={n(data.totals.confirmed)} testId="org-total-confirmed" />
          <Figure label={t("analytics.organization.cancelled")} value={n(data.totals.cancelled)} testId="org-total-cancelled" />
          <Figure label={t("analytics.organization.checkedIn")} value={n(data.totals.checkedIn)} testId="org-total-checked-in" />
          <Figure label={t("analytics.organization.views")} value={n(data.totals.views)} testId="org-total-views" />
          <Figure
            label={t("analytics.organization.revenue")}
            value={<NetMoney revenue={data.totals.revenue} locale={locale} none={t("analytics.event.revenueNone")} testId="org-total-revenue" />}
          />
        </Figures>
      </Section>

      <ChartCard
        title={t("analytics.organization.daysTitle")}
        summary={
          peak
            ? t("analytics.summary.orgDays", { total: peak.total, views: n(data.totals.views), when: labels[peak.peakIndex], peak: n(peak.peak) })
            : t("analytics.summary.none")
        }
        columnLabel={t("analytics.organization.day")}
        series={[
          { key: "registrations", label: t("analytics.organization.registrations"), color: SERIES_COLORS[0] },
          { key: "views", label: t("analytics.organization.views"), color: SERIES_COLORS[3] },
        ]}
        rows={data.days.map((d, i) => ({ key: d.day, label: labels[i], values: [d.registrations, d.views] }))}
        testId="chart-org-days"
      />

      <Section id="org-upcoming" title={t("analytics.organization.upcomingTitle")} testId="org-upcoming">
        {data.upcoming.length === 0 ? (
          <p className="text-sm text-slate-600">{t("analytics.organization.noUpcoming")}</p>
        ) : (
          <DataTable
            caption={t("analytics.organization.upcomingTitle")}
            columns={[
              { label: t("analytics.organization.event") },
              { label: t("analytics.organization.starts") },
              { label: t("analytics.organization.taken"), numeric: true },
              { label: t("analytics.organization.fillRate"), numeric: true },
            ]}
            rows={data.upcoming.map((e) => ({
              key: e.eventId,
              cells: [
                <Link key="l" href={eventAnalyticsPath(slug, e.eventId)} className="font-medium text-brand-700 underline underline-offset-2">
                  {e.title}
                </Link>,
                formatDate(e.startsAt, locale, "dayMonthYearTime", { timeZone: zone }),
                `${n(e.taken)} / ${e.capacity === null ? t("analytics.organization.unlimited") : n(e.capacity)}`,
                formatPercent(e.fillRate, locale),
              ],
            }))}
          />
        )}
      </Section>

      <Section id="org-compare" title={t("analytics.organization.compareTitle")} testId="org-compare">
        {rows.length === 0 ? (
          <p className="text-sm text-slate-600">{t("analytics.organization.noEvents")}</p>
        ) : (
          <div className="-mx-4 overflow-x-auto px-4">
            <table className="w-full min-w-max text-left text-sm" data-testid="org-compare-table">
              <caption className="sr-only">{t("analytics.organization.compareTitle")}</caption>
              <thead>
                <tr className="border-b border-slate-200 text-slate-600">
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {t("analytics.organization.event")}
                  </th>
                  {COMPARISON_SORTS.map((key) => (
                    <th key={key} scope="col" aria-sort={key === sort ? "descending" : undefined} className="py-2 pr-4 text-right font-medium">
                      <Link
                        href={sortHref(key)}
                        aria-label={t("analytics.organization.sortBy", { column: t(SORT_LABELS[key]) })}
                        className={key === sort ? "font-semibold text-slate-900 underline underline-offset-2" : "text-brand-700 underline underline-offset-2"}
                        data-testid={`org-sort-${key}`}
                      >
                        {t(SORT_LABELS[key])}
                        {key === sort && <span aria-hidden="true"> ↓</span>}
                      </Link>
                    </th>
                  ))}
                  <th scope="col" className="py-2 pr-4 text-right font-medium">
                    {t("analytics.organization.revenue")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.eventId} className="border-b border-slate-100 last:border-0" data-testid={`org-compare-${e.eventId}`}>
                    <th scope="row" className="max-w-56 py-2 pr-4 font-normal break-words whitespace-normal">
                      <Link href={eventAnalyticsPath(slug, e.eventId)} className="font-medium text-brand-700 underline underline-offset-2">
                        {e.title}
                      </Link>
                      <span className="block text-xs text-slate-600">{formatDate(e.startsAt, locale, "day", { timeZone: zone })}</span>
                    </th>
                    <td className="py-2 pr-4 text-right tabular-nums">{n(e.registrations)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{n(e.confirmed)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{n(e.checkedIn)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{n(e.views)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{formatPercent(e.conversion, locale)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{formatPercent(e.fillRate, locale)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{e.revenue.length === 0 ? "—" : e.revenue.map((m) => formatMoney(m.netCents, m.currency, locale)).join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
