"use client";
// The door scanner (app/[locale]/(check-in)/check-in/[eventId]): status (online / offline / queued),
// live counters, the camera, manual search, the big result screen, sound and vibration, and the
// conflicts list after offline syncs. It registers the scanner's service worker (public/check-in-sw.js)
// so a reload without network still opens it.
import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { playFeedback, unlockAudio } from "@/lib/check-in/client/feedback";
import { createFrameDecoder } from "@/lib/check-in/client/qr-decoder";
import { RepeatDebounce } from "@/lib/check-in/client/state";
import { useCheckIn, type ScanOutcome } from "@/lib/check-in/client/use-check-in";
import { useLocale, useT } from "@/lib/i18n/client";
import type { AttendeeRow, CheckInCounters } from "@/lib/validation/check-in";
import { Camera } from "./camera";
import { formatTime } from "./format";
import { ManualSearch } from "./manual-search";
import { ResultScreen, outcomeSummary, reasonText } from "./result-screen";

// The sound preference lives in localStorage (per phone), read through useSyncExternalStore.
const SOUND_KEY = "aqstream.checkIn.sound";
const SOUND_EVENT = "aqstream-check-in-sound";
let soundFallback = true; // when storage is blocked

function soundSnapshot(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== "off";
  } catch {
    return soundFallback;
  }
}

