// The organizer's registrations view of one event (server component): status chips that filter,
// a search/filter form (plain GET: the view is a linkable URL and works before JavaScript), the CSV
// link with the same filters, a table on wide screens and cards on phones, and pagination.
// Only the row actions are client components (./row-actions).
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button-styles";
import { cn } from "@/components/ui/cn";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import type { AdminRegistration, RegistrationFilters, RegistrationList, StatusCounts } from "@/lib/registrations/admin";
import { REGISTRATION_STATUSES } from "@/lib/registrations/admin";
import { formatMoney, formatWhen } from "./format";
import { NoticeProvider } from "./notice";
import { RowActions, type RowActionsView } from "./row-actions";

type Status = (typeof REGISTRATION_STATUSES)[number];
type Query = RegistrationFilters & { page?: number };

/** `path?q=…&status=…&ticketType=…&page=…` (empty values dropped). */
export function viewHref(path: string, query: Query): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.status) params.set("status", query.status);
  if (query.ticketTypeId) params.set("ticketType", query.ticketTypeId);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const STATUS_TONE: Record<Status | "EXPIRED_HOLD", string> = {
  RESERVED: "bg-amber-100 text-amber-900",
  PENDING: "bg-amber-100 text-amber-900",
  CONFIRMED: "bg-emerald-100 text-emerald-800",
  CHECKED_IN: "bg-brand-100 text-brand-700",
  CANCELLED: "bg-slate-100 text-slate-600",
  EXPIRED: "bg-slate-100 text-slate-600",
  EXPIRED_HOLD: "bg-slate-100 text-slate-600",
};

function StatusBadge({ r, t }: { r: AdminRegistration; t: Translator }) {
  const label = r.expired ? t("registrationsAdmin.status.EXPIRED") : t.dynamic(`registrationsAdmin.status.${r.status}`);
  return (
    <span
      className={cn("inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap", STATUS_TONE[r.expired ? "EXPIRED_HOLD" : r.status])}
      data-testid="registration-status"
      data-status={r.expired ? "EXPIRED" : r.status}
    >
      {label}
    </span>
  );
}

function fullName(r: AdminRegistration): string {
  return [r.firstName, r.lastName].filter(Boolean).join(" ");
}

export type RegistrationsViewProps = {
  list: RegistrationList;
  counts: StatusCounts;
  filters: RegistrationFilters;
  /** The view's URL path (what the person sees, without the locale). */
  path: string;
  csvHref: string;
  locale: Locale;
  t: Translator;
};

