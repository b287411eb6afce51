// The printable attendee list (docs/analytics.md → "Exports"): one server-rendered table, no client
// JavaScript per row (the only client part is the Print button), so 5,000 attendees stay one page.
//
// Print styles (Tailwind `print:` variants, no stylesheet of its own):
// - the dashboard chrome (site header, navigation, the event's header and tabs, banners) is hidden:
//   the root's arbitrary variants match, while this list is on the page, every element that is
//   neither an ancestor of the list, the list, nor inside it (`body:has(&) :not(:has(&), &, & *)`),
//   and flatten the ancestors' grid, padding and width so the table gets the whole sheet;
// - the table header repeats on every sheet (table-header-group), a row never breaks across sheets;
// - sized for A4 portrait: 10pt text, the columns fit 180 mm; the screen-only hints and the button
//   are hidden.
import Link from "next/link";
import { AttendeePrintButton } from "@/components/analytics/attendee-print-button";
import type { PrintAttendeeList } from "@/lib/analytics";
import { formatZoned } from "@/lib/http/csv";
import type { Locale } from "@/lib/i18n/config";
import { formatEventDate } from "@/lib/i18n/format/date";
import type { Translator } from "@/lib/i18n/translate";

const ROOT_PRINT =
  "print:[body:has(&)_:not(:has(&),&,&_*)]:hidden print:[body:has(&)_:has(&)]:block print:[body:has(&)_:has(&)]:m-0 print:[body:has(&)_:has(&)]:p-0 print:[body:has(&)_:has(&)]:max-w-none print:[body:has(&)_:has(&)]:min-h-0 print:[body:has(&)]:bg-white";

export function AttendeePrintList({ list, t, locale, backHref }: { list: PrintAttendeeList; t: Translator; locale: Locale; backHref: string }) {
  const tz = list.event.timezone;
  const time = (d: Date) => formatZoned(d, tz).slice(0, 16);
  return (
    <section className={`flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 print:gap-2 print:rounded-none print:border-0 print:p-0 print:text-[10pt] print:text-black ${ROOT_PRINT}`} aria-labelledby="attendee-print-title" data-testid="attendee-print-list">
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <Link href={backHref} className="text-sm font-medium text-brand-700 underline underline-offset-2">
          {t("analyticsExports.print.back")}
        </Link>
        <AttendeePrintButton />
      </div>
      <header className="flex flex-col gap-1">
        <h2 id="attendee-print-title" className="text-xl font-bold text-slate-900 print:text-[14pt] print:text-black">
          {t("analyticsExports.print.title")} · {list.event.title}
        </h2>
        <p className="text-sm text-slate-700 print:text-[10pt] print:text-black">
          {formatEventDate(list.event.startsAt, tz, locale)} · {t("analyticsExports.print.subtitle", { count: list.attendees.length })}
        </p>
        <p className="text-xs text-slate-600 print:text-[8pt]">{t("analyticsExports.print.printedAt", { time: time(list.generatedAt), tz })}</p>
        <p className="text-sm text-slate-600 print:hidden">{t("analyticsExports.print.hint")}</p>
      </header>
      {list.attendees.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-slate-600" data-testid="attendee-print-empty">
          {t("analyticsExports.print.empty")}
        </p>
      ) : (
        <table className="w-full border-collapse text-left text-sm print:text-[10pt]" data-testid="attendee-print-table">
          <caption className="sr-only">{t("analyticsExports.print.caption")}</caption>
          <thead className="print:table-header-group">
            <tr className="border-b-2 border-slate-800">
              <th scope="col" className="w-10 px-1 py-1.5 font-semibold">
                {t("analyticsExports.print.tick")}
              </th>
              <th scope="col" className="w-10 px-1 py-1.5 text-right font-semibold">
                #
              </th>
              <th scope="col" className="px-2 py-1.5 font-semibold">
                {t("analyticsExports.print.name")}
              </th>
              <th scope="col" className="px-2 py-1.5 font-semibold">
                {t("analyticsExports.print.ticketType")}
              </th>
              <th scope="col" className="px-2 py-1.5 font-semibold">
                {t("analyticsExports.print.code")}
              </th>
              <th scope="col" className="px-2 py-1.5 font-semibold">
                {t("analyticsExports.print.checkedIn")}
              </th>
            </tr>
          </thead>
          <tbody>
            {list.attendees.map((a, i) => (
              <tr key={a.id} className="break-inside-avoid border-b border-slate-300" data-checked-in={a.checkedIn || undefined}>
                <td className="px-1 py-1.5">
                  <span aria-hidden="true" className="inline-flex size-5 items-center justify-center border-2 border-slate-800 text-xs leading-none font-bold">
                    {a.checkedIn ? "✓" : ""}
                  </span>
                </td>
                <td className="px-1 py-1.5 text-right text-slate-600 tabular-nums print:text-black">{i + 1}</td>
                <td className="px-2 py-1.5 font-medium">
                  {a.lastName ? (
                    <>
                      <span className="font-semibold">{a.lastName}</span>, {a.firstName}
                    </>
                  ) : (
                    a.firstName
                  )}
                </td>
                <td className="px-2 py-1.5">{a.ticketType}</td>
                <td className="px-2 py-1.5 font-mono tracking-wider">{a.code}</td>
                <td className="px-2 py-1.5 text-slate-700 print:text-black">
                  {a.checkedIn ? (a.checkedInAt ? t("analyticsExports.print.checkedInAt", { time: time(a.checkedInAt).slice(11) }) : t("analyticsExports.print.checkedIn")) : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
