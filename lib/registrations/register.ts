// Registration: the sale. Never oversells, whatever the load (docs/registrations.md).
//
// One transaction (READ COMMITTED):
//   1. read the event FOR SHARE (+ the ticket type of THAT event + the user) and check, at the moment of
//      sale, the rules: event PUBLISHED, not deleted, not started; private event → group member; guests
//      only when the event allows them; ticket type active and inside its sales window; extra fields;
//   2. ONE statement decides the sale and writes it (./sale.ts saleStatement, composed from the rules'
//      own fragments: expiry, seats, initial status, audit, outbox, idempotency):
//        - returns the seats of this type's RESERVED registrations already past expires_at (marks them
//          EXPIRED; the decrement is part of the same ticket-type UPDATE), so an expired reservation
//          never holds a seat, job or no job;
//        - the conditional `UPDATE ticket_types … WHERE … a public seat remains` — the row lock
//          serializes concurrent sales of the type; the counters move by what the status needs
//          (free → sold_count, paid → reserved_count), computed from the locked row;
//        - INSERTs the registration (price, currency and status from that locked row, never from
//          input), its audit row, the ticket message (`registration.confirmed`, free: the
//          NotificationLog row + its job, sent after the commit) or a guest's ticket email job, and the
//          idempotency record's response, only if the UPDATE sold, and retires the buyer's own WAITING
//          waitlist entries for the event;
//      0 rows → SOLD_OUT; the one-active-registration-per-person unique index → ALREADY_REGISTERED
//      (the statement fails, the transaction rolls back: counters untouched). The result is predicted
//      before the sale and checked against the returned row (a type changed in between → retry), so
//      nothing runs between the sale and the COMMIT: the hot row is locked for one statement + COMMIT.
// Hot path: the transaction runs as plain SQL on a `pg` connection (withIdempotencyPg); a private
// event or expired reservations to hand on take the full path (the same statements in a Prisma
// transaction + group check, expiry notices, waitlist offers). See docs/registrations.md → Performance.
// With an idempotency key, the claim and the stored result are part of the same transaction
// (lib/idempotency.ts). A confirmation-code collision (unique index) retries the whole transaction.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { writeAudits } from "@/lib/audit";
import { onPg, onPool, onPrisma, type Prisma, type SqlRunner } from "@/lib/db";
import { AppError, dbErrorInfo, isAppError } from "@/lib/errors";
import { computeAvailability } from "@/lib/events/seats";
import { hashRequest, withIdempotency, withIdempotencyPg, type IdempotencyClaim, type IdempotencyRequest } from "@/lib/idempotency";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/lib/i18n/config";
import { kick } from "@/lib/jobs";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { assertPromoAttemptsLeft, countFailedPromo } from "@/lib/promo";
import { normalizePromoCode, priceAfterPromo, promoRefusal, promoRefusalMessage, type PromoTerms } from "@/lib/promo/rules";
import { generateCode } from "@/lib/tickets/codes";
import { validateRegistrationFields } from "@/lib/validation/events";
import { offerSeats } from "@/lib/waitlist";
import { expireReservations } from "./expiry";
import { saleContextQuery, saleStatement, type SaleRow } from "./sale";
import {
  assertEventOpen,
  assertMayAccessPrivateEvent,
  assertTicketTypeOnSale,
  isConfirmationCodeCollision,
  loadSaleContextWith,
  saleContextOf,
  type SaleContext,
  type SaleContextRow,
  noticeEventOf,
  notifyReservationExpired,
  registrationConfirmedNotice,
  registrationErrors,
  translateRegistrationDbError,
  type RegisterResult,
  type RegistrationStatusAfterSale,
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
  /** The language of the request: a guest's ticket email is written in it (default Russian). */
  locale?: Locale | null;
  /** A promo code (case and surrounding spaces ignored); checked again at the sale, never trusted. */
  promoCode?: string | null;
  /** The client's address: failed promo codes count against `promo-code.failed` (lib/promo). */
  clientAddress?: string | null;
};

