"use client";
// The ticket's QR code: the signed AQ1 payload (lib/tickets/ticket-token.ts), error correction M, drawn
// as SVG on a white quiet zone so phone screens at full brightness scan well.
import { QRCodeSVG } from "qrcode.react";

export function TicketQr({ payload, label, size = 240 }: { payload: string; label: string; size?: number }) {
  return (
    <div className="inline-flex rounded-2xl bg-white p-3 shadow-sm ring-1 ring-slate-200" role="img" aria-label={label} data-testid="ticket-qr">
      <QRCodeSVG value={payload} size={size} level="M" marginSize={2} title={label} className="h-auto max-w-full" data-payload={payload} />
    </div>
  );
}
