// Times on the scanner: the phone's own clock and zone (the door staff stand at the venue).
import { formatDate } from "@/lib/i18n/format/date";
import { formatMoney } from "@/lib/i18n/format/money";
import type { Translator } from "@/lib/i18n/translate";

export function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return formatDate(date, locale === "en" ? "en" : "ru", "scannerTime");
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "Checked in at 19:05" today, "Checked in 25 Nov, 19:05" on another day. */
export function formatWhen(t: Translator, iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  if (sameDay(date, new Date())) return t("checkIn.scanner.result.checkedInAt", { time: formatTime(iso, locale) });
  const text = formatDate(date, locale === "en" ? "en" : "ru", "scannerDayTime");
  return t("checkIn.scanner.result.checkedInAtDate", { date: text });
}

/** "Due at the door: 1 500 ₽" — an attendee's unpaid prepayment remainder (null when nothing is due). */
export function formatDue(t: Translator, due: { cents: number; currency: string } | undefined, locale: string): string | null {
  if (!due || due.cents <= 0) return null;
  return t("checkIn.scanner.result.due", { amount: formatMoney(due.cents, due.currency, locale === "en" ? "en" : "ru") });
}
