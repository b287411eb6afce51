// The zod shapes of REST API v1's registrations, check-ins, waitlist, payments and personal tickets
// (what the edge parses and the handlers answer; lib/api/openapi.ts documents exactly these), and the
// mappers from the services' rows to them. Pure module: the document and the tests import it.
// Times are ISO 8601 UTC strings, money is minor units + currency (docs/api.md).
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { AdminRegistration } from "@/lib/registrations/admin";
import type { CheckInListItem } from "@/lib/check-in";
import type { WaitlistEntryView } from "@/lib/waitlist";

const time = z.iso.datetime().meta({ description: "ISO 8601 time (UTC)." });
const currency = z.enum(["RUB", "USD", "EUR"]);
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A path parameter: any text (a malformed or unknown id is 404, as another organization's). */
export const idParam = (description: string) => z.string().min(1).max(100).meta({ description });

// ───────────────────────────── cursors and keys ─────────────────────────────

/** A keyset position in a cursor: [ISO time, id]. */
export const keyPosition = z.tuple([z.iso.datetime(), z.uuid()]);
export const toKey = (p: [string, string] | null) => (p ? { at: new Date(p[0]), id: p[1] } : null);
export const fromKey = (k: { at: Date; id: string }) => [k.at.toISOString(), k.id] as const;

/**
 * A write's Idempotency-Key as the UUID a service that stores payment keys needs (mark paid, refund):
 * derived from the token, the operation and the key, so a retry maps to the same UUID; without a key a
 * fresh one (each call is a new write).
 */
export function serviceKeyOf(tokenId: string, operation: string, key: string | null): string {
  if (!key) return randomUUID();
  const h = createHash("sha256").update(`${tokenId}\n${operation}\n${key}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const REGISTRATION_STATUS_VALUES = ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN", "CANCELLED", "EXPIRED"] as const;
export const registrationStatus = z.enum(REGISTRATION_STATUS_VALUES);

// ───────────────────────────── registrations ─────────────────────────────

export const apiRegistration = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    confirmationCode: z.string().meta({ description: "The code printed on the ticket (check-in by code)." }),
    status: registrationStatus,
    expired: z.boolean().meta({ description: "A RESERVED registration past its expiresAt (holds no seat, cannot be paid)." }),
    firstName: z.string(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    isGuest: z.boolean().meta({ description: "Registered without an account (a guest, or by the organizer through the API)." }),
    ticketTypeId: z.uuid(),
    ticketTypeName: z.string(),
    priceCents: z.int().meta({ description: "The price at the moment of sale, minor units." }),
    currency,
    paidCents: z.int().meta({ description: "Completed payments." }),
    refundDueCents: z.int().meta({ description: "Pending refunds." }),
    prepayment: z
      .object({ status: z.enum(["PARTIAL", "COMPLETED"]), prepaidCents: z.int(), remainingCents: z.int(), dueDate: time })
      .nullable(),
    amountDue: z
      .object({ kind: z.enum(["FULL", "PREPAYMENT"]), amountCents: z.int(), remainingCents: z.int(), fullPriceCents: z.int() })
      .nullable()
      .meta({ description: "What `mark paid` records by default (RESERVED / PENDING that can still be paid), else null." }),
    customFields: z.record(z.string(), z.unknown()).meta({ description: "Answers to the event's extra registration fields." }),
    expiresAt: time.nullable(),
    createdAt: time,
    updatedAt: time,
    confirmedAt: time.nullable(),
    cancelledAt: time.nullable(),
    cancellationReason: z.string().nullable(),
    checkedInAt: time.nullable(),
  })
  .meta({ id: "Registration" });
export type ApiRegistration = z.input<typeof apiRegistration>;

/** The service's row (lib/registrations/admin.ts AdminRegistration + updatedAt) → the API's. */
export function toApiRegistration(
  eventId: string,
  r: AdminRegistration & { updatedAt: Date },
): ApiRegistration {
  return {
    id: r.id,
    eventId,
    confirmationCode: r.confirmationCode,
    status: r.status,
    expired: r.expired,
    firstName: r.firstName,
    lastName: r.lastName,
    email: r.email,
    isGuest: r.isGuest,
    ticketTypeId: r.ticketTypeId,
    ticketTypeName: r.ticketTypeName,
    priceCents: r.priceCents,
    currency: r.currency,
    paidCents: r.paidCents,
    refundDueCents: r.refundDueCents,
    prepayment: r.prepayment ? { ...r.prepayment, dueDate: iso(r.prepayment.dueDate) } : null,
    amountDue: r.amountDue,
    customFields: r.customFields,
    expiresAt: isoOrNull(r.expiresAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    confirmedAt: isoOrNull(r.confirmedAt),
    cancelledAt: isoOrNull(r.cancelledAt),
    cancellationReason: r.cancellationReason,
    checkedInAt: isoOrNull(r.checkedInAt),
  };
}

const text = (max: number) => z.string({ error: "api.errors.fieldInvalid" }).max(max, { error: "api.errors.fieldInvalid" });

/** POST /events/{eventId}/registrations with a token: the organizer registers a participant. */
export const createRegistrationBody = z
  .strictObject({
    ticketTypeId: z.string({ error: "api.errors.ticketTypeRequired" }).min(1, { error: "api.errors.ticketTypeRequired" }).max(100, { error: "api.errors.fieldInvalid" }),
    firstName: text(100).meta({ description: "The participant's first name (required)." }),
    lastName: text(100).nullish(),
    email: text(254).meta({ description: "Where the ticket (or the reservation with its payment link) is sent (required)." }),
    customFields: z.record(z.string(), z.unknown(), { error: "api.errors.fieldInvalid" }).optional().meta({ description: "Answers to the event's extra fields, by key." }),
  })
  .meta({ id: "CreateRegistration" });

export const cancelRegistrationBody = z
  .strictObject({ reason: text(500).meta({ description: "Why (shown to the participant; 1–500 characters)." }) })
  .meta({ id: "CancelRegistration" });

export const markPaidBody = z
  .strictObject({
    amountCents: z.int({ error: "api.errors.fieldInvalid" }).positive({ error: "api.errors.fieldInvalid" }).optional().meta({
      description: "Default: the price, or the minimum prepayment when the ticket type asks for one.",
    }),
  })
  .meta({ id: "MarkPaid" });

export const apiPaymentResult = z
  .object({
    paymentId: z.uuid(),
    registrationId: z.uuid(),
    kind: z.enum(["FULL", "PREPAYMENT", "REMAINDER"]),
    amountCents: z.int(),
    currency,
    registrationStatus: registrationStatus,
    prepayment: z.object({ prepaidCents: z.int(), remainingCents: z.int(), dueDate: time, status: z.enum(["PARTIAL", "COMPLETED"]) }).nullable(),
  })
  .meta({ id: "ManualPayment" });

// ───────────────────────────── check-ins ─────────────────────────────

export const apiCheckIn = z
  .object({
    id: z.uuid(),
    registrationId: z.uuid(),
    confirmationCode: z.string(),
    firstName: z.string(),
    lastName: z.string().nullable(),
    ticketTypeId: z.uuid(),
    method: z.enum(["QR_SCAN", "MANUAL"]),
    checkedInAt: time,
    createdAt: time.meta({ description: "When it was recorded (the `updatedSince` key)." }),
    checkedInByName: z.string().nullable(),
  })
  .meta({ id: "CheckIn" });

export function toApiCheckIn(c: CheckInListItem): z.input<typeof apiCheckIn> {
  return {
    id: c.id,
    registrationId: c.registrationId,
    confirmationCode: c.code,
    firstName: c.firstName,
    lastName: c.lastName,
    ticketTypeId: c.ticketTypeId,
    method: c.method,
    checkedInAt: iso(c.checkedInAt),
    createdAt: iso(c.createdAt),
    checkedInByName: c.checkedInByName,
  };
}

export const createCheckInBody = z
  .strictObject({
    code: z.string({ error: "api.errors.fieldInvalid" }).min(1, { error: "apiV1.errors.textRequired" }).max(64, { error: "api.errors.fieldInvalid" }).optional().meta({
      description: "The confirmation code on the ticket (case, spaces and hyphens ignored).",
    }),
    qrPayload: z.string({ error: "api.errors.fieldInvalid" }).min(1, { error: "apiV1.errors.textRequired" }).max(1000, { error: "api.errors.fieldInvalid" }).optional().meta({
      description: "The text of the ticket's QR code (`AQ1.…`), verified by its signature.",
    }),
  })
  .meta({ id: "CreateCheckIn", description: "Exactly one of `code` or `qrPayload`." });

export const apiCheckInResult = z
  .object({
    registrationId: z.uuid(),
    confirmationCode: z.string(),
    firstName: z.string(),
    lastName: z.string().nullable(),
    ticketTypeId: z.uuid(),
    ticketTypeName: z.string(),
    status: z.literal("CHECKED_IN"),
    checkedInAt: time,
    due: z.object({ cents: z.int(), currency: z.string() }).nullable().meta({ description: "The unpaid remainder of a prepayment, collected at the door." }),
  })
  .meta({ id: "CheckInResult" });

// ───────────────────────────── waitlist ─────────────────────────────

export const WAITLIST_STATUS_VALUES = ["WAITING", "NOTIFIED", "CONVERTED", "EXPIRED"] as const;

export const apiWaitlistEntry = z
  .object({
    id: z.uuid(),
    position: z.int(),
    status: z.enum(WAITLIST_STATUS_VALUES),
    ticketTypeId: z.uuid().nullable().meta({ description: "The type waited for; null = any." }),
    offeredTicketTypeId: z.uuid().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    notifiedAt: time.nullable(),
    expiresAt: time.nullable().meta({ description: "NOTIFIED: when the offer lapses." }),
    convertedRegistrationId: z.uuid().nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: "WaitlistEntry" });

export function toApiWaitlistEntry(w: WaitlistEntryView): z.input<typeof apiWaitlistEntry> {
  return { ...w, notifiedAt: isoOrNull(w.notifiedAt), expiresAt: isoOrNull(w.expiresAt), createdAt: iso(w.createdAt), updatedAt: iso(w.updatedAt) };
}

// ───────────────────────────── payments and refunds ─────────────────────────────

export const PAYMENT_STATUS_VALUES = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "PARTIALLY_REFUNDED", "REFUNDED"] as const;
export const REFUND_STATUS_VALUES = ["PENDING", "COMPLETED", "FAILED"] as const;

export const apiRefund = z
  .object({
    id: z.uuid(),
    status: z.enum(REFUND_STATUS_VALUES),
    amountCents: z.int(),
    reason: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: time,
    completedAt: time.nullable(),
  })
  .meta({ id: "Refund" });

export const apiPayment = z
  .object({
    id: z.uuid(),
    status: z.enum(PAYMENT_STATUS_VALUES),
    provider: z.string(),
    isTest: z.boolean().meta({ description: "A demo payment: no money moved." }),
    kind: z.enum(["FULL", "PREPAYMENT", "REMAINDER"]),
    amountCents: z.int(),
    refundedCents: z.int().meta({ description: "Completed refunds." }),
    currency,
    providerPaymentId: z.string().nullable(),
    flagReason: z.string().nullable(),
    failureReason: z.string().nullable(),
    registrationId: z.uuid(),
    confirmationCode: z.string(),
    eventId: z.uuid(),
    createdAt: time,
    updatedAt: time,
    completedAt: time.nullable(),
    refunds: z.array(apiRefund),
  })
  .meta({ id: "Payment" });

export function toApiPayment(p: {
  id: string;
  status: (typeof PAYMENT_STATUS_VALUES)[number];
  provider: string;
  isTest: boolean;
  kind: "FULL" | "PREPAYMENT" | "REMAINDER";
  amountCents: number;
  refundedCents: number;
  currency: "RUB" | "USD" | "EUR";
  providerPaymentId: string | null;
  flagReason: string | null;
  failureReason: string | null;
  registration: { id: string; code: string };
  event: { id: string };
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  refunds: { id: string; status: (typeof REFUND_STATUS_VALUES)[number]; amountCents: number; reason: string | null; failureReason: string | null; createdAt: Date; completedAt: Date | null }[];
}): z.input<typeof apiPayment> {
  return {
    id: p.id,
    status: p.status,
    provider: p.provider,
    isTest: p.isTest,
    kind: p.kind,
    amountCents: p.amountCents,
    refundedCents: p.refundedCents,
    currency: p.currency,
    providerPaymentId: p.providerPaymentId,
    flagReason: p.flagReason,
    failureReason: p.failureReason,
    registrationId: p.registration.id,
    confirmationCode: p.registration.code,
    eventId: p.event.id,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    completedAt: isoOrNull(p.completedAt),
    refunds: p.refunds.map((f) => ({ ...f, createdAt: iso(f.createdAt), completedAt: isoOrNull(f.completedAt) })),
  };
}

export const refundBody = z
  .strictObject({
    amountCents: z.int({ error: "api.errors.fieldInvalid" }).positive({ error: "api.errors.fieldInvalid" }).optional().meta({ description: "Default: what is left to refund." }),
    reason: text(500).optional(),
  })
  .meta({ id: "CreateRefund" });

export const apiRefundCreated = z.object({ refundId: z.uuid(), paymentId: z.uuid() }).meta({ id: "RefundCreated" });

// ───────────────────────────── personal tickets ─────────────────────────────

export const apiTicket = z
  .object({
    id: z.uuid().meta({ description: "The registration id." }),
    status: registrationStatus,
    confirmationCode: z.string(),
    qrPayload: z.string().nullable().meta({ description: "The signed QR text (CONFIRMED / CHECKED_IN only): show it as a QR code at the door." }),
    ticketTypeName: z.string(),
    priceCents: z.int(),
    currency,
    expiresAt: time.nullable().meta({ description: "RESERVED: the payment deadline." }),
    event: z.object({
      id: z.uuid(),
      title: z.string(),
      startsAt: time,
      endsAt: time.nullable(),
      timezone: z.string(),
      organizationName: z.string(),
    }),
  })
  .meta({ id: "Ticket" });

export function toApiTicket(t: {
  id: string;
  status: (typeof REGISTRATION_STATUS_VALUES)[number];
  confirmationCode: string;
  qrPayload: string | null;
  ticketTypeName: string;
  priceCents: number;
  currency: "RUB" | "USD" | "EUR";
  expiresAt: Date | null;
  event: { id: string; title: string; startsAt: Date; endsAt: Date | null; timezone: string; organizationName: string };
}): z.input<typeof apiTicket> {
  return {
    id: t.id,
    status: t.status,
    confirmationCode: t.confirmationCode,
    qrPayload: t.qrPayload,
    ticketTypeName: t.ticketTypeName,
    priceCents: t.priceCents,
    currency: t.currency,
    expiresAt: isoOrNull(t.expiresAt),
    event: {
      id: t.event.id,
      title: t.event.title,
      startsAt: iso(t.event.startsAt),
      endsAt: isoOrNull(t.event.endsAt),
      timezone: t.event.timezone,
      organizationName: t.event.organizationName,
    },
  };
}
