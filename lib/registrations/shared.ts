// Building blocks shared by the registration, waitlist and payment services: the typed errors, the
// event + ticket type + user read that opens every sale (locking the event row against a concurrent
// status change), the rules checked at the moment of sale, and the participant notifications.
import "server-only";
import { formatMoney as formatLocalizedMoney } from "@/lib/i18n/format";
import { onPrisma, type Prisma, type SqlRunner } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, checkViolation, uniqueViolation } from "@/lib/errors";
import { isGroupMember } from "@/lib/groups";
import { dateVar, notify, type NotifyOptions } from "@/lib/notifications";
import { publicEventPath } from "@/lib/events/paths";
import { readEventSettings, type EventSettings } from "@/lib/validation/events";
import type { PromoTerms } from "@/lib/promo/rules";
import { saleContextQuery } from "./sale";
import { noticeRecipient, ticketUrlOf, type NoticeRecipientRow } from "./recipients";

export { guestTicketUrl, noticeRecipient, ticketUrlOf, type NoticeRecipientRow } from "./recipients";

type Tx = Prisma.TransactionClient;

// ───────────────────────────── errors ─────────────────────────────

/** Message keys of the area (texts: docs/registrations.md → "Messages"). */
export const registrationErrors = {
  notFound: () => new AppError("NOT_FOUND", "errors.notFound"),
  unauthenticated: () => new AppError("UNAUTHENTICATED", "errors.unauthenticated"),
  soldOut: () => new AppError("CONFLICT", "errors.soldOut"),
  alreadyRegistered: () => new AppError("CONFLICT", "errors.alreadyRegistered"),
  eventCancelled: () => new AppError("CONFLICT", "errors.eventCancelled"),
  eventCompleted: () => new AppError("CONFLICT", "errors.eventCompleted"),
  eventStarted: () => new AppError("CONFLICT", "errors.eventStarted"),
  ticketTypeInactive: () => new AppError("CONFLICT", "errors.ticketTypeInactive"),
  salesNotStarted: () => new AppError("CONFLICT", "errors.salesNotStarted"),
  salesEnded: () => new AppError("CONFLICT", "errors.salesEnded"),
  alreadyCancelled: () => new AppError("CONFLICT", "errors.alreadyCancelled"),
  notCancellable: () => new AppError("CONFLICT", "errors.registrationNotCancellable"),
  reservationExpired: () => new AppError("CONFLICT", "errors.reservationExpired"),
  conflict: () => new AppError("CONFLICT", "errors.conflict"),
};

/** Translates the database's verdicts that carry meaning for the user; anything else is rethrown. */
export function translateRegistrationDbError(e: unknown): unknown {
  const unique = uniqueViolation(e);
  if (unique === "registrations_one_active_per_user" || unique === "registrations_one_active_per_guest_email") {
    return registrationErrors.alreadyRegistered();
  }
  if (checkViolation(e) === "ticket_types_capacity_check") return registrationErrors.soldOut();
  // The code's last use went to a concurrent sale of another type (the limit's CHECK is the backstop).
  if (checkViolation(e) === "promo_codes_usage_check") return new AppError("VALIDATION", "errors.validation", { promoCode: "promo.errors.usedUp" });
  return e;
}

export function isConfirmationCodeCollision(e: unknown): boolean {
  return uniqueViolation(e)?.includes("confirmation_code") ?? false;
}

// ───────────────────────────── the sale context ─────────────────────────────

