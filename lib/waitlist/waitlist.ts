// Waitlist (F32): people wait for a sold-out ticket type (or for any type of the event); a freed seat
// reaches them before the public.
//
// - join: only when the type (or, for "any type", every type on sale) is sold out; position = next in
//   the event (unique (event, position): a concurrent join that took the same number retries); one live
//   (WAITING/NOTIFIED) entry per user per event (partial unique index);
// - a seat frees up (cancellation, reservation expiry, an offer that lapsed, quantity raised): the first
//   WAITING entry for that type or for any type, by position, becomes NOTIFIED with
//   expires_at = now + settings.waitlistOfferMinutes and offered_ticket_type_id, and the seat is HELD for
//   it: the hold is counted in ticket_types.reserved_count, in the same transaction that freed the seat,
//   so `sold + reserved <= quantity` (CHECK) covers it and the public sale statement cannot take it;
// - `waitlist.available` goes out with a one-tap claim link (HMAC token) and an inline button;
// - claim: NOTIFIED → CONVERTED (compare-and-set) and a registration in one transaction: the held seat
//   is consumed (reserved → sold for a free type; for a paid type the hold simply becomes the
//   reservation), never re-checked against the public pool; claiming twice returns the same registration;
// - an offer that lapses (cron): NOTIFIED → EXPIRED and the seat goes to the next WAITING entry, or back
//   to the public when nobody waits;
// - leave: one tap; leaving with an open offer passes the seat on.
//
// Lock order everywhere: registrations → ticket_types → waitlist_entries (the latter with SKIP LOCKED
// when picking whom to offer), or waitlist entry → ticket type for claim / leave / offer expiry, which
// never wait on a WAITING row: no cycles, no deadlocks.
import "server-only";
import { randomUUID } from "node:crypto";
import { writeAudit, writeAudits, type AuditAction } from "@/lib/audit";
import { db, onPrisma, Prisma, sql, TX_PROFILES } from "@/lib/db";
import { computeAvailability } from "@/lib/events/seats";
import { unheldSeatFree } from "@/lib/events";
import { env } from "@/lib/env";
import { AppError, isAppError, uniqueViolation } from "@/lib/errors";
import { dateVar, notify } from "@/lib/notifications";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { getEventAvailability } from "@/lib/registrations/availability";
import type { RegisterResult } from "@/lib/registrations/shared";
import {
  assertEventOpen,
  assertMayAccessPrivateEvent,
  assertTicketTypeOnSale,
  isConfirmationCodeCollision,
  loadSaleContext,
  noticeEventOf,
  registrationConfirmedNotice,
  registrationErrors,
  translateRegistrationDbError,
} from "@/lib/registrations/shared";
import { saleStatement, type SaleRow } from "@/lib/registrations/sale";
import { initialStatusFor } from "@/lib/registrations/transitions";
import { verifyWaitlistClaimToken, waitlistClaimToken } from "@/lib/registrations/tokens";
import { generateCode } from "@/lib/tickets/codes";
import { validateRegistrationFields, WAITLIST_OFFER_MINUTES_DEFAULT, WAITLIST_OFFER_MINUTES_MIN } from "@/lib/validation/events";

type Tx = Prisma.TransactionClient;


export const waitlistErrors = {
  alreadyOnWaitlist: () => new AppError("CONFLICT", "errors.alreadyOnWaitlist"),
  ticketsStillAvailable: () => new AppError("CONFLICT", "errors.ticketsStillAvailable"),
  offerExpired: () => new AppError("CONFLICT", "errors.waitlistOfferExpired"),
  noOffer: () => new AppError("CONFLICT", "errors.waitlistNoOffer"),
};

