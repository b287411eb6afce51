// The platform admin's view over a period (server component): totals, net revenue per currency, and
// per day the organizations approved, events published, registrations created and payments taken.
import type { ReactNode } from "react";
import { DataTable, EmptyNote, Figure, Figures, Section } from "@/components/analytics/blocks";
import { ChartCard } from "@/components/analytics/chart-card";
import { bucketLabel, formatCount, SERIES_COLORS } from "@/components/analytics/format";
import type { PlatformAnalytics } from "@/lib/analytics/types";
import type { Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/i18n/format/money";
import type { Translator } from "@/lib/i18n/translate";

export function PlatformAnalyticsView({ data, picker, locale, t }: { data: PlatformAnalytics; picker: ReactNode; locale: Locale; t: Translator }) {
  const n = (value: number) => formatCount(value, locale);
  const labels = data.days.map((d) => bucketLabel(d.day, "calendarDay", locale, data.period.timezone));
  const { totals } = data;
  return (
    <div className="flex flex-col gap-4" data-testid="platform-analytics">
      <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("analytics.platform.title")}</h1>
      {picker}
      {data.isEmpty && <EmptyNote testId="analytics-empty">{t("analytics.platform.empty")}</EmptyNote>}
      <Section id="platform-totals" title={t("analytics.platform.totals")} testId="platform-totals">
        <Figures>
          <Figure label={t("analytics.platform.organizations")} value={n(totals.organizations)} testId="platform-total-organizations" />
          <Figure label={t("analytics.platform.events")} value={n(totals.events)} testId="platform-total-events" />
          <Figure label={t("analytics.platform.registrations")} value={n(totals.registrations)} testId="platform-total-registrations" />
          <Figure label={t("analytics.platform.payments")} value={n(totals.payments)} testId="platform-total-payments" />
        </Figures>
      </Section>
      <Section id="platform-revenue" title={t("analytics.platform.revenue")} testId="platform-revenue">
        {totals.revenue.length === 0 ? (
          <p className="text-sm text-slate-600">{t("analytics.platform.noRevenue")}</p>
        ) : (
          <DataTable
            caption={t("analytics.platform.revenue")}
            columns={[
              { label: "" },
              { label: t("analytics.platform.payments"), numeric: true },
              { label: t("analytics.event.revenueNet"), numeric: true },
            ]}
            rows={totals.revenue.map((m) => ({ key: m.currency, cells: [m.currency, n(m.payments), formatMoney(m.netCents, m.currency, locale)] }))}
          />
        )}
      </Section>
      <ChartCard
        title={t("analytics.platform.daysTitle")}
        summary={t("analytics.summary.platform", {
          registrations: n(totals.registrations),
          payments: n(totals.payments),
          organizations: n(totals.organizations),
          events: n(totals.events),
        })}
        columnLabel={t("analytics.platform.day")}
        series={[
          { key: "registrations", label: t("analytics.platform.registrations"), color: SERIES_COLORS[0] },
          { key: "payments", label: t("analytics.platform.payments"), color: SERIES_COLORS[1] },
          { key: "events", label: t("analytics.platform.events"), color: SERIES_COLORS[3] },
          { key: "organizations", label: t("analytics.platform.organizations"), color: SERIES_COLORS[4] },
        ]}
        rows={data.days.map((d, i) => ({ key: d.day, label: labels[i], values: [d.registrations, d.payments, d.events, d.organizations] }))}
        testId="chart-platform-days"
      />
    </div>
  );
}
