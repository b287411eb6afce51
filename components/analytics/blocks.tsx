// Server-rendered pieces of the analytics pages (no client JavaScript): a section with a heading, a
// figure tile, a plain data table that scrolls sideways on a phone, money per currency.
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { MoneyTotals } from "@/lib/analytics/types";
import type { Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/i18n/format/money";

export function Section({ id, title, children, testId, description }: { id: string; title: string; children: ReactNode; testId?: string; description?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex min-w-0 flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4" data-testid={testId}>
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {description && <p className="text-sm text-slate-600">{description}</p>}
      {children}
    </section>
  );
}

/** A grid of figures as a description list (two columns on a phone). */
export function Figures({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <dl aria-label={label} className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {children}
    </dl>
  );
}

export function Figure({ label, value, note, testId }: { label: string; value: ReactNode; note?: ReactNode; testId?: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-1 rounded-lg bg-slate-50 p-3">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="text-2xl font-semibold break-words text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {note && <dd className="text-sm text-slate-600">{note}</dd>}
    </div>
  );
}

export type Column = { label: string; numeric?: boolean };

/** A table with a row header per row; numeric columns right-aligned. */
export function DataTable({ caption, columns, rows, testId }: { caption: string; columns: Column[]; rows: { key: string; cells: ReactNode[]; testId?: string }[]; testId?: string }) {
  return (
    <div className="-mx-4 overflow-x-auto px-4">
      <table className="w-full min-w-max text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-slate-600">
            {columns.map((c) => (
              <th key={c.label} scope="col" className={cn("py-2 pr-4 font-medium", c.numeric && "text-right")}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-b border-slate-100 last:border-0" data-testid={row.testId}>
              {row.cells.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" className="max-w-64 py-2 pr-4 font-normal break-words whitespace-normal text-slate-900">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className={cn("py-2 pr-4 text-slate-900", columns[i]?.numeric && "text-right tabular-nums")}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EmptyNote({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600" data-testid={testId}>
      {children}
    </p>
  );
}

/** Net money per currency, one line each (never summed across currencies). */
export function NetMoney({ revenue, locale, none, testId }: { revenue: MoneyTotals[]; locale: Locale; none: string; testId?: string }) {
  if (revenue.length === 0) return <span className="text-base font-normal text-slate-600">{none}</span>;
  return (
    <span className="flex flex-col">
      {revenue.map((m) => (
        <span key={m.currency} data-testid={testId ? `${testId}-${m.currency}` : undefined}>
          {formatMoney(m.netCents, m.currency, locale)}
        </span>
      ))}
    </span>
  );
}
