"use client";
// A link to share (an organization invite, a group join link): the link itself (selectable, wraps on
// phones), a copy button, an optional "open" link and a QR code to show on a phone screen.
import { QRCodeSVG } from "qrcode.react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { CopyButton } from "./copy-button";

export function ShareLink({
  label,
  url,
  openLabel,
  withQr = true,
  testId,
}: {
  label: string;
  url: string;
  /** Shows an "open" link (e.g. the Telegram deep link) with this text. */
  openLabel?: string;
  withQr?: boolean;
  testId?: string;
}) {
  const t = useT();
  const [showQr, setShowQr] = useState(false);
  const qrId = useId();
  return (
    <div className="flex flex-col gap-2" data-testid={testId}>
      <p className="text-sm font-medium text-slate-800">{label}</p>
      <p className="rounded-lg bg-slate-50 px-3 py-2 font-mono text-sm break-all text-slate-800 select-all" data-testid={testId ? `${testId}-url` : undefined}>
        {url}
      </p>
      <div className="flex flex-wrap items-start gap-2">
        <CopyButton value={url} label={label} testId={testId ? `${testId}-copy` : undefined} />
        {openLabel && (
          <a
            href={url}
            target="_blank"
            rel="noopener noreferrer"
            className="inline-flex min-h-11 items-center rounded-xl px-3 text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            {openLabel}
          </a>
        )}
        {withQr && (
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={showQr}
            aria-controls={qrId}
            aria-label={t("members.share.qrLabel", { label })}
            onClick={() => setShowQr((v) => !v)}
          >
            {showQr ? t("members.share.hideQr") : t("members.share.showQr")}
          </Button>
        )}
      </div>
      {withQr && (
        <div id={qrId} hidden={!showQr} className="self-start rounded-xl border border-slate-200 bg-white p-3">
          {showQr && <QRCodeSVG value={url} size={200} marginSize={2} level="M" title={t("members.share.qrLabel", { label })} role="img" />}
        </div>
      )}
    </div>
  );
}
