// The sale, as SQL composed from the rules' own fragments (docs/registrations.md → "One conditional
// statement decides a sale"). One sale path: a public registration (register.ts) and a waitlist claim
// (lib/waitlist) run the same statement; they differ only in where the seat comes from.
//
//   saleContextQuery — the event (locked FOR SHARE), its ticket type, the user, the transaction's clock
//                      and the seat counts as read (lib/events/seats-sql);
//   saleStatement    — ONE statement that decides the sale and writes everything that depends on it:
//     due/expired/freed — this type's reservations past expires_at expire (reservationsDue/expireDue,
//                         the expiry sweep's own fragments) and their seats return in the same UPDATE;
//     offer             — (waitlist claim) the offer NOTIFIED → CONVERTED, if it still stands;
//     promo             — the promo code given with the sale, locked FOR UPDATE where it applies now
//                         (lib/promo/rules-sql promoAppliesSql: active, in its window, for this type or the
//                         event, currency, a use left); FOR UPDATE re-checks that on the newest row after
//                         waiting, so the usage limit is decided like a seat. No code: no row;
//     sale              — the conditional UPDATE of the ticket type: a public seat remains
//                         (lib/events/seats-sql publicSeatFree), or the claim's held seat is ours; a hidden
//                         type only with a code naming it; a code given must have applied; the row lock
//                         serializes concurrent sales of the type; the price due is the list price less
//                         lib/promo/rules-sql promoDiscountSql, and the counters move by it (0 → sold);
//     promo_use         — the code's used_count + 1, only when the sale happened;
//     reg               — the registration (registrationInsert: status from initialStatusSql, price and
//                         currency from the locked row and the code, never from input);
//     audit             — lib/audit's fragment; left_waitlist — the buyer's own WAITING entries end;
//     stored            — lib/idempotency's idempotencyStore (the result predicted before the sale);
//     notice / guest    — lib/notifications noticeCtes (the ticket of a free sale: a user's by the routing
//                         rule, a guest's by email with the private link) or lib/jobs enqueueStatement (a
//                         guest's reservation email: pay by the time), exactly what notify() / enqueue() write alone.
// Every write after `sale` happens only when the sale did.
import "server-only";
import { auditInsert } from "@/lib/audit";
import { empty, raw, sql, type Sql } from "@/lib/db";
import { expiredReservationsOf, publicSeatFree, waitingFor } from "@/lib/events";
import { idempotencyStore, type IdempotencyClaim } from "@/lib/idempotency";
import type { Locale } from "@/lib/i18n/config";
import { enqueueStatement } from "@/lib/jobs";
import { noticeCtes, type NotifyOptions } from "@/lib/notifications";
import { promoAppliesSql, promoDiscountSql } from "@/lib/promo/rules-sql";
import { initialStatusSql } from "./transitions";

/** A guest's ticket email: dispatched by the sale, rendered by its job after the commit (guest-ticket-mail.ts). */
export const GUEST_TICKET_EVENT = "registration/guest-ticket-requested" as const;

// ───────────────────────────── the sale context ─────────────────────────────

/**
 * The sale context: the event locked FOR SHARE (a concurrent cancel/unpublish waits for this
 * transaction), the ticket type when it belongs to that event, the user, the transaction's clock, and the
 * seat counts as read. `lock: false` reads the same without a lock and outside a transaction (the early
 * refusal of a sold-out type), and `keyUsed` then also says whether an idempotency key was used before.
 */
