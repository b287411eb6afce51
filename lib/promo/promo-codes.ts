// The organizer's promo codes of an event (`events.manage`, like ticket types): list with uses / limit,
// create, deactivate. Tenant-scoped: the event is authorized through the actor's membership
// (authorizeEvent); a code or event of another organization is NOT_FOUND. Every change is audited in
// the same transaction. Codes are never deleted (registrations point at them); a deactivated code stops
// applying at once (the sale re-checks is_active under the code's row lock).
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, withTransaction, type DbClient } from "@/lib/db";
import { AppError, uniqueViolation, type FieldErrors } from "@/lib/errors";
import { toLocalDateTimeString, zonedTimeToUtc, localTimeExists } from "@/lib/events/time";
import { authorizeEvent, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { toMinorUnits } from "@/lib/validation/events";
import { promoCodeFormSchema, type PromoCodeFormInput } from "@/lib/validation/promo";
import type { PromoCurrency, PromoDiscountKind } from "./rules";

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
const invalid = (fieldErrors: FieldErrors) => new AppError("VALIDATION", "errors.validation", fieldErrors);

export type PromoCodeState = "active" | "inactive" | "notYetValid" | "expired" | "usedUp";

export type PromoCodeItem = {
  id: string;
  code: string;
  discountKind: PromoDiscountKind;
  discountValue: number;
  currency: PromoCurrency | null;
  ticketTypeId: string | null;
  ticketTypeName: string | null;
  usageLimit: number | null;
  usedCount: number;
  validFrom: Date | null;
  validUntil: Date | null;
  isActive: boolean;
  state: PromoCodeState;
  createdAt: Date;
};

function stateOf(p: { isActive: boolean; validFrom: Date | null; validUntil: Date | null; usageLimit: number | null; usedCount: number }, now: Date): PromoCodeState {
  if (!p.isActive) return "inactive";
  if (p.validUntil && p.validUntil.getTime() <= now.getTime()) return "expired";
  if (p.validFrom && p.validFrom.getTime() > now.getTime()) return "notYetValid";
  if (p.usageLimit !== null && p.usedCount >= p.usageLimit) return "usedUp";
  return "active";
}

/** The event's codes, newest first. */
export async function listPromoCodes(options: { actor: Actor | null | undefined; eventId: string; tx?: DbClient }): Promise<PromoCodeItem[]> {
  const tx = options.tx ?? db;
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.manage", tx });
  const rows = await tx.promoCode.findMany({
    where: { eventId: access.event.id, organizationId: access.event.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: { ticketType: { select: { name: true } } },
  });
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    discountKind: r.discountKind,
    discountValue: r.discountValue,
    currency: r.currency,
    ticketTypeId: r.ticketTypeId,
    ticketTypeName: r.ticketType?.name ?? null,
    usageLimit: r.usageLimit,
    usedCount: r.usedCount,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    isActive: r.isActive,
    state: stateOf(r, now),
    createdAt: r.createdAt,
  }));
}

/**
 * Creates a code. FIXED takes the currency of its ticket type, or for a whole-event code the
 * `currency` given (default: the currency of the event's paid types when they share one).
 * Errors: UNAUTHENTICATED; NOT_FOUND; VALIDATION (code taken, type of another event, …).
 */