/** `${APP_URL}/waitlist/claim/<entryId>?t=<token>`: the one-tap claim link of an offer. */
export function waitlistClaimUrl(entryId: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/waitlist/claim/${entryId}?t=${waitlistClaimToken(entryId)}`;
}

/** The offer window of an event: settings.waitlistOfferMinutes (default 1440, at least 15). */
export function offerMinutesOf(settings: { waitlistOfferMinutes?: number | null } | null | undefined): number {
  const m = settings?.waitlistOfferMinutes;
  if (typeof m !== "number" || !Number.isFinite(m)) return WAITLIST_OFFER_MINUTES_DEFAULT;
  return Math.max(WAITLIST_OFFER_MINUTES_MIN, Math.trunc(m));
}

// ───────────────────────────── offers (seat freed → first waiter) ─────────────────────────────

type OfferTypeRow = {
  quantity: number | null;
  sold_count: number;
  reserved_count: number;
  open: boolean;
  settings: unknown;
  ticket_type_name: string;
  title: string;
  starts_at: Date;
  timezone: string;
};

type OfferedRow = { id: string; user_id: string | null; first_name: string | null; expires_at: Date; locale: "RU" | "EN" | null; user_first_name: string | null };

/**
 * Offers up to `seats` free seats of a ticket type to the first WAITING entries (for that type or for
 * any type), holding one seat per offer. Call it in the transaction that freed the seats, after the
 * counters moved (cancellation, expiry, a lapsed offer, quantity raised — lib/events). Offers only while
 * the type is on sale and the event open; never more than the type's free seats (quantity − sold −
 * reserved, read under the row lock). Returns the number of offers made.
 */
export async function offerSeats(tx: Tx, options: { eventId: string; ticketTypeId: string; seats?: number; actorId?: string | null }): Promise<number> {
  const wanted = options.seats ?? Number.MAX_SAFE_INTEGER;
  if (wanted <= 0) return 0;
  const [type] = await tx.$queryRaw<OfferTypeRow[]>`
    SELECT t.quantity, t.sold_count, t.reserved_count, e.settings, t.name AS ticket_type_name, e.title, e.starts_at, e.timezone,
           (t.is_active AND NOT t.is_hidden -- a hidden type is sold only with its promo code, never offered
            AND (t.sales_start IS NULL OR t.sales_start <= now()) AND (t.sales_end IS NULL OR t.sales_end > now())
            AND e.status = 'PUBLISHED' AND e.deleted_at IS NULL AND o.deleted_at IS NULL AND e.starts_at > now()) AS open
      FROM ticket_types t
      JOIN events e ON e.id = t.event_id
      JOIN organizations o ON o.id = e.tenant_id
     WHERE t.id = ${options.ticketTypeId}::uuid AND t.event_id = ${options.eventId}::uuid
       FOR UPDATE OF t`;
  if (!type || !type.open || type.quantity === null) return 0;
  // Seats nobody holds, under the row lock (the seat rule, lib/events/seats.ts; offers count as held).
  const free = computeAvailability({
    quantity: type.quantity,
    soldCount: type.sold_count,
    reservedCount: type.reserved_count,
    expiredReservations: 0,
    heldForWaitlist: 0,
    waiting: 0,
  }).available!;
  const seats = Math.min(wanted, free);
  if (seats <= 0) return 0;

  // Someone who registered meanwhile is not waiting any more (keeps the public count honest too).
  await tx.$executeRaw`
    UPDATE waitlist_entries w SET status = 'EXPIRED', updated_at = now()
     WHERE w.id IN (
       SELECT w2.id FROM waitlist_entries w2
        WHERE w2.event_id = ${options.eventId}::uuid AND w2.status = 'WAITING' AND w2.user_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM registrations r
                       WHERE r.event_id = w2.event_id AND r.user_id = w2.user_id
                         AND r.status IN ('RESERVED', 'PENDING', 'CONFIRMED', 'CHECKED_IN'))
          FOR UPDATE SKIP LOCKED)`;

  const minutes = offerMinutesOf(type.settings as { waitlistOfferMinutes?: number });
  const offered = await tx.$queryRaw<OfferedRow[]>`
    WITH cand AS (
      SELECT w.id FROM waitlist_entries w
       WHERE w.event_id = ${options.eventId}::uuid AND w.status = 'WAITING'
         AND (w.ticket_type_id IS NULL OR w.ticket_type_id = ${options.ticketTypeId}::uuid)
       ORDER BY w.position
       LIMIT ${seats}::int
         FOR UPDATE SKIP LOCKED
    ), upd AS (
      UPDATE waitlist_entries w
         SET status = 'NOTIFIED', notified_at = now(), expires_at = now() + make_interval(mins => ${minutes}::int),
             offered_ticket_type_id = ${options.ticketTypeId}::uuid, updated_at = now()
        FROM cand
       WHERE w.id = cand.id
      RETURNING w.id, w.user_id, w.first_name, w.expires_at
    )
    SELECT upd.id, upd.user_id, upd.first_name, upd.expires_at, u.locale::text AS locale, u.first_name AS user_first_name
      FROM upd LEFT JOIN users u ON u.id = upd.user_id AND u.deleted_at IS NULL`;
  if (offered.length === 0) return 0;

  await tx.$executeRaw`
    UPDATE ticket_types SET reserved_count = reserved_count + ${offered.length}::int, updated_at = now()
     WHERE id = ${options.ticketTypeId}::uuid`;

  const organizationId = await organizationOf(tx, options.eventId);
  await writeAudits(
    tx,
    offered.map((o) => ({
      organizationId,
      actorId: options.actorId ?? null,
      entityType: "waitlist_entry",
      entityId: o.id,
      action: "waitlist.offered",
      changes: { status: { from: "WAITING", to: "NOTIFIED" }, offeredTicketTypeId: options.ticketTypeId, expiresAt: o.expires_at.toISOString() },
    })),
  );
  for (const o of offered) {
    if (!o.user_id) continue;
    const claimUrl = waitlistClaimUrl(o.id);
    await notify(tx, {
      userId: o.user_id,
      templateCode: "waitlist.available",
      variables: {
        firstName: o.first_name ?? o.user_first_name ?? "",
        eventTitle: type.title,
        eventDate: dateVar(type.starts_at, type.timezone),
        ticketTypeName: type.ticket_type_name,
        offerExpiresAt: dateVar(o.expires_at, type.timezone),
        claimUrl,
      },
      extra: { buttons: [{ text: { ru: "Занять место", en: "Claim the seat" }, url: claimUrl }] },
      dedupeKey: `waitlist.available:${o.id}`,
    });
  }
  return offered.length;
}

async function organizationOf(tx: Tx, eventId: string): Promise<string | null> {
  const event = await tx.event.findUnique({ where: { id: eventId }, select: { organizationId: true } });
  return event?.organizationId ?? null;
}

/**
 * Cron (and lib/events after raising a quantity): every ticket type that has free seats while people
 * wait for it gets its offers. Returns the number of offers made.
 */
export async function offerAvailableSeats(options: { eventId?: string } = {}): Promise<number> {
  const filter = options.eventId ? sql`AND e.id = ${options.eventId}::uuid` : sql``;
  const types = await onPrisma(db).rows<{ id: string; event_id: string }>(sql`
    SELECT t.id, t.event_id
      FROM ticket_types t
      JOIN events e ON e.id = t.event_id
     WHERE e.status = 'PUBLISHED' AND e.deleted_at IS NULL AND e.starts_at > now()
       AND t.is_active AND ${unheldSeatFree()}
       ${filter}
       AND EXISTS (SELECT 1 FROM waitlist_entries w
                    WHERE w.event_id = t.event_id AND w.status = 'WAITING'
                      AND (w.ticket_type_id IS NULL OR w.ticket_type_id = t.id))
     ORDER BY t.id
     LIMIT 500`);
  let offered = 0;
  for (const t of types) {
    offered += await db.$transaction((tx) => offerSeats(tx, { eventId: t.event_id, ticketTypeId: t.id }), TX_PROFILES.standard);
  }
  return offered;
}

/**
 * Cron: offers past expires_at → EXPIRED (compare-and-set through SKIP LOCKED claims, so a claim in
 * progress is never expired under it), each held seat passed to the next waiter or back to the public.
 * Idempotent. Returns the number of offers expired.
 */
export async function expireWaitlistOffers(options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 50;
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const expired = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; event_id: string; offered_ticket_type_id: string | null }[]>`
        WITH due AS (
          SELECT id FROM waitlist_entries
           WHERE status = 'NOTIFIED' AND expires_at <= now()
           ORDER BY id
           LIMIT ${batchSize}::int
             FOR UPDATE SKIP LOCKED
        )
        UPDATE waitlist_entries w SET status = 'EXPIRED', updated_at = now()
          FROM due WHERE w.id = due.id AND w.status = 'NOTIFIED'
        RETURNING w.id, w.event_id, w.offered_ticket_type_id`;
      if (rows.length === 0) return 0;
      await releaseHeldSeats(tx, rows, null, "waitlist.offer_expired");
      return rows.length;
    }, TX_PROFILES.standard);
    total += expired;
    if (expired < batchSize) break;
  }
  return total;
}

/** Entries that were NOTIFIED are no longer: return their held seats and pass them on. */
async function releaseHeldSeats(
  tx: Tx,
  rows: { id: string; event_id: string; offered_ticket_type_id: string | null }[],
  actorId: string | null,
  action: AuditAction<"waitlist_entry">,
): Promise<void> {
  const perType = new Map<string, { eventId: string; n: number }>();
  for (const r of rows) {
    if (!r.offered_ticket_type_id) continue;
    const entry = perType.get(r.offered_ticket_type_id) ?? { eventId: r.event_id, n: 0 };
    entry.n += 1;
    perType.set(r.offered_ticket_type_id, entry);
  }
  const organizationId = rows.length ? await organizationOf(tx, rows[0].event_id) : null;
  await writeAudits(
    tx,
    rows.map((r) => ({
      organizationId: rows.every((x) => x.event_id === rows[0].event_id) ? organizationId : null,
      actorId,
      entityType: "waitlist_entry",
      entityId: r.id,
      action,
      changes: { status: { from: "NOTIFIED", to: "EXPIRED" } },
    })),
  );
  for (const ticketTypeId of [...perType.keys()].sort()) {
    const { eventId, n } = perType.get(ticketTypeId)!;
    await tx.$executeRaw`
      UPDATE ticket_types SET reserved_count = reserved_count - ${n}::int, updated_at = now()
       WHERE id = ${ticketTypeId}::uuid`;
    await offerSeats(tx, { eventId, ticketTypeId, seats: n, actorId });
  }
}

// ───────────────────────────── participant: join, position, leave ─────────────────────────────

export type WaitlistPosition = {
  entryId: string;
  eventId: string;
  /** Null = any ticket type. */
  ticketTypeId: string | null;
  status: "WAITING" | "NOTIFIED";
  /** Queue number in the event (stable). */
  position: number;
  /** WAITING entries ahead of this one. */
  ahead: number;
  /** NOTIFIED: the held ticket type, the offer's deadline and the claim link. */
  offer: { ticketTypeId: string; expiresAt: string; claimUrl: string } | null;
};

/**
 * Joins the waitlist of an event (a ticket type, or any type when `ticketTypeId` is null) — only when
 * it is sold out for the public, and only for a signed-in user without an active registration here.
 */
export async function joinWaitlist(options: { actor: Actor | null | undefined; eventId: string; ticketTypeId?: string | null }): Promise<WaitlistPosition> {
  const actor = requireActor(options.actor);
  const ticketTypeId = options.ticketTypeId ?? null;
  if (!isUuid(options.eventId) || (ticketTypeId !== null && !isUuid(ticketTypeId))) throw registrationErrors.notFound();

  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const ctx = await loadSaleContext(tx, { eventId: options.eventId, ticketTypeId, userId: actor.userId });
        assertEventOpen(ctx);
        await assertMayAccessPrivateEvent(tx, ctx, actor.userId);
        if (!ctx.user) throw registrationErrors.unauthenticated();
        // A hidden type has no waitlist (it is sold only with a promo code naming it): it does not exist here.
        if (ctx.ticketType?.isHidden) throw registrationErrors.notFound();
        if (ticketTypeId !== null) assertTicketTypeOnSale(ctx);

        const registered = await tx.registration.count({
          where: { eventId: options.eventId, userId: actor.userId, status: { in: ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN"] } },
        });
        if (registered > 0) throw registrationErrors.alreadyRegistered();

        const availability = await getEventAvailability(options.eventId, { tx });
        const relevant = ticketTypeId ? availability.filter((a) => a.ticketTypeId === ticketTypeId) : availability.filter((a) => a.onSale && !a.isHidden);
        if (relevant.length === 0) throw registrationErrors.salesEnded();
        if (relevant.some((a) => !a.soldOut)) throw waitlistErrors.ticketsStillAvailable();

        const id = randomUUID();
        const [row] = await tx.$queryRaw<{ position: number }[]>`
          INSERT INTO waitlist_entries (id, event_id, ticket_type_id, user_id, email, first_name, last_name, position, status, created_at, updated_at)
          SELECT ${id}::uuid, ${options.eventId}::uuid, ${ticketTypeId}::uuid, ${actor.userId}::uuid, ${ctx.user.email},
                 ${ctx.user.firstName}, ${ctx.user.lastName}, coalesce(max(w.position), 0) + 1, 'WAITING', now(), now()
            FROM waitlist_entries w WHERE w.event_id = ${options.eventId}::uuid
          RETURNING position`;
        await writeAudit(tx, ({
          organizationId: ctx.event.organizationId,
          actorId: actor.userId,
          entityType: "waitlist_entry",
          entityId: id,
          action: "waitlist.joined",
          changes: { status: { from: null, to: "WAITING" }, ticketTypeId, position: row.position },
        }));
        const ahead = await countAhead(tx, options.eventId, row.position);
        return { entryId: id, eventId: options.eventId, ticketTypeId, status: "WAITING" as const, position: row.position, ahead, offer: null };
      }, TX_PROFILES.standard);
    } catch (e) {
      if (isAppError(e)) throw e;
      const index = uniqueViolation(e);
      if (index === "waitlist_entries_one_active_per_user") throw waitlistErrors.alreadyOnWaitlist();
      if (index?.includes("position") && attempt < 20) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      throw e;
    }
  }
}

async function countAhead(tx: Tx | typeof db, eventId: string, position: number): Promise<number> {
  return tx.waitlistEntry.count({ where: { eventId, status: "WAITING", position: { lt: position } } });
}

/** The actor's live entry for the event (WAITING or NOTIFIED), or null. */
export async function getMyWaitlistEntry(options: { actor: Actor | null | undefined; eventId: string }): Promise<WaitlistPosition | null> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.eventId)) return null;
  const entry = await db.waitlistEntry.findFirst({
    where: { eventId: options.eventId, userId: actor.userId, status: { in: ["WAITING", "NOTIFIED"] } },
    select: { id: true, eventId: true, ticketTypeId: true, status: true, position: true, expiresAt: true, offeredTicketTypeId: true },
  });
  if (!entry) return null;
  const ahead = entry.status === "WAITING" ? await countAhead(db, entry.eventId, entry.position) : 0;
  return {
    entryId: entry.id,
    eventId: entry.eventId,
    ticketTypeId: entry.ticketTypeId,
    status: entry.status as "WAITING" | "NOTIFIED",
    position: entry.position,
    ahead,
    offer:
      entry.status === "NOTIFIED" && entry.offeredTicketTypeId && entry.expiresAt
        ? { ticketTypeId: entry.offeredTicketTypeId, expiresAt: entry.expiresAt.toISOString(), claimUrl: waitlistClaimUrl(entry.id) }
        : null,
  };
}

/** Leaves the event's waitlist (one tap). An open offer's seat passes to the next waiter. Idempotent. */
export async function leaveWaitlist(options: { actor: Actor | null | undefined; eventId: string }): Promise<{ left: boolean }> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.eventId)) return { left: false };
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; event_id: string; old_status: string; offered_ticket_type_id: string | null }[]>`
      WITH old AS (
        SELECT id, status, offered_ticket_type_id FROM waitlist_entries
         WHERE event_id = ${options.eventId}::uuid AND user_id = ${actor.userId}::uuid AND status IN ('WAITING', 'NOTIFIED')
           FOR UPDATE
      )
      UPDATE waitlist_entries w SET status = 'EXPIRED', updated_at = now()
        FROM old WHERE w.id = old.id
      RETURNING w.id, w.event_id, old.status::text AS old_status, old.offered_ticket_type_id`;
    if (rows.length === 0) return { left: false };
    const notified = rows.filter((r) => r.old_status === "NOTIFIED");
    if (notified.length) await releaseHeldSeats(tx, notified, actor.userId, "waitlist.left");
    const waiting = rows.filter((r) => r.old_status !== "NOTIFIED");
    if (waiting.length) {
      const organizationId = await organizationOf(tx, options.eventId);
      await writeAudits(
        tx,
        waiting.map((r) => ({
          organizationId,
          actorId: actor.userId,
          entityType: "waitlist_entry",
          entityId: r.id,
          action: "waitlist.left",
          changes: { status: { from: "WAITING", to: "EXPIRED" } },
        })),
      );
    }
    return { left: true };
  }, TX_PROFILES.standard);
}

// ───────────────────────────── claim ─────────────────────────────

type EntryRow = {
  id: string;
  event_id: string;
  user_id: string | null;
  status: "WAITING" | "NOTIFIED" | "CONVERTED" | "EXPIRED";
  offered_ticket_type_id: string | null;
  expired: boolean;
  converted_registration_id: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
};

/**
 * Turns an offer into a registration, in one transaction: the entry NOTIFIED → CONVERTED
 * (compare-and-set, the offer must not have lapsed), the held seat consumed, the registration inserted
 * and linked (converted_registration_id). Only the entry's own user, with the link's token. Claiming a
 * converted entry again returns the same registration (`replayed: true`).
 */
export async function claimWaitlistOffer(options: {
  actor: Actor | null | undefined;
  entryId: string;
  token: string;
  customFields?: unknown;
}): Promise<RegisterResult> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.entryId) || !verifyWaitlistClaimToken(options.entryId, options.token)) throw registrationErrors.notFound();

  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => claimInTransaction(tx, actor, options.entryId, options.customFields), TX_PROFILES.standard);
    } catch (e) {
      if (attempt < 5 && isConfirmationCodeCollision(e)) continue;
      if (isAppError(e)) throw e;
      throw translateRegistrationDbError(e);
    }
  }
}

async function claimInTransaction(tx: Tx, actor: Actor, entryId: string, customFields: unknown): Promise<RegisterResult> {
  const readEntry = async () =>
    (
      await tx.$queryRaw<EntryRow[]>`
        SELECT id, event_id, user_id, status::text AS status, offered_ticket_type_id, (expires_at <= now()) AS expired,
               converted_registration_id, first_name, last_name, email
          FROM waitlist_entries WHERE id = ${entryId}::uuid`
    )[0];
  const entry = await readEntry();
  if (!entry || entry.user_id !== actor.userId) throw registrationErrors.notFound();
  if (entry.status === "CONVERTED" && entry.converted_registration_id) return existingResult(tx, entry.converted_registration_id);
  if (entry.status === "WAITING") throw waitlistErrors.noOffer();
  if (entry.status !== "NOTIFIED" || entry.expired || !entry.offered_ticket_type_id) throw waitlistErrors.offerExpired();

  // Event first (FOR SHARE), then the entry: the same order as every other writer of the event.
  const ctx = await loadSaleContext(tx, { eventId: entry.event_id, ticketTypeId: entry.offered_ticket_type_id, userId: actor.userId });
  assertEventOpen(ctx);
  await assertMayAccessPrivateEvent(tx, ctx, actor.userId);
  if (!ctx.user) throw registrationErrors.unauthenticated();
  if (!ctx.ticketType) throw registrationErrors.notFound();
  const answers = validateRegistrationFields(ctx.event.settings.registrationFields, customFields);
  if (!answers.ok) throw new AppError("VALIDATION", "errors.validation", answers.fieldErrors);

  // The one sale statement (lib/registrations/sale.ts), taking the offer's held seat: the offer
  // NOTIFIED → CONVERTED if it still stands, the counters, the registration, its audit rows and the ticket
  // message, all decided in one statement like every sale. No capacity check: the seat is ours.
  const t = ctx.ticketType;
  const registrationId = randomUUID();
  const code = generateCode();
  const firstName = entry.first_name ?? ctx.user.firstName;
  const expectedStatus = initialStatusFor(t);
  const [row] = await onPrisma(tx).rows<SaleRow>(
    saleStatement({
      seat: { kind: "offer", entryId },
      ticketTypeId: t.id,
      eventId: entry.event_id,
      registrationId,
      organizationId: ctx.event.organizationId,
      userId: actor.userId,
      confirmationCode: code,
      firstName,
      lastName: entry.last_name ?? ctx.user.lastName,
      email: ctx.user.email ?? entry.email,
      customFields: answers.values,
      guestTokenHash: null,
      // The claim has no page language of its own: the account's.
      locale: ctx.user.locale === "EN" ? "en" : "ru",
      now: ctx.now,
      idempotency: null,
      notice:
        expectedStatus === "CONFIRMED"
          ? registrationConfirmedNotice(
              { id: registrationId, userId: actor.userId, email: null, firstName, confirmationCode: code, locale: ctx.user.locale },
              noticeEventOf(ctx),
              t.name,
            )
          : null,
      guestMail: null,
    }),
  );
  if (!row.id) {
    // The offer lapsed or was claimed (by a parallel request of the same person) after our read.
    const now = await readEntry();
    if (now?.status === "CONVERTED" && now.converted_registration_id) return existingResult(tx, now.converted_registration_id);
    throw waitlistErrors.offerExpired();
  }
  // A type edited between the read and the claim: the ticket message above was chosen for the status
  // as read; start over (the transaction rolls back).
  if (row.status !== expectedStatus) throw registrationErrors.conflict();
  return {
    registrationId: row.id,
    eventId: entry.event_id,
    ticketTypeId: t.id,
    status: row.status!,
    confirmationCode: row.confirmation_code!,
    expiresAt: row.expires_at ? row.expires_at.toISOString() : null,
    priceCents: row.price_cents!,
    currency: row.currency!,
    guestToken: null,
    replayed: false,
  };
}

async function existingResult(tx: Tx, registrationId: string): Promise<RegisterResult> {
  const r = await tx.registration.findUniqueOrThrow({
    where: { id: registrationId },
    select: { id: true, eventId: true, ticketTypeId: true, status: true, confirmationCode: true, expiresAt: true, priceCents: true, currency: true },
  });
  return {
    registrationId: r.id,
    eventId: r.eventId,
    ticketTypeId: r.ticketTypeId,
    status: r.status as RegisterResult["status"],
    confirmationCode: r.confirmationCode,
    expiresAt: r.expiresAt ? r.expiresAt.toISOString() : null,
    priceCents: r.priceCents,
    currency: r.currency,
    guestToken: null,
    replayed: true,
  };
}

// ───────────────────────────── the organizer's list ─────────────────────────────

export type WaitlistEntryView = {
  id: string;
  position: number;
  status: "WAITING" | "NOTIFIED" | "CONVERTED" | "EXPIRED";
  ticketTypeId: string | null;
  offeredTicketTypeId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  notifiedAt: Date | null;
  /** NOTIFIED: when the offer lapses. */
  expiresAt: Date | null;
  convertedRegistrationId: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/**
 * An event's waitlist for the organizer (`registrations.view` on the event's organization; another
 * organization's event is NOT_FOUND), in queue order (position), keyset pages after `afterPosition`.
 * The name and email are the entry's own, else its user's profile.
 */
export async function listEventWaitlist(options: {
  actor: Actor | null | undefined;
  eventId: string;
  status?: WaitlistEntryView["status"] | null;
  afterPosition?: number | null;
  limit: number;
}): Promise<{ items: WaitlistEntryView[]; next: number | null }> {
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "registrations.view" });
  const limit = Math.min(100, Math.max(1, Math.trunc(options.limit) || 50));
  const rows = await db.waitlistEntry.findMany({
    where: {
      eventId: access.event.id,
      event: { organizationId: access.event.organizationId },
      ...(options.status ? { status: options.status } : {}),
      ...(options.afterPosition != null ? { position: { gt: options.afterPosition } } : {}),
    },
    orderBy: { position: "asc" },
    take: limit + 1,
    select: {
      id: true,
      position: true,
      status: true,
      ticketTypeId: true,
      offeredTicketTypeId: true,
      firstName: true,
      lastName: true,
      email: true,
      notifiedAt: true,
      expiresAt: true,
      convertedRegistrationId: true,
      createdAt: true,
      updatedAt: true,
      user: { select: { firstName: true, lastName: true, email: true } },
    },
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map(({ user, ...w }) => ({
      ...w,
      firstName: w.firstName ?? user?.firstName ?? null,
      lastName: w.lastName ?? user?.lastName ?? null,
      email: w.email ?? user?.email ?? null,
    })),
    next: rows.length > limit ? page[page.length - 1].position : null,
  };
}
