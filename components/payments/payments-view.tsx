// The organizer's payments view (server component) of an event or of the whole organization
// (lib/payments/report.ts): totals per currency (gross, refunded, net; demo payments apart), a status
// filter (plain GET: the view is a link and works before JavaScript), the CSV link with the same filter,
// cards on phones and a table on wide screens, each payment with its refunds, and pages of 50.
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button-styles";
import { cn } from "@/components/ui/cn";
import type { Locale } from "@/lib/i18n/config";
import { formatDate } from "@/lib/i18n/format/date";
import { formatMoney } from "@/lib/i18n/format/money";
import type { Translator } from "@/lib/i18n/translate";
import type { CurrencyTotals, PaymentRow, PaymentsPage } from "@/lib/payments/report";
import { PAYMENT_STATUSES } from "@/lib/payments/report";

/** `path?status=…&page=…` (empty values dropped). */
export function paymentsHref(path: string, query: { status?: string | null; page?: number }): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const TONE: Record<PaymentRow["status"], string> = {
  PENDING: "bg-slate-100 text-slate-700",
  PROCESSING: "bg-amber-100 text-amber-900",
  COMPLETED: "bg-emerald-100 text-emerald-800",
  FAILED: "bg-red-100 text-red-800",
  PARTIALLY_REFUNDED: "bg-brand-100 text-brand-700",
  REFUNDED: "bg-slate-100 text-slate-600",
};

type Props = {
  page: PaymentsPage;
  totals: CurrencyTotals[];
  /** The view's URL path (without the locale). */
  path: string;
  csvHref: string;
  /** The organization-wide view shows each payment's event. */
  showEvent: boolean;
  locale: Locale;
  t: Translator;
};

