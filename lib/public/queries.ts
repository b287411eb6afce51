// Reads of the public side: the catalogue, the event page, the organization page, the sitemap, the
// live availability. One rule everywhere (docs/public-pages.md): an event is public when it is not
// deleted, its organization is not deleted, it is not a DRAFT and it has no group. A private event
// (group set) exists only for a viewer who may see the group's events (group members and the
// organization's staff: visibleGroupIdsForUser); for everyone else it is NOT_FOUND, exactly like an
// event that does not exist. The catalogue and the sitemap list PUBLISHED public events only.
import "server-only";
import { db, type DbClient } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Currency, EventStatus, LocationType, ParticipantsVisibility, Prisma } from "@/lib/generated/prisma/client";
import { visibleGroupIdsForUser } from "@/lib/groups";
import { MEDIA_WITH_VARIANTS_SELECT, type MediaWithVariants } from "@/lib/media/urls";
import { getEventAvailability } from "@/lib/registrations";
import { CATALOGUE_PAGE_SIZE, catalogueWindow, type CatalogueParams } from "./catalogue-params";

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");

/** Statuses whose page exists (a DRAFT — never published or unpublished — has no public page). */
export const PUBLIC_PAGE_STATUSES: readonly EventStatus[] = ["PUBLISHED", "CANCELLED", "COMPLETED"];

/**
 * Prisma `where` of "upcoming PUBLISHED events of live organizations": public ones (`groupIds` null —
 * catalogue, org page, sitemap) or the private ones of the given groups (a member's listings).
 */
function upcomingWhere(now: Date, groupIds: string[] | null): Prisma.EventWhereInput {
  return {
    status: "PUBLISHED",
    groupId: groupIds === null ? null : { in: groupIds },
    deletedAt: null,
    organization: { deletedAt: null },
    OR: [{ startsAt: { gte: now } }, { endsAt: { gt: now } }],
  };
}

/** Prisma `where` of "upcoming public events of live organizations" (catalogue, org page, sitemap). */
export function upcomingPublicWhere(now: Date): Prisma.EventWhereInput {
  return upcomingWhere(now, null);
}

export type PriceRange = { min: number; max: number; currency: Currency } | null;

function priceRange(types: { priceCents: number; currency: Currency }[]): PriceRange {
  if (types.length === 0) return null;
  const sorted = [...types].sort((a, b) => a.priceCents - b.priceCents);
  return { min: sorted[0].priceCents, max: sorted.at(-1)!.priceCents, currency: (sorted.find((t) => t.priceCents > 0) ?? sorted[0]).currency };
}

const coverSelect = { select: MEDIA_WITH_VARIANTS_SELECT } as const;

function liveCover(cover: (MediaWithVariants & { status: string }) | null): MediaWithVariants | null {
  return cover && cover.status !== "DELETED" ? cover : null;
}

// ───────────────────────────── catalogue ─────────────────────────────

export type CatalogueItem = {
  id: string;
  title: string;
  slug: string;
  startsAt: Date;
  endsAt: Date | null;
  timezone: string;
  locationType: LocationType;
  locationAddress: string | null;
  organization: { name: string; slug: string };
  cover: MediaWithVariants | null;
  price: PriceRange;
};

export type CataloguePage = { items: CatalogueItem[]; total: number; page: number; pageCount: number; pageSize: number };

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The catalogue's filters over `base` (by default the upcoming public events). */
export function catalogueWhere(params: CatalogueParams, now: Date, base: Prisma.EventWhereInput = upcomingPublicWhere(now)): Prisma.EventWhereInput {
  const and: Prisma.EventWhereInput[] = [base];
  if (params.q) {
    const contains = escapeLike(params.q);
    and.push({
      OR: [
        { title: { contains, mode: "insensitive" } },
        { description: { contains, mode: "insensitive" } },
        { organization: { name: { contains, mode: "insensitive" } } },
      ],
    });
  }
  if (params.format === "online") and.push({ locationType: { in: ["ONLINE", "HYBRID"] } });
  if (params.format === "offline") and.push({ locationType: { in: ["OFFLINE", "HYBRID"] } });
  const { start, end } = catalogueWindow(params, now);
  // An event is in the window when it overlaps it: starts before the window ends, and ends (or starts) after it begins.
  if (end) and.push({ startsAt: { lt: end } });
  if (start) and.push({ OR: [{ startsAt: { gte: start } }, { endsAt: { gt: start } }] });
  return { AND: and };
}

