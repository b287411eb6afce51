"use client";
// The page-view beacon of the public event pages (docs/analytics.md → "Beacon"). Renders nothing; after
// mount it posts one navigator.sendBeacon to /api/analytics/beacon with the event id, the step, the
// referrer cut to its origin (scheme + host) and the page's utm_* — nothing else: no cookie of its own,
// no id, no full URL. Silent when the browser says Do Not Track or Global Privacy Control. A page the
// browser prerenders counts only once the visitor actually opens it. The page itself stays static: the
// event id is in the cached HTML, everything else is read in the browser.
//   <AnalyticsBeacon eventId={event.id} />                   one VIEW per page view
//   <AnalyticsBeacon eventId={event.id} step="FORM_OPEN" />  the registration form was shown (once per event and page load)
import { useEffect, useRef } from "react";
import { BEACON_PATH } from "@/lib/analytics/paths";

export type BeaconStep = "VIEW" | "FORM_OPEN";

// Events whose form opening this document already reported: shown again (back and forth), it is not a new opening.
const formsOpened = new Set<string>();

/** Sends one beacon now, unless the visitor asked not to be tracked (for a form that opens on a tap). */
export function sendAnalyticsBeacon(eventId: string, step: BeaconStep): void {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  if (nav.doNotTrack === "1" || nav.globalPrivacyControl || !nav.sendBeacon) return;
  if (step === "FORM_OPEN") {
    if (formsOpened.has(eventId)) return;
    formsOpened.add(eventId);
  }
  const page = new URLSearchParams(location.search);
  const utm = new URLSearchParams();
  for (const name of ["utm_source", "utm_medium", "utm_campaign"]) {
    const value = page.get(name);
    // The server keeps 100 characters; cutting here keeps the body far below its 2 KiB limit.
    if (value) utm.set(name, value.slice(0, 100));
  }
  const query = utm.toString();
  nav.sendBeacon(
    BEACON_PATH,
    JSON.stringify({ e: eventId, s: step, r: document.referrer.replace(/^([\w+.-]+:\/\/[^/?#]*).*$/, "$1") || undefined, u: query ? `?${query}` : undefined }),
  );
}

export function AnalyticsBeacon({ eventId, step = "VIEW" }: { eventId: string; step?: BeaconStep }) {
  // React's development double mount must not count twice; a new visit of the page mounts anew and counts.
  const sent = useRef("");
  useEffect(() => {
    const send = () => {
      if (sent.current === eventId) return;
      sent.current = eventId;
      sendAnalyticsBeacon(eventId, step);
    };
    const doc = document as Document & { prerendering?: boolean };
    if (!doc.prerendering) {
      send();
      return;
    }
    doc.addEventListener("prerenderingchange", send, { once: true });
    return () => doc.removeEventListener("prerenderingchange", send);
  }, [eventId, step]);
  return null;
}
