// The event's Analytics tab (server component): key figures, registrations over time, ticket types,
// funnel, sources and utm, promo codes, waitlist, cancellations, check-in and the exports. Only the
// charts are client components (ChartCard); everything else is plain HTML rendered on the server.
import { Figure, Figures, DataTable, EmptyNote, NetMoney, Section } from "@/components/analytics/blocks";
import { ChartCard } from "@/components/analytics/chart-card";
import { bucketLabel, formatCount, formatGeneratedAt, formatPercent, funnelSteps, registrationsPeak, SERIES_COLORS, seriesPeak } from "@/components/analytics/format";
import { attendeeListPath, EXPORT_DATASETS, eventExportPath } from "@/lib/analytics/paths";
import type { EventAnalytics, RegistrationsPoint } from "@/lib/analytics/types";
import { REGISTRATION_STATUSES } from "@/lib/analytics/types";
import type { Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/i18n/format/money";
import type { Translator } from "@/lib/i18n/translate";

type Props = { data: EventAnalytics; slug: string; locale: Locale; t: Translator };

export function EventAnalyticsView({ data, slug, locale, t }: Props) {
  const n = (value: number) => formatCount(value, locale);
  const { event, funnel, checkIn } = data;
  return (
    <div className="flex flex-col gap-4" data-testid="event-analytics">
      <div className="flex flex-col gap-1">
        <h2 className="text-xl font-semibold text-slate-900">{t("analytics.event.title")}</h2>
        <p className="text-sm text-slate-600">
          <time dateTime={data.generatedAt}>{t("analytics.event.generatedAt", { date: formatGeneratedAt(data.generatedAt, locale, event.timezone) })}</time>
        </p>
      </div>

      {data.isEmpty ? (
        <EmptyNote testId="analytics-empty">{t("analytics.event.empty")}</EmptyNote>
      ) : (
        <>
          <Section id="analytics-key" title={t("analytics.event.keyFigures")} testId="analytics-key-figures">
            <Figures>
              <Figure label={t("analytics.event.registrations")} value={n(funnel.started)} testId="figure-registrations" />
              <Figure label={t("analytics.event.confirmed")} value={n(funnel.confirmed)} testId="figure-confirmed" />
              <Figure
                label={t("analytics.event.checkedIn")}
                value={n(checkIn.checkedIn)}
                note={<span data-testid="figure-check-in-rate">{t("analytics.event.checkInRate", { rate: formatPercent(checkIn.rate, locale) })}</span>}
                testId="figure-checked-in"
              />
              <Figure
                label={t("analytics.event.revenueNet")}
                value={<NetMoney revenue={data.revenue} locale={locale} none={t("analytics.event.revenueNone")} testId="figure-revenue" />}
                note={t("analytics.event.revenueNote")}
              />
            </Figures>
          </Section>

          <RegistrationsChart points={data.daily} kind="day" {...{ locale, t, timeZone: event.timezone }} />
          {data.hourly.some((p) => p.created + p.confirmed + p.cancelled > 0) && <RegistrationsChart points={data.hourly} kind="hour" {...{ locale, t, timeZone: event.timezone }} />}

          <TicketTypes data={data} locale={locale} t={t} />
          <FunnelChart data={data} locale={locale} t={t} />
          <Sources data={data} locale={locale} t={t} />
          <PromoCodes data={data} locale={locale} t={t} />
          <Waitlist data={data} locale={locale} t={t} />
          <Cancellations data={data} locale={locale} t={t} />
          <CheckIn data={data} locale={locale} t={t} />
        </>
      )}

      <Section id="analytics-exports" title={t("analytics.event.exportsTitle")} description={t("analytics.event.exportsIntro", { zone: event.timezone })} testId="analytics-exports">
        <ul className="flex flex-col gap-1 sm:flex-row sm:flex-wrap sm:gap-x-4">
          {EXPORT_DATASETS.map((dataset) => (
            <li key={dataset}>
              <a href={eventExportPath(event.id, "csv", dataset)} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline underline-offset-2" data-testid={`export-${dataset}`}>
                {t(`analytics.event.csv.${dataset}`)}
              </a>
            </li>
          ))}
          <li>
            <a href={eventExportPath(event.id, "xlsx")} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline underline-offset-2" data-testid="export-xlsx">
              {t("analytics.event.xlsx")}
            </a>
          </li>
          <li>
            <a href={attendeeListPath(slug, event.id)} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline underline-offset-2" data-testid="export-print">
              {t("analytics.event.print")}
            </a>
          </li>
        </ul>
      </Section>
    </div>
  );
}

function RegistrationsChart({ points, kind, locale, t, timeZone }: { points: RegistrationsPoint[]; kind: "day" | "hour"; locale: Locale; t: Translator; timeZone: string }) {
  const labels = points.map((p) => bucketLabel(p.start, kind, locale, timeZone));
  const peak = registrationsPeak(points);
  const summary = peak
    ? t(kind === "day" ? "analytics.summary.daily" : "analytics.summary.hourly", { total: peak.total, when: labels[peak.peakIndex], peak: formatCount(peak.peak, locale) })
    : t("analytics.summary.none");
  return (
    <ChartCard
      title={t(kind === "day" ? "analytics.event.timeTitle" : "analytics.event.hourlyTitle")}
      summary={summary}
      columnLabel={t("analytics.event.period")}
      series={[
        { key: "created", label: t("analytics.event.created"), color: SERIES_COLORS[0] },
        { key: "confirmed", label: t("analytics.event.confirmed"), color: SERIES_COLORS[1] },
        { key: "cancelled", label: t("analytics.event.cancelled"), color: SERIES_COLORS[2] },
      ]}
      rows={points.map((p, i) => ({ key: p.start, label: labels[i], values: [p.created, p.confirmed, p.cancelled] }))}
      testId={kind === "day" ? "chart-daily" : "chart-hourly"}
    />
  );
}

function TicketTypes({ data, locale, t }: Omit<Props, "slug">) {
  const n = (value: number) => formatCount(value, locale);
  return (
    <Section id="analytics-tickets" title={t("analytics.event.ticketsTitle")} testId="analytics-ticket-types">
      <ul className="flex flex-col gap-3">
        {data.ticketTypes.map((type) => (
          <li key={type.ticketTypeId} className="flex flex-col gap-2 rounded-lg bg-slate-50 p-3" data-testid={`ticket-type-${type.ticketTypeId}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <p className="font-medium break-words text-slate-900">
                {type.name}
                {type.isHidden && <span className="ml-2 text-sm font-normal text-slate-600">({t("analytics.event.hidden")})</span>}
              </p>
              <p className="text-sm text-slate-700">{type.priceCents === 0 ? t("analytics.event.free") : formatMoney(type.priceCents, type.currency, locale)}</p>
            </div>
            <p className="text-sm text-slate-700">
              {t("analytics.event.sold")}: <span className="font-semibold tabular-nums" data-testid="ticket-type-sold">{n(type.sold)}</span>
              {" / "}
              {type.quantity === null ? t("analytics.event.unlimited") : n(type.quantity)}
              {type.sellThrough !== null && (
                <>
                  {" · "}
                  {t("analytics.event.sellThrough")}: <span className="font-semibold tabular-nums">{formatPercent(type.sellThrough, locale)}</span>
                </>
              )}
            </p>
            {type.sellThrough !== null && (
              // Decorative: the percentage is in the text just above.
              <div aria-hidden="true" className="h-2 overflow-hidden rounded-full bg-slate-200">
                <div className="h-full rounded-full bg-brand-600" style={{ width: `${Math.min(100, Math.round(type.sellThrough * 100))}%` }} />
              </div>
            )}
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
              {REGISTRATION_STATUSES.map((status) => (
                <div key={status} className="flex justify-between gap-2">
                  <dt className="text-slate-600">{t(`analytics.event.status.${status}`)}</dt>
                  <dd className="tabular-nums text-slate-900" data-testid={`ticket-type-status-${status}`}>
                    {n(type.byStatus[status])}
                  </dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function FunnelChart({ data, locale, t }: Omit<Props, "slug">) {
  const steps = funnelSteps(data.funnel);
  return (
    <div className="flex flex-col gap-2">
      <ChartCard
        title={t("analytics.event.funnelTitle")}
        summary={t("analytics.event.funnelSummary", { views: formatCount(data.funnel.views, locale), confirmed: formatCount(data.funnel.confirmed, locale), checkedIn: formatCount(data.funnel.checkedIn, locale) })}
        columnLabel={t("analytics.event.funnelStep")}
        series={[{ key: "count", label: t("analytics.event.funnelCount"), color: SERIES_COLORS[0] }]}
        rows={steps.map((s) => ({ key: s.step, label: t(`analytics.event.funnel.${s.step}`), values: [s.count] }))}
        extraColumn={{ label: t("analytics.event.funnelConversion"), cells: steps.map((s) => formatPercent(s.conversion, locale)) }}
        layout="bars"
        testId="chart-funnel"
      />
      <p className="px-1 text-sm text-slate-600">{t("analytics.event.funnelNote")}</p>
    </div>
  );
}

function Sources({ data, locale, t }: Omit<Props, "slug">) {
  const n = (value: number) => formatCount(value, locale);
  return (
    <Section id="analytics-sources" title={t("analytics.event.sourcesTitle")} testId="analytics-sources">
      {data.sources.length === 0 ? (
        <p className="text-sm text-slate-600">{t("analytics.event.noSources")}</p>
      ) : (
        <DataTable
          caption={t("analytics.event.sourcesTitle")}
          columns={[{ label: t("analytics.event.source") }, { label: t("analytics.event.views"), numeric: true }, { label: t("analytics.event.formOpens"), numeric: true }]}
          rows={data.sources.map((s) => ({ key: s.source, cells: [s.source || t("analytics.event.direct"), n(s.views), n(s.formOpens)] }))}
        />
      )}
      <h3 className="pt-2 font-semibold text-slate-900">{t("analytics.event.utmTitle")}</h3>
      {data.utm.length === 0 ? (
        <p className="text-sm text-slate-600">{t("analytics.event.noUtm")}</p>
      ) : (
        <DataTable
          caption={t("analytics.event.utmTitle")}
          columns={[{ label: "utm_source" }, { label: "utm_medium" }, { label: "utm_campaign" }, { label: t("analytics.event.views"), numeric: true }, { label: t("analytics.event.formOpens"), numeric: true }]}
          rows={data.utm.map((u) => ({ key: `${u.utmSource}|${u.utmMedium}|${u.utmCampaign}`, cells: [u.utmSource || "—", u.utmMedium || "—", u.utmCampaign || "—", n(u.views), n(u.formOpens)] }))}
        />
      )}
    </Section>
  );
}

function PromoCodes({ data, locale, t }: Omit<Props, "slug">) {
  return (
    <Section id="analytics-promo" title={t("analytics.event.promoTitle")} testId="analytics-promo">
      {data.promoCodes.length === 0 ? (
        <p className="text-sm text-slate-600">{t("analytics.event.noPromo")}</p>
      ) : (
        <DataTable
          caption={t("analytics.event.promoTitle")}
          columns={[{ label: t("analytics.event.promoCode") }, { label: t("analytics.event.promoUses"), numeric: true }, { label: t("analytics.event.promoDiscount"), numeric: true }]}
          rows={data.promoCodes.map((p) => ({
            key: p.promoCodeId,
            cells: [
              <>
                <code className="font-mono">{p.code}</code>
                {!p.isActive && <span className="ml-2 text-slate-600">({t("analytics.event.promoInactive")})</span>}
              </>,
              p.usageLimit === null ? formatCount(p.uses, locale) : `${formatCount(p.uses, locale)} / ${formatCount(p.usageLimit, locale)}`,
              p.discounts.length === 0 ? "—" : p.discounts.map((d) => formatMoney(d.discountCents, d.currency, locale)).join(", "),
            ],
          }))}
        />
      )}
    </Section>
  );
}

function Waitlist({ data, locale, t }: Omit<Props, "slug">) {
  const w = data.waitlist;
  const n = (value: number) => formatCount(value, locale);
  return (
    <Section id="analytics-waitlist" title={t("analytics.event.waitlistTitle")} testId="analytics-waitlist">
      <Figures>
        <Figure label={t("analytics.event.waitlist.total")} value={n(w.total)} testId="waitlist-total" />
        <Figure label={t("analytics.event.waitlist.waiting")} value={n(w.waiting)} />
        <Figure label={t("analytics.event.waitlist.notified")} value={n(w.notified)} />
        <Figure label={t("analytics.event.waitlist.converted")} value={n(w.converted)} />
        <Figure label={t("analytics.event.waitlist.expired")} value={n(w.expired)} />
        <Figure label={t("analytics.event.waitlist.conversionRate")} value={formatPercent(w.conversionRate, locale)} />
      </Figures>
    </Section>
  );
}

function Cancellations({ data, locale, t }: Omit<Props, "slug">) {
  const c = data.cancellations;
  return (
    <Section id="analytics-cancellations" title={t("analytics.event.cancellationsTitle")} testId="analytics-cancellations">
      {c.total === 0 ? (
        <p className="text-sm text-slate-600">{t("analytics.event.noCancellations")}</p>
      ) : (
        <>
          <p className="text-sm text-slate-700" data-testid="cancellations-total">
            {t("analytics.event.cancellationsSummary", { count: c.total })}
          </p>
          <DataTable
            caption={t("analytics.event.cancellationsTitle")}
            columns={[{ label: t("analytics.event.reason") }, { label: t("analytics.event.count"), numeric: true }]}
            rows={c.byReason.map((r, i) => ({ key: `${i}-${r.reason ?? ""}`, cells: [r.reason ?? t("analytics.event.noReason"), formatCount(r.count, locale)] }))}
          />
        </>
      )}
    </Section>
  );
}

function CheckIn({ data, locale, t }: Omit<Props, "slug">) {
  const c = data.checkIn;
  const n = (value: number) => formatCount(value, locale);
  const labels = c.arrivals.map((a) => bucketLabel(a.start, "quarter", locale, data.event.timezone));
  const peak = seriesPeak(c.arrivals.map((a) => a.count));
  return (
    <>
      <Section id="analytics-check-in" title={t("analytics.event.checkInTitle")} testId="analytics-check-in">
        <Figures>
          <Figure label={t("analytics.event.expected")} value={n(c.expected)} testId="check-in-expected" />
          <Figure label={t("analytics.event.checkedIn")} value={n(c.checkedIn)} testId="check-in-checked-in" />
          <Figure label={t("analytics.event.rate")} value={formatPercent(c.rate, locale)} testId="check-in-rate" />
          <Figure
            label={t("analytics.event.noShows")}
            value={c.noShows === null ? <span className="text-base font-normal text-slate-600">{t("analytics.event.noShowsBefore")}</span> : n(c.noShows)}
            testId="check-in-no-shows"
          />
        </Figures>
      </Section>
      {c.arrivals.length > 0 && (
        <ChartCard
          title={t("analytics.event.arrivalsTitle")}
          summary={peak ? t("analytics.event.arrivalsSummary", { count: peak.total, time: labels[peak.peakIndex], peak: n(peak.peak) }) : ""}
          columnLabel={t("analytics.event.time")}
          series={[{ key: "count", label: t("analytics.event.arrivals"), color: SERIES_COLORS[1] }]}
          rows={c.arrivals.map((a, i) => ({ key: a.start, label: labels[i], values: [a.count] }))}
          testId="chart-arrivals"
        />
      )}
    </>
  );
}