export type { RegisterResult, RegistrationStatusAfterSale };

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
/** Thrown on the hot path when the sale needs the full path (private event, expired reservations to hand on). */
class NeedsFullPath extends Error {}

type Prepared = {
  actor: Actor | null;
  eventId: string;
  ticketTypeId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  customFields: unknown;
  locale: Locale;
  /** The normalized promo code, or null (none given). */
  promoCode: string | null;
  /**
   * The organizer (already authorized: registrations.manage) registers a participant: a registration
   * without an account (as a guest's: the ticket link goes to the email), allowed whatever the event's
   * guest setting, on hidden types and on a private event; audited as the organizer's. Null: the buyer.
   */
  organizer: { userId: string; scope: string } | null;
};

type SaleValue = { result: Omit<RegisterResult, "guestToken" | "replayed">; guest: boolean };

export async function register(input: RegisterInput): Promise<RegisterResult> {
  return registerWith(input, null);
}

export type RegisterAsOrganizerInput = Omit<RegisterInput, "actor" | "promoCode" | "clientAddress"> & {
  /** The organizer: `registrations.manage` on the event's organization (a token: registrations:write). */
  actor: Actor | null | undefined;
  firstName: string;
  email: string;
};

/**
 * The organizer registers a participant (the REST API's `POST /events/{id}/registrations` with a token):
 * authorizes `registrations.manage` on the event's organization (another organization's event is
 * NOT_FOUND), then the ordinary sale — the same statement, seat rule, sales window, initial status and
 * idempotency claim — for a participant without an account (name and email required; the ticket, or
 * the reservation with its private link, goes to that email). The idempotency key is claimed per token
 * (or per organizer) in the sale's transaction. No promo code: the organizer sells at the list price.
 */
export async function registerAsOrganizer(input: RegisterAsOrganizerInput): Promise<RegisterResult> {
  const actor = requireActor(input.actor);
  if (typeof input.eventId !== "string" || !isUuid(input.eventId)) throw registrationErrors.notFound();
  await authorizeEvent({ actor, eventId: input.eventId, permission: "registrations.manage" });
  const scope = actor.token ? `registration.create:token:${actor.token.id}` : `registration.create:organizer:${actor.userId}`;
  const fieldErrors: Record<string, string> = {};
  if (typeof input.firstName !== "string" || !input.firstName.trim()) fieldErrors.firstName = "registrations.validation.firstNameRequired";
  if (typeof input.email !== "string" || !input.email.trim()) fieldErrors.email = "registrations.validation.emailRequired";
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.validation", fieldErrors);
  return registerWith({ ...input, actor: null, promoCode: null, clientAddress: null }, { userId: actor.userId, scope });
}

