// Reads of the participant's side (docs/registrations.md, "Participant pages"): the registration form's
// data, one ticket (own, or a guest's through the private link), "my tickets", and a waitlist offer.
//
// Ownership is part of every query: another user's registration (or waitlist entry) is "not found"
// (null), exactly like one that does not exist. Time-based states are evaluated where they are read, on
// the database clock: a RESERVED registration past expires_at is shown as EXPIRED (it holds no seat) even
// before the sweep has run. The QR payload (signTicket) is only produced for CONFIRMED / CHECKED_IN.
import "server-only";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RegistrationStatus } from "@/lib/generated/prisma/enums";
import { isGroupMember } from "@/lib/groups";
import { isUuid, type Actor } from "@/lib/permissions";
import { lookupPromoCode } from "@/lib/promo";
import { priceAfterPromo, promoRefusal, type PromoRefusal } from "@/lib/promo/rules";
import { signTicket } from "@/lib/tickets";
import { readEventSettings, type RegistrationFieldDefinition } from "@/lib/validation/events";
import { getEventAvailability } from "./availability";
import { hashGuestToken, isTokenShaped, verifyWaitlistClaimToken } from "./tokens";

type Currency = "RUB" | "USD" | "EUR";
type LocationType = "ONLINE" | "OFFLINE" | "HYBRID";
type EventStatus = "DRAFT" | "PUBLISHED" | "CANCELLED" | "COMPLETED";

/** Why an event does not take registrations now (null: it does). */
export type EventClosedReason = "cancelled" | "completed" | "started" | null;

export type ParticipantEvent = {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date | null;
  timezone: string;
  locationType: LocationType;
  locationAddress: string | null;
  locationUrl: string | null;
  organizationName: string;
  organizationSlug: string;
  slug: string;
  status: EventStatus;
};

function closedReason(status: EventStatus, startsAt: Date, now: Date): EventClosedReason {
  if (status === "CANCELLED") return "cancelled";
  if (status === "COMPLETED") return "completed";
  if (startsAt.getTime() <= now.getTime()) return "started";
  return null;
}

// ───────────────────────────── the registration form ─────────────────────────────

export type OfferedType = {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: Currency;
  reservationMinutes: number | null;
  prepaymentPercent: number | null;
  /** Null = unlimited. */
  availableToPublic: number | null;
  soldOut: boolean;
  /** "onSale", or why not: the sales window has not opened yet / has closed. */
  sales: "onSale" | "notStarted" | "ended";
  salesStart: Date | null;
  salesEnd: Date | null;
  /** Hidden: listed only because the promo code given unlocks it. */
  isHidden: boolean;
  /** The price under the promo code given (null: no code, or it does not apply to this type). */
  promo: { priceCents: number; discountCents: number } | null;
};

/** The promo code typed on the page ("Have a code?"), as the server judged it. */
export type PromoOnPage = {
  code: string;
  /** Null: the code applies to at least one listed type; else why not (for the first type it could). */
  refusal: PromoRefusal | "attemptsLimited" | null;
};

export type RegistrationFormPage =
  | { kind: "signInRequired" }
  | {
      kind: "form";
      now: Date;
      event: ParticipantEvent & {
        closed: EventClosedReason;
        isPrivate: boolean;
        allowGuests: boolean;
        registrationFields: RegistrationFieldDefinition[];
      };
      /** Active ticket types (inactive ones are not offered; hidden ones only when the code unlocks them), display order. */
      ticketTypes: OfferedType[];
      promo: PromoOnPage | null;
      viewer: { firstName: string; lastName: string | null; email: string | null } | null;
      /** The viewer's active registration for this event (RESERVED past expiry does not count). */
      myRegistration: { id: string; status: RegistrationStatus; ticketTypeName: string } | null;
      /** The viewer's live waitlist entry. */
      myWaitlist: {
        entryId: string;
        ticketTypeId: string | null;
        status: "WAITING" | "NOTIFIED";
        position: number;
        ahead: number;
        offer: { ticketTypeId: string; expiresAt: Date } | null;
      } | null;
    };

