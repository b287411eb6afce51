"use client";
// "Time left" of a waitlist offer; at zero the page refreshes and shows that the offer lapsed.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { formatCountdown } from "@/components/tickets/format";
import { useT } from "@/lib/i18n/client";

export function OfferCountdown({ expiresAt, serverNow }: { expiresAt: string; serverNow: string }) {
  const t = useT();
  const router = useRouter();
  const deadline = new Date(expiresAt).getTime();
  const offset = useRef<number | null>(null);
  const refreshed = useRef(false);
  const [left, setLeft] = useState(() => deadline - new Date(serverNow).getTime());

  useEffect(() => {
    offset.current ??= new Date(serverNow).getTime() - Date.now();
    const tick = () => {
      const remaining = deadline - (Date.now() + (offset.current ?? 0));
      setLeft(remaining);
      if (remaining <= 0 && !refreshed.current) {
        refreshed.current = true;
        router.refresh();
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [deadline, serverNow, router]);

  return (
    <p className="text-xl font-bold tabular-nums text-slate-900" role="timer" data-testid="offer-countdown">
      {left > 0 ? t("registrations.claim.timeLeft", { time: formatCountdown(left) }) : t("registrations.claim.lapsed")}
    </p>
  );
}
