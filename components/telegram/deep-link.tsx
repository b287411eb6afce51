"use client";
// A t.me deep link shown two ways: a button that opens Telegram (phones) and a QR code of the same
// link (computers: scan it with the phone). Phones see the QR only on request. Plus the time left.
import { QRCodeSVG } from "qrcode.react";
import { useEffect, useId, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import { TelegramIcon, telegramButtonClasses } from "./telegram-icon";

/** Milliseconds left until `expiresAt`, updated every second (0 once it passed). */
export function useTimeLeft(expiresAt: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (expiresAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return expiresAt === null ? 0 : Math.max(0, expiresAt - now);
}

/** 4:05 */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function TelegramDeepLink({
  url,
  expiresAt,
  openLabel,
  linkLabel,
  qrTitle,
  qrHint,
  expiresInText,
  testId,
}: {
  url: string;
  expiresAt: number;
  openLabel: string;
  linkLabel: string;
  qrTitle: string;
  qrHint?: string;
  /** Text with a {time} placeholder already resolved by the caller's translator. */
  expiresInText: (time: string) => string;
  testId: string;
}) {
  const t = useT();
  const [qrOnPhone, setQrOnPhone] = useState(false);
  const qrId = useId();
  const left = useTimeLeft(expiresAt);

  return (
    <div className="flex flex-col gap-3">
      <a
        href={url}
        target="_blank"
        rel="noopener noreferrer"
        aria-label={`${openLabel} — ${linkLabel}`}
        className={telegramButtonClasses}
        data-testid={`${testId}-link`}
      >
        <TelegramIcon />
        {openLabel}
      </a>
      <p className="text-center text-sm text-slate-500" data-testid={`${testId}-expires`}>
        {expiresInText(formatTimeLeft(left))}
      </p>
      <button
        type="button"
        className="min-h-11 self-center rounded-lg px-3 text-sm font-medium text-brand-700 underline-offset-4 hover:underline sm:hidden"
        aria-expanded={qrOnPhone}
        aria-controls={qrId}
        onClick={() => setQrOnPhone((v) => !v)}
      >
        {qrOnPhone ? t("telegram.login.hideQr") : t("telegram.login.showQr")}
      </button>
      <figure id={qrId} className={cn("flex-col items-center gap-2", qrOnPhone ? "flex" : "hidden sm:flex")}>
        <div className="rounded-2xl border border-slate-200 bg-white p-3">
          <QRCodeSVG value={url} size={176} level="M" title={qrTitle} role="img" aria-label={qrTitle} data-testid={`${testId}-qr`} />
        </div>
        {qrHint && <figcaption className="text-center text-xs text-slate-500">{qrHint}</figcaption>}
      </figure>
    </div>
  );
}