type EventRow = {
  now: Date;
  id: string;
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  timezone: string;
  location_type: LocationType;
  location_address: string | null;
  location_url: string | null;
  organization_name: string;
  organization_slug: string;
  slug: string;
  status: EventStatus;
  group_id: string | null;
  settings: unknown;
};

/**
 * Everything the register page shows, or null when the event does not exist for this viewer (unknown
 * slugs, a draft or deleted event, a private event of a group the signed-in viewer is not in).
 * An anonymous viewer of a private event is asked to sign in first (the sale service answers the same).
 */
export async function getRegistrationFormPage(options: {
  actor: Actor | null;
  organizationSlug: string;
  eventSlug: string;
  /** "Have a code?": a promo code typed by the visitor (looked up, rate-limited per address on failure). */
  promoCode?: string | null;
  clientAddress?: string | null;
}): Promise<RegistrationFormPage | null> {
  const { actor } = options;
  if (options.organizationSlug.length > 100 || options.eventSlug.length > 200) return null;
  const [event] = await db.$queryRaw<EventRow[]>`
    SELECT now() AS now, e.id, e.title, e.starts_at, e.ends_at, e.timezone, e.location_type::text AS location_type,
           e.location_address, e.location_url, o.name AS organization_name, o.slug AS organization_slug, e.slug,
           e.status::text AS status, e.group_id, e.settings
      FROM events e
      JOIN organizations o ON o.id = e.tenant_id AND o.deleted_at IS NULL
     WHERE o.slug = ${options.organizationSlug} AND e.slug = ${options.eventSlug}
       AND e.deleted_at IS NULL AND e.status <> 'DRAFT'
     LIMIT 1`;
  if (!event) return null;
  if (event.group_id) {
    if (!actor) return { kind: "signInRequired" };
    if (!(await isGroupMember(actor.userId, event.group_id))) return null;
  }
  const settings = readEventSettings(event.settings);

  const promoText = options.promoCode?.trim() ?? "";
  const [availability, details, viewer, myRegistration, myWaitlist, lookup] = await Promise.all([
    getEventAvailability(event.id),
    db.ticketType.findMany({
      where: { eventId: event.id, isActive: true },
      select: { id: true, description: true, reservationMinutes: true, prepaymentPercent: true },
    }),
    actor
      ? db.user.findFirst({ where: { id: actor.userId, deletedAt: null }, select: { firstName: true, lastName: true, email: true } })
      : Promise.resolve(null),
    actor ? activeRegistrationOf(actor.userId, event.id) : Promise.resolve(null),
    actor ? waitlistEntryOf(actor.userId, event.id) : Promise.resolve(null),
    promoText
      ? lookupPromoCode({ eventId: event.id, code: promoText, ip: options.clientAddress }).catch((e: unknown) => {
          // Too many failed codes from this address: the page says so on the code, nothing is looked up.
          if (e instanceof AppError && e.code === "RATE_LIMITED") return { code: promoText.toUpperCase().slice(0, 32), terms: null, limited: true as const };
          throw e;
        })
      : Promise.resolve(null),
  ]);
  const byId = new Map(details.map((d) => [d.id, d]));
  // The promo rule per type (lib/promo/rules, the one the sale re-checks): a hidden type is listed only
  // when the code unlocks it.
  const refusalOf = (a: (typeof availability)[number]) =>
    lookup ? promoRefusal(lookup.terms, { id: a.ticketTypeId, currency: a.currency, isHidden: a.isHidden }, event.now) : "unknown";
  const ticketTypes: OfferedType[] = availability
    .filter((a) => a.isActive && byId.has(a.ticketTypeId) && (!a.isHidden || refusalOf(a) === null))
    .map((a) => {
      const d = byId.get(a.ticketTypeId)!;
      const sales: OfferedType["sales"] = a.onSale
        ? "onSale"
        : a.salesStart && a.salesStart.getTime() > event.now.getTime()
          ? "notStarted"
          : "ended";
      return {
        id: a.ticketTypeId,
        name: a.name,
        description: d.description,
        priceCents: a.priceCents,
        currency: a.currency,
        reservationMinutes: d.reservationMinutes,
        prepaymentPercent: d.prepaymentPercent,
        availableToPublic: a.availableToPublic,
        soldOut: a.soldOut,
        sales,
        salesStart: a.salesStart,
        salesEnd: a.salesEnd,
        isHidden: a.isHidden,
        promo: lookup?.terms && refusalOf(a) === null ? priceAfterPromo(a.priceCents, a.currency, lookup.terms) : null,
      };
    });
  let promo: PromoOnPage | null = null;
  if (lookup) {
    const applies = ticketTypes.some((tt) => tt.promo);
    const firstRefusal = availability.filter((a) => a.isActive && !a.isHidden).map(refusalOf).find((r) => r !== null) ?? null;
    const limited = "limited" in lookup;
    promo = { code: lookup.code, refusal: limited ? "attemptsLimited" : applies ? null : lookup.terms ? (firstRefusal ?? "otherType") : "unknown" };
  }

  return {
    kind: "form",
    now: event.now,
    event: {
      ...participantEventOf(event),
      closed: closedReason(event.status, event.starts_at, event.now),
      isPrivate: event.group_id !== null,
      allowGuests: settings.allowGuests,
      registrationFields: settings.registrationFields,
    },
    ticketTypes,
    promo,
    viewer,
    myRegistration,
    myWaitlist,
  };
}