export function saleContextQuery(o: {
  eventId: string;
  ticketTypeId: string | null;
  userId: string | null;
  lock: boolean;
  keyUsed?: { scope: string; key: string } | null;
  /** A normalized promo code (lib/promo/rules normalizePromoCode): its row of this event, as read. */
  promoCode?: string | null;
}): Sql {
  const keyUsed = o.keyUsed
    ? sql`EXISTS (SELECT 1 FROM idempotency_records k WHERE k.scope = ${o.keyUsed.scope} AND k.key = ${o.keyUsed.key}) AS key_used, `
    : empty;
  return sql`
    SELECT ${keyUsed}now() AS now, e.id, e.tenant_id AS organization_id, o.slug AS organization_slug,
           (o.deleted_at IS NOT NULL) AS organization_deleted, e.slug, e.title, e.status::text AS status,
           (e.deleted_at IS NOT NULL) AS deleted, e.starts_at, e.timezone, e.group_id,
           e.location_type::text AS location_type, e.location_address, e.settings,
           t.id AS tt_id, t.name AS tt_name, t.is_active AS tt_is_active, t.sales_start AS tt_sales_start,
           t.sales_end AS tt_sales_end, t.price_cents AS tt_price_cents, t.currency::text AS tt_currency,
           t.reservation_minutes AS tt_reservation_minutes, t.prepayment_percent AS tt_prepayment_percent,
           t.quantity AS tt_quantity, t.sold_count AS tt_sold_count, t.reserved_count AS tt_reserved_count,
           t.is_hidden AS tt_is_hidden, p.id AS p_id, p.ticket_type_id AS p_ticket_type_id,
           p.discount_kind::text AS p_discount_kind, p.discount_value AS p_discount_value, p.currency::text AS p_currency,
           p.usage_limit AS p_usage_limit, p.used_count AS p_used_count, p.valid_from AS p_valid_from,
           p.valid_until AS p_valid_until, p.is_active AS p_is_active,
           CASE WHEN t.id IS NOT NULL AND t.quantity IS NOT NULL THEN ${expiredReservationsOf()} END AS tt_expired,
           CASE WHEN t.id IS NOT NULL AND t.quantity IS NOT NULL THEN ${waitingFor()} END AS tt_waiting,
           u.id AS u_id, u.first_name AS u_first_name, u.last_name AS u_last_name, u.email AS u_email,
           u.locale::text AS u_locale
      FROM events e
      JOIN organizations o ON o.id = e.tenant_id
      LEFT JOIN ticket_types t ON t.id = ${o.ticketTypeId}::uuid AND t.event_id = e.id
      LEFT JOIN users u ON u.id = ${o.userId}::uuid AND u.deleted_at IS NULL
      LEFT JOIN promo_codes p ON p.event_id = e.id AND p.code = ${o.promoCode ?? null}::text
     WHERE e.id = ${o.eventId}::uuid${o.lock ? sql`
       FOR SHARE OF e` : empty}`;
}

// ───────────────────────────── reservations past their time ─────────────────────────────

/**
 * RESERVED registrations past expires_at matching `where` (over alias `r`), locked: `skipLocked` for the
 * sweep (a row being paid is left for the next run), waiting for the sale (which must know). The CTE the
 * sale and the expiry sweep both start from.
 */
export function reservationsDue(where: Sql, options: { skipLocked?: boolean; limit?: number } = {}): Sql {
  return sql`SELECT r.id FROM registrations r
     WHERE r.status = 'RESERVED' AND r.expires_at <= now() AND ${where}
     ORDER BY r.id${options.limit ? sql` LIMIT ${options.limit}::int` : empty}
       FOR UPDATE${options.skipLocked ? raw(" SKIP LOCKED") : empty}`;
}

/** RESERVED → EXPIRED for the rows of the CTE `due` (compare-and-set on the status). */
export function expireDue(): Sql {
  return sql`UPDATE registrations r SET status = 'EXPIRED', updated_at = now()
      FROM due
     WHERE r.id = due.id AND r.status = 'RESERVED'
    RETURNING r.id, r.user_id, r.first_name, r.email, r.locale, r.ticket_type_id, r.event_id, r.tenant_id`;
}

// ───────────────────────────── the sale statement ─────────────────────────────

/** Where the seat comes from: the public pool, or a waitlist offer's held seat (the claim). */
export type SaleSeat = { kind: "public" } | { kind: "offer"; entryId: string };

export type SaleValues = {
  seat: SaleSeat;
  ticketTypeId: string;
  eventId: string;
  registrationId: string;
  organizationId: string;
  /** Null: a guest. */
  userId: string | null;
  /** Who the audit row names when not the buyer: the organizer who registered a participant (registerAsOrganizer). */
  auditActorId?: string | null;
  /** The organizer's own sale (registerAsOrganizer): a hidden ticket type is sold without a code. */
  hiddenAllowed?: boolean;
  confirmationCode: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  customFields: unknown;
  guestTokenHash: string | null;
  /** The page's language (the request locale): a guest's notices are written in it. */
  locale: Locale;
  /** The transaction's now() as read: a reservation ends at now + minutes (so the caller can predict it). */
  now: Date;
  /** The idempotency record of this request and the response to store on it (the predicted result). */
  idempotency: { claim: IdempotencyClaim; response: unknown } | null;
  /** The ticket message of a free sale (notify()'s options): a signed-in buyer's, or a guest's by email. */
  notice: NotifyOptions | null;
  /** A guest's reservation email (the private link and, for a reservation, the time to pay by). */
  guestMail: { locale: Locale } | null;
  /** When the message's job may run (default: at once; the benchmark's ceiling defers it). */
  messageRunAt?: Date;
  /** The promo code the buyer gave (its id as read; the statement re-checks it under its row lock). */
  promoCodeId?: string | null;
};