export type SaleContext = {
  now: Date;
  event: {
    id: string;
    organizationId: string;
    organizationSlug: string;
    slug: string;
    title: string;
    status: "DRAFT" | "PUBLISHED" | "CANCELLED" | "COMPLETED";
    deleted: boolean;
    startsAt: Date;
    timezone: string;
    groupId: string | null;
    locationType: "ONLINE" | "OFFLINE" | "HYBRID";
    locationAddress: string | null;
    settings: EventSettings;
  };
  ticketType: {
    id: string;
    name: string;
    isActive: boolean;
    salesStart: Date | null;
    salesEnd: Date | null;
    priceCents: number;
    currency: "RUB" | "USD" | "EUR";
    reservationMinutes: number | null;
    prepaymentPercent: number | null;
    quantity: number | null;
    /** Counters as read (no lock): for a fast "sold out" answer only; the sale statement decides. */
    soldCount: number;
    reservedCount: number;
    /** RESERVED registrations of the type past expires_at, not yet swept. */
    expiredReservations: number;
    /** WAITING waitlist entries for the type or for any type. */
    waiting: number;
    /** Hidden: sold only with a promo code naming it (lib/promo). */
    isHidden: boolean;
  } | null;
  user: { id: string; firstName: string; lastName: string | null; email: string | null; locale: "RU" | "EN" } | null;
  /** The promo code of this event the buyer gave, as read (null: none given, or no such code). */
  promo: PromoTerms | null;
};

export type SaleContextRow = {
  now: Date;
  id: string;
  organization_id: string;
  organization_slug: string;
  organization_deleted: boolean;
  slug: string;
  title: string;
  status: SaleContext["event"]["status"];
  deleted: boolean;
  starts_at: Date;
  timezone: string;
  group_id: string | null;
  location_type: SaleContext["event"]["locationType"];
  location_address: string | null;
  settings: unknown;
  tt_id: string | null;
  tt_name: string | null;
  tt_is_active: boolean | null;
  tt_sales_start: Date | null;
  tt_sales_end: Date | null;
  tt_price_cents: number | null;
  tt_currency: "RUB" | "USD" | "EUR" | null;
  tt_reservation_minutes: number | null;
  tt_prepayment_percent: number | null;
  tt_quantity: number | null;
  tt_sold_count: number | null;
  tt_reserved_count: number | null;
  tt_expired: number | null;
  tt_waiting: number | null;
  tt_is_hidden: boolean | null;
  p_id: string | null;
  p_ticket_type_id: string | null;
  p_discount_kind: "PERCENT" | "FIXED" | null;
  p_discount_value: number | null;
  p_currency: "RUB" | "USD" | "EUR" | null;
  p_usage_limit: number | null;
  p_used_count: number | null;
  p_valid_from: Date | null;
  p_valid_until: Date | null;
  p_is_active: boolean | null;
  u_id: string | null;
  u_first_name: string | null;
  u_last_name: string | null;
  u_email: string | null;
  u_locale: "RU" | "EN" | null;
};

/**
 * Reads the event (locked FOR SHARE: a concurrent cancel/unpublish, which UPDATEs the event row, waits
 * for this transaction — and this one sees its result if it committed first), the ticket type when it
 * belongs to that event, and the (non-deleted) user, in one round trip. Null when the event does not
 * exist. `now` is the database clock of this transaction: every time rule uses it.
 */
export async function loadSaleContext(
  tx: Tx,
  options: { eventId: string; ticketTypeId: string | null; userId: string | null },
): Promise<SaleContext | null> {
  return loadSaleContextWith(onPrisma(tx), options);
}

/** loadSaleContext() over any SQL runner (a Prisma transaction or a `pg` connection). */
export async function loadSaleContextWith(
  run: SqlRunner,
  options: { eventId: string; ticketTypeId: string | null; userId: string | null; promoCode?: string | null },
): Promise<SaleContext | null> {
  const [row] = await run.rows<SaleContextRow>(saleContextQuery({ ...options, lock: true }), { prepare: true });
  return row ? saleContextOf(row) : null;
}