function participantEventOf(e: Omit<EventRow, "now" | "group_id" | "settings">): ParticipantEvent {
  return {
    id: e.id,
    title: e.title,
    startsAt: e.starts_at,
    endsAt: e.ends_at,
    timezone: e.timezone,
    locationType: e.location_type,
    locationAddress: e.location_address,
    locationUrl: e.location_url,
    organizationName: e.organization_name,
    organizationSlug: e.organization_slug,
    slug: e.slug,
    status: e.status,
  };
}

async function activeRegistrationOf(userId: string, eventId: string) {
  const rows = await db.$queryRaw<{ id: string; status: RegistrationStatus; ticket_type_name: string }[]>`
    SELECT r.id, r.status::text AS status, t.name AS ticket_type_name
      FROM registrations r JOIN ticket_types t ON t.id = r.ticket_type_id
     WHERE r.event_id = ${eventId}::uuid AND r.user_id = ${userId}::uuid
       AND (r.status IN ('PENDING', 'CONFIRMED', 'CHECKED_IN') OR (r.status = 'RESERVED' AND r.expires_at > now()))
     LIMIT 1`;
  const r = rows[0];
  return r ? { id: r.id, status: r.status, ticketTypeName: r.ticket_type_name } : null;
}

async function waitlistEntryOf(userId: string, eventId: string) {
  const entry = await db.waitlistEntry.findFirst({
    where: { eventId, userId, status: { in: ["WAITING", "NOTIFIED"] } },
    select: { id: true, ticketTypeId: true, status: true, position: true, expiresAt: true, offeredTicketTypeId: true },
  });
  if (!entry) return null;
  const ahead =
    entry.status === "WAITING" ? await db.waitlistEntry.count({ where: { eventId, status: "WAITING", position: { lt: entry.position } } }) : 0;
  return {
    entryId: entry.id,
    ticketTypeId: entry.ticketTypeId,
    status: entry.status as "WAITING" | "NOTIFIED",
    position: entry.position,
    ahead,
    offer: entry.status === "NOTIFIED" && entry.offeredTicketTypeId && entry.expiresAt ? { ticketTypeId: entry.offeredTicketTypeId, expiresAt: entry.expiresAt } : null,
  };
}

// ───────────────────────────── one ticket ─────────────────────────────

/** The status as the participant sees it: a RESERVED registration past expires_at is EXPIRED. */
export type TicketStatus = RegistrationStatus;

