// Registration: the sale. Never oversells, whatever the load (docs/registrations.md).
//
// One transaction (READ COMMITTED):
//   1. read the event FOR SHARE (+ the ticket type of THAT event + the user) and check, at the moment of
//      sale, the rules: event PUBLISHED, not deleted, not started; private event → group member; guests
//      only when the event allows them; ticket type active and inside its sales window; extra fields;
//   2. ONE statement decides the sale and writes it:
//        - returns the seats of this type's RESERVED registrations already past expires_at (marks them
//          EXPIRED; the decrement is part of the same ticket-type UPDATE), so an expired reservation
//          never holds a seat, job or no job;
//        - `UPDATE ticket_types … WHERE id AND event AND active AND in window AND
//           (quantity IS NULL OR sold + reserved − freed + waiting < quantity)` — the row lock
//          serializes concurrent sales of the type; the counters move by what the status needs
//          (free → sold_count, paid → reserved_count), computed from the locked row;
//        - INSERTs the registration (price, currency and status from that locked row, never from
//          input) and its audit row only if the UPDATE sold, and retires the buyer's own WAITING
//          waitlist entries for the event;
//      0 rows → SOLD_OUT; the one-active-registration-per-person unique index → ALREADY_REGISTERED
//      (the statement fails, the transaction rolls back: counters untouched);
//   3. `registration.confirmed` (free) is queued through notify() in the same transaction — BEFORE the
//      sale statement, so the hot ticket-type row is locked only from the sale to the commit; it is sent
//      after the commit, never for a rolled-back sale.
// With an idempotency key, the claim and the stored result are part of the same transaction
// (lib/idempotency.ts). A confirmation-code collision (unique index) retries the whole transaction.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type Prisma } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { hashRequest, withIdempotency } from "@/lib/idempotency";
import { isUuid, type Actor } from "@/lib/permissions";
import { generateCode } from "@/lib/tickets/codes";
import { validateRegistrationFields } from "@/lib/validation/events";
import { offerSeats } from "@/lib/waitlist/waitlist";
import { expireReservations } from "./expiry";
import {
  assertEventOpen,
  assertMayAccessPrivateEvent,
  assertTicketTypeOnSale,
  auditRow,
  isConfirmationCodeCollision,
  loadSaleContext,
  noticeEventOf,
  notifyRegistrationConfirmed,
  notifyReservationExpired,
  registrationErrors,
  translateRegistrationDbError,
} from "./shared";
import { guestTokenFor, hashGuestToken } from "./tokens";
import { initialStatusFor } from "./transitions";

type Tx = Prisma.TransactionClient;

export const NAME_MAX = 100;
export const EMAIL_MAX = 254;

export type RegisterInput = {
  /** The signed-in participant; null/undefined = a guest (only where the event allows guests). */
  actor?: Actor | null;
  eventId: string;
  ticketTypeId: string;
  /** Defaults to the profile's name for a signed-in user; required for a guest. */
  firstName?: string | null;
  lastName?: string | null;
  /** Defaults to the profile's email (a Telegram-only user may have none); required for a guest. */
  email?: string | null;
  /** Answers to the event's extra fields (settings.registrationFields). */
  customFields?: unknown;
  idempotencyKey?: string | null;
};

export type RegistrationStatusAfterSale = "CONFIRMED" | "RESERVED" | "PENDING";

export type RegisterResult = {
  registrationId: string;
  eventId: string;
  ticketTypeId: string;
  status: RegistrationStatusAfterSale;
  confirmationCode: string;
  /** RESERVED: when the reservation lapses (ISO). */
  expiresAt: string | null;
  priceCents: number;
  currency: "RUB" | "USD" | "EUR";
  /** Guests: the private ticket-link token (only its hash is stored). Null for signed-in users. */
  guestToken: string | null;
  /** True when this is the stored result of an earlier request with the same idempotency key. */
  replayed: boolean;
};

