// A catalogue / organization page card: cover, title, date in the event's zone, place, price.
import Link from "next/link";
import { ResponsiveImage } from "@/components/media/responsive-image";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import { formatEventDate } from "@/lib/i18n/format/date";
import { eventPath, priceLabel } from "@/lib/public/format";
import type { CatalogueItem } from "@/lib/public/queries";

export function placeText(e: { locationType: string; locationAddress: string | null }, t: Translator): string | null {
  if (e.locationType === "ONLINE") return t("public.catalogue.online");
  if (e.locationType === "HYBRID") return e.locationAddress ? t("public.catalogue.hybridOnline", { address: e.locationAddress }) : t("public.catalogue.online");
  return e.locationAddress;
}

export function EventCard({ event, locale, t, showOrganization = true, priority = false }: { event: CatalogueItem; locale: Locale; t: Translator; showOrganization?: boolean; priority?: boolean }) {
  const price = priceLabel(event.price, locale, t);
  const place = placeText(event, t);
  return (
    <article className="relative flex h-full flex-col overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm focus-within:ring-2 focus-within:ring-brand-600 hover:border-brand-500" data-testid="event-card">
      {event.cover ? (
        <div className="aspect-[2/1] w-full bg-slate-100">
          <ResponsiveImage
            media={event.cover}
            alt=""
            sizes="(min-width: 1024px) 320px, (min-width: 640px) 50vw, 100vw"
            fallbackVariant="SMALL"
            priority={priority}
            className="size-full object-cover"
          />
        </div>
      ) : (
        // No cover: a thin accent instead of an empty picture frame (phones scroll less).
        <div className="h-1.5 w-full bg-gradient-to-r from-brand-600 to-brand-300" aria-hidden="true" />
      )}
      <div className="flex flex-1 flex-col gap-1 p-4">
        <h3 className="break-words text-base font-semibold text-slate-900">
          <Link href={eventPath(event.organization.slug, event.slug)} className="after:absolute after:inset-0 focus:outline-none">
            {event.title}
          </Link>
        </h3>
        <p className="text-sm text-slate-700">
          <time dateTime={event.startsAt.toISOString()}>{formatEventDate(event.startsAt, event.timezone, locale)}</time>
        </p>
        {place && <p className="break-words text-sm text-slate-600">{place}</p>}
        <div className="mt-auto flex flex-wrap items-center justify-between gap-2 pt-2 text-sm">
          {showOrganization ? <span className="min-w-0 truncate text-slate-500">{event.organization.name}</span> : <span />}
          {price && <span className="shrink-0 font-semibold text-slate-900" data-testid="event-card-price">{price}</span>}
        </div>
      </div>
    </article>
  );
}
