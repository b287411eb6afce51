"use client";
// Milliseconds left until `expiresAt`, ticking every second. The server's clock is the reference: the
// offset between the server's "now" (at render) and the browser's is kept, so a wrong phone clock does
// not shift the deadline. At zero the page refreshes once, and the server shows what the deadline
// changed (an EXPIRED reservation holds no seat past expires_at, job or no job; a lapsed offer).
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

export function useDeadline(expiresAt: string, serverNow: string): number {
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

  return left;
}
