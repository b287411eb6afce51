"use client";
// "Your time: …" under the event's date, only when the viewer's time zone shows a different wall
// clock than the event's. Rendered after hydration (the server cannot know the viewer's zone).
import { useEffect, useState } from "react";
import type { Locale } from "@/lib/i18n/config";
import { formatWithStyle, type ResolvedDateStyle } from "@/lib/i18n/format/intl";
import { formatMessage, type CompiledMessage } from "@/lib/i18n/icu";

/**
 * `template`: the compiled "…{time}" text (public.event.inYourTime); `style`: the "viewer" date style
 * (resolveDateStyle(locale, "viewer")), handed over so the style table stays on the server.
 */
export function ViewerTime({ iso, timeZone, locale, template, style }: { iso: string; timeZone: string; locale: Locale; template: CompiledMessage; style: ResolvedDateStyle }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const date = new Date(iso);
    try {
      const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const inEvent = formatWithStyle(date, style, { timeZone });
      const inViewer = formatWithStyle(date, style, { zoneName: true });
      const inViewerPlain = formatWithStyle(date, style);
      // eslint-disable-next-line react-hooks/set-state-in-effect -- the viewer's zone exists only in the browser
      if (viewerZone !== timeZone && inViewerPlain !== inEvent) setText(formatMessage(template, locale, { time: inViewer }));
    } catch {
      // An unknown zone in an old browser: show nothing extra.
    }
  }, [iso, timeZone, locale, template, style]);
  // The line's height is reserved from the first paint: appearing after hydration it shifts nothing.
  return (
    <p className="min-h-5 text-sm text-slate-600" data-testid="viewer-time" aria-hidden={text ? undefined : true}>
      {text}
    </p>
  );
}
