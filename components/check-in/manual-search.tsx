"use client";
// Manual check-in: a full-screen sheet with a search box (name, email or code; the server when online,
// the saved list offline), a result list, and a confirmation step before the MANUAL scan.
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { attendeeName } from "@/lib/check-in/client/state";
import { useLocale, useT } from "@/lib/i18n/client";
import type { AttendeeRow } from "@/lib/validation/check-in";
import { formatDue, formatTime } from "./format";

type SearchState =
  | { status: "idle" }
  | { status: "searching" }
  | { status: "done"; rows: AttendeeRow[]; offline: boolean }
  | { status: "error" };

const STATUS_TONE: Record<AttendeeRow["status"], string> = {
  CONFIRMED: "bg-sky-900 text-sky-100",
  CHECKED_IN: "bg-amber-300 text-slate-950",
  RESERVED: "bg-red-900 text-red-100",
  PENDING: "bg-red-900 text-red-100",
  CANCELLED: "bg-red-900 text-red-100",
  EXPIRED: "bg-red-900 text-red-100",
};

export function ManualSearch({
  open,
  onClose,
  search,
  onCheckIn,
  doorStaff,
}: {
  open: boolean;
  onClose: () => void;
  search: (q: string) => Promise<{ rows: AttendeeRow[]; offline: boolean }>;
  onCheckIn: (row: AttendeeRow) => Promise<void>;
  doorStaff: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const titleId = useId();
  const inputId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const [state, setState] = useState<SearchState>({ status: "idle" });
  const [confirming, setConfirming] = useState<AttendeeRow | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const requestId = useRef(0);

  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  // Debounced search as the moderator types; only the latest answer is shown.
  useEffect(() => {
    if (!open) return;
    const q = query.trim();
    const id = ++requestId.current;
    const timer = setTimeout(
      () => {
        if (q.length < 2) {
          setState({ status: "idle" });
          return;
        }
        setState({ status: "searching" });
        search(q).then(
          (result) => {
            if (id === requestId.current) setState({ status: "done", ...result });
          },
          () => {
            if (id === requestId.current) setState({ status: "error" });
          },
        );
      },
      q.length < 2 ? 0 : 250,
    );
    return () => clearTimeout(timer);
  }, [open, query, search]);

  if (!open) return null;

  const close = () => {
    setConfirming(null);
    onClose();
  };

  const confirm = async () => {
    if (!confirming) return;
    setSubmitting(true);
    try {
      await onCheckIn(confirming);
      setConfirming(null);
      setQuery("");
      setState({ status: "idle" });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      className="fixed inset-0 z-30 flex flex-col bg-slate-950 text-slate-50"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          if (confirming) setConfirming(null);
          else close();
        }
      }}
      data-testid="manual-search"
    >
      <div className="flex items-center justify-between gap-3 border-b border-slate-800 px-4 pb-3 pt-[max(env(safe-area-inset-top),0.75rem)]">
        <h2 id={titleId} className="text-lg font-semibold">
          {t("checkIn.scanner.search.title")}
        </h2>
        <Button variant="secondary" size="sm" onClick={close}>
          {t("checkIn.scanner.search.close")}
        </Button>
      </div>
      <div className="flex flex-col gap-1 px-4 py-3">
        <label htmlFor={inputId} className="text-sm font-medium text-slate-300">
          {doorStaff ? t("checkIn.scanner.search.labelDoor") : t("checkIn.scanner.search.label")}
        </label>
        <input
          ref={inputRef}
          id={inputId}
          type="search"
          inputMode="search"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-describedby={hintId}
          className="min-h-12 w-full rounded-xl border border-slate-600 bg-slate-900 px-4 text-lg text-white placeholder:text-slate-500 focus:border-sky-400"
        />
        <p id={hintId} className="text-xs text-slate-400">
          {t("checkIn.scanner.search.hint")}
        </p>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 pb-[max(env(safe-area-inset-bottom),1rem)]" aria-live="polite">
        {state.status === "searching" && <p className="py-4 text-slate-300">{t("checkIn.scanner.search.searching")}</p>}
        {state.status === "error" && (
          <p role="alert" className="py-4 text-red-300">
            {t("checkIn.scanner.search.failed")}
          </p>
        )}
        {state.status === "done" && (
          <>
            {state.offline && <p className="pb-2 text-sm text-amber-300">{t("checkIn.scanner.search.offlineNote")}</p>}
            {state.rows.length === 0 ? (
              <p className="py-4 text-slate-300">{t("checkIn.scanner.search.empty")}</p>
            ) : (
              <ul className="flex flex-col gap-2" data-testid="search-results">
                {state.rows.map((row) => (
                  <li key={row.registrationId}>
                    <button
                      type="button"
                      onClick={() => setConfirming(row)}
                      className="flex min-h-14 w-full items-center justify-between gap-3 rounded-xl bg-slate-900 px-4 py-3 text-left hover:bg-slate-800"
                      data-testid="search-result"
                    >
                      <span className="flex min-w-0 flex-col">
                        <span className="break-words text-base font-semibold">{attendeeName(row)}</span>
                        <span className="break-all text-sm text-slate-400">
                          {row.ticketTypeName} · <span className="font-mono">{row.code}</span>
                          {row.email ? ` · ${row.email}` : ""}
                        </span>
                        {row.due && (
                          <span className="text-sm font-semibold text-amber-300" data-testid="search-result-due">
                            {formatDue(t, row.due, locale)}
                          </span>
                        )}
                        {row.status === "CHECKED_IN" && row.checkedInAt && (
                          <span className="text-sm text-amber-300">
                            {t("checkIn.scanner.search.checkedInAt", { time: formatTime(row.checkedInAt, locale) })}
                          </span>
                        )}
                      </span>
                      <span className={`shrink-0 rounded-full px-2.5 py-1 text-xs font-semibold ${STATUS_TONE[row.status]}`}>
                        {t(`checkIn.scanner.search.statuses.${row.status}`)}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>

      {confirming && (
        <div className="fixed inset-0 z-40 flex items-end justify-center bg-black/70 p-4 sm:items-center">
          <div role="alertdialog" aria-modal="true" aria-labelledby={`${titleId}-confirm`} className="w-full max-w-md rounded-2xl bg-slate-900 p-5 shadow-xl">
            <h3 id={`${titleId}-confirm`} className="text-lg font-semibold">
              {t("checkIn.scanner.search.confirmTitle")}
            </h3>
            <p className="mt-3 break-words text-2xl font-bold" data-testid="confirm-name">
              {attendeeName(confirming)}
            </p>
            <p className="text-slate-300">
              {confirming.ticketTypeName} · <span className="font-mono">{confirming.code}</span>
            </p>
            <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
              <Button variant="secondary" size="lg" onClick={() => setConfirming(null)} disabled={submitting}>
                {t("checkIn.scanner.search.cancel")}
              </Button>
              {/* autoFocus: the confirmation is the next thing to do. */}
              <Button size="lg" onClick={() => void confirm()} pending={submitting} autoFocus>
                {t("checkIn.scanner.search.confirm")}
              </Button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