/** The row a sale statement returns (always one row; `id` null when nothing was sold). */
export type SaleRow = {
  freed: number;
  expired: { id: string; userId: string | null; firstName: string; email: string | null; locale: "RU" | "EN" }[];
  id: string | null;
  status: "CONFIRMED" | "RESERVED" | "PENDING" | null;
  confirmation_code: string | null;
  expires_at: Date | null;
  price_cents: number | null;
  discount_cents: number | null;
  currency: "RUB" | "USD" | "EUR" | null;
  stored: number;
  /** 1 when the given promo code applied under its lock (0 without a code or when it no longer did). */
  promo_applied: number;
};

/** The registration inserted from the locked ticket-type row `sale` (status, price, currency from it). */
function registrationInsert(v: SaleValues): Sql {
  return sql`INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code,
                                 first_name, last_name, email, custom_fields, price_cents, currency,
                                 guest_token_hash, expires_at, confirmed_at, created_at, updated_at,
                                 promo_code_id, discount_cents, locale)
      SELECT ${v.registrationId}::uuid, ${v.organizationId}::uuid, ${v.eventId}::uuid, sale.id, ${v.userId}::uuid,
             ${initialStatusSql(sql`sale`)}, ${v.confirmationCode}, ${v.firstName}, ${v.lastName}, ${v.email},
             ${JSON.stringify(v.customFields ?? {})}::jsonb, sale.price_cents, sale.currency, ${v.guestTokenHash},
             CASE WHEN sale.price_cents > 0 AND sale.reservation_minutes IS NOT NULL
                  THEN ${v.now}::timestamptz + make_interval(mins => sale.reservation_minutes) END,
             CASE WHEN sale.price_cents = 0 THEN now() END,
             now(), now(), sale.promo_code_id, sale.discount_cents, ${v.locale === "en" ? "EN" : "RU"}::"Locale"
        FROM sale
      RETURNING id, status, confirmation_code, expires_at, price_cents, discount_cents, currency`;
}

