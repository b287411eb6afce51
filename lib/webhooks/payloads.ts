// The bodies of outbound webhooks, one zod schema per event type (docs/webhooks.md → "Payloads").
// Pure module: the OpenAPI document (lib/api/openapi.ts) registers them in its `webhooks` section, the
// delivery log shows them, and tests/integration/webhooks.test.ts validates what the database triggers
// (migration 20261209100000_webhook_triggers) really write against them. The triggers build the JSON;
// these schemas describe it exactly — a field added to a trigger must be added here (the test fails
// otherwise: the objects are strict).
//
// Every body is `{ "type", "timestamp", "data" }` (the Standard Webhooks shape); timestamps are ISO 8601
// in UTC with milliseconds ("2026-12-09T10:00:00.000Z"); money is integer minor units + currency.
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./types";

const isoTime = z.iso.datetime({ offset: false, precision: 3 });
const uuid = z.uuid();
const currency = z.enum(["RUB", "USD", "EUR"]);

const registrationStatus = z.enum(["RESERVED", "PENDING", "CONFIRMED", "CANCELLED", "CHECKED_IN", "EXPIRED"]);

/** A registration as webhooks show it (registration.created / .cancelled / .checked_in). */
export const webhookRegistration = z.strictObject({
  id: uuid,
  eventId: uuid,
  ticketTypeId: uuid,
  status: registrationStatus,
  confirmationCode: z.string(),
  firstName: z.string(),
  lastName: z.string().nullable(),
  /** The guest's email, or the account's email of a signed-in participant (null if the account has none). */
  email: z.string().nullable(),
  priceCents: z.number().int(),
  currency,
  promoCodeId: uuid.nullable(),
  expiresAt: isoTime.nullable(),
  confirmedAt: isoTime.nullable(),
  cancelledAt: isoTime.nullable(),
  cancellationReason: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const webhookCheckIn = z.strictObject({
  id: uuid,
  method: z.enum(["QR_SCAN", "MANUAL"]),
  checkedInAt: isoTime,
});

export const webhookPayment = z.strictObject({
  id: uuid,
  registrationId: uuid,
  eventId: uuid,
  /** "manual" for a payment recorded at the door; else the provider's name. */
  provider: z.string(),
  providerPaymentId: z.string().nullable(),
  kind: z.enum(["FULL", "PREPAYMENT", "REMAINDER"]),
  status: z.enum(["PENDING", "PROCESSING", "COMPLETED", "FAILED", "REFUNDED", "PARTIALLY_REFUNDED"]),
  amountCents: z.number().int(),
  refundedCents: z.number().int(),
  currency,
  completedAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const webhookRefund = z.strictObject({
  id: uuid,
  paymentId: uuid,
  registrationId: uuid,
  eventId: uuid,
  status: z.enum(["PENDING", "COMPLETED", "FAILED"]),
  amountCents: z.number().int(),
  currency,
  reason: z.string().nullable(),
  /** participant_cancel | organizer | organizer_cancel | event_cancelled | late_payment */
  origin: z.string(),
  providerRefundId: z.string().nullable(),
  completedAt: isoTime.nullable(),
  createdAt: isoTime,
});

export const webhookEvent = z.strictObject({
  id: uuid,
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  status: z.enum(["DRAFT", "PUBLISHED", "CANCELLED", "COMPLETED"]),
  startsAt: isoTime,
  endsAt: isoTime.nullable(),
  timezone: z.string(),
  locationType: z.enum(["ONLINE", "OFFLINE", "HYBRID"]),
  locationAddress: z.string().nullable(),
  locationUrl: z.string().nullable(),
  /** Set → a private event of that group. */
  groupId: uuid.nullable(),
  publishedAt: isoTime.nullable(),
  cancelledAt: isoTime.nullable(),
  cancellationReason: z.string().nullable(),
  updatedAt: isoTime,
});

export const webhookWaitlistEntry = z.strictObject({
  id: uuid,
  eventId: uuid,
  /** The ticket type the person waits for (null = any). */
  ticketTypeId: uuid.nullable(),
  /** The ticket type whose seat is held for them now. */
  offeredTicketTypeId: uuid.nullable(),
  status: z.enum(["WAITING", "NOTIFIED", "CONVERTED", "EXPIRED"]),
  position: z.number().int(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  notifiedAt: isoTime.nullable(),
  /** The offer ends at this time. */
  expiresAt: isoTime.nullable(),
  createdAt: isoTime,
});

function envelope<T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({
    type: z.literal(type),
    /** When the change happened (the transaction's time). */
    timestamp: isoTime,
    data,
  });
}

export const WEBHOOK_PAYLOAD_SCHEMAS = {
  "registration.created": envelope("registration.created", z.strictObject({ registration: webhookRegistration })),
  "registration.cancelled": envelope("registration.cancelled", z.strictObject({ registration: webhookRegistration })),
  "registration.checked_in": envelope(
    "registration.checked_in",
    z.strictObject({ registration: webhookRegistration, checkIn: webhookCheckIn }),
  ),
  "payment.completed": envelope("payment.completed", z.strictObject({ payment: webhookPayment })),
  "refund.completed": envelope("refund.completed", z.strictObject({ refund: webhookRefund })),
  "event.updated": envelope(
    "event.updated",
    z.strictObject({
      event: webhookEvent,
      /** The public fields that changed (camelCase names of `event`'s fields). */
      changed: z.array(z.string()),
    }),
  ),
  "event.cancelled": envelope("event.cancelled", z.strictObject({ event: webhookEvent })),
  "waitlist.offered": envelope("waitlist.offered", z.strictObject({ waitlistEntry: webhookWaitlistEntry })),
} as const satisfies Record<WebhookEventType, z.ZodType>;

export type WebhookPayload<T extends WebhookEventType = WebhookEventType> = z.output<(typeof WEBHOOK_PAYLOAD_SCHEMAS)[T]>;

/** A short description per type (the OpenAPI document's webhook summaries, docs/webhooks.md). */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "registration.created": "A registration was created in a live state (RESERVED, PENDING, CONFIRMED or CHECKED_IN).",
  "registration.cancelled": "A registration moved to CANCELLED (by the participant, the organizer, a payment deadline or the event's cancellation).",
  "registration.checked_in": "A participant was checked in.",
  "payment.completed": "A payment reached COMPLETED (online or recorded at the door).",
  "refund.completed": "A refund reached COMPLETED.",
  "event.updated": "A public field of a published event changed (title, description, time, place, link, slug, group).",
  "event.cancelled": "An event was cancelled.",
  "waitlist.offered": "A seat was offered to a person on the waiting list.",
};

/** The payload schemas in WEBHOOK_EVENT_TYPES order (for generators that want a list). */
export const WEBHOOK_PAYLOAD_LIST = WEBHOOK_EVENT_TYPES.map((type) => ({
  type,
  schema: WEBHOOK_PAYLOAD_SCHEMAS[type],
  description: WEBHOOK_EVENT_DESCRIPTIONS[type],
}));
