// schema.org JSON-LD `Event` of a public event page (https://schema.org/Event,
// Google's "Event" structured data). Pure: the page renders it in a <script type="application/ld+json">.
import type { Currency, EventStatus, LocationType } from "@/lib/generated/prisma/enums";
import { utcToZonedParts } from "@/lib/events/time";

export type JsonLdEventInput = {
  title: string;
  description: string | null;
  url: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date | null;
  timezone: string;
  locationType: LocationType;
  locationAddress: string | null;
  imageUrl: string | null;
  organization: { name: string; url: string };
  ticketTypes: { name: string; priceCents: number; currency: Currency; soldOut?: boolean; salesStart?: Date | null }[];
  /** Page URL used for offers (the registration entry point). */
  registerUrl?: (ticketTypeIndex: number) => string;
};

/** ISO 8601 with the event zone's offset: 2027-03-15T19:00:00+03:00 (what Google asks for). */
export function isoWithOffset(date: Date, timeZone: string): string {
  const p = utcToZonedParts(date, timeZone);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");
  const sign = p.offsetMinutes < 0 ? "-" : "+";
  const offset = `${sign}${pad(Math.trunc(Math.abs(p.offsetMinutes) / 60))}:${pad(Math.abs(p.offsetMinutes) % 60)}`;
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${offset}`;
}

const STATUS: Record<EventStatus, string> = {
  DRAFT: "https://schema.org/EventScheduled",
  PUBLISHED: "https://schema.org/EventScheduled",
  COMPLETED: "https://schema.org/EventScheduled",
  CANCELLED: "https://schema.org/EventCancelled",
};

const MODE: Record<LocationType, string> = {
  OFFLINE: "https://schema.org/OfflineEventAttendanceMode",
  ONLINE: "https://schema.org/OnlineEventAttendanceMode",
  HYBRID: "https://schema.org/MixedEventAttendanceMode",
};

export function buildEventJsonLd(event: JsonLdEventInput): Record<string, unknown> {
  const place = event.locationAddress ? { "@type": "Place", name: event.locationAddress, address: event.locationAddress } : null;
  const virtual = { "@type": "VirtualLocation", url: event.url };
  const location = event.locationType === "ONLINE" ? virtual : event.locationType === "HYBRID" ? [place, virtual].filter(Boolean) : place;
  const plain = event.description
    ?.replace(/[#*_`>[\]()!~|-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    name: event.title,
    ...(plain ? { description: plain.slice(0, 500) } : {}),
    url: event.url,
    startDate: isoWithOffset(event.startsAt, event.timezone),
    ...(event.endsAt ? { endDate: isoWithOffset(event.endsAt, event.timezone) } : {}),
    eventStatus: STATUS[event.status],
    eventAttendanceMode: MODE[event.locationType],
    ...(location ? { location } : {}),
    ...(event.imageUrl ? { image: [event.imageUrl] } : {}),
    organizer: { "@type": "Organization", name: event.organization.name, url: event.organization.url },
    offers: event.ticketTypes.map((t, i) => ({
      "@type": "Offer",
      name: t.name,
      price: (t.priceCents / 100).toFixed(2),
      priceCurrency: t.currency,
      availability: t.soldOut ? "https://schema.org/SoldOut" : "https://schema.org/InStock",
      url: event.registerUrl ? event.registerUrl(i) : event.url,
      ...(t.salesStart ? { validFrom: isoWithOffset(t.salesStart, event.timezone) } : {}),
    })),
  };
}

/** JSON for a <script> element: "<" escaped so the text can never close the element. */
export function jsonLdScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
