// The public event page, shared by the cached route (anonymous visitors, public events only) and the
// members' twin route (signed-in visitors; private events of their groups): docs/public-pages.md.
// Everything here is static except the three small islands: live tickets/participants, the viewer's
// time, share.
import Link from "next/link";
import { ResponsiveImage } from "@/components/media/responsive-image";
import { renderMarkdown } from "@/lib/events/markdown";
import { googleCalendarUrl } from "@/lib/events/calendar";
import { compiledText } from "@/lib/i18n/catalogue";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import { formatEventDate, resolveDateStyle } from "@/lib/i18n/format/date";
import { buildEventJsonLd, jsonLdScript } from "@/lib/public/jsonld";
import { eventPath, formatMoney, mapLinks } from "@/lib/public/format";
import type { PublicEvent } from "@/lib/public/queries";
import { mediaVariantUrl } from "@/lib/media/urls";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { AnalyticsBeacon } from "./analytics-beacon";
import { liveTicketsLabels } from "./live-labels";
import { LiveTickets, type LiveViewer } from "./live-tickets";
import { ShareButton } from "./share-button";
import { ViewerTime } from "./viewer-time";


export function eventLocationLine(event: Pick<PublicEvent, "locationType" | "locationAddress">, t: Translator): string | null {
  if (event.locationType === "ONLINE") return t("public.event.online");
  if (event.locationType === "HYBRID") return event.locationAddress ? t("public.catalogue.hybridOnline", { address: event.locationAddress }) : t("public.event.online");
  return event.locationAddress;
}