const catalogueSelect = {
  id: true,
  title: true,
  slug: true,
  startsAt: true,
  endsAt: true,
  timezone: true,
  locationType: true,
  locationAddress: true,
  organization: { select: { name: true, slug: true } },
  coverImage: coverSelect,
  // Hidden types (sold only with a promo code) are not in the price range.
  ticketTypes: { where: { isActive: true, isHidden: false }, select: { priceCents: true, currency: true } },
} satisfies Prisma.EventSelect;

type CatalogueRow = Prisma.EventGetPayload<{ select: typeof catalogueSelect }>;

function toCatalogueItem(row: CatalogueRow): CatalogueItem {
  const { coverImage, ticketTypes, ...rest } = row;
  return { ...rest, cover: liveCover(coverImage), price: priceRange(ticketTypes) };
}

/** A page of the catalogue: upcoming PUBLISHED public events, soonest first. */
export async function listCatalogue(params: CatalogueParams, options: { now?: Date; tx?: DbClient; pageSize?: number } = {}): Promise<CataloguePage> {
  const tx = options.tx ?? db;
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? CATALOGUE_PAGE_SIZE;
  const where = catalogueWhere(params, now);
  const [total, rows] = await Promise.all([
    tx.event.count({ where }),
    tx.event.findMany({
      where,
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      skip: (params.page - 1) * pageSize,
      take: pageSize,
      select: catalogueSelect,
    }),
  ]);
  return { items: rows.map(toCatalogueItem), total, page: params.page, pageCount: Math.max(1, Math.ceil(total / pageSize)), pageSize };
}

/** The next few upcoming public events (landing page). */
export async function listUpcomingPublicEvents(options: { limit?: number; now?: Date; tx?: DbClient } = {}): Promise<CatalogueItem[]> {
  const tx = options.tx ?? db;
  const rows = await tx.event.findMany({
    where: upcomingPublicWhere(options.now ?? new Date()),
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: options.limit ?? 3,
    select: catalogueSelect,
  });
  return rows.map(toCatalogueItem);
}

// ───────────────────────────── event page ─────────────────────────────

export type PublicTicketType = {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: Currency;
  quantity: number | null;
  salesStart: Date | null;
  salesEnd: Date | null;
};

export type PublicEvent = {
  id: string;
  title: string;
  slug: string;
  description: string | null;
  status: EventStatus;
  isPrivate: boolean;
  startsAt: Date;
  endsAt: Date | null;
  timezone: string;
  locationType: LocationType;
  locationAddress: string | null;
  participantsVisibility: ParticipantsVisibility;
  cancellationReason: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  organization: { id: string; name: string; slug: string; description: string | null };
  cover: MediaWithVariants | null;
  /** Active ticket types in display order (availability is live: getPublicAvailability). */
  ticketTypes: PublicTicketType[];
};

/** `viewerId` undefined/null = anonymous visitor: private events are NOT_FOUND. */
export type Viewer = { viewerId?: string | null };

async function mayViewGroup(groupId: string | null, viewerId: string | null | undefined, tx: DbClient): Promise<boolean> {
  if (!groupId) return true;
  if (!viewerId) return false;
  return (await visibleGroupIdsForUser(viewerId, tx)).includes(groupId);
}

/** The event page's data, or NOT_FOUND (unknown, deleted, draft, deleted organization, private and not visible). */
export async function getPublicEvent(
  { organizationSlug, slug, viewerId }: { organizationSlug: string; slug: string } & Viewer,
  tx: DbClient = db,
): Promise<PublicEvent> {
  const orgSlug = String(organizationSlug ?? "").toLowerCase();
  const eventSlug = String(slug ?? "").toLowerCase();
  if (!orgSlug || !eventSlug || orgSlug.length > 100 || eventSlug.length > 300) throw notFound();
  const row = await tx.event.findFirst({
    where: { slug: eventSlug, deletedAt: null, status: { in: [...PUBLIC_PAGE_STATUSES] }, organization: { slug: orgSlug, deletedAt: null } },
    select: {
      id: true,
      title: true,
      slug: true,
      description: true,
      status: true,
      groupId: true,
      startsAt: true,
      endsAt: true,
      timezone: true,
      locationType: true,
      locationAddress: true,
      participantsVisibility: true,
      cancellationReason: true,
      publishedAt: true,
      updatedAt: true,
      organization: { select: { id: true, name: true, slug: true, description: true } },
      coverImage: coverSelect,
      ticketTypes: {
        // Hidden types (sold only with a promo code naming them) are not listed.
        where: { isActive: true, isHidden: false },
        orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        select: { id: true, name: true, description: true, priceCents: true, currency: true, quantity: true, salesStart: true, salesEnd: true },
      },
    },
  });
  if (!row || !(await mayViewGroup(row.groupId, viewerId, tx))) throw notFound();
  const { coverImage, groupId, ...rest } = row;
  return { ...rest, isPrivate: groupId !== null, cover: liveCover(coverImage) };
}

