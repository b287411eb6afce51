// Outbound webhook event types (docs/webhooks.md). Pure module: the subscription form, the API, the
// OpenAPI document, the database CHECK (migration 20261209000000_api_tokens_webhooks) and the tests read
// this one list. Adding a type = one line here + a migration re-creating the two CHECKs
// (webhook_endpoints_event_types_check, webhook_events_type_check) + its trigger.

export const WEBHOOK_EVENT_TYPES = [
  "registration.created",
  "registration.cancelled",
  "registration.checked_in",
  "payment.completed",
  "refund.completed",
  "event.updated",
  "event.cancelled",
  "waitlist.offered",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

export const WEBHOOK_DELIVERY_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** An endpoint that has failed every attempt for this long is switched off (with a notice to the owner). */
export const WEBHOOK_DISABLE_AFTER_MS = 24 * 60 * 60 * 1000;
/** At most this many endpoints per organization. */
export const WEBHOOK_MAX_ENDPOINTS = 20;