export function PublicEventPage({
  event,
  locale,
  t,
  baseUrl,
  onlineUrl = null,
  viewer = null,
  now,
}: {
  event: PublicEvent;
  locale: Locale;
  t: Translator;
  /** Absolute app URL (no trailing slash) for JSON-LD and calendar links. */
  baseUrl: string;
  /** The online URL, only for a registered participant (twin route). */
  onlineUrl?: string | null;
  /** The signed-in visitor (twin route): joins the waitlist in one tap. Null on the cached page. */
  viewer?: LiveViewer | null;
  /** Render time (the static page's "registration open" guess; the island corrects it). */
  now: Date;
}) {
  const path = eventPath(event.organization.slug, event.slug);
  const url = `${baseUrl}${path}`;
  const place = eventLocationLine(event, t);
  const description = renderMarkdown(event.description);
  const calendarInput = {
    id: event.id,
    title: event.title,
    description: event.description,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    location: place,
    url,
    status: event.status,
  };
  const jsonLd = buildEventJsonLd({
    title: event.title,
    description: event.description,
    url,
    status: event.status,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    locationType: event.locationType,
    locationAddress: event.locationAddress,
    imageUrl: event.cover ? new URL(mediaVariantUrl(event.cover, "LARGE"), `${baseUrl}/`).toString() : null,
    organization: { name: event.organization.name, url: `${baseUrl}/o/${event.organization.slug}` },
    ticketTypes: event.ticketTypes,
    registerUrl: (i) => `${url}/register?type=${event.ticketTypes[i].id}`,
  });
  const maps = event.locationAddress && event.locationType !== "ONLINE" ? mapLinks(event.locationAddress) : null;
  const initiallyOpen = event.status === "PUBLISHED" && event.startsAt > now;
  const linkClass = "font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800";
  const secondaryButton = "inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50";

  return (
    <article className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-6 sm:py-10" data-testid="public-event">
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdScript(jsonLd) }} />
      <AnalyticsBeacon eventId={event.id} />
      {event.cover && (
        <div className="aspect-[2/1] w-full overflow-hidden rounded-2xl bg-slate-100">
          <ResponsiveImage media={event.cover} alt={t("public.event.coverAlt", { title: event.title })} sizes="(min-width: 800px) 768px, 100vw" priority className="size-full object-cover" />
        </div>
      )}

      {event.status === "CANCELLED" && (
        <div role="status" className="rounded-2xl border border-red-200 bg-red-50 p-4 text-red-900" data-testid="event-cancelled">
          <p className="font-semibold">{t("public.event.cancelled")}</p>
          {event.cancellationReason && <p className="mt-1 break-words text-sm">{t("public.event.cancelledReason", { reason: event.cancellationReason })}</p>}
        </div>
      )}
      {event.status === "COMPLETED" && (
        <p role="status" className="rounded-2xl border border-slate-200 bg-slate-100 p-4 font-semibold text-slate-800">
          {t("public.event.completed")}
        </p>
      )}
      {event.isPrivate && <p className="rounded-2xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">{t("public.event.private")}</p>}

      <header className="flex flex-col gap-2">
        <h1 className="break-words text-2xl font-bold leading-tight text-slate-900 sm:text-4xl">{event.title}</h1>
        <p className="text-slate-700">
          {t("public.event.organizer")}:{" "}
          <Link href={`/o/${event.organization.slug}`} className={linkClass} data-testid="event-organizer">
            {event.organization.name}
          </Link>
        </p>
      </header>

      <dl className="grid gap-4 rounded-2xl border border-slate-200 bg-white p-4 sm:grid-cols-2">
        <div className="flex flex-col gap-1">
          <dt className="text-sm font-medium text-slate-500">{t("public.event.when")}</dt>
          <dd className="text-slate-900">
            <time dateTime={event.startsAt.toISOString()} data-testid="event-when">
              {formatEventDate(event.startsAt, event.timezone, locale)}
            </time>
            <ViewerTime iso={event.startsAt.toISOString()} timeZone={event.timezone} locale={locale} template={compiledText(locale, "public.event.inYourTime")} style={resolveDateStyle(locale, "viewer")} />
          </dd>
        </div>
        <div className="flex flex-col gap-1">
          <dt className="text-sm font-medium text-slate-500">{t("public.event.where")}</dt>
          <dd className="flex flex-col gap-1 text-slate-900" data-testid="event-where">
            {place && <span className="break-words">{place}</span>}
            {maps && (
              <span className="flex flex-wrap gap-x-3 text-sm">
                <span className="sr-only">{t("public.event.mapLabel")}:</span>
                <a href={maps.yandex} target="_blank" rel="noopener noreferrer" className={linkClass}>
                  {t("public.event.mapYandex")}
                </a>
                <a href={maps.osm} target="_blank" rel="noopener noreferrer" className={linkClass}>
                  {t("public.event.mapOsm")}
                </a>
              </span>
            )}
            {event.locationType !== "OFFLINE" &&
              (onlineUrl ? (
                <a href={onlineUrl} target="_blank" rel="noopener noreferrer" className={`${linkClass} break-all text-sm`} data-testid="event-online-url">
                  {t("public.event.onlineLink")}
                </a>
              ) : (
                <span className="text-sm text-slate-600">{t("public.event.onlineNote")}</span>
              ))}
          </dd>
        </div>
      </dl>

      <section id="tickets" aria-labelledby="tickets-title" className="flex scroll-mt-20 flex-col gap-3">
        <h2 id="tickets-title" className="text-xl font-semibold text-slate-900">
          {t("public.event.tickets")}
        </h2>
        {event.ticketTypes.length === 0 && <p className="text-sm text-slate-600">{t("public.event.noTickets")}</p>}
        <LiveTickets
          eventId={event.id}
          registerPath={`${path}/register`}
          initiallyOpen={initiallyOpen}
          showParticipants={event.participantsVisibility === "OPEN"}
          locale={locale}
          viewer={viewer}
          // Back to this page's tickets after signing in (or signing up: the sign-in page passes it on).
          signInHref={signInUrlFor(`${path}#tickets`)}
          tickets={event.ticketTypes.map((type) => ({
            id: type.id,
            name: type.name,
            description: type.description,
            price: type.priceCents === 0 ? t("public.event.free") : formatMoney(type.priceCents, type.currency, locale),
          }))}
          labels={liveTicketsLabels(locale, t)}
        />
        {/* A promo code (a discount, or a hidden ticket for speakers and sponsors) is checked on the register page. */}
        <a href={`${path}/register?promo=1`} className={`${linkClass} self-start text-sm`} data-testid="have-promo-code">
          {t("promo.ui.haveCode")}
        </a>
      </section>

      <div className="flex flex-wrap items-center gap-2" data-testid="event-actions">
        <span className="basis-full text-sm font-medium text-slate-500">{t("public.event.addToCalendar")}</span>
        <a href={googleCalendarUrl(calendarInput)} target="_blank" rel="noopener noreferrer" className={secondaryButton} data-testid="google-calendar">
          {t("public.event.googleCalendar")}
        </a>
        <a href={`${path}/calendar.ics`} download className={secondaryButton} data-testid="ics-download">
          {t("public.event.downloadIcs")}
        </a>
        <ShareButton title={event.title} label={t("public.event.share")} copiedLabel={t("public.event.copied")} failedLabel={compiledText(locale, "public.event.copyFailed")} locale={locale} />
      </div>

      {description && (
        <section aria-labelledby="about-title" className="flex flex-col gap-3">
          <h2 id="about-title" className="text-xl font-semibold text-slate-900">
            {t("public.event.about")}
          </h2>
          <div
            className="flex flex-col gap-3 break-words leading-relaxed text-slate-800 [&_a]:font-medium [&_a]:text-brand-700 [&_a]:underline [&_blockquote]:border-l-4 [&_blockquote]:border-slate-200 [&_blockquote]:pl-3 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_h1]:text-xl [&_h1]:font-bold [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-6 [&_pre]:overflow-x-auto [&_ul]:list-disc [&_ul]:pl-6"
            data-testid="event-description"
            dangerouslySetInnerHTML={{ __html: description }}
          />
        </section>
      )}
    </article>
  );
}