/** A saleContextQuery() row as a SaleContext. */
export function saleContextOf(r: SaleContextRow): SaleContext {
  return {
    now: r.now,
    event: {
      id: r.id,
      organizationId: r.organization_id,
      organizationSlug: r.organization_slug,
      slug: r.slug,
      title: r.title,
      status: r.status,
      deleted: r.deleted || r.organization_deleted,
      startsAt: r.starts_at,
      timezone: r.timezone,
      groupId: r.group_id,
      locationType: r.location_type,
      locationAddress: r.location_address,
      settings: readEventSettings(r.settings),
    },
    ticketType: r.tt_id
      ? {
          id: r.tt_id,
          name: r.tt_name!,
          isActive: r.tt_is_active!,
          salesStart: r.tt_sales_start,
          salesEnd: r.tt_sales_end,
          priceCents: r.tt_price_cents!,
          currency: r.tt_currency!,
          reservationMinutes: r.tt_reservation_minutes,
          prepaymentPercent: r.tt_prepayment_percent,
          quantity: r.tt_quantity,
          soldCount: r.tt_sold_count ?? 0,
          reservedCount: r.tt_reserved_count ?? 0,
          expiredReservations: r.tt_expired ?? 0,
          waiting: r.tt_waiting ?? 0,
          isHidden: r.tt_is_hidden ?? false,
        }
      : null,
    user: r.u_id
      ? { id: r.u_id, firstName: r.u_first_name!, lastName: r.u_last_name, email: r.u_email, locale: r.u_locale ?? "RU" }
      : null,
    promo: r.p_id
      ? {
          id: r.p_id,
          ticketTypeId: r.p_ticket_type_id,
          discountKind: r.p_discount_kind!,
          discountValue: r.p_discount_value!,
          currency: r.p_currency,
          usageLimit: r.p_usage_limit,
          usedCount: r.p_used_count ?? 0,
          validFrom: r.p_valid_from,
          validUntil: r.p_valid_until,
          isActive: r.p_is_active ?? false,
        }
      : null,
  };
}

/**
 * The event accepts registrations now: it exists, is not deleted, is PUBLISHED and has not started.
 * A draft (or deleted) event does not exist for participants.
 */
export function assertEventOpen(ctx: SaleContext | null): asserts ctx is SaleContext {
  if (!ctx || ctx.event.deleted || ctx.event.status === "DRAFT") throw registrationErrors.notFound();
  if (ctx.event.status === "CANCELLED") throw registrationErrors.eventCancelled();
  if (ctx.event.status === "COMPLETED") throw registrationErrors.eventCompleted();
  if (ctx.event.startsAt.getTime() <= ctx.now.getTime()) throw registrationErrors.eventStarted();
}

/**
 * A private event (group) is open to the group's members only: anonymous → UNAUTHENTICATED (sign in
 * first), a signed-in non-member → NOT_FOUND (the event is invisible to them).
 */
export async function assertMayAccessPrivateEvent(tx: Tx, ctx: SaleContext, userId: string | null): Promise<void> {
  if (!ctx.event.groupId) return;
  if (!userId) throw registrationErrors.unauthenticated();
  if (!(await isGroupMember(userId, ctx.event.groupId, tx))) throw registrationErrors.notFound();
}

/** The ticket type is on sale now: active and inside its sales window. */
export function assertTicketTypeOnSale(ctx: SaleContext): asserts ctx is SaleContext & { ticketType: NonNullable<SaleContext["ticketType"]> } {
  const t = ctx.ticketType;
  if (!t) throw registrationErrors.notFound();
  if (!t.isActive) throw registrationErrors.ticketTypeInactive();
  if (t.salesStart && t.salesStart.getTime() > ctx.now.getTime()) throw registrationErrors.salesNotStarted();
  if (t.salesEnd && t.salesEnd.getTime() <= ctx.now.getTime()) throw registrationErrors.salesEnded();
}

// ───────────────────────────── notifications ─────────────────────────────

export type NoticeEvent = {
  id: string;
  title: string;
  startsAt: Date;
  timezone: string;
  locationType: "ONLINE" | "OFFLINE" | "HYBRID";
  locationAddress: string | null;
  organizationSlug: string;
  slug: string;
};

/** The event columns a registration query selects (snake_case, as the SQL names them). */
export type NoticeEventColumns = {
  event_id: string;
  title: string;
  starts_at: Date;
  timezone: string;
  location_type: NoticeEvent["locationType"];
  location_address: string | null;
  organization_slug: string;
  event_slug: string;
};