async function registerWith(input: RegisterInput, organizer: Prepared["organizer"]): Promise<RegisterResult> {
  const actor = input.actor ?? null;
  const parsed = inputSchema.safeParse({ firstName: input.firstName, lastName: input.lastName, email: input.email });
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  if (typeof input.eventId !== "string" || !isUuid(input.eventId)) throw registrationErrors.notFound();
  if (typeof input.ticketTypeId !== "string" || !isUuid(input.ticketTypeId)) throw registrationErrors.notFound();
  const promoText = typeof input.promoCode === "string" ? input.promoCode.trim() : "";
  const promoCode = promoText ? normalizePromoCode(promoText) : null;
  if (promoText) await assertPromoAttemptsLeft(input.clientAddress);
  if (promoText && !promoCode) {
    await countFailedPromo(input.clientAddress);
    throw new AppError("VALIDATION", "errors.validation", { promoCode: promoRefusalMessage("unknown") });
  }

  const prepared: Prepared = {
    actor,
    eventId: input.eventId,
    ticketTypeId: input.ticketTypeId,
    ...parsed.data,
    customFields: input.customFields,
    locale: isLocale(input.locale) ? input.locale : DEFAULT_LOCALE,
    promoCode,
    organizer,
  };
  const scope = organizer ? organizer.scope : actor ? `registration.create:user:${actor.userId}` : prepared.email ? `registration.create:guest:${prepared.email}` : null;
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
            ...(prepared.promoCode ? { promoCode: prepared.promoCode } : {}),
          }),
        }
      : null;

  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt === 1) await refuseEarly(prepared, request);
      const { value, replayed } = await sell(request, prepared);
      if (!replayed) kick(); // the sale's jobs (ticket message or guest email) are committed: run them now
      const guestToken = value.guest ? guestTokenFor(value.result.registrationId) : null;
      return { ...value.result, guestToken, replayed };
    } catch (e) {
      if (e instanceof SeatsFreedForWaitlist) {
        // Expired reservations of this type exist but people are waiting for the seats: sweep them now
        // (expire, notify, offer to the waitlist) instead of waiting for the cron, then answer SOLD_OUT.
        await expireReservations({ ticketTypeId: prepared.ticketTypeId });
        throw registrationErrors.soldOut();
      }
      // A deadlock (40P01) is possible, rarely, when an expiring reservation gives its promo use back
      // (trigger) while another sale holds that code's row: the statement rolled back whole — retry.
      if (attempt < 5 && (isConfirmationCodeCollision(e) || e instanceof TicketTypeChanged || dbErrorInfo(e)?.sqlState === "40P01")) continue;
      if (isAppError(e)) {
        // An unknown code is a guess until proven otherwise: it counts against the address.
        if (promoCode && e.fieldErrors?.promoCode === promoRefusalMessage("unknown")) await countFailedPromo(input.clientAddress);
        throw e;
      }
      throw translateRegistrationDbError(e);
    }
  }
}

/**
 * The hot path: the whole transaction as plain SQL on a `pg` connection of the shared pool (public
 * event, no expired reservations to hand on — nearly every sale). Anything else rolls back and runs the
 * full path: the same statements through a Prisma transaction, plus what the rare cases need (group
 * membership, notices and waitlist offers for expired reservations). Same guarantees either way.
 */
async function sell(request: IdempotencyRequest | null, input: Prepared): Promise<{ value: SaleValue; replayed: boolean }> {
  try {
    return await withIdempotencyPg(request, (client, claim) => registerInTransaction(onPg(client), input, { tx: null, claim }));
  } catch (e) {
    if (!(e instanceof NeedsFullPath)) throw e;
  }
  return withIdempotency(request, (tx, claim) => registerInTransaction(onPrisma(tx), input, { tx, claim }));
}

type CheckedSale = { firstName: string; lastName: string | null; email: string | null; answers: { values: unknown }; promo: PromoTerms | null };

/**
 * The rules checked at the moment of sale that need no more than the sale context (group membership is
 * checked by the caller): the account, guests, the type on sale, names / email / extra fields, and the
 * fast "sold out" answer for the many who arrive after the last seat — the counters as read say sold out
 * (no lock, so never a false "available": the sale statement decides that). Throws the refusal.
 */