/** The online URL of an event: only for a signed-in viewer with an active registration (docs/public-pages.md). */
export async function getOnlineUrlForParticipant({ eventId, viewerId }: { eventId: string; viewerId: string | null | undefined }, tx: DbClient = db): Promise<string | null> {
  if (!viewerId) return null;
  const registration = await tx.registration.findFirst({
    where: { eventId, userId: viewerId, status: { in: ["CONFIRMED", "CHECKED_IN", "RESERVED", "PENDING"] }, event: { deletedAt: null } },
    select: { event: { select: { locationUrl: true } } },
  });
  return registration?.event.locationUrl ?? null;
}

// ───────────────────────────── live availability ─────────────────────────────

export type PublicAvailability = {
  eventId: string;
  status: EventStatus;
  /** Registration possible now: PUBLISHED and not started yet. */
  open: boolean;
  /**
   * `waitlist`: a signed-in visitor can join the waitlist for this type now — registration is open and
   * the type is on sale but sold out (the rule joinWaitlist applies; every event has a waitlist).
   */
  ticketTypes: { id: string; onSale: boolean; soldOut: boolean; available: number | null; waitlist: boolean }[];
  /** OPEN participants list (null when the organizer keeps it CLOSED). */
  participants: { ticketTypeId: string; names: string[]; total: number }[] | null;
};

/** Names shown per ticket type at most (the rest is a count). */
export const PARTICIPANTS_PER_TYPE_LIMIT = 100;

/** "Anna K." — first name and last initial only. */
export function publicName(firstName: string, lastName: string | null): string {
  const first = firstName.trim().split(/\s+/)[0] ?? "";
  const initial = lastName?.trim().charAt(0);
  return initial ? `${first} ${initial.toUpperCase()}.` : first;
}

