"use client";
// One chart of the analytics pages: a heading, a one-sentence summary, the chart (Recharts) and a
// "Show as table" toggle that swaps it for a real <table> of the same numbers. Imported only by the
// dashboard analytics pages, so the public pages' JavaScript does not grow.
//
// Before hydration (and without JavaScript) the table is rendered: Recharts measures its container in
// the browser, so a server-rendered chart would be an empty box; the table always says the numbers.
// The chart itself is role="img" labelled by the summary (the table is the accessible detail).
import { useId, useState, useSyncExternalStore } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/components/analytics/format";
import { useLocale, useT } from "@/lib/i18n/client";

export type ChartSeries = { key: string; label: string; color: string };
export type ChartRow = { key: string; label: string; values: number[] };

const noopSubscribe = () => () => {};

/** True in the browser after hydration, false on the server and during hydration. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
}

export function ChartCard(props: {
  title: string;
  summary: string;
  /** The first column's header (e.g. "Day", "Time", "Step"). */
  columnLabel: string;
  series: ChartSeries[];
  rows: ChartRow[];
  /** Stack the series in one bar per bucket (parts of a whole) instead of side by side. */
  stacked?: boolean;
  /** Horizontal bars with the labels on the left (steps, categories with long names). */
  layout?: "columns" | "bars";
  /** One more column of the table view, already formatted (e.g. a funnel's step conversion). */
  extraColumn?: { label: string; cells: string[] };
  testId?: string;
}) {
  const { title, summary, columnLabel, series, rows, stacked = false, layout = "columns", extraColumn, testId } = props;
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const hydrated = useHydrated();
  const [showTable, setShowTable] = useState(false);
  const tableShown = showTable || !hydrated;
  const data = rows.map((row) => Object.fromEntries([["label", row.label], ...series.map((s, i) => [s.key, row.values[i] ?? 0])]));
  const count = (value: unknown) => formatCount(Number(value) || 0, locale);
  const horizontal = layout === "bars";
  // Horizontal bars grow with the rows; columns keep a phone-friendly height.
  const height = horizontal ? Math.max(160, rows.length * 36 + 40) : 240;

  return (
    <section aria-labelledby={`${id}-title`} className="flex min-w-0 flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4" data-testid={testId}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {hydrated && rows.length > 0 && (
          <button
            type="button"
            onClick={() => setShowTable((v) => !v)}
            aria-pressed={showTable}
            aria-controls={`${id}-body`}
            className="min-h-11 rounded-lg border border-slate-300 px-3 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
            data-testid={testId ? `${testId}-toggle` : undefined}
          >
            {showTable ? t("analytics.chart.showChart") : t("analytics.chart.showTable")}
          </button>
        )}
      </div>
      <p id={`${id}-summary`} className="text-sm text-slate-700" data-testid={testId ? `${testId}-summary` : undefined}>
        {summary}
      </p>
      <div id={`${id}-body`}>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-600">{t("analytics.chart.empty")}</p>
        ) : tableShown ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid={testId ? `${testId}-table` : undefined}>
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr className="border-b border-slate-200 text-slate-600">
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {columnLabel}
                  </th>
                  {series.map((s) => (
                    <th key={s.key} scope="col" className="py-2 pr-3 text-right font-medium break-words hyphens-auto">
                      {s.label}
                    </th>
                  ))}
                  {extraColumn && (
                    <th scope="col" className="py-2 pr-3 text-right font-medium break-words hyphens-auto">
                      {extraColumn.label}
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, rowIndex) => (
                  <tr key={row.key} className="border-b border-slate-100 last:border-0">
                    <th scope="row" className="py-2 pr-4 font-normal text-slate-900">
                      {row.label}
                    </th>
                    {series.map((s, i) => (
                      <td key={s.key} className="py-2 pr-3 text-right tabular-nums text-slate-900">
                        {count(row.values[i] ?? 0)}
                      </td>
                    ))}
                    {extraColumn && <td className="py-2 pr-3 text-right tabular-nums text-slate-900">{extraColumn.cells[rowIndex] ?? ""}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <div role="img" aria-labelledby={`${id}-title ${id}-summary`} style={{ height }} className="w-full min-w-0">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} layout={horizontal ? "vertical" : "horizontal"} margin={{ top: 4, right: 8, bottom: 4, left: 0 }} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={horizontal} horizontal={!horizontal} />
                {horizontal ? (
                  <>
                    <XAxis type="number" allowDecimals={false} tickFormatter={count} tick={{ fontSize: 12, fill: "#334155" }} />
                    <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 12, fill: "#334155" }} />
                  </>
                ) : (
                  <>
                    <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#334155" }} minTickGap={16} interval="preserveStartEnd" />
                    <YAxis allowDecimals={false} width={40} tickFormatter={count} tick={{ fontSize: 12, fill: "#334155" }} />
                  </>
                )}
                <Tooltip formatter={(value) => count(value)} />
                {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
                {series.map((s) => (
                  <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={stacked ? "all" : undefined} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </div>
    </section>
  );
}
