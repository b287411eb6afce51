"use client";
// Live countdown to a reservation's expires_at. The server's clock is the reference: the offset between
// the server's "now" (at render) and the browser's is kept, so a wrong phone clock does not shift the
// deadline. At zero the page refreshes once: the server then shows the reservation EXPIRED (it holds no
// seat past expires_at, job or no job).
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { formatCountdown } from "./format";

export function ReservationCountdown({ expiresAt, serverNow }: { expiresAt: string; serverNow: string }) {
  const t = useT();
  const router = useRouter();
  const deadline = new Date(expiresAt).getTime();
  const offset = useRef<number | null>(null);
  const [remaining, setRemaining] = useState(() => deadline - new Date(serverNow).getTime());
  const refreshed = useRef(false);

  useEffect(() => {
    offset.current ??= new Date(serverNow).getTime() - Date.now();
    const tick = () => {
      const left = deadline - (Date.now() + (offset.current ?? 0));
      setRemaining(left);
      if (left <= 0 && !refreshed.current) {
        refreshed.current = true;
        router.refresh();
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [deadline, serverNow, router]);

  return (
    <p className="text-2xl font-bold tabular-nums text-slate-900" role="timer" aria-label={t("registrations.ticket.countdownLabel")} data-testid="reservation-countdown">
      {t("registrations.ticket.countdown", { time: formatCountdown(remaining) })}
    </p>
  );
}
