"use client";
// "Time left" of a waitlist offer (a clock under a day, days and hours beyond: offers last up to 7 days);
// at zero the page refreshes and shows that the offer lapsed.
import { useDeadline } from "@/components/tickets/use-deadline";
import { useT } from "@/lib/i18n/client";
import { formatCountdown, isDaysLong, splitDuration } from "@/lib/i18n/format/relative";

export function OfferCountdown({ expiresAt, serverNow }: { expiresAt: string; serverNow: string }) {
  const t = useT();
  const left = useDeadline(expiresAt, serverNow);
  const long = isDaysLong(left) ? splitDuration(left) : null;
  return (
    <p className="text-xl font-bold tabular-nums text-slate-900" role="timer" data-testid="offer-countdown">
      {left <= 0
        ? t("registrations.claim.lapsed")
        : long
          ? t("registrations.claim.timeLeftDays", { days: long.days, hours: long.hours })
          : t("registrations.claim.timeLeft", { time: formatCountdown(left) })}
    </p>
  );
}