const optionalName = z
  .string({ error: "registrations.validation.nameInvalid" })
  .trim()
  .max(NAME_MAX, "registrations.validation.nameTooLong")
  .nullish()
  .transform((v) => (v ? v : null));

const inputSchema = z.object({
  firstName: optionalName,
  lastName: optionalName,
  email: z
    .string({ error: "registrations.validation.emailInvalid" })
    .trim()
    .toLowerCase()
    .max(EMAIL_MAX, "registrations.validation.emailInvalid")
    .nullish()
    .transform((v) => (v ? v : null))
    .pipe(z.email({ error: "registrations.validation.emailInvalid" }).nullable()),
});

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.map(String).join(".") || "_form"] ??= issue.message;
  return out;
}

/** Thrown inside the transaction when expired reservations were found but their seats belong to waiters. */
class SeatsFreedForWaitlist extends Error {}
/** Thrown inside the transaction when the ticket type changed between the read and the sale (retried). */
class TicketTypeChanged extends Error {}

type Prepared = {
  actor: Actor | null;
  eventId: string;
  ticketTypeId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  customFields: unknown;
};

export async function register(input: RegisterInput): Promise<RegisterResult> {
  const actor = input.actor ?? null;
  const parsed = inputSchema.safeParse({ firstName: input.firstName, lastName: input.lastName, email: input.email });
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  if (typeof input.eventId !== "string" || !isUuid(input.eventId)) throw registrationErrors.notFound();
  if (typeof input.ticketTypeId !== "string" || !isUuid(input.ticketTypeId)) throw registrationErrors.notFound();

  const prepared: Prepared = { actor, eventId: input.eventId, ticketTypeId: input.ticketTypeId, ...parsed.data, customFields: input.customFields };
  const scope = actor ? `registration.create:user:${actor.userId}` : prepared.email ? `registration.create:guest:${prepared.email}` : null;
  const request =
    input.idempotencyKey && scope
      ? {
          scope,
          key: input.idempotencyKey,
          requestHash: hashRequest({
            eventId: prepared.eventId,
            ticketTypeId: prepared.ticketTypeId,
            firstName: prepared.firstName,
            lastName: prepared.lastName,
            email: prepared.email,
            customFields: prepared.customFields ?? null,
          }),
        }
      : null;

  for (let attempt = 1; ; attempt++) {
    try {
      const { value, replayed } = await withIdempotency(request, (tx) => registerInTransaction(tx, prepared));
      const guestToken = value.guest ? guestTokenFor(value.result.registrationId) : null;
      return { ...value.result, guestToken, replayed };
    } catch (e) {
      if (e instanceof SeatsFreedForWaitlist) {
        // Expired reservations of this type exist but people are waiting for the seats: sweep them now
        // (expire, notify, offer to the waitlist) instead of waiting for the cron, then answer SOLD_OUT.
        await expireReservations({ ticketTypeId: prepared.ticketTypeId });
        throw registrationErrors.soldOut();
      }
      if (attempt < 5 && (isConfirmationCodeCollision(e) || e instanceof TicketTypeChanged)) continue;
      if (isAppError(e)) throw e;
      throw translateRegistrationDbError(e);
    }
  }
}

type SaleRow = {
  freed: number;
  expired: { id: string; userId: string | null; firstName: string }[];
  id: string | null;
  status: RegistrationStatusAfterSale | null;
  confirmation_code: string | null;
  expires_at: Date | null;
  price_cents: number | null;
  currency: "RUB" | "USD" | "EUR" | null;
};

