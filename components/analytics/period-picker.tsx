// The period of the organization dashboard and the platform view: a GET form (works without
// JavaScript) with two dates and quick links for the last 7 / 30 / 90 days. An invalid period was
// replaced by the default (parsePeriod); the reason is shown here, next to the fields.
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button-styles";
import { Input } from "@/components/ui/input";
import { addDays, QUICK_PERIODS } from "@/components/analytics/format";
import type { Period } from "@/lib/analytics/types";
import type { Locale } from "@/lib/i18n/config";
import { formatDate } from "@/lib/i18n/format/date";
import type { Translator } from "@/lib/i18n/translate";

export function PeriodPicker(props: {
  action: string;
  period: Period;
  /** A message key from parsePeriod, or null. */
  error: string | null;
  /** Today in the period's zone (YYYY-MM-DD): the end of the quick periods. */
  today: string;
  hrefFor: (period: { from: string; to: string }) => string;
  /** Other query parameters the form keeps (e.g. the comparison's sort). */
  keep?: Record<string, string>;
  locale: Locale;
  t: Translator;
}) {
  const { action, period, error, today, hrefFor, keep = {}, locale, t } = props;
  const day = (value: string) => formatDate(new Date(`${value}T00:00:00Z`), locale, "day", { timeZone: "UTC" });
  return (
    <div className="flex flex-col gap-3">
      {error && (
        <div data-testid="period-error">
          <Alert variant="error">{t.dynamic(error)}</Alert>
        </div>
      )}
      <form method="get" action={action} className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4" data-testid="period-form">
        {Object.entries(keep).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <fieldset className="flex flex-col gap-3">
          <legend className="mb-2 text-sm font-semibold text-slate-900">{t("analytics.period.legend")}</legend>
          <div className="grid grid-cols-1 gap-3 min-[400px]:grid-cols-2 sm:flex sm:items-end">
            <label className="flex flex-col gap-1 text-sm text-slate-700">
              {t("analytics.period.from")}
              <Input type="date" name="from" defaultValue={period.from} required data-testid="period-from" />
            </label>
            <label className="flex flex-col gap-1 text-sm text-slate-700">
              {t("analytics.period.to")}
              <Input type="date" name="to" defaultValue={period.to} required data-testid="period-to" />
            </label>
            <button type="submit" className={buttonClasses({ variant: "primary", size: "md" }) + " min-h-12 min-[400px]:col-span-2"} data-testid="period-apply">
              {t("analytics.period.apply")}
            </button>
          </div>
        </fieldset>
        <ul className="flex flex-wrap gap-2" aria-label={t("analytics.period.legend")}>
          {QUICK_PERIODS.map((days) => {
            const quick = { from: addDays(today, -(days - 1)), to: today };
            const current = quick.from === period.from && quick.to === period.to;
            return (
              <li key={days}>
                <Link
                  href={hrefFor(quick)}
                  aria-label={t("analytics.period.lastLabel", { days })}
                  aria-current={current ? "true" : undefined}
                  className={buttonClasses({ variant: current ? "primary" : "secondary", size: "sm" })}
                  data-testid={`period-last-${days}`}
                >
                  {t("analytics.period.last", { days })}
                </Link>
              </li>
            );
          })}
        </ul>
        <p className="text-sm text-slate-600" data-testid="period-shown">
          {t("analytics.period.shown", { from: day(period.from), to: day(period.to), zone: period.timezone })}
        </p>
      </form>
    </div>
  );
}