export type TicketView = {
  id: string;
  now: Date;
  status: TicketStatus;
  confirmationCode: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  priceCents: number;
  currency: Currency;
  /** RESERVED: the payment deadline. */
  expiresAt: Date | null;
  createdAt: Date;
  cancelledAt: Date | null;
  cancellationReason: string | null;
  cancelledByOrganizer: boolean;
  ticketTypeName: string;
  event: ParticipantEvent;
  /** The signed QR payload (AQ1…), CONFIRMED / CHECKED_IN only. */
  qrPayload: string | null;
  /** The participant may still cancel: an active registration of an event that has not started. */
  canCancel: boolean;
  /** What was paid (COMPLETED payments) and the prepayment's remainder, if any. */
  paidCents: number;
  prepayment: { remainingCents: number; dueDate: Date; status: "PARTIAL" | "COMPLETED" } | null;
};

type TicketRow = {
  now: Date;
  id: string;
  user_id: string | null;
  status: RegistrationStatus;
  confirmation_code: string;
  first_name: string;
  last_name: string | null;
  email: string | null;
  price_cents: number;
  currency: Currency;
  expires_at: Date | null;
  created_at: Date;
  cancelled_at: Date | null;
  cancellation_reason: string | null;
  cancelled_by: string | null;
  ticket_type_name: string;
  event_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  timezone: string;
  location_type: LocationType;
  location_address: string | null;
  location_url: string | null;
  organization_name: string;
  organization_slug: string;
  slug: string;
  event_status: EventStatus;
  paid_cents: number;
  prepayment_remaining: number | null;
  prepayment_due: Date | null;
  prepayment_status: "PARTIAL" | "COMPLETED" | null;
};

const TICKET_SELECT = Prisma.sql`
  SELECT now() AS now, r.id, r.user_id, r.status::text AS status, r.confirmation_code, r.first_name, r.last_name, r.email,
         r.price_cents, r.currency::text AS currency, r.expires_at, r.created_at, r.cancelled_at, r.cancellation_reason,
         r.cancelled_by, t.name AS ticket_type_name, e.id AS event_id, e.title, e.starts_at, e.ends_at, e.timezone,
         e.location_type::text AS location_type, e.location_address, e.location_url, o.name AS organization_name,
         o.slug AS organization_slug, e.slug, e.status::text AS event_status,
         (SELECT coalesce(sum(p.amount_cents), 0)::int FROM payments p WHERE p.registration_id = r.id AND p.status = 'COMPLETED') AS paid_cents,
         pp.remaining_cents AS prepayment_remaining, pp.due_date AS prepayment_due, pp.status::text AS prepayment_status
    FROM registrations r
    JOIN ticket_types t ON t.id = r.ticket_type_id
    JOIN events e ON e.id = r.event_id
    JOIN organizations o ON o.id = e.tenant_id
    LEFT JOIN prepayments pp ON pp.registration_id = r.id`;

function effectiveStatus(status: RegistrationStatus, expiresAt: Date | null, now: Date): TicketStatus {
  if (status === "RESERVED" && expiresAt && expiresAt.getTime() <= now.getTime()) return "EXPIRED";
  return status;
}

function ticketViewOf(r: TicketRow): TicketView {
  const status = effectiveStatus(r.status, r.expires_at, r.now);
  const event = participantEventOf({ ...r, id: r.event_id, status: r.event_status });
  const active = status === "RESERVED" || status === "PENDING" || status === "CONFIRMED";
  return {
    id: r.id,
    now: r.now,
    status,
    confirmationCode: r.confirmation_code,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    priceCents: r.price_cents,
    currency: r.currency,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    cancelledAt: r.cancelled_at,
    cancellationReason: r.cancellation_reason,
    // The participant cancels their own ticket (cancelled_by = them, or null for a guest / the system).
    cancelledByOrganizer: r.status === "CANCELLED" && r.cancelled_by !== null && r.cancelled_by !== r.user_id,
    ticketTypeName: r.ticket_type_name,
    event,
    qrPayload:
      status === "CONFIRMED" || status === "CHECKED_IN" ? signTicket({ eventId: r.event_id, registrationId: r.id, code: r.confirmation_code }) : null,
    canCancel: active && r.starts_at.getTime() > r.now.getTime() && r.event_status === "PUBLISHED",
    paidCents: r.paid_cents,
    prepayment:
      r.prepayment_status && r.prepayment_due !== null && r.prepayment_remaining !== null
        ? { remainingCents: r.prepayment_remaining, dueDate: r.prepayment_due, status: r.prepayment_status }
        : null,
  };
}

