"use client";
// The big result screen over the viewfinder: green "valid", yellow "already checked in", red with the
// reason. Tap anywhere (or Enter/Escape) to continue; it also goes away by itself after a few seconds.
import { useEffect, useRef } from "react";
import type { ScanOutcome } from "@/lib/check-in/client/use-check-in";
import { attendeeName } from "@/lib/check-in/client/state";
import { useLocale, useT } from "@/lib/i18n/client";
import type { Translator } from "@/lib/i18n/translate";
import { formatDue, formatTime, formatWhen } from "./format";

/** How long each screen stays (ms): a refusal needs more reading than a green light. */
const DISMISS_AFTER = { valid: 3000, already_checked_in: 5000, refused: 6000 } as const;

export function reasonText(t: Translator, outcome: Extract<ScanOutcome, { result: "refused" }>, locale: string): string {
  switch (outcome.reason) {
    case "not_found":
      return outcome.offline && outcome.listUpdatedAt
        ? `${t("checkIn.scanner.reasons.not_found")}. ${t("checkIn.scanner.reasons.notFoundOffline", { time: formatTime(outcome.listUpdatedAt, locale) })}`
        : t("checkIn.scanner.reasons.not_found");
    case "error":
      return t("checkIn.scanner.reasons.error", { message: t.dynamic(outcome.message ?? "") });
    case "access_lost":
      return t("checkIn.scanner.reasons.accessLost");
    default:
      return t(`checkIn.scanner.reasons.${outcome.reason}`);
  }
}

export function outcomeSummary(t: Translator, outcome: ScanOutcome, locale: string): string {
  const name = outcome.attendee ? attendeeName(outcome.attendee) : "";
  if (outcome.result === "valid") return [t("checkIn.scanner.result.valid"), name].filter(Boolean).join(": ");
  if (outcome.result === "already_checked_in") return [t("checkIn.scanner.result.already"), name].filter(Boolean).join(": ");
  return `${t("checkIn.scanner.result.refused")}: ${reasonText(t, outcome, locale)}`;
}

export function ResultScreen({ outcome, onDismiss }: { outcome: ScanOutcome; onDismiss: () => void }) {
  const t = useT();
  const locale = useLocale();
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const timer = setTimeout(onDismiss, DISMISS_AFTER[outcome.result]);
    return () => clearTimeout(timer);
  }, [outcome, onDismiss]);

  useEffect(() => {
    buttonRef.current?.focus({ preventScroll: true });
  }, [outcome]);

  const tone =
    outcome.result === "valid"
      ? "bg-green-600 text-white"
      : outcome.result === "already_checked_in"
        ? "bg-amber-400 text-slate-950"
        : "bg-red-600 text-white";
  const title =
    outcome.result === "valid"
      ? t("checkIn.scanner.result.valid")
      : outcome.result === "already_checked_in"
        ? t("checkIn.scanner.result.already")
        : t("checkIn.scanner.result.refused");
  const attendee = outcome.attendee;

  return (
    <button
      ref={buttonRef}
      type="button"
      onClick={onDismiss}
      onKeyDown={(e) => {
        if (e.key === "Escape") onDismiss();
      }}
      className={`fixed inset-0 z-40 flex flex-col items-center justify-center gap-5 px-6 pb-[max(env(safe-area-inset-bottom),1.5rem)] pt-[max(env(safe-area-inset-top),1.5rem)] text-center ${tone}`}
      data-testid="scan-result"
      data-result={outcome.result}
      data-offline={outcome.offline ? "true" : "false"}
    >
      <ResultIcon result={outcome.result} />
      <span className="text-4xl font-extrabold leading-tight" data-testid="scan-result-title">
        {title}
      </span>
      {attendee && (
        <span className="flex flex-col gap-1">
          <span className="break-words text-3xl font-bold" data-testid="scan-result-name">
            {attendeeName(attendee)}
          </span>
          <span className="text-xl">{t("checkIn.scanner.result.ticketType", { type: attendee.ticketTypeName })}</span>
          <span className="font-mono text-lg opacity-90">{t("checkIn.scanner.result.code", { code: attendee.code })}</span>
          {attendee.due && outcome.result !== "refused" && (
            <span className="mt-2 rounded-xl bg-amber-300 px-4 py-2 text-2xl font-bold text-slate-900" data-testid="scan-result-due">
              {formatDue(t, attendee.due, locale)}
            </span>
          )}
        </span>
      )}
      {outcome.result === "already_checked_in" && (
        <span className="flex flex-col gap-1 text-xl font-semibold" data-testid="scan-result-when">
          <span>{formatWhen(t, outcome.checkedInAt, locale)}</span>
          {outcome.checkedInByName && <span>{t("checkIn.scanner.result.checkedInBy", { name: outcome.checkedInByName })}</span>}
        </span>
      )}
      {outcome.result === "refused" && (
        <span className="max-w-md text-2xl font-semibold" data-testid="scan-result-reason" data-reason={outcome.reason}>
          {reasonText(t, outcome, locale)}
        </span>
      )}
      {outcome.method === "MANUAL" && <span className="text-base opacity-90">{t("checkIn.scanner.result.manual")}</span>}
      {outcome.offline && outcome.result === "valid" && (
        <span className="max-w-md rounded-xl bg-black/20 px-4 py-2 text-base">{t("checkIn.scanner.result.offlineNote")}</span>
      )}
      <span className="mt-4 text-base underline underline-offset-4 opacity-90">{t("checkIn.scanner.result.tapToContinue")}</span>
    </button>
  );
}

function ResultIcon({ result }: { result: ScanOutcome["result"] }) {
  return (
    <svg viewBox="0 0 48 48" className="size-28" fill="none" stroke="currentColor" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <circle cx="24" cy="24" r="21" />
      {result === "valid" && <path d="M14 25l7 7 13-15" />}
      {result === "already_checked_in" && <path d="M24 13v13M24 33v1" />}
      {result === "refused" && <path d="M16 16l16 16M32 16L16 32" />}
    </svg>
  );
}