export function RegistrationsView({ list, counts, filters, path, csvHref, locale, t }: RegistrationsViewProps) {
  const { event, items, total, page, pageSize, totalPages, viewer } = list;
  const tz = event.timezone;
  const filtered = !!(filters.q || filters.status || filters.ticketTypeId);
  const when = (d: Date | null) => (d ? formatWhen(d, tz, locale) : "");

  const paymentText = (r: AdminRegistration) => {
    const lines: string[] = [];
    if (r.priceCents === 0) lines.push(t("registrationsAdmin.row.free"));
    else if (r.prepayment?.status === "PARTIAL")
      lines.push(
        t("registrationsAdmin.row.prepaymentPartial", {
          prepaid: formatMoney(r.prepayment.prepaidCents, r.currency, locale),
          remaining: formatMoney(r.prepayment.remainingCents, r.currency, locale),
        }),
        t("registrationsAdmin.row.prepaymentDue", { date: when(r.prepayment.dueDate) }),
      );
    else if (r.paidCents > 0) lines.push(t("registrationsAdmin.row.paid", { amount: formatMoney(r.paidCents, r.currency, locale) }));
    else lines.push(t("registrationsAdmin.row.notPaid", { amount: formatMoney(r.priceCents, r.currency, locale) }));
    if (r.refundDueCents > 0) lines.push(t("registrationsAdmin.row.refundDue", { amount: formatMoney(r.refundDueCents, r.currency, locale) }));
    return lines;
  };

  const statusNote = (r: AdminRegistration) => {
    if (r.status === "RESERVED" && r.expiresAt && !r.expired) return t("registrationsAdmin.row.expiresAt", { date: when(r.expiresAt) });
    if (r.checkedInAt) return t("registrationsAdmin.row.checkedInAt", { date: when(r.checkedInAt) });
    if (r.status === "CANCELLED" && r.cancelledAt) return t("registrationsAdmin.row.cancelledAt", { date: when(r.cancelledAt) });
    return null;
  };

  const actionsView = (r: AdminRegistration): RowActionsView => ({
    id: r.id,
    code: r.confirmationCode,
    name: fullName(r),
    status: r.status,
    expired: r.expired,
    currency: r.currency,
    paidCents: r.paidCents,
    amountDue: r.amountDue,
    prepayment: r.prepayment ? { status: r.prepayment.status, prepaidCents: r.prepayment.prepaidCents, remainingCents: r.prepayment.remainingCents } : null,
    hasPayments: r.priceCents > 0,
  });

  const answers = (r: AdminRegistration) =>
    event.registrationFields
      .filter((f) => r.customFields[f.key] !== undefined && r.customFields[f.key] !== "")
      .map((f) => {
        const v = r.customFields[f.key];
        return { label: f.label, value: f.type === "checkbox" ? (v === true ? t("registrationsAdmin.row.yes") : t("registrationsAdmin.row.no")) : String(v) };
      });

  const Person = ({ r }: { r: AdminRegistration }) => {
    const a = answers(r);
    return (
      <div className="flex min-w-0 flex-col gap-0.5">
        <span className="font-medium break-words text-slate-900" data-testid="registration-name">
          {fullName(r)}
          {r.isGuest && <span className="ml-2 text-xs font-normal text-slate-500">({t("registrationsAdmin.row.guest")})</span>}
        </span>
        <span className="text-sm break-all text-slate-600">{r.email ?? t("registrationsAdmin.row.noEmail")}</span>
        {r.cancellationReason && <span className="text-sm break-words text-slate-500">{t("registrationsAdmin.row.reason", { reason: r.cancellationReason })}</span>}
        {a.length > 0 && (
          <details className="text-sm text-slate-600">
            <summary className="cursor-pointer text-brand-700">{t("registrationsAdmin.row.answers")}</summary>
            <dl className="mt-1 flex flex-col gap-1">
              {a.map((x) => (
                <div key={x.label}>
                  <dt className="text-xs text-slate-500">{x.label}</dt>
                  <dd className="break-words text-slate-800">{x.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </div>
    );
  };

  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = (page - 1) * pageSize + items.length;

  return (
    <div className="flex flex-col gap-5">
      {/* The event's layout (title as h1, back link, tabs) wraps this page: the section heading is an h2. */}
      <header className="flex flex-col gap-1">
        <h2 className="text-xl font-semibold text-slate-900 sm:text-2xl">{t("registrationsAdmin.title")}</h2>
        <p className="text-sm text-slate-500">{t("registrationsAdmin.timezoneNote", { tz })}</p>
      </header>

      {/* Counts per status: each chip is a link that filters (keeps the search and the type). */}
      <nav aria-label={t("registrationsAdmin.counts.label")} className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
        <ul className="flex min-w-max gap-2 sm:min-w-0 sm:flex-wrap">
          {[null, ...REGISTRATION_STATUSES].map((status) => {
            const active = (filters.status ?? null) === status;
            const count = status ? counts[status] : counts.total;
            return (
              <li key={status ?? "all"}>
                <Link
                  href={viewHref(path, { ...filters, status, page: 1 })}
                  aria-current={active ? "page" : undefined}
                  data-testid="status-chip"
                  data-status={status ?? "ALL"}
                  className={cn(
                    "inline-flex min-h-11 items-center gap-2 rounded-full border px-4 text-sm font-medium whitespace-nowrap",
                    active ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
                  )}
                >
                  {status ? t.dynamic(`registrationsAdmin.status.${status}`) : t("registrationsAdmin.counts.all")}
                  <span className={cn("rounded-full px-2 text-xs", active ? "bg-white/20" : "bg-slate-100 text-slate-700")} data-testid="status-count">
                    {count}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <form method="get" action={path} role="search" aria-label={t("registrationsAdmin.filters.label")} className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 sm:p-5 md:flex-row md:flex-wrap md:items-end">
        <div className="flex min-w-0 flex-1 flex-col gap-1.5 md:min-w-64">
          <label htmlFor="registrations-q" className="text-sm font-medium text-slate-800">
            {t("registrationsAdmin.filters.search")}
          </label>
          <input
            id="registrations-q"
            name="q"
            type="search"
            defaultValue={filters.q ?? ""}
            maxLength={200}
            placeholder={t("registrationsAdmin.filters.searchPlaceholder")}
            autoComplete="off"
            className="block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3.5 text-base text-slate-900 placeholder:text-slate-400 focus:border-brand-600 focus:outline-2 focus:outline-brand-500/40"
          />
        </div>
        <div className="grid grid-cols-1 gap-3 min-[380px]:grid-cols-2 md:flex md:gap-3">
          <div className="flex flex-col gap-1.5">
            <label htmlFor="registrations-status" className="text-sm font-medium text-slate-800">
              {t("registrationsAdmin.filters.status")}
            </label>
            <select
              id="registrations-status"
              name="status"
              defaultValue={filters.status ?? ""}
              className="block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 md:w-48"
            >
              <option value="">{t("registrationsAdmin.filters.anyStatus")}</option>
              {REGISTRATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t.dynamic(`registrationsAdmin.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="registrations-type" className="text-sm font-medium text-slate-800">
              {t("registrationsAdmin.filters.ticketType")}
            </label>
            <select
              id="registrations-type"
              name="ticketType"
              defaultValue={filters.ticketTypeId ?? ""}
              className="block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 md:w-48"
            >
              <option value="">{t("registrationsAdmin.filters.anyTicketType")}</option>
              {event.ticketTypes.map((type) => (
                <option key={type.id} value={type.id}>
                  {type.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="flex gap-2">
          <button type="submit" className={buttonClasses({ size: "lg", className: "flex-1 md:flex-none" })} data-testid="apply-filters">
            {t("registrationsAdmin.filters.apply")}
          </button>
          {filtered && (
            <Link href={path} className={buttonClasses({ variant: "secondary", size: "lg", className: "flex-1 md:flex-none" })}>
              {t("registrationsAdmin.filters.reset")}
            </Link>
          )}
        </div>
      </form>

      <div className="flex flex-col gap-1 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-slate-600">{t("registrationsAdmin.exportHint")}</p>
        <a href={csvHref} download className={buttonClasses({ variant: "secondary", className: "shrink-0" })} data-testid="export-csv">
          {t("registrationsAdmin.exportCsv")}
        </a>
      </div>

      <NoticeProvider>
        {items.length === 0 ? (
          <div className="rounded-2xl border border-dashed border-slate-300 bg-white p-6 text-center" data-testid="registrations-empty">
            <p className="font-semibold text-slate-900">{filtered ? t("registrationsAdmin.empty.filteredTitle") : t("registrationsAdmin.empty.title")}</p>
            <p className="mt-1 text-sm text-slate-600">{filtered ? t("registrationsAdmin.empty.filteredText") : t("registrationsAdmin.empty.text")}</p>
            {filtered && (
              <Link href={path} className={buttonClasses({ variant: "secondary", className: "mt-4" })}>
                {t("registrationsAdmin.filters.reset")}
              </Link>
            )}
          </div>
        ) : (
          <>
            {/* Phones: cards. */}
            <ul className="flex flex-col gap-3 md:hidden" data-testid="registration-cards">
              {items.map((r) => (
                <li key={r.id} className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4" data-testid="registration-row" data-code={r.confirmationCode}>
                  <div className="flex items-start justify-between gap-3">
                    <Person r={r} />
                    <StatusBadge r={r} t={t} />
                  </div>
                  <dl className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
                    <div>
                      <dt className="text-xs text-slate-500">{t("registrationsAdmin.table.code")}</dt>
                      <dd className="font-mono font-semibold tracking-wider text-slate-900">{r.confirmationCode}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-500">{t("registrationsAdmin.table.ticket")}</dt>
                      <dd className="break-words text-slate-800">{r.ticketTypeName}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-500">{t("registrationsAdmin.table.payment")}</dt>
                      <dd className="text-slate-800">
                        {paymentText(r).map((line) => (
                          <span key={line} className="block">
                            {line}
                          </span>
                        ))}
                      </dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-500">{t("registrationsAdmin.table.created")}</dt>
                      <dd className="text-slate-800">{when(r.createdAt)}</dd>
                      {statusNote(r) && <dd className="text-xs text-slate-500">{statusNote(r)}</dd>}
                    </div>
                  </dl>
                  {viewer.canManage && <RowActions row={actionsView(r)} layout="card" />}
                </li>
              ))}
            </ul>

            {/* Wide screens: a table. */}
            <div className="hidden overflow-x-auto rounded-2xl border border-slate-200 bg-white md:block">
              <table className="w-full text-left text-sm" data-testid="registrations-table">
                <caption className="sr-only">{t("registrationsAdmin.table.caption", { count: total })}</caption>
                <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
                  <tr>
                    <th scope="col" className="px-4 py-3">{t("registrationsAdmin.table.participant")}</th>
                    <th scope="col" className="px-4 py-3">
                      {t("registrationsAdmin.table.ticket")} · {t("registrationsAdmin.table.payment")}
                    </th>
                    <th scope="col" className="px-4 py-3">{t("registrationsAdmin.table.status")}</th>
                    {viewer.canManage && (
                      <th scope="col" className="px-4 py-3 text-right">
                        {t("registrationsAdmin.table.actions")}
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {items.map((r) => (
                    <tr key={r.id} className="align-top" data-testid="registration-row" data-code={r.confirmationCode}>
                      <td className="px-4 py-3">
                        <Person r={r} />
                        <p className="mt-1 font-mono text-sm font-semibold tracking-wider text-slate-900">
                          <span className="sr-only">{t("registrationsAdmin.table.code")}: </span>
                          {r.confirmationCode}
                        </p>
                      </td>
                      <td className="px-4 py-3 text-slate-800">
                        <span className="block font-medium">{r.ticketTypeName}</span>
                        {paymentText(r).map((line) => (
                          <span key={line} className="block text-slate-600">
                            {line}
                          </span>
                        ))}
                      </td>
                      <td className="px-4 py-3">
                        <StatusBadge r={r} t={t} />
                        <p className="mt-1 text-xs text-slate-500">
                          {t("registrationsAdmin.table.created")}: {when(r.createdAt)}
                        </p>
                        {statusNote(r) && <p className="text-xs text-slate-500">{statusNote(r)}</p>}
                      </td>
                      {viewer.canManage && (
                        <td className="px-4 py-3">
                          <RowActions row={actionsView(r)} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </NoticeProvider>

      {total > 0 && (
        <nav aria-label={t("registrationsAdmin.pagination.label")} className="flex flex-col items-center gap-3 sm:flex-row sm:justify-between">
          <p className="text-sm text-slate-600" data-testid="pagination-summary">
            {t("registrationsAdmin.pagination.shown", { from, to, total })}
          </p>
          {totalPages > 1 && (
            <div className="flex items-center gap-2">
              {page > 1 ? (
                <Link href={viewHref(path, { ...filters, page: page - 1 })} rel="prev" className={buttonClasses({ variant: "secondary" })}>
                  {t("registrationsAdmin.pagination.previous")}
                </Link>
              ) : (
                <span aria-disabled="true" className={buttonClasses({ variant: "secondary" })}>
                  {t("registrationsAdmin.pagination.previous")}
                </span>
              )}
              <span className="px-2 text-sm whitespace-nowrap text-slate-700" aria-current="page">
                {t("registrationsAdmin.pagination.page", { page, total: totalPages })}
              </span>
              {page < totalPages ? (
                <Link href={viewHref(path, { ...filters, page: page + 1 })} rel="next" className={buttonClasses({ variant: "secondary" })}>
                  {t("registrationsAdmin.pagination.next")}
                </Link>
              ) : (
                <span aria-disabled="true" className={buttonClasses({ variant: "secondary" })}>
                  {t("registrationsAdmin.pagination.next")}
                </span>
              )}
            </div>
          )}
        </nav>
      )}
    </div>
  );
}
