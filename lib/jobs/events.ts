// The typed event catalogue: every event a job can be triggered by, with the zod schema of its
// payload. Adding an event is one line here; `enqueue()` validates payloads against it and job
// handlers receive the parsed, typed payload.
//
// Payloads carry ids, never whole rows: the handler reloads current state (the row may have changed
// between the commit and the run), which also keeps retries idempotent.
import { z } from "zod";
import { LOCALES } from "@/lib/i18n/config";

const id = z.string().uuid();

export const eventSchemas = {
  /** A NotificationLog row was written (PENDING): deliver it. */
  "notification/requested": z.object({ notificationId: id }),
  /** A mail_outbox row was written while SMTP is configured: send it (lib/mail). */
  "mail/requested": z.object({ mailId: id }),
  /** Sweep reservations / waitlist offers now for one ticket type or event (lib/jobs/functions/registrations.ts). */
  "registrations/sweep-requested": z.object({ ticketTypeId: id.optional(), eventId: id.optional() }),
  /** A guest registration committed: email the guest the private ticket link (lib/registrations/guest-ticket-mail.ts). */
  "registration/guest-ticket-requested": z.object({ registrationId: id, locale: z.enum(LOCALES) }),
  /** A Media row was created (UPLOADING): make its WebP variants and mark it READY (lib/media/variants.ts). */
  "media/uploaded": z.object({ mediaId: id }),
  /** A provider webhook was stored (payment_webhook_events): re-read the object and settle (lib/payments/webhooks.ts). */
  "payments/webhook-received": z.object({
    webhookEventId: id,
    /** The provider's payment id the hint named (our row may not know it yet: its answer was lost). */
    providerPaymentId: z.string().min(1).max(200).nullable(),
    refund: z.object({ providerRefundId: z.string().min(1).max(200), providerPaymentId: z.string().max(200).nullable(), refundId: id.nullable() }).nullable(),
  }),
  /** A PENDING refund of an online payment was written: carry it out through the provider (lib/payments/refunds.ts). */
  "payments/refund-requested": z.object({ refundId: id }),
  /** The demo payment provider wrote a demo_events row: POST it to the organization's demo webhook (lib/payments/providers/demo.ts). */
  "payments/demo-webhook-requested": z.object({ demoEventId: id }),
  /** A demo payment's delayed success is due (test cards …0259, …0077): settle it even if nobody reads it. */
  "payments/demo-settle-due": z.object({ demoPaymentId: id }),
  /** An organizer message is due (event_messages, SCHEDULED): build its recipient rows once (lib/messages/send.ts). */
  "messages/send-requested": z.object({ messageId: id }),
  /** Deliver an organizer message's PENDING rows in batches, within the channels' limits (lib/messages/send.ts). */
  "messages/deliver-requested": z.object({ messageId: id }),
  /** A webhook delivery is due (webhook_deliveries; written by the database triggers and by retries): POST it (lib/webhooks/deliver.ts). */
  "webhooks/delivery-requested": z.object({ deliveryId: id }),
  // Later features add theirs, e.g.:
  // "registration/confirmed": z.object({ registrationId: id }),
  // "reservation/expiry-due": z.object({ registrationId: id }),
} satisfies Record<string, z.ZodType<Record<string, unknown>>>;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<N extends EventName> = z.infer<(typeof eventSchemas)[N]>;

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(eventSchemas, name);
}

/** Validates a payload for `name`; throws a ZodError naming the bad fields. */
export function parseEventPayload<N extends EventName>(name: N, payload: unknown): EventPayload<N> {
  return eventSchemas[name].parse(payload) as EventPayload<N>;
}
