"use client";
// "Time left" of a waitlist offer; at zero the page refreshes and shows that the offer lapsed.
import { formatCountdown } from "@/components/tickets/format";
import { useDeadline } from "@/components/tickets/use-deadline";
import { useT } from "@/lib/i18n/client";

export function OfferCountdown({ expiresAt, serverNow }: { expiresAt: string; serverNow: string }) {
  const t = useT();
  const left = useDeadline(expiresAt, serverNow);
  return (
    <p className="text-xl font-bold tabular-nums text-slate-900" role="timer" data-testid="offer-countdown">
      {left > 0 ? t("registrations.claim.timeLeft", { time: formatCountdown(left) }) : t("registrations.claim.lapsed")}
    </p>
  );
}
