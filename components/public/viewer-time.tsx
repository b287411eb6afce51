"use client";
// "Your time: …" under the event's date, only when the viewer's time zone shows a different wall
// clock than the event's. Rendered after hydration (the server cannot know the viewer's zone).
import { useEffect, useState } from "react";
import type { Locale } from "@/lib/i18n/config";
import { formatDate } from "@/lib/i18n/format/date";
import { formatMessage, type CompiledMessage } from "@/lib/i18n/icu";

/** `template`: the compiled "…{time}" text (public.event.inYourTime). */
export function ViewerTime({ iso, timeZone, locale, template }: { iso: string; timeZone: string; locale: Locale; template: CompiledMessage }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const date = new Date(iso);
    try {
      const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const inEvent = formatDate(date, locale, "viewer", { timeZone });
      const inViewer = formatDate(date, locale, "viewer", { zoneName: true });
      const inViewerPlain = formatDate(date, locale, "viewer");
      // eslint-disable-next-line react-hooks/set-state-in-effect -- the viewer's zone exists only in the browser
      if (viewerZone !== timeZone && inViewerPlain !== inEvent) setText(formatMessage(template, locale, { time: inViewer }));
    } catch {
      // An unknown zone in an old browser: show nothing extra.
    }
  }, [iso, timeZone, locale, template]);
  // The line's height is reserved from the first paint: appearing after hydration it shifts nothing.
  return (
    <p className="min-h-5 text-sm text-slate-600" data-testid="viewer-time" aria-hidden={text ? undefined : true}>
      {text}
    </p>
  );
}