/** A NoticeEvent from a registration row's event columns (cancellation, payments). */
export function noticeEventOfColumns(r: NoticeEventColumns): NoticeEvent {
  return {
    id: r.event_id,
    title: r.title,
    startsAt: r.starts_at,
    timezone: r.timezone,
    locationType: r.location_type,
    locationAddress: r.location_address,
    organizationSlug: r.organization_slug,
    slug: r.event_slug,
  };
}

export function eventUrl(event: Pick<NoticeEvent, "organizationSlug" | "slug">): string {
  return `${env().APP_URL.replace(/\/+$/, "")}${publicEventPath(event.organizationSlug, event.slug)}`;
}

function eventLocation(event: NoticeEvent, locale: "RU" | "EN"): string {
  if (event.locationType === "ONLINE") return locale === "EN" ? "Online" : "Онлайн";
  return event.locationAddress ?? "";
}

/** "1 500 ₽" / "RUB 1,500.00": an amount in minor units for a message in the user's language. */
export function formatMoney(cents: number, currency: string, locale: "RU" | "EN"): string {
  return formatLocalizedMoney(cents, currency, locale === "EN" ? "en" : "ru");
}

export type NoticeRegistration = NoticeRecipientRow & { firstName: string; confirmationCode: string };

/** The ticket (QR photo) after a registration becomes CONFIRMED: a user by the routing rule, a guest by email. */
export async function notifyRegistrationConfirmed(tx: Tx, r: NoticeRegistration, event: NoticeEvent, ticketTypeName: string) {
  const notice = registrationConfirmedNotice(r, event, ticketTypeName);
  if (notice) await notify(tx, notice);
}

/** What notifyRegistrationConfirmed() sends (null: nobody to tell): also written by the sale statement itself. */
export function registrationConfirmedNotice(r: NoticeRegistration, event: NoticeEvent, ticketTypeName: string): NotifyOptions | null {
  const to = noticeRecipient(r);
  if (!to) return null;
  return {
    ...to,
    templateCode: "registration.confirmed",
    variables: {
      firstName: r.firstName,
      eventTitle: event.title,
      eventDate: dateVar(event.startsAt, event.timezone),
      eventLocation: eventLocation(event, r.locale),
      ticketTypeName,
      confirmationCode: r.confirmationCode,
      eventUrl: eventUrl(event),
      ticketUrl: ticketUrlOf(r),
    },
    extra: { photo: { kind: "ticket", registrationId: r.id } },
    dedupeKey: `registration.confirmed:${r.id}`,
  };
}

/** The language a notice's values (amounts) are formatted in: the user's, or the guest registration's. */
async function noticeLocale(tx: Tx, r: Pick<NoticeRecipientRow, "userId" | "locale">): Promise<"RU" | "EN"> {
  if (!r.userId) return r.locale;
  const user = await tx.user.findUnique({ where: { id: r.userId }, select: { locale: true } });
  return user?.locale ?? r.locale;
}

export async function notifyRegistrationCancelled(
  tx: Tx,
  r: NoticeRecipientRow & { firstName: string },
  event: NoticeEvent,
  options: {
    byOrganizer: boolean;
    reason: string | null;
    /** Refunds requested with the cancellation (lib/payments/refunds.ts): what comes back, and how. */
    refunds?: readonly { amountCents: number; currency: string; manual: boolean }[];
  },
) {
  const to = noticeRecipient(r);
  if (!to) return;
  const refunds = options.refunds ?? [];
  let refundAmount = "";
  if (refunds.length) {
    const locale = await noticeLocale(tx, r);
    const perCurrency = new Map<string, number>();
    for (const f of refunds) perCurrency.set(f.currency, (perCurrency.get(f.currency) ?? 0) + f.amountCents);
    refundAmount = [...perCurrency].map(([currency, cents]) => formatMoney(cents, currency, locale)).join(" + ");
  }
  await notify(tx, {
    ...to,
    templateCode: "registration.cancelled",
    variables: {
      firstName: r.firstName,
      eventTitle: event.title,
      eventDate: dateVar(event.startsAt, event.timezone),
      cancelledByOrganizer: options.byOrganizer,
      cancellationReason: options.reason ?? "",
      eventUrl: eventUrl(event),
      refundAmount,
      refundByHand: refunds.some((f) => f.manual),
    },
    dedupeKey: `registration.cancelled:${r.id}`,
  });
}