/** The signed-in participant's own ticket; null for an unknown id or another person's registration. */
export async function getMyTicket(options: { actor: Actor; registrationId: string }): Promise<TicketView | null> {
  if (!isUuid(options.registrationId)) return null;
  const rows = await db.$queryRaw<TicketRow[]>`
    ${TICKET_SELECT}
     WHERE r.id = ${options.registrationId}::uuid AND r.user_id = ${options.actor.userId}::uuid`;
  return rows[0] ? ticketViewOf(rows[0]) : null;
}

/** A guest's ticket through the private link (the token's SHA-256 is what is stored); null when unknown. */
export async function getGuestTicket(options: { token: string }): Promise<TicketView | null> {
  if (!isTokenShaped(options.token)) return null;
  const rows = await db.$queryRaw<TicketRow[]>`
    ${TICKET_SELECT}
     WHERE r.guest_token_hash = ${hashGuestToken(options.token)} AND r.user_id IS NULL`;
  return rows[0] ? ticketViewOf(rows[0]) : null;
}

// ───────────────────────────── my tickets ─────────────────────────────

export type TicketListItem = Pick<
  TicketView,
  "id" | "status" | "confirmationCode" | "ticketTypeName" | "event" | "qrPayload" | "expiresAt" | "priceCents" | "currency"
>;

export type MyTickets = { upcoming: TicketListItem[]; past: TicketListItem[]; cancelled: TicketListItem[] };

export const MY_TICKETS_LIMIT = 200;

/**
 * The signed-in participant's tickets in three lists:
 *   upcoming  — active (RESERVED not past expiry, PENDING, CONFIRMED, CHECKED_IN) of an event not over yet,
 *               soonest first;
 *   past      — active or checked in, of an event that is over (ended, or started without an end, or COMPLETED),
 *               latest first;
 *   cancelled — CANCELLED and EXPIRED (including reservations past expiry), latest first.
 * At most MY_TICKETS_LIMIT per list.
 */
export async function listMyTickets(options: { actor: Actor }): Promise<MyTickets> {
  const rows = await db.$queryRaw<TicketRow[]>`
    ${TICKET_SELECT}
     WHERE r.user_id = ${options.actor.userId}::uuid AND e.deleted_at IS NULL
     ORDER BY e.starts_at DESC, r.created_at DESC
     LIMIT ${MY_TICKETS_LIMIT * 3}`;
  const out: MyTickets = { upcoming: [], past: [], cancelled: [] };
  for (const row of rows) {
    const v = ticketViewOf(row);
    const item: TicketListItem = {
      id: v.id,
      status: v.status,
      confirmationCode: v.confirmationCode,
      ticketTypeName: v.ticketTypeName,
      event: v.event,
      qrPayload: v.qrPayload,
      expiresAt: v.expiresAt,
      priceCents: v.priceCents,
      currency: v.currency,
    };
    if (v.status === "CANCELLED" || v.status === "EXPIRED") out.cancelled.push(item);
    else if (isOver(row)) out.past.push(item);
    else out.upcoming.push(item);
  }
  // Read latest first (a very long history loses its oldest rows, never the upcoming ones); upcoming shows soonest first.
  out.upcoming.reverse();
  return {
    upcoming: out.upcoming.slice(0, MY_TICKETS_LIMIT),
    past: out.past.slice(0, MY_TICKETS_LIMIT),
    cancelled: out.cancelled.slice(0, MY_TICKETS_LIMIT),
  };
}

