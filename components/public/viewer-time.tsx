"use client";
// "Your time: …" under the event's date, only when the viewer's time zone shows a different wall
// clock than the event's. Rendered after hydration (the server cannot know the viewer's zone).
import { useEffect, useState } from "react";

export function ViewerTime({ iso, timeZone, locale, template }: { iso: string; timeZone: string; locale: string; template: string }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const date = new Date(iso);
    const options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    try {
      const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const inEvent = new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
      const inViewer = new Intl.DateTimeFormat(locale, { ...options, timeZoneName: "short" }).format(date);
      const inViewerPlain = new Intl.DateTimeFormat(locale, options).format(date);
      // eslint-disable-next-line react-hooks/set-state-in-effect -- the viewer's zone exists only in the browser
      if (viewerZone !== timeZone && inViewerPlain !== inEvent) setText(template.replace("{time}", inViewer));
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
