"use client";
// Live countdown to a reservation's expires_at (see use-deadline.ts for the clock handling).
import { useT } from "@/lib/i18n/client";
import { formatCountdown } from "./format";
import { useDeadline } from "./use-deadline";

export function ReservationCountdown({ expiresAt, serverNow }: { expiresAt: string; serverNow: string }) {
  const t = useT();
  const remaining = useDeadline(expiresAt, serverNow);
  return (
    <p className="text-2xl font-bold tabular-nums text-slate-900" role="timer" aria-label={t("registrations.ticket.countdownLabel")} data-testid="reservation-countdown">
      {t("registrations.ticket.countdown", { time: formatCountdown(remaining) })}
    </p>
  );
}