function subscribeSound(onChange: () => void): () => void {
  window.addEventListener(SOUND_EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(SOUND_EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

function setSoundPreference(on: boolean) {
  soundFallback = on;
  try {
    localStorage.setItem(SOUND_KEY, on ? "on" : "off");
  } catch {
    // storage blocked: the in-memory fallback holds it
  }
  window.dispatchEvent(new Event(SOUND_EVENT));
}

export type ScannerProps = {
  eventId: string;
  eventTitle: string;
  viewer: { kind: "staff" | "door"; name: string };
};

export function Scanner({ eventId, eventTitle, viewer }: ScannerProps) {
  const t = useT();
  const locale = useLocale();
  const session = useCheckIn(eventId, viewer.name);
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [searchOpen, setSearchOpen] = useState(false);
  const [conflictsOpen, setConflictsOpen] = useState(false);
  const sound = useSyncExternalStore(subscribeSound, soundSnapshot, () => true);
  const debounce = useRef(new RepeatDebounce(3000));
  const busy = useRef(false);

  // The service worker caches the scanner's shell for offline reloads (never API answers).
  useEffect(() => {
    // The decoder (jsQR's chunk where there is no native BarcodeDetector) loads now, not at the first
    // scan: the network may be gone by then.
    const decoderReady = createFrameDecoder().catch(() => null);
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker
      .register("/check-in-sw.js", { scope: "/check-in/" })
      .then(async (registration) => {
        await Promise.all([navigator.serviceWorker.ready, decoderReady]);
        // Hand the worker what this page loaded, so the shell is complete even on the first visit.
        const urls = [
          location.pathname,
          ...performance
            .getEntriesByType("resource")
            .map((e) => e.name)
            .filter((u) => u.startsWith(`${location.origin}/_next/static/`) || /\/check-in-icon/.test(u)),
        ];
        (registration.active ?? registration.waiting ?? registration.installing)?.postMessage({ type: "cache-urls", urls });
      })
      .catch(() => {});
  }, []);

  const show = useCallback(
    (result: ScanOutcome) => {
      setOutcome(result);
      setAnnouncement(outcomeSummary(t, result, locale));
      playFeedback(result.result === "valid" ? "valid" : result.result === "already_checked_in" ? "already" : "refused", { sound });
    },
    [locale, sound, t],
  );

  const onCode = useCallback(
    (text: string) => {
      if (busy.current) return; // one scan at a time; the next frame reads it again
      if (!debounce.current.accept(text)) return;
      busy.current = true;
      session
        .scanQr(text)
        .then(show)
        .finally(() => {
          busy.current = false;
        });
    },
    [session, show],
  );

  const onManual = useCallback(
    async (row: AttendeeRow) => {
      const result = await session.checkInManual(row.registrationId);
      setSearchOpen(false);
      show(result);
    },
    [session, show],
  );

  const dismiss = useCallback(() => setOutcome(null), []);

  const toggleSound = () => {
    const next = !sound;
    if (next) unlockAudio();
    setSoundPreference(next);
  };

  return (
    <div className="flex min-h-dvh flex-col gap-3 bg-slate-950 px-3 pb-[max(env(safe-area-inset-bottom),0.75rem)] pt-[max(env(safe-area-inset-top),0.75rem)] text-slate-50">
      <header className="flex flex-col gap-2">
        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-xs uppercase tracking-wide text-slate-400">{t("checkIn.scanner.heading")}</p>
            <h1 className="break-words text-lg font-semibold leading-snug">{session.event?.title ?? eventTitle}</h1>
            <p className="text-xs text-slate-400">
              {viewer.kind === "door" ? t("checkIn.scanner.viewerDoor", { name: viewer.name }) : t("checkIn.scanner.viewerStaff", { name: viewer.name })}
            </p>
          </div>
          <div className="flex shrink-0 items-center gap-2">
            <button
              type="button"
              onClick={toggleSound}
              aria-pressed={sound}
              aria-label={sound ? t("checkIn.scanner.sound.on") : t("checkIn.scanner.sound.off")}
              title={sound ? t("checkIn.scanner.sound.on") : t("checkIn.scanner.sound.off")}
              className="flex min-h-11 min-w-11 items-center justify-center rounded-xl bg-slate-800 text-slate-100 hover:bg-slate-700"
            >
              <SoundIcon on={sound} />
            </button>
          </div>
        </div>
        <StatusLine mode={session.mode} queueCount={session.queueCount} syncing={session.syncing} />
        {session.accessLost && (
          <p role="alert" className="rounded-xl bg-red-900/80 px-3 py-2 text-sm text-red-50">
            {t("checkIn.scanner.reasons.accessLost")}
          </p>
        )}
        <ListLine list={session.list} onRetry={() => void session.retryList()} cryptoOk={session.cryptoOk} />
        {session.conflicts.length > 0 && (
          <Button variant="danger" size="sm" onClick={() => setConflictsOpen(true)} data-testid="conflicts-open" className="self-start">
            {t("checkIn.scanner.conflicts.open", { count: session.conflicts.length })}
          </Button>
        )}
      </header>

      <Counters counters={session.counters} pending={session.countersPending} />

      <Camera onCode={onCode} onStart={unlockAudio} paused={searchOpen || conflictsOpen} />

      <Button
        size="lg"
        variant="secondary"
        fullWidth
        onClick={() => {
          unlockAudio();
          setSearchOpen(true);
        }}
        data-testid="manual-open"
      >
        <SearchIcon />
        {t("checkIn.scanner.search.open")}
      </Button>

      {/* One live region, present from the start, announces each result to screen readers. */}
      <p className="sr-only" role="status" aria-live="assertive">
        {announcement}
      </p>

      <ManualSearch open={searchOpen} onClose={() => setSearchOpen(false)} search={session.search} onCheckIn={onManual} doorStaff={viewer.kind === "door"} />

      {conflictsOpen && (
        <ConflictsDialog
          conflicts={session.conflicts}
          onClose={() => setConflictsOpen(false)}
          onClear={async () => {
            await session.clearConflicts();
            setConflictsOpen(false);
          }}
        />
      )}

      {outcome && <ResultScreen key={outcome.id} outcome={outcome} onDismiss={dismiss} />}
    </div>
  );
}

function StatusLine({ mode, queueCount, syncing }: { mode: "online" | "offline"; queueCount: number; syncing: boolean }) {
  const t = useT();
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-2" role="status" data-testid="connection-status" data-mode={mode} data-queued={queueCount}>
        <span
          className={`inline-flex items-center gap-1.5 rounded-full px-3 py-1 text-sm font-semibold ${
            mode === "online" ? "bg-green-900 text-green-100" : "bg-amber-500 text-slate-950"
          }`}
        >
          <span aria-hidden="true" className={`size-2 rounded-full ${mode === "online" ? "bg-green-400" : "bg-slate-950"}`} />
          {mode === "online" ? t("checkIn.scanner.status.online") : t("checkIn.scanner.status.offline")}
        </span>
        {queueCount > 0 && (
          <span className="rounded-full bg-slate-800 px-3 py-1 text-sm font-semibold text-slate-100" data-testid="queued-count">
            {t("checkIn.scanner.status.queued", { count: queueCount })}
          </span>
        )}
        {syncing && <span className="text-sm text-slate-300">{t("checkIn.scanner.status.syncing")}</span>}
      </div>
      {mode === "offline" && <p className="text-xs text-amber-200">{t("checkIn.scanner.status.offlineHint")}</p>}
    </div>
  );
}

function ListLine({ list, onRetry, cryptoOk }: { list: ReturnType<typeof useCheckIn>["list"]; onRetry: () => void; cryptoOk: boolean }) {
  const t = useT();
  const locale = useLocale();
  if (list.status === "loading") return <p className="text-xs text-slate-400">{t("checkIn.scanner.list.loading")}</p>;
  if (list.status === "missing") {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-2 rounded-xl bg-red-950 px-3 py-2 text-sm text-red-100">
        <span>{list.offline ? t("checkIn.scanner.list.missingOffline") : t("checkIn.scanner.list.error")}</span>
        <Button size="sm" variant="secondary" onClick={onRetry}>
          {t("checkIn.scanner.list.retry")}
        </Button>
      </div>
    );
  }
  return (
    <>
      <p className="text-xs text-slate-400" data-testid="list-status" data-count={list.count}>
        {t("checkIn.scanner.list.ready", { count: list.count, time: formatTime(list.updatedAt, locale) })}
      </p>
      {!cryptoOk && <p className="text-xs text-amber-200">{t("checkIn.scanner.list.noCrypto")}</p>}
    </>
  );
}

function Counters({ counters, pending }: { counters: CheckInCounters | null; pending: number }) {
  const t = useT();
  if (!counters) return <div className="h-16 animate-pulse rounded-2xl bg-slate-900" aria-hidden="true" />;
  const percent = counters.expected > 0 ? Math.round((counters.checkedIn / counters.expected) * 100) : 0;
  return (
    <section className="rounded-2xl bg-slate-900 px-4 py-3" aria-label={t("checkIn.scanner.counters.title")} data-testid="counters">
      <div className="flex items-baseline justify-between gap-3">
        <h2 className="text-sm font-medium text-slate-300">{t("checkIn.scanner.counters.title")}</h2>
        <p className="text-2xl font-bold tabular-nums" data-testid="counters-total" data-checked-in={counters.checkedIn} data-expected={counters.expected}>
          {t("checkIn.scanner.counters.total", { checkedIn: counters.checkedIn, expected: counters.expected })}
        </p>
      </div>
      <div
        className="mt-2 h-2 overflow-hidden rounded-full bg-slate-800"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={counters.expected}
        aria-valuenow={counters.checkedIn}
        aria-label={t("checkIn.scanner.counters.title")}
      >
        <div className="h-full rounded-full bg-green-500 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      {pending > 0 && <p className="mt-1 text-xs text-amber-200">{t("checkIn.scanner.counters.pending", { count: pending })}</p>}
      {counters.expected === 0 && <p className="mt-1 text-xs text-slate-400">{t("checkIn.scanner.counters.empty")}</p>}
      {counters.perType.length > 0 && (
        <details className="mt-2">
          <summary className="min-h-11 cursor-pointer py-2 text-sm text-slate-300">{t("checkIn.scanner.counters.perType")}</summary>
          <ul className="flex flex-col gap-1 pb-1 text-sm" data-testid="counters-per-type">
            {counters.perType.map((type) => (
              <li key={type.ticketTypeId} className="flex justify-between gap-3" data-type-name={type.name} data-checked-in={type.checkedIn} data-expected={type.expected}>
                <span className="min-w-0 break-words">{type.name}</span>
                <span className="shrink-0 tabular-nums">{t("checkIn.scanner.counters.total", { checkedIn: type.checkedIn, expected: type.expected })}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function ConflictsDialog({
  conflicts,
  onClose,
  onClear,
}: {
  conflicts: ReturnType<typeof useCheckIn>["conflicts"];
  onClose: () => void;
  onClear: () => Promise<void>;
}) {
  const t = useT();
  const locale = useLocale();
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      className="fixed inset-0 z-30 flex flex-col bg-slate-950 text-slate-50"
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
      data-testid="conflicts"
    >
      <div className="flex items-center justify-between gap-3 border-b border-slate-800 px-4 pb-3 pt-[max(env(safe-area-inset-top),0.75rem)]">
        <h2 id={titleId} className="text-lg font-semibold">
          {t("checkIn.scanner.conflicts.title")}
        </h2>
        <Button ref={closeRef} variant="secondary" size="sm" onClick={onClose}>
          {t("checkIn.scanner.conflicts.close")}
        </Button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
        <p className="pb-3 text-sm text-slate-300">{t("checkIn.scanner.conflicts.text")}</p>
        {conflicts.length === 0 ? (
          <p className="text-slate-300">{t("checkIn.scanner.conflicts.empty")}</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {conflicts.map((c) => (
              <li key={c.key} className="rounded-xl bg-slate-900 px-4 py-3" data-testid="conflict" data-kind={c.kind}>
                <p className="font-semibold">
                  {c.name} <span className="font-mono text-sm text-slate-400">{c.code}</span>
                </p>
                <p className="text-sm text-slate-300">
                  {c.kind === "conflict"
                    ? t("checkIn.scanner.conflicts.conflict", {
                        winnerAt: c.winnerAt ? formatTime(c.winnerAt, locale) : "—",
                        by: c.winnerBy ? t("checkIn.scanner.conflicts.by", { name: c.winnerBy }) : "",
                        scannedAt: formatTime(c.scannedAt, locale),
                      })
                    : c.kind === "earlier"
                      ? t("checkIn.scanner.conflicts.earlier", {
                          scannedAt: formatTime(c.scannedAt, locale),
                          otherAt: c.otherAt ? formatTime(c.otherAt, locale) : "—",
                        })
                      : t("checkIn.scanner.conflicts.refused", {
                        scannedAt: formatTime(c.scannedAt, locale),
                        reason: c.reason ? reasonText(t, { id: c.key, method: "QR_SCAN", offline: false, result: "refused", reason: c.reason }, locale) : "—",
                      })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
      {conflicts.length > 0 && (
        <div className="border-t border-slate-800 px-4 pb-[max(env(safe-area-inset-bottom),0.75rem)] pt-3">
          <Button variant="secondary" fullWidth onClick={() => void onClear()}>
            {t("checkIn.scanner.conflicts.clear")}
          </Button>
        </div>
      )}
    </div>
  );
}

function SoundIcon({ on }: { on: boolean }) {
  return (
    <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M4 9h4l5-4v14l-5-4H4z" />
      {on ? <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" /> : <path d="M17 9l5 6M22 9l-5 6" />}
    </svg>
  );
}

function SearchIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
      <circle cx="11" cy="11" r="6.5" />
      <path d="M16 16l4.5 4.5" />
    </svg>
  );
}
