// /dashboard/o/<slug>/analytics?from=&to=&sort= — the organization's dashboard over a period (default:
// the last 30 days in the organization's time zone). `analytics.view`; another tenant's slug is a 404
// (the layout's loader, and the service again). An invalid period shows the default and says why.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { parseComparisonSort, type ComparisonSort } from "@/components/analytics/format";
import { OrganizationAnalyticsView } from "@/components/analytics/organization-analytics-view";
import { PeriodPicker } from "@/components/analytics/period-picker";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { localDay, organizationAnalytics, parsePeriod } from "@/lib/analytics";
import { organizationAnalyticsPath } from "@/lib/analytics/paths";
import { isAppError } from "@/lib/errors";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("analytics.organization.title") };
}

export default async function OrganizationAnalyticsPage({ params, searchParams }: Props) {
  const [{ slug }, raw] = await Promise.all([params, searchParams]);
  const [{ user, overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  const now = new Date();
  const { period, error } = parsePeriod({ from: one(raw.from), to: one(raw.to) }, { now, timezone: overview.organization.settings.defaultTimezone ?? undefined });
  const sort = parseComparisonSort(one(raw.sort));
  let data;
  try {
    data = await organizationAnalytics({ actor: actorOf(user), organizationId: overview.organization.id, period, now });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  const path = organizationAnalyticsPath(slug);
  const current = { from: data.period.from, to: data.period.to };
  const sortHref = (key: ComparisonSort) => `${organizationAnalyticsPath(slug, current)}${key === "registrations" ? "" : `&sort=${key}`}`;
  return (
    <OrganizationAnalyticsView
      data={data}
      slug={slug}
      sort={sort}
      sortHref={sortHref}
      locale={locale}
      t={t}
      picker={
        <PeriodPicker
          action={path}
          period={data.period}
          error={error}
          today={localDay(now, data.period.timezone)}
          hrefFor={(p) => organizationAnalyticsPath(slug, p)}
          keep={sort === "registrations" ? {} : { sort }}
          locale={locale}
          t={t}
        />
      }
    />
  );
}
