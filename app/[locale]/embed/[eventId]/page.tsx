import type { Metadata } from "next";
import { isLocale, type Locale } from "@/lib/i18n/config";

// /embed/<eventId>?locale=ru|en — the iframe form of the embeddable widget (docs/widget.md): a bare page
// of our origin hosting the same widget script (public/widget.js), which any site may frame (only this
// path: frame-ancestors * and no X-Frame-Options, lib/http/content-security-policy.mjs isEmbeddablePath
// and next.config.ts). The widget loads the event itself (404 text for an unknown, draft or private one).

export const metadata: Metadata = { title: "AqStream", robots: { index: false, follow: false } };

type Props = { params: Promise<{ locale: string; eventId: string }>; searchParams: Promise<{ locale?: string | string[] }> };

export default async function EmbedPage({ params, searchParams }: Props) {
  const [{ locale: routeLocale, eventId }, query] = await Promise.all([params, searchParams]);
  const asked = Array.isArray(query.locale) ? query.locale[0] : query.locale;
  const locale: Locale = isLocale(asked) ? asked : isLocale(routeLocale) ? routeLocale : "ru";
  return (
    <main id="main" className="w-full p-1" data-testid="embed-page" data-embed-page="">
      <div data-aqstream-event={eventId} data-locale={locale} />
      <script src="/widget.js" async />
    </main>
  );
}