async function participantsOf(eventId: string, typeIds: string[], tx: DbClient) {
  const totals = await tx.registration.groupBy({
    by: ["ticketTypeId"],
    where: { eventId, status: { in: ["CONFIRMED", "CHECKED_IN"] } },
    _count: { _all: true },
  });
  const lists = await Promise.all(
    typeIds.map((ticketTypeId) =>
      tx.registration.findMany({
        where: { eventId, ticketTypeId, status: { in: ["CONFIRMED", "CHECKED_IN"] } },
        orderBy: [{ confirmedAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        take: PARTICIPANTS_PER_TYPE_LIMIT,
        select: { firstName: true, lastName: true },
      }),
    ),
  );
  return typeIds
    .map((ticketTypeId, i) => ({
      ticketTypeId,
      names: lists[i].map((r) => publicName(r.firstName, r.lastName)),
      total: totals.find((t) => t.ticketTypeId === ticketTypeId)?._count._all ?? 0,
    }))
    .filter((g) => g.total > 0);
}

/** Live seats (and the OPEN participants list) of a visible event; NOT_FOUND like getPublicEvent. */
export async function getPublicAvailability(
  { eventId, viewerId, now = new Date(), withParticipants = true }: { eventId: string; now?: Date; /** false: skip the participants list (callers that show only seats: the widget). */ withParticipants?: boolean } & Viewer,
  tx: DbClient = db,
): Promise<PublicAvailability> {
  if (!/^[0-9a-f-]{36}$/i.test(eventId)) throw notFound();
  const event = await tx.event.findFirst({
    where: { id: eventId, deletedAt: null, status: { in: [...PUBLIC_PAGE_STATUSES] }, organization: { deletedAt: null } },
    select: { id: true, status: true, groupId: true, startsAt: true, participantsVisibility: true },
  });
  if (!event || !(await mayViewGroup(event.groupId, viewerId, tx))) throw notFound();
  // Hidden types are neither listed nor counted publicly (sold only with a promo code naming them).
  const types = (await getEventAvailability(event.id, { tx })).filter((t) => t.isActive && !t.isHidden);
  const open = event.status === "PUBLISHED" && event.startsAt > now;
  return {
    eventId: event.id,
    status: event.status,
    open,
    ticketTypes: types.map((t) => ({ id: t.ticketTypeId, onSale: t.onSale, soldOut: t.soldOut, available: t.availableToPublic, waitlist: open && t.onSale && t.soldOut })),
    participants:
      withParticipants && event.participantsVisibility === "OPEN"
        ? await participantsOf(
            event.id,
            types.map((t) => t.ticketTypeId),
            tx,
          )
        : null,
  };
}

// ───────────────────────────── organization, sitemap ─────────────────────────────

export type SitemapEntries = {
  events: { organizationSlug: string; slug: string; updatedAt: Date }[];
  organizations: { slug: string; updatedAt: Date }[];
};

/** Upcoming PUBLISHED public events and live organizations (capped: one sitemap holds 50,000 URLs). */
export async function listSitemapEntries(options: { now?: Date; tx?: DbClient } = {}): Promise<SitemapEntries> {
  const tx = options.tx ?? db;
  const [events, organizations] = await Promise.all([
    tx.event.findMany({
      where: upcomingPublicWhere(options.now ?? new Date()),
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: 20_000,
      select: { slug: true, updatedAt: true, organization: { select: { slug: true } } },
    }),
    tx.organization.findMany({ where: { deletedAt: null }, orderBy: { slug: "asc" }, take: 20_000, select: { slug: true, updatedAt: true } }),
  ]);
  return { events: events.map((e) => ({ organizationSlug: e.organization.slug, slug: e.slug, updatedAt: e.updatedAt })), organizations };
}

/** An organization's upcoming public events with covers and prices (organization page). */
export async function listOrganizationPublicEvents({ organizationSlug, now = new Date(), limit = 50 }: { organizationSlug: string; now?: Date; limit?: number }, tx: DbClient = db): Promise<CatalogueItem[]> {
  const rows = await tx.event.findMany({
    where: { AND: [upcomingPublicWhere(now), { organization: { slug: organizationSlug.toLowerCase(), deletedAt: null } }] },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: limit,
    select: catalogueSelect,
  });
  return rows.map(toCatalogueItem);
}

// ───────────────────────────── a member's private events ─────────────────────────────

export type MemberEventItem = CatalogueItem & { group: { id: string; name: string } };

/** Private events listed at most per call (a member's section of a page, not a catalogue of its own). */
export const MEMBER_EVENTS_LIMIT = 50;

/**
 * Upcoming PUBLISHED private events the viewer may see — the events of their groups, and for the
 * organization's staff of every group of it (visibleGroupIdsForUser: the same rule as the event page) —
 * soonest first. Narrowed to one organization (its page), to some groups ("My groups") or by the
 * catalogue's filters. Anonymous (`viewerId` null) → nothing. These lists are rendered only on the
 * per-request members' routes, never into a cached page (docs/public-pages.md).
 */
export async function listMemberEvents(
  {
    viewerId,
    organizationSlug,
    groupIds,
    params,
    now = new Date(),
    limit = MEMBER_EVENTS_LIMIT,
  }: { viewerId: string | null | undefined; organizationSlug?: string; groupIds?: string[]; params?: CatalogueParams; now?: Date; limit?: number },
  tx: DbClient = db,
): Promise<MemberEventItem[]> {
  if (!viewerId) return [];
  let visible = await visibleGroupIdsForUser(viewerId, tx);
  if (groupIds) visible = visible.filter((id) => groupIds.includes(id));
  if (visible.length === 0) return [];
  const base = upcomingWhere(now, visible);
  const and: Prisma.EventWhereInput[] = [params ? catalogueWhere(params, now, base) : base];
  if (organizationSlug !== undefined) and.push({ organization: { slug: organizationSlug.toLowerCase(), deletedAt: null } });
  const rows = await tx.event.findMany({
    where: { AND: and },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { ...catalogueSelect, group: { select: { id: true, name: true } } },
  });
  return rows.map(({ group, ...row }) => ({ ...toCatalogueItem(row), group: group! }));
}
