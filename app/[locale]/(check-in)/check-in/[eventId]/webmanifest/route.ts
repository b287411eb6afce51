// The scanner's web app manifest, one per event: installed from /check-in/<eventId>, it opens straight
// at that event, standalone, inside the service worker's scope (/check-in/). No database access:
// the page itself decides who may scan.
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { isUuid } from "@/lib/permissions";

export async function GET(_request: Request, { params }: { params: Promise<{ locale: string; eventId: string }> }) {
  const { locale, eventId } = await params;
  if (!isUuid(eventId)) return new Response("Not found", { status: 404 });
  const lang = isLocale(locale) ? locale : "ru";
  const t = translatorFor(lang);
  const startUrl = `/check-in/${eventId.toLowerCase()}`;
  const manifest = {
    id: startUrl,
    name: t("checkIn.scanner.appName"),
    short_name: t("checkIn.scanner.appShortName"),
    description: t("checkIn.scanner.appDescription"),
    lang,
    start_url: startUrl,
    scope: "/check-in/",
    display: "standalone",
    orientation: "portrait",
    background_color: "#020617",
    theme_color: "#020617",
    icons: [
      { src: "/check-in-icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/check-in-icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/check-in-icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
      { src: "/check-in-icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
    ],
  };
  return new Response(JSON.stringify(manifest), {
    headers: { "content-type": "application/manifest+json; charset=utf-8", "cache-control": "public, max-age=3600" },
  });
}