function checkSale(ctx: SaleContext, input: Prepared): CheckedSale {
  if (input.actor && !ctx.user) throw registrationErrors.unauthenticated(); // the account is gone
  if (!input.actor && !input.organizer && !ctx.event.settings.allowGuests) throw registrationErrors.unauthenticated();
  // A hidden type does not exist for a buyer without a code (a code of another type says so on its field).
  if (ctx.ticketType?.isHidden && !input.promoCode && !input.organizer) throw registrationErrors.notFound();
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
  // The promo code (lib/promo/rules): the same rule the sale statement re-checks under the code's lock.
  let promo: PromoTerms | null = null;
  if (input.promoCode) {
    const refusal = promoRefusal(ctx.promo, ctx.ticketType, ctx.now);
    if (refusal) fieldErrors.promoCode = promoRefusalMessage(refusal);
    else promo = ctx.promo;
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.validation", fieldErrors);

  const t = ctx.ticketType!;
  // The seat rule (lib/events/seats.ts) on the counts as read; held offers are inside reservedCount, so
  // they are taken whatever heldForWaitlist says, and the public's share does not depend on it.
  const seats = computeAvailability({ ...t, heldForWaitlist: 0 });
  if (seats.soldOut) {
    if (t.expiredReservations > 0 && t.waiting > 0) throw new SeatsFreedForWaitlist();
    soldOutHint.set(t.id, Date.now());
    throw registrationErrors.soldOut();
  }
  return { firstName: firstName!, lastName, email, answers: answers as { values: unknown }, promo };
}

/**
 * Ticket types this process saw sold out in the last SOLD_OUT_HINT_MS. While a type is in here, a
 * registration first "peeks": one statement outside any transaction (the sale context without the lock,
 * and whether the idempotency key was used before). A refusal it finds is the one the transaction would
 * give from the same committed data, so it is answered at once — a rush's thousands of latecomers cost
 * one read instead of a transaction with a claim. Anything else (seats as read, a used key: a replay, a
 * private event, expired reservations to hand on) runs the transaction as always. Only a hint: never
 * a reason to refuse by itself.
 */
const soldOutHint = new Map<string, number>();
const SOLD_OUT_HINT_MS = 5_000;

async function refuseEarly(input: Prepared, request: IdempotencyRequest | null): Promise<void> {
  const seen = soldOutHint.get(input.ticketTypeId);
  if (seen === undefined) return;
  if (Date.now() - seen > SOLD_OUT_HINT_MS) {
    soldOutHint.delete(input.ticketTypeId);
    return;
  }
  const userId = input.actor?.userId ?? null;
  const [row] = await onPool().rows<SaleContextRow & { key_used?: boolean }>(
    saleContextQuery({ eventId: input.eventId, ticketTypeId: input.ticketTypeId, userId, lock: false, keyUsed: request, promoCode: input.promoCode }),
    { prepare: true },
  );
  if (!row || row.key_used) return; // unknown event (the transaction answers) or a replay
  const ctx = saleContextOf(row);
  if ((ctx.event.groupId && !input.organizer) || (ctx.ticketType?.expiredReservations ?? 0) > 0) return;
  try {
    assertEventOpen(ctx);
    checkSale(ctx, input);
  } catch (e) {
    if (e instanceof SeatsFreedForWaitlist) return;
    throw e;
  }
  soldOutHint.delete(input.ticketTypeId); // seats as read: back to the transaction for everyone
}

async function registerInTransaction(
  run: SqlRunner,
  input: Prepared,
  options: { tx: Tx | null; claim: IdempotencyClaim | null },
): Promise<SaleValue> {
  const { tx, claim } = options;
  const userId = input.actor?.userId ?? null;
  const ctx = await loadSaleContextWith(run, { eventId: input.eventId, ticketTypeId: input.ticketTypeId, userId, promoCode: input.promoCode });
  assertEventOpen(ctx);
  if (ctx.event.groupId && !input.organizer) {
    if (!tx) throw new NeedsFullPath();
    await assertMayAccessPrivateEvent(tx, ctx, userId);
  }
  const { firstName, lastName, email, answers, promo } = checkSale(ctx, input);
  const t = ctx.ticketType!; // checkSale() asserted it
  if (t.expiredReservations > 0 && !tx) throw new NeedsFullPath();

  const registrationId = randomUUID();
  const code = generateCode();
  const event = noticeEventOf(ctx);

  // The result is known before the sale: status, price and currency from the type as read, the
  // reservation's end from the transaction's clock. The sale statement stores it on the idempotency
  // record and writes the ticket message in the same statement (no round trip while the ticket-type
  // row is locked: the lock lasts from the sale to the COMMIT); the returned row is checked against
  // the prediction below — a type that changed in between retries the whole transaction.
  const price = priceAfterPromo(t.priceCents, t.currency, promo);
  const expectedStatus = initialStatusFor({ priceCents: price.priceCents, reservationMinutes: t.reservationMinutes });
  const predicted: SaleValue = {
    guest: !input.actor,
    result: {
      registrationId,
      eventId: input.eventId,
      ticketTypeId: input.ticketTypeId,
      status: expectedStatus,
      confirmationCode: code,
      expiresAt: expectedStatus === "RESERVED" ? new Date(ctx.now.getTime() + t.reservationMinutes! * 60_000).toISOString() : null,
      priceCents: price.priceCents,
      currency: t.currency,
      ...(promo ? { discountCents: price.discountCents } : {}),
    },
  };
  // A free sale sends the ticket in the sale's statement: a user's by the routing rule, a guest's by
  // email (the private link, the QR) in the page's language. A guest's reservation gets the reservation
  // email instead (guest-ticket-mail.ts: the link and the time to pay by); its ticket follows the payment.
  const locale = input.locale === "en" ? "EN" : "RU";
  const notice =
    expectedStatus === "CONFIRMED"
      ? registrationConfirmedNotice(
          { id: registrationId, userId, email, firstName: firstName!, confirmationCode: code, locale: ctx.user?.locale ?? locale },
          event,
          t.name,
        )
      : null;

  const [row] = await run.rows<SaleRow>(
    saleStatement({
      seat: { kind: "public" },
      ticketTypeId: input.ticketTypeId,
      eventId: input.eventId,
      registrationId,
      organizationId: ctx.event.organizationId,
      userId,
      auditActorId: input.organizer?.userId ?? null,
      hiddenAllowed: Boolean(input.organizer),
      confirmationCode: code,
      firstName,
      lastName,
      email,
      customFields: answers.values,
      guestTokenHash: input.actor ? null : hashGuestToken(guestTokenFor(registrationId)),
      now: ctx.now,
      idempotency: claim ? { claim, response: predicted } : null,
      locale: input.locale,
      notice,
      guestMail: input.actor || notice ? null : { locale: input.locale },
      promoCodeId: promo?.id ?? null,
    }),
    { prepare: true },
  );

  if (!row.id) {
    // The code stopped applying between the read and its lock (its last use went to a concurrent sale,
    // its window closed, it was deactivated): say so on its field, nothing was sold.
    if (promo && row.promo_applied === 0) {
      throw new AppError("VALIDATION", "errors.validation", { promoCode: promoRefusalMessage("usedUp") });
    }
    if (row.freed > 0) throw new SeatsFreedForWaitlist();
    soldOutHint.set(t.id, Date.now());
    throw registrationErrors.soldOut();
  }
  // The type changed between the read and the sale (price, currency, free ↔ paid, reservation window):
  // start over with the new one.
  if (
    row.status !== expectedStatus ||
    row.price_cents !== predicted.result.priceCents ||
    (row.discount_cents ?? 0) !== price.discountCents ||
    row.currency !== predicted.result.currency ||
    (row.expires_at ? row.expires_at.toISOString() : null) !== predicted.result.expiresAt
  ) {
    throw new TicketTypeChanged();
  }
  if (claim && row.stored === 1) claim.markStored();

  if (row.freed > 0) {
    // Reservations this sale found expired (they lapsed after the read): their holders learn it now,
    // as from the expiry job — on the full path, which has what that needs.
    if (!tx) throw new NeedsFullPath();
    await writeAudits(
      tx,
      row.expired.map((x) => ({
        organizationId: ctx.event.organizationId,
        actorId: null,
        entityType: "registration",
        entityId: x.id,
        action: "registration.expired",
        changes: { status: { from: "RESERVED", to: "EXPIRED" } },
      })),
    );
    for (const x of row.expired) await notifyReservationExpired(tx, x, event, t.name);
    // Seats freed beyond the one just sold that people are waiting for: offer them now, not at the cron.
    if (row.freed > 1 && t.waiting > 0) await offerSeats(tx, { eventId: input.eventId, ticketTypeId: input.ticketTypeId, seats: row.freed - 1 });
  }
  return predicted;
}