export async function createPromoCode(options: {
  actor: Actor | null | undefined;
  input: PromoCodeFormInput & { currency?: string | null };
  tx?: DbClient;
}): Promise<{ id: string; code: string }> {
  const parsed = promoCodeFormSchema.safeParse(options.input);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join(".") || "_form"] ??= issue.message;
    if (fieldErrors.eventId) throw notFound();
    throw invalid(fieldErrors);
  }
  const d = parsed.data;
  return withTransaction(options.tx, async (tx) => {
    const access = await authorizeEvent({ actor: options.actor, eventId: d.eventId, permission: "events.manage", tx });
    const [event] = await tx.$queryRaw<{ timezone: string; status: string }[]>`
      SELECT timezone, status::text AS status FROM events WHERE id = ${access.event.id}::uuid AND deleted_at IS NULL FOR SHARE`;
    if (!event) throw notFound();
    if (event.status === "CANCELLED" || event.status === "COMPLETED") throw new AppError("CONFLICT", "promo.errors.eventClosed");

    const types = await tx.ticketType.findMany({ where: { eventId: access.event.id }, select: { id: true, currency: true, priceCents: true } });
    const type = d.ticketTypeId ? types.find((t) => t.id === d.ticketTypeId) : null;
    if (d.ticketTypeId && !type) throw invalid({ ticketTypeId: "promo.validation.ticketTypeInvalid" });

    let currency: PromoCurrency | null = null;
    let value: number;
    if (d.discountKind === "PERCENT") {
      value = Number(d.discountValue);
    } else {
      value = toMinorUnits(d.discountValue)!;
      const given = options.input.currency;
      const paidCurrencies = [...new Set(types.filter((t) => t.priceCents > 0).map((t) => t.currency))];
      currency = type ? type.currency : given === "RUB" || given === "USD" || given === "EUR" ? given : paidCurrencies.length === 1 ? paidCurrencies[0] : null;
      if (!currency) throw invalid({ ticketTypeId: "promo.validation.fixedNeedsCurrency" });
      if (type && given && given !== type.currency) throw invalid({ discountValue: "promo.validation.currencyMismatch" });
    }

    const window: FieldErrors = {};
    for (const field of ["validFrom", "validUntil"] as const) {
      if (d[field] && !localTimeExists(d[field], event.timezone)) window[field] = "promo.validation.timeInvalid";
    }
    if (Object.keys(window).length) throw invalid(window);
    const validFrom = d.validFrom ? zonedTimeToUtc(d.validFrom, event.timezone) : null;
    const validUntil = d.validUntil ? zonedTimeToUtc(d.validUntil, event.timezone) : null;
    if (validFrom && validUntil && validUntil.getTime() <= validFrom.getTime()) throw invalid({ validUntil: "promo.validation.windowInvalid" });

    const data = {
      organizationId: access.event.organizationId,
      eventId: access.event.id,
      ticketTypeId: type?.id ?? null,
      code: d.code,
      discountKind: d.discountKind,
      discountValue: value,
      currency,
      usageLimit: d.usageLimit ? Number(d.usageLimit) : null,
      validFrom,
      validUntil,
      createdById: access.actor.userId,
    };
    let created: { id: string };
    try {
      // A taken code (UNIQUE (event_id, code)) fails the transaction: answered on the code field.
      created = await tx.promoCode.create({ data, select: { id: true } });
    } catch (e) {
      if (uniqueViolation(e)) throw invalid({ code: "promo.validation.codeTaken" });
      throw e;
    }
    await writeAudit(tx, {
      organizationId: access.event.organizationId,
      actorId: access.actor.userId,
      entityType: "promo_code",
      entityId: created.id,
      action: "promo_code.created",
      changes: {
        eventId: { from: null, to: data.eventId },
        code: { from: null, to: data.code },
        discountKind: { from: null, to: data.discountKind },
        discountValue: { from: null, to: data.discountValue },
        currency: { from: null, to: data.currency },
        ticketTypeId: { from: null, to: data.ticketTypeId },
        usageLimit: { from: null, to: data.usageLimit },
        validFrom: { from: null, to: validFrom?.toISOString() ?? null },
        validUntil: { from: null, to: validUntil?.toISOString() ?? null },
      },
    });
    return { id: created.id, code: data.code };
  });
}

/** Deactivates a code (idempotent: an inactive code stays inactive, no second audit row). */
export async function deactivatePromoCode(options: {
  actor: Actor | null | undefined;
  promoCodeId: string;
  tx?: DbClient;
}): Promise<{ id: string; eventId: string; changed: boolean }> {
  requireActor(options.actor);
  if (!isUuid(options.promoCodeId)) throw notFound();
  return withTransaction(options.tx, async (tx) => {
    const code = await tx.promoCode.findUnique({ where: { id: options.promoCodeId }, select: { eventId: true, organizationId: true } });
    if (!code) throw notFound();
    const access = await authorizeEvent({ actor: options.actor, eventId: code.eventId, permission: "events.manage", tx });
    if (access.event.organizationId !== code.organizationId) throw notFound();
    const { count } = await tx.promoCode.updateMany({
      where: { id: options.promoCodeId, organizationId: access.event.organizationId, isActive: true },
      data: { isActive: false },
    });
    if (count === 1) {
      await writeAudit(tx, {
        organizationId: access.event.organizationId,
        actorId: access.actor.userId,
        entityType: "promo_code",
        entityId: options.promoCodeId,
        action: "promo_code.deactivated",
        changes: { isActive: { from: true, to: false } },
      });
    }
    return { id: options.promoCodeId, eventId: code.eventId, changed: count === 1 };
  });
}

/** The form's local date-time of a stored instant (for showing the window in the event's zone). */
export function promoWindowText(date: Date | null, timeZone: string): string {
  return date ? toLocalDateTimeString(date, timeZone) : "";
}