export async function notifyReservationExpired(tx: Tx, r: NoticeRecipientRow & { firstName: string }, event: NoticeEvent, ticketTypeName: string) {
  const to = noticeRecipient(r);
  if (!to) return;
  await notify(tx, {
    ...to,
    templateCode: "reservation.expired",
    variables: { firstName: r.firstName, eventTitle: event.title, ticketTypeName, eventUrl: eventUrl(event) },
    dedupeKey: `reservation.expired:${r.id}`,
  });
}

type NoticeRow = {
  registration_id: string;
  user_id: string | null;
  email: string | null;
  first_name: string;
  confirmation_code: string;
  locale: "RU" | "EN";
  ticket_type_name: string;
  event_id: string;
  title: string;
  starts_at: Date;
  timezone: string;
  location_type: NoticeEvent["locationType"];
  location_address: string | null;
  event_slug: string;
  organization_slug: string;
};

export type NoticeContext = { registration: NoticeRegistration; event: NoticeEvent; ticketTypeName: string };

/** What the notices of these registrations need, in one query (batch paths: expiry job, sweeps). */
export async function loadNoticeContexts(tx: Tx, registrationIds: readonly string[]): Promise<Map<string, NoticeContext>> {
  if (registrationIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<NoticeRow[]>`
    SELECT r.id AS registration_id, r.user_id AS user_id, r.email, r.first_name, r.confirmation_code,
           coalesce(u.locale, r.locale)::text AS locale,
           t.name AS ticket_type_name, e.id AS event_id, e.title, e.starts_at, e.timezone,
           e.location_type::text AS location_type, e.location_address, e.slug AS event_slug, o.slug AS organization_slug
      FROM registrations r
      JOIN ticket_types t ON t.id = r.ticket_type_id
      JOIN events e ON e.id = r.event_id
      JOIN organizations o ON o.id = e.tenant_id
      LEFT JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
     WHERE r.id = ANY(${registrationIds as string[]}::uuid[])`;
  return new Map(
    rows.map((row) => [
      row.registration_id,
      {
        registration: {
          id: row.registration_id,
          userId: row.user_id,
          email: row.email,
          firstName: row.first_name,
          confirmationCode: row.confirmation_code,
          locale: row.locale,
        },
        event: {
          id: row.event_id,
          title: row.title,
          startsAt: row.starts_at,
          timezone: row.timezone,
          locationType: row.location_type,
          locationAddress: row.location_address,
          organizationSlug: row.organization_slug,
          slug: row.event_slug,
        },
        ticketTypeName: row.ticket_type_name,
      },
    ]),
  );
}

export function noticeEventOf(ctx: SaleContext): NoticeEvent {
  return {
    id: ctx.event.id,
    title: ctx.event.title,
    startsAt: ctx.event.startsAt,
    timezone: ctx.event.timezone,
    locationType: ctx.event.locationType,
    locationAddress: ctx.event.locationAddress,
    organizationSlug: ctx.event.organizationSlug,
    slug: ctx.event.slug,
  };
}

// The result of a sale, shared by the ordinary sale (register.ts) and the waitlist claim.
export type RegistrationStatusAfterSale = "CONFIRMED" | "RESERVED" | "PENDING";

export type RegisterResult = {
  registrationId: string;
  eventId: string;
  ticketTypeId: string;
  status: RegistrationStatusAfterSale;
  confirmationCode: string;
  /** RESERVED: when the reservation lapses (ISO). */
  expiresAt: string | null;
  /** The amount due, after the promo code's discount. */
  priceCents: number;
  currency: "RUB" | "USD" | "EUR";
  /** What the promo code took off the list price (0 without a code). */
  discountCents?: number;
  /** Guests: the private ticket-link token (only its hash is stored). Null for signed-in users. */
  guestToken: string | null;
  /** True when this is the stored result of an earlier request with the same idempotency key. */
  replayed: boolean;
};