function isOver(r: TicketRow): boolean {
  if (r.event_status === "COMPLETED") return true;
  const end = r.ends_at ?? r.starts_at;
  return end.getTime() <= r.now.getTime();
}

// ───────────────────────────── a waitlist offer ─────────────────────────────

export type WaitlistOfferView =
  | { state: "invalid" }
  | {
      state: "offer" | "expired" | "waiting" | "converted";
      now: Date;
      entryId: string;
      event: ParticipantEvent & { closed: EventClosedReason; registrationFields: RegistrationFieldDefinition[] };
      ticketType: { name: string; priceCents: number; currency: Currency; reservationMinutes: number | null } | null;
      /** NOTIFIED: the deadline to claim. */
      expiresAt: Date | null;
      /** CONVERTED: the registration it became. */
      registrationId: string | null;
    };

/**
 * The claim link's page: "invalid" for a wrong token, an unknown entry or another user's entry (all look
 * the same); else the entry's state ("offer" = NOTIFIED and not lapsed, "expired" = lapsed/left/ended).
 */
export async function getWaitlistOffer(options: { actor: Actor; entryId: string; token: string }): Promise<WaitlistOfferView> {
  if (!isUuid(options.entryId) || !verifyWaitlistClaimToken(options.entryId, options.token)) return { state: "invalid" };
  const rows = await db.$queryRaw<
    (Omit<EventRow, "id" | "group_id"> & {
      entry_id: string;
      event_id: string;
      user_id: string | null;
      entry_status: "WAITING" | "NOTIFIED" | "CONVERTED" | "EXPIRED";
      expires_at: Date | null;
      converted_registration_id: string | null;
      tt_name: string | null;
      tt_price_cents: number | null;
      tt_currency: Currency | null;
      tt_reservation_minutes: number | null;
    })[]
  >`
    SELECT now() AS now, w.id AS entry_id, w.user_id, w.status::text AS entry_status, w.expires_at, w.converted_registration_id,
           e.id AS event_id, e.title, e.starts_at, e.ends_at, e.timezone, e.location_type::text AS location_type,
           e.location_address, e.location_url, o.name AS organization_name, o.slug AS organization_slug, e.slug,
           e.status::text AS status, e.settings,
           t.name AS tt_name, t.price_cents AS tt_price_cents, t.currency::text AS tt_currency, t.reservation_minutes AS tt_reservation_minutes
      FROM waitlist_entries w
      JOIN events e ON e.id = w.event_id AND e.deleted_at IS NULL
      JOIN organizations o ON o.id = e.tenant_id
      LEFT JOIN ticket_types t ON t.id = coalesce(w.offered_ticket_type_id, w.ticket_type_id)
     WHERE w.id = ${options.entryId}::uuid`;
  const r = rows[0];
  if (!r || r.user_id !== options.actor.userId) return { state: "invalid" };
  const lapsed = r.expires_at !== null && r.expires_at.getTime() <= r.now.getTime();
  const state =
    r.entry_status === "CONVERTED" && r.converted_registration_id
      ? "converted"
      : r.entry_status === "NOTIFIED" && !lapsed
        ? "offer"
        : r.entry_status === "WAITING"
          ? "waiting"
          : "expired";
  return {
    state,
    now: r.now,
    entryId: r.entry_id,
    event: {
      ...participantEventOf({ ...r, id: r.event_id }),
      closed: closedReason(r.status, r.starts_at, r.now),
      registrationFields: readEventSettings(r.settings).registrationFields,
    },
    ticketType:
      r.tt_name !== null
        ? { name: r.tt_name, priceCents: r.tt_price_cents ?? 0, currency: r.tt_currency ?? "RUB", reservationMinutes: r.tt_reservation_minutes }
        : null,
    expiresAt: state === "offer" ? r.expires_at : null,
    registrationId: state === "converted" ? r.converted_registration_id : null,
  };
}
