// What the embeddable widget (docs/widget.md) shows of an event, for anyone on any site: the public
// event's title, date, place, ticket types with price and LIVE availability, and the form a guest fills.
// The visibility rule and the seats are the public page's (lib/public getPublicAvailability: not deleted,
// not a draft, not group-private, live organization; the seat rule of lib/events/seats.ts), so the widget
// can never show a seat the event page would not. Private, draft and deleted events are NOT_FOUND.
import "server-only";
import { db } from "@/lib/db";
import { eventPublicUrl } from "@/lib/events";
import { AppError } from "@/lib/errors";
import type { Currency, EventStatus, LocationType } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/validation/ids";
import { PUBLIC_PAGE_STATUSES, getPublicAvailability } from "@/lib/public";
import { readEventSettings, type RegistrationFieldDefinition } from "@/lib/validation/events";

/**
 * How a ticket type is taken from the widget:
 * - `inPlace`: the guest registers inside the widget (free types; paid types whose organization takes
 *   payment offline only — the seat is reserved and the ticket page says how to pay);
 * - `eventPage`: a button opens the event page on AqStream (the event needs sign-in, or the organization
 *   takes payment online: a checkout redirect cannot run inside another site's page).
 */
export type WidgetTicketMode = "inPlace" | "eventPage";

export type WidgetTicketType = {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: Currency;
  onSale: boolean;
  soldOut: boolean;
  /** Seats left to the public; null = unlimited. */
  available: number | null;
  mode: WidgetTicketMode;
};

export type WidgetEvent = {
  id: string;
  title: string;
  status: EventStatus;
  /** Registration possible now: PUBLISHED and not started. */
  open: boolean;
  startsAt: string;
  endsAt: string | null;
  timezone: string;
  locationType: LocationType;
  locationAddress: string | null;
  organizationName: string;
  /** The event page on AqStream (sign-in, online payment, the waitlist). */
  eventUrl: string;
  /** Guests (no account) may register: else every type is `eventPage`. */
  guests: boolean;
  /** The organizer's extra questions (the same definitions the sale validates). */
  fields: RegistrationFieldDefinition[];
  ticketTypes: WidgetTicketType[];
};

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");

/** The widget's view of a public event, or NOT_FOUND. `now`: the clock of "open" (tests). */
export async function getWidgetEvent({ eventId, now = new Date() }: { eventId: string; now?: Date }): Promise<WidgetEvent> {
  if (typeof eventId !== "string" || !isUuid(eventId)) throw notFound();
  const [event, availability] = await Promise.all([
    db.event.findFirst({
      where: { id: eventId, groupId: null, deletedAt: null, status: { in: [...PUBLIC_PAGE_STATUSES] }, organization: { deletedAt: null } },
      select: {
        id: true,
        title: true,
        slug: true,
        status: true,
        startsAt: true,
        endsAt: true,
        timezone: true,
        locationType: true,
        locationAddress: true,
        settings: true,
        organization: { select: { name: true, slug: true, paymentAccounts: { where: { provider: { not: "manual" } }, select: { id: true }, take: 1 } } },
        // The listed types in display order (hidden ones are sold only with a promo code: never shown).
        ticketTypes: {
          where: { isActive: true, isHidden: false },
          orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }, { id: "asc" }],
          select: { id: true, name: true, description: true, priceCents: true, currency: true },
        },
      },
    }),
    // Live seats (and the same visibility rule: a private or draft event is NOT_FOUND there too).
    getPublicAvailability({ eventId, viewerId: null, now, withParticipants: false }),
  ]);
  if (!event) throw notFound();
  const settings = readEventSettings(event.settings);
  const payOnline = event.organization.paymentAccounts.length > 0;
  const seats = new Map(availability.ticketTypes.map((t) => [t.id, t]));
  return {
    id: event.id,
    title: event.title,
    status: event.status,
    open: availability.open,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt?.toISOString() ?? null,
    timezone: event.timezone,
    locationType: event.locationType,
    locationAddress: event.locationAddress,
    organizationName: event.organization.name,
    eventUrl: eventPublicUrl(event.organization.slug, event.slug),
    guests: settings.allowGuests,
    fields: settings.registrationFields,
    ticketTypes: event.ticketTypes.flatMap((t) => {
      const s = seats.get(t.id);
      if (!s) return [];
      const mode: WidgetTicketMode = settings.allowGuests && (t.priceCents === 0 || !payOnline) ? "inPlace" : "eventPage";
      return {
        id: t.id,
        name: t.name,
        description: t.description,
        priceCents: t.priceCents,
        currency: t.currency,
        onSale: s.onSale,
        soldOut: s.soldOut,
        available: s.available,
        mode,
      };
    }),
  };
}

/**
 * The answer per event kept ~5 s in this process (the same time shared caches may keep it), so a popular
 * widget costs the database one read per event per 5 s per server. A sale through the widget forgets its
 * event here at once (forgetWidgetEvent), so the widget that sold shows the new seats on its next read;
 * other servers and other sales show them within the 5 s.
 */
const TTL_MS = 5_000;
const MAX_ENTRIES = 1000;
// One map per process, even when the two route handlers are bundled apart (a global symbol, as the
// other per-process state of the app: lib/cluster, lib/analytics/beacon).
const CACHE_KEY = Symbol.for("aqstream.widget-events");
type Entry = { expires: number; value: Promise<WidgetEvent> };
const cache: Map<string, Entry> = ((globalThis as Record<symbol, unknown>)[CACHE_KEY] ??= new Map<string, Entry>()) as Map<string, Entry>;

/** getWidgetEvent through the cache above (concurrent misses share one read; failures are not kept). */
export function getWidgetEventCached(eventId: string): Promise<WidgetEvent> {
  const now = Date.now();
  const hit = cache.get(eventId);
  if (hit && hit.expires > now) return hit.value;
  if (cache.size >= MAX_ENTRIES) {
    for (const [key, entry] of cache) if (entry.expires <= now) cache.delete(key);
    while (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  const value = getWidgetEvent({ eventId });
  cache.set(eventId, { expires: now + TTL_MS, value });
  value.catch(() => {
    if (cache.get(eventId)?.value === value) cache.delete(eventId);
  });
  return value;
}

/** Drops the kept answer of an event (after a sale through the widget, sold or refused as sold out). */
export function forgetWidgetEvent(eventId: string): void {
  cache.delete(eventId);
}
