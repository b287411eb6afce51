// /dashboard/admin/analytics?from=&to= — the platform over a period (platform admins only: the admin
// layout answers 404 to everyone else, and the service refuses them too).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PeriodPicker } from "@/components/analytics/period-picker";
import { PlatformAnalyticsView } from "@/components/analytics/platform-analytics-view";
import { localDay, parsePeriod, platformAnalytics } from "@/lib/analytics";
import { platformAnalyticsPath } from "@/lib/analytics/paths";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("analytics.platform.title") };
}

export default async function PlatformAnalyticsPage({ searchParams }: Props) {
  const raw = await searchParams;
  const user = await requirePageUser(platformAnalyticsPath());
  if (!user.isPlatformAdmin) notFound();
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const now = new Date();
  const { period, error } = parsePeriod({ from: one(raw.from), to: one(raw.to) }, { now });
  let data;
  try {
    data = await platformAnalytics({ actor: actorOf(user), period, now });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  return (
    <PlatformAnalyticsView
      data={data}
      locale={locale}
      t={t}
      picker={
        <PeriodPicker
          action={platformAnalyticsPath()}
          period={data.period}
          error={error}
          today={localDay(now, data.period.timezone)}
          hrefFor={(p) => platformAnalyticsPath(p)}
          locale={locale}
          t={t}
        />
      }
    />
  );
}