/** The statement of one sale (see the file comment). */
export function saleStatement(v: SaleValues): Sql {
  if (v.notice && v.guestMail) throw new Error("a sale dispatches one message: the ticket or a guest's email");
  const offer = v.seat.kind === "offer" ? v.seat.entryId : null;
  const seatCtes = offer
    ? sql`freed AS (
      SELECT 0 AS n
    ), expired AS (
      SELECT NULL::uuid AS id, NULL::uuid AS user_id, NULL::text AS first_name, NULL::text AS email, NULL::"Locale" AS locale WHERE false
    ), offer AS (
      UPDATE waitlist_entries SET status = 'CONVERTED', converted_registration_id = ${v.registrationId}::uuid, updated_at = now()
       WHERE id = ${offer}::uuid AND status = 'NOTIFIED' AND expires_at > now() AND user_id = ${v.userId}::uuid
         AND offered_ticket_type_id = ${v.ticketTypeId}::uuid
      RETURNING id
    )`
    : sql`due AS (
      ${reservationsDue(sql`r.ticket_type_id = ${v.ticketTypeId}::uuid`)}
    ), expired AS (
      ${expireDue()}
    ), freed AS (
      SELECT count(*)::int AS n FROM expired
    )`;
  // A public seat: on sale now and one remains. An offer's seat: already held in reserved_count.
  const seatCondition = offer
    ? sql`EXISTS (SELECT 1 FROM offer)`
    : sql`t.is_active
         AND (t.sales_start IS NULL OR t.sales_start <= now())
         AND (t.sales_end IS NULL OR t.sales_end > now())
         AND ${publicSeatFree(sql`freed.n`)}`;
  // The counters move by what the status needs: free → sold_count; paid → reserved_count (where an
  // offer's seat already is), computed from the locked row.
  const heldSeat = offer ? 1 : 0;
  const changes = sql`jsonb_build_object('status', jsonb_build_object('from', NULL, 'to', reg.status),
                               'ticketTypeId', ${v.ticketTypeId}::text, 'priceCents', reg.price_cents${v.promoCodeId ? sql`, 'promoCodeId', ${v.promoCodeId}::text, 'discountCents', reg.discount_cents` : empty}${offer ? sql`, 'waitlistEntryId', ${offer}::text` : empty})`;
  const stored = v.idempotency
    ? sql`, stored AS (${idempotencyStore(v.idempotency.claim.id, v.idempotency.claim.responseJson(v.idempotency.response), sql`EXISTS (SELECT 1 FROM reg)`)})`
    : sql`, stored AS (SELECT NULL::uuid AS id WHERE false)`;
  const message = v.notice
    ? sql`, ${noticeCtes(v.notice, { as: "notice", when: "reg", runAt: v.messageRunAt }).sql}`
    : v.guestMail
      ? sql`, guest_jobs AS (${enqueueStatement(
          GUEST_TICKET_EVENT,
          { registrationId: v.registrationId, locale: v.guestMail.locale },
          { id: `guest-ticket:${v.registrationId}`, when: "reg", runAt: v.messageRunAt },
        )})`
      : empty;
  const offerAudit = offer
    ? sql`, offer_audit AS (${auditInsert(
        {
          entityType: "waitlist_entry",
          action: "waitlist.claimed",
          organizationId: v.organizationId,
          actorId: v.userId,
          entityId: offer,
          changes: sql`jsonb_build_object('status', jsonb_build_object('from', 'NOTIFIED', 'to', 'CONVERTED'), 'convertedRegistrationId', reg.id)`,
        },
        sql`reg`,
      )})`
    : empty;

  // The price due: the list price less the code's discount (no code: the promo row is all NULL → 0).
  const due = sql`(t.price_cents - ${promoDiscountSql(sql`t.price_cents`, sql`t.currency`, sql`promo`)})`;
  const promoId = v.promoCodeId ?? null;
  return sql`
    WITH ${seatCtes}, promo AS (
      SELECT p.id, p.ticket_type_id, p.discount_kind, p.discount_value, p.currency
        FROM promo_codes p
        JOIN ticket_types pt ON pt.id = ${v.ticketTypeId}::uuid
        CROSS JOIN freed
       WHERE p.id = ${promoId}::uuid AND p.event_id = ${v.eventId}::uuid AND ${promoAppliesSql(sql`p`, sql`pt`)}
         FOR UPDATE OF p
    ), sale AS (
      UPDATE ticket_types t
         SET sold_count = t.sold_count + CASE WHEN ${due} = 0 THEN 1 ELSE 0 END,
             reserved_count = t.reserved_count - freed.n + CASE WHEN ${due} = 0 THEN 0 ELSE 1 END - ${heldSeat}::int,
             updated_at = now()
        FROM freed
        LEFT JOIN promo ON true
       WHERE t.id = ${v.ticketTypeId}::uuid AND t.event_id = ${v.eventId}::uuid AND ${seatCondition}
         AND (${promoId}::uuid IS NULL OR promo.id IS NOT NULL)
${offer || v.hiddenAllowed ? empty : sql`
         AND (NOT t.is_hidden OR promo.ticket_type_id = t.id)`}
      RETURNING t.id, ${due} AS price_cents, (t.price_cents - ${due}) AS discount_cents, t.currency,
                t.reservation_minutes, promo.id AS promo_code_id
    ), promo_use AS (
      UPDATE promo_codes p SET used_count = p.used_count + 1, updated_at = now()
        FROM sale
       WHERE p.id = sale.promo_code_id
      RETURNING p.id
    ), reg AS (
      ${registrationInsert(v)}
    ), audit AS (
      ${auditInsert(
        {
          entityType: "registration",
          action: "registration.created",
          organizationId: v.organizationId,
          actorId: v.auditActorId ?? v.userId,
          entityId: sql`reg.id`,
          changes,
        },
        sql`reg`,
      )}
    )${offerAudit}, left_waitlist AS (
      UPDATE waitlist_entries w SET status = 'EXPIRED', updated_at = now()
       WHERE w.event_id = ${v.eventId}::uuid AND w.user_id = ${v.userId}::uuid AND w.status = 'WAITING'
         AND EXISTS (SELECT 1 FROM reg)
      RETURNING w.id
    )${stored}${message}
    SELECT (SELECT n FROM freed) AS freed,
           (SELECT coalesce(json_agg(json_build_object('id', x.id, 'userId', x.user_id, 'firstName', x.first_name, 'email', x.email, 'locale', x.locale)), '[]'::json)
              FROM expired x) AS expired,
           reg.id, reg.status::text AS status, reg.confirmation_code, reg.expires_at, reg.price_cents,
           reg.discount_cents, reg.currency::text AS currency, (SELECT count(*)::int FROM stored) AS stored,
           (SELECT count(*)::int FROM promo) AS promo_applied
      FROM (SELECT 1) AS one
      LEFT JOIN reg ON true`;
}