export function PaymentsView({ page, totals, path, csvHref, showEvent, locale, t }: Props) {
  const money = (cents: number, currency: string) => formatMoney(cents, currency, locale);
  const when = (d: Date, tz: string) => formatDate(d, locale, "dayMonthYearTime", { timeZone: tz });
  const real = totals.filter((x) => !x.test);
  const test = totals.filter((x) => x.test);
  const from = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;

  return (
    <div className="flex flex-col gap-5" data-testid="payments-view">
      <section aria-labelledby="payments-totals" className="flex flex-col gap-3">
        <h2 id="payments-totals" className="text-lg font-semibold text-slate-900">
          {t("paymentsAdmin.view.totals")}
        </h2>
        <p className="text-sm text-slate-600">{t("paymentsAdmin.view.intro")}</p>
        {real.length === 0 && <p className="text-sm text-slate-600">{t("paymentsAdmin.view.noTotals")}</p>}
        <TotalsGrid rows={real} money={money} t={t} testId="payments-totals" />
        {test.length > 0 && (
          <>
            <h3 className="text-base font-semibold text-slate-800">{t("paymentsAdmin.view.totalsTest")}</h3>
            <TotalsGrid rows={test} money={money} t={t} testId="payments-totals-test" />
          </>
        )}
      </section>

      <form method="get" action={path} className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 sm:flex-row sm:items-end">
        <label className="flex flex-1 flex-col gap-1.5 text-sm font-medium text-slate-800">
          {t("paymentsAdmin.view.filterLabel")}
          <select
            name="status"
            defaultValue={page.status ?? ""}
            className="min-h-11 rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900"
            data-testid="payments-status-filter"
          >
            <option value="">{t("paymentsAdmin.view.allStatuses")}</option>
            {PAYMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.dynamic(`paymentsAdmin.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClasses({ variant: "secondary" })}>
          {t("paymentsAdmin.view.apply")}
        </button>
        <a href={csvHref} className={buttonClasses({ variant: "secondary" })} data-testid="payments-csv" download>
          {t("paymentsAdmin.view.exportCsv")}
        </a>
      </form>

      {page.rows.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600" data-testid="payments-empty">
          {page.status ? t("paymentsAdmin.view.emptyFiltered") : t("paymentsAdmin.view.empty")}
        </p>
      ) : (
        <ul className="flex flex-col gap-3" aria-label={t("paymentsAdmin.view.title")} data-testid="payments-list">
          {page.rows.map((p) => (
            <li key={p.id} className="rounded-2xl border border-slate-200 bg-white p-4" data-testid="payment-row" data-status={p.status}>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="text-base font-semibold text-slate-900">
                    {money(p.amountCents, p.currency)}
                    {p.refundedCents > 0 && <span className="ml-2 text-sm font-normal text-slate-600">−{money(p.refundedCents, p.currency)}</span>}
                  </p>
                  <p className="text-sm break-words text-slate-700">
                    {[p.registration.firstName, p.registration.lastName].filter(Boolean).join(" ")}
                    {p.registration.email && <span className="text-slate-500"> · {p.registration.email}</span>}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className={cn("inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap", TONE[p.status])} data-testid="payment-status">
                    {t.dynamic(`paymentsAdmin.status.${p.status}`)}
                  </span>
                  {p.isTest && (
                    <span className="inline-flex rounded-full bg-brand-100 px-2.5 py-0.5 text-xs font-semibold text-brand-700" data-testid="payment-test">
                      {t("paymentsAdmin.view.testPayment")}
                    </span>
                  )}
                </div>
              </div>
              <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
                <div>
                  <dt className="text-slate-500">{t("paymentsAdmin.view.code")}</dt>
                  <dd className="font-mono text-slate-900">{p.registration.code}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">{t("paymentsAdmin.view.provider")}</dt>
                  <dd className="text-slate-900">{t.dynamic(`paymentsAdmin.providers.${p.provider}`)}</dd>
                </div>
                <div className="col-span-2">
                  <dt className="text-slate-500">{t("paymentsAdmin.view.date")}</dt>
                  <dd className="text-slate-900">
                    <time dateTime={(p.completedAt ?? p.createdAt).toISOString()}>{when(p.completedAt ?? p.createdAt, p.event.timezone)}</time>
                  </dd>
                </div>
                {showEvent && (
                  <div className="col-span-2 sm:col-span-4">
                    <dt className="text-slate-500">{t("paymentsAdmin.view.event")}</dt>
                    <dd className="break-words text-slate-900">{p.event.title}</dd>
                  </div>
                )}
                {p.kind !== "FULL" && (
                  <div className="col-span-2">
                    <dt className="text-slate-500">{t("paymentsAdmin.view.kind")}</dt>
                    <dd className="text-slate-900">{t.dynamic(`paymentsAdmin.kind.${p.kind}`)}</dd>
                  </div>
                )}
              </dl>
              {p.flagReason && (
                <p className="mt-2 rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" data-testid="payment-flag">
                  {t("paymentsAdmin.view.flagged")} <span className="block break-words font-mono text-xs">{p.flagReason}</span>
                </p>
              )}
              {p.status === "FAILED" && p.failureReason && (
                <p className="mt-2 break-words text-sm text-slate-600">{t("paymentsAdmin.view.failureReason", { reason: p.failureReason })}</p>
              )}
              {p.refunds.length > 0 && (
                <div className="mt-3 border-t border-slate-100 pt-2">
                  <p className="text-sm font-medium text-slate-800">{t("paymentsAdmin.view.refunds")}</p>
                  <ul className="mt-1 flex flex-col gap-1 text-sm text-slate-700" data-testid="payment-refunds">
                    {p.refunds.map((f) => (
                      <li key={f.id} data-status={f.status}>
                        {t("paymentsAdmin.view.refundLine", {
                          amount: money(f.amountCents, p.currency),
                          status: t.dynamic(`paymentsAdmin.refundStatus.${f.status}`),
                        })}
                        {" · "}
                        <time dateTime={(f.completedAt ?? f.createdAt).toISOString()}>{when(f.completedAt ?? f.createdAt, p.event.timezone)}</time>
                        {f.reason && <span className="block text-slate-500">{t("paymentsAdmin.view.refundReason", { reason: f.reason })}</span>}
                        {f.status === "FAILED" && f.failureReason && (
                          <span className="block text-red-700">{t("paymentsAdmin.view.failureReason", { reason: f.failureReason })}</span>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      {page.pageCount > 1 && (
        <nav className="flex items-center justify-between gap-3" aria-label={t("paymentsAdmin.view.page", { page: page.page, pageCount: page.pageCount })}>
          {page.page > 1 ? (
            <Link href={paymentsHref(path, { status: page.status, page: page.page - 1 })} className={buttonClasses({ variant: "secondary" })} rel="prev">
              {t("paymentsAdmin.view.prev")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-slate-600">
            {t("paymentsAdmin.view.page", { page: page.page, pageCount: page.pageCount })} · {from}–{from + page.rows.length - 1} / {page.total}
          </span>
          {page.page < page.pageCount ? (
            <Link href={paymentsHref(path, { status: page.status, page: page.page + 1 })} className={buttonClasses({ variant: "secondary" })} rel="next">
              {t("paymentsAdmin.view.next")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
      <p className="text-xs text-slate-500">{t("paymentsAdmin.view.timezoneNote")}</p>
    </div>
  );
}

function TotalsGrid({ rows, money, t, testId }: { rows: CurrencyTotals[]; money: (cents: number, currency: string) => string; t: Translator; testId: string }) {
  if (rows.length === 0) return null;
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid={testId}>
      {rows.map((x) => (
        <div key={`${x.currency}-${x.test}`} className="rounded-2xl border border-slate-200 bg-white p-4" data-currency={x.currency}>
          <p className="text-sm font-semibold text-slate-500">
            {x.currency} · {t("paymentsAdmin.view.paymentsCount", { count: x.payments })}
          </p>
          <dl className="mt-2 grid grid-cols-3 gap-2 text-sm">
            <div>
              <dt className="text-slate-500">{t("paymentsAdmin.view.gross")}</dt>
              <dd className="font-semibold text-slate-900" data-testid="total-gross">
                {money(x.grossCents, x.currency)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">{t("paymentsAdmin.view.refunded")}</dt>
              <dd className="font-semibold text-slate-900" data-testid="total-refunded">
                {money(x.refundedCents, x.currency)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">{t("paymentsAdmin.view.net")}</dt>
              <dd className="font-semibold text-slate-900" data-testid="total-net">
                {money(x.netCents, x.currency)}
              </dd>
            </div>
          </dl>
        </div>
      ))}
    </div>
  );
}