async function registerInTransaction(tx: Tx, input: Prepared): Promise<{ result: Omit<RegisterResult, "guestToken" | "replayed">; guest: boolean }> {
  const userId = input.actor?.userId ?? null;
  const ctx = await loadSaleContext(tx, { eventId: input.eventId, ticketTypeId: input.ticketTypeId, userId });
  assertEventOpen(ctx);
  await assertMayAccessPrivateEvent(tx, ctx, userId);
  if (input.actor && !ctx.user) throw registrationErrors.unauthenticated(); // the account is gone
  if (!input.actor && !ctx.event.settings.allowGuests) throw registrationErrors.unauthenticated();
  assertTicketTypeOnSale(ctx);

  // Who is registering: a signed-in user's name and email default to the profile; a guest types them.
  const firstName = input.firstName ?? ctx.user?.firstName ?? null;
  const lastName = input.lastName ?? (input.actor ? (ctx.user?.lastName ?? null) : null);
  const email = input.email ?? ctx.user?.email ?? null;
  const fieldErrors: Record<string, string> = {};
  if (!firstName) fieldErrors.firstName = "registrations.validation.firstNameRequired";
  if (!input.actor && !email) fieldErrors.email = "registrations.validation.emailRequired";
  const answers = validateRegistrationFields(ctx.event.settings.registrationFields, input.customFields);
  if (!answers.ok) Object.assign(fieldErrors, answers.fieldErrors);
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.validation", fieldErrors);

  // Fast answer for the many who arrive after the last seat: the counters as read say sold out (no
  // lock, so never a false "available" — the sale statement below decides that). Keeps a rush's
  // losers to one read.
  const t = ctx.ticketType;
  if (t.quantity !== null && t.soldCount + t.reservedCount - t.expiredReservations + t.waiting >= t.quantity) {
    if (t.expiredReservations > 0 && t.waiting > 0) throw new SeatsFreedForWaitlist();
    throw registrationErrors.soldOut();
  }

  const registrationId = randomUUID();
  const guestTokenHash = input.actor ? null : hashGuestToken(guestTokenFor(registrationId));
  const code = generateCode();
  const event = noticeEventOf(ctx);

  // Everything that does not need the ticket-type row lock happens BEFORE the sale statement, so the
  // hot row is held only from the sale to the commit. The ticket is queued now (a failed sale rolls it
  // back with everything else); the status it assumes is re-checked against the locked row below.
  const expectedStatus = initialStatusFor(ctx.ticketType);
  if (expectedStatus === "CONFIRMED") {
    await notifyRegistrationConfirmed(
      tx,
      { id: registrationId, userId, firstName: firstName!, confirmationCode: code, locale: ctx.user?.locale ?? "RU" },
      event,
      ctx.ticketType.name,
    );
  }

  const [row] = await tx.$queryRaw<SaleRow[]>`
    WITH due AS (
      SELECT r.id FROM registrations r
       WHERE r.ticket_type_id = ${input.ticketTypeId}::uuid AND r.status = 'RESERVED' AND r.expires_at <= now()
       ORDER BY r.id
         FOR UPDATE
    ), expired AS (
      UPDATE registrations r SET status = 'EXPIRED', updated_at = now()
        FROM due
       WHERE r.id = due.id AND r.status = 'RESERVED'
      RETURNING r.id, r.user_id, r.first_name
    ), freed AS (
      SELECT count(*)::int AS n FROM expired
    ), sale AS (
      UPDATE ticket_types t
         SET sold_count = t.sold_count + CASE WHEN t.price_cents = 0 THEN 1 ELSE 0 END,
             reserved_count = t.reserved_count - freed.n + CASE WHEN t.price_cents = 0 THEN 0 ELSE 1 END,
             updated_at = now()
        FROM freed
       WHERE t.id = ${input.ticketTypeId}::uuid
         AND t.event_id = ${input.eventId}::uuid
         AND t.is_active
         AND (t.sales_start IS NULL OR t.sales_start <= now())
         AND (t.sales_end IS NULL OR t.sales_end > now())
         AND (t.quantity IS NULL OR t.sold_count + t.reserved_count - freed.n + (
               SELECT count(*) FROM waitlist_entries w
                WHERE w.event_id = t.event_id AND w.status = 'WAITING'
                  AND (w.ticket_type_id IS NULL OR w.ticket_type_id = t.id)
             ) < t.quantity)
      RETURNING t.id, t.price_cents, t.currency, t.reservation_minutes
    ), reg AS (
      INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code,
                                 first_name, last_name, email, custom_fields, price_cents, currency,
                                 guest_token_hash, expires_at, confirmed_at, created_at, updated_at)
      SELECT ${registrationId}::uuid, ${ctx.event.organizationId}::uuid, ${input.eventId}::uuid, sale.id, ${userId}::uuid,
             (CASE WHEN sale.price_cents = 0 THEN 'CONFIRMED'
                   WHEN sale.reservation_minutes IS NOT NULL THEN 'RESERVED'
                   ELSE 'PENDING' END)::"RegistrationStatus",
             ${code}, ${firstName}, ${lastName}, ${email}, ${JSON.stringify(answers.values)}::jsonb,
             sale.price_cents, sale.currency, ${guestTokenHash},
             CASE WHEN sale.price_cents > 0 AND sale.reservation_minutes IS NOT NULL
                  THEN now() + make_interval(mins => sale.reservation_minutes) END,
             CASE WHEN sale.price_cents = 0 THEN now() END,
             now(), now()
        FROM sale
      RETURNING id, status, confirmation_code, expires_at, price_cents, currency
    ), audit AS (
      INSERT INTO audit_logs (id, organization_id, actor_id, entity_type, entity_id, action, changes, created_at)
      SELECT gen_random_uuid(), ${ctx.event.organizationId}::uuid, ${userId}::uuid, 'Registration', reg.id, 'registration.created',
             jsonb_build_object('status', jsonb_build_object('from', NULL, 'to', reg.status),
                                'ticketTypeId', ${input.ticketTypeId}::text, 'priceCents', reg.price_cents),
             now()
        FROM reg
      RETURNING id
    ), left_waitlist AS (
      UPDATE waitlist_entries w SET status = 'EXPIRED', updated_at = now()
       WHERE w.event_id = ${input.eventId}::uuid AND w.user_id = ${userId}::uuid AND w.status = 'WAITING'
         AND EXISTS (SELECT 1 FROM reg)
      RETURNING w.id
    )
    SELECT (SELECT n FROM freed) AS freed,
           (SELECT coalesce(json_agg(json_build_object('id', x.id, 'userId', x.user_id, 'firstName', x.first_name)), '[]'::json)
              FROM expired x) AS expired,
           reg.id, reg.status::text AS status, reg.confirmation_code, reg.expires_at, reg.price_cents,
           reg.currency::text AS currency
      FROM (SELECT 1) AS one
      LEFT JOIN reg ON true`;

  if (!row.id) {
    if (row.freed > 0) throw new SeatsFreedForWaitlist();
    throw registrationErrors.soldOut();
  }
  // The type's price changed between the read and the sale (free ↔ paid): start over with the new one.
  if (row.status !== expectedStatus) throw new TicketTypeChanged();

  if (row.freed > 0) {
    // Reservations this sale found expired: their holders learn it now (same as the expiry job).
    await tx.auditLog.createMany({
      data: row.expired.map((x) =>
        auditRow({
          organizationId: ctx.event.organizationId,
          actorId: null,
          entityType: "registration",
          entityId: x.id,
          action: "registration.expired",
          changes: { status: { from: "RESERVED", to: "EXPIRED" } },
        }),
      ),
    });
    for (const x of row.expired) await notifyReservationExpired(tx, x, event, ctx.ticketType.name);
    // Seats freed beyond the one just sold that people are waiting for: offer them now, not at the cron.
    if (row.freed > 1 && t.waiting > 0) await offerSeats(tx, { eventId: input.eventId, ticketTypeId: input.ticketTypeId, seats: row.freed - 1 });
  }
  return {
    guest: !input.actor,
    result: {
      registrationId: row.id,
      eventId: input.eventId,
      ticketTypeId: input.ticketTypeId,
      status: row.status!,
      confirmationCode: row.confirmation_code!,
      expiresAt: row.expires_at ? row.expires_at.toISOString() : null,
      priceCents: row.price_cents!,
      currency: row.currency!,
    },
  };
}
