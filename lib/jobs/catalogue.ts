// Every background function of the app as data: its id, what triggers it, its retry budget and its
// concurrency. The outbox (enqueue) reads who subscribes to an event from here — data, not imports —
// so writing a job never imports the functions that run it (and the services they call). The
// implementations live in lib/worker/functions and take their settings from this table;
// tests/unit/jobs-catalogue.test.ts checks that each entry has exactly one implementation.
import type { EventName } from "./events";

export type JobSpec = {
  /** Lower-case letters, digits and dashes; never renamed once deployed (rows reference it). */
  readonly id: string;
  readonly trigger: { readonly event: EventName } | { readonly cron: string };
  /** Retries after the first attempt (Inngest semantics): maxAttempts = retries + 1. */
  readonly retries: number;
  /** Max parallel runs (per server in embedded mode; global on Inngest). */
  readonly concurrency?: number;
};

function spec<const S extends JobSpec>(s: S): S {
  return s;
}

export const JOBS = {
  // notifications (lib/notifications)
  /** Delivers one NotificationLog row; enough retries for the row's own attempt budget plus a few 429 waits. */
  "deliver-notification": spec({ id: "deliver-notification", trigger: { event: "notification/requested" }, retries: 10 }),
  /** Every minute: re-dispatch PENDING rows that are overdue (crash, outage, Telegram not configured). */
  "notifications-sweep": spec({ id: "notifications-sweep", trigger: { cron: "* * * * *" }, retries: 0 }),
  // mail (lib/mail)
  /** Sends one mail_outbox row through SMTP; transient failures retry with backoff (about an hour in all). */
  "send-mail": spec({ id: "send-mail", trigger: { event: "mail/requested" }, retries: 8, concurrency: 4 }),
  // registrations, waitlist, prepayments (lib/registrations, lib/waitlist, lib/payments)
  "registrations-sweep": spec({ id: "registrations-sweep", trigger: { cron: "* * * * *" }, retries: 0, concurrency: 1 }),
  "registrations-sweep-requested": spec({ id: "registrations-sweep-requested", trigger: { event: "registrations/sweep-requested" }, retries: 4 }),
  "prepayments-overdue": spec({ id: "prepayments-overdue", trigger: { cron: "*/5 * * * *" }, retries: 0, concurrency: 1 }),
  "idempotency-purge": spec({ id: "idempotency-purge", trigger: { cron: "17 * * * *" }, retries: 0 }),
  /** A guest's ticket email: rendered from the registration, written to the mail outbox keyed by it. */
  "send-guest-ticket": spec({ id: "send-guest-ticket", trigger: { event: "registration/guest-ticket-requested" }, retries: 8, concurrency: 4 }),
  // online payments (lib/payments: webhooks.ts, reconcile.ts)
  /** One stored webhook delivery: re-read from the provider and settle; provider outages retry with backoff. */
  "payments-webhook": spec({ id: "payments-webhook", trigger: { event: "payments/webhook-received" }, retries: 8, concurrency: 8 }),
  /** Every minute: payments left PENDING/PROCESSING are repeated / re-read and settled (a lost webhook loses nothing). */
  "payments-reconcile": spec({ id: "payments-reconcile", trigger: { cron: "* * * * *" }, retries: 0, concurrency: 1 }),
  // events (lib/events)
  "events-complete-finished": spec({ id: "events-complete-finished", trigger: { cron: "*/15 * * * *" }, retries: 2 }),
  "events-reminders": spec({ id: "events-reminders", trigger: { cron: "*/15 * * * *" }, retries: 2 }),
  // media (lib/media)
  "media-variants": spec({ id: "media-variants", trigger: { event: "media/uploaded" }, retries: 4, concurrency: 1 }),
  "media-cleanup": spec({ id: "media-cleanup", trigger: { cron: "41 * * * *" }, retries: 1, concurrency: 1 }),
  // refunds and payment deadlines (lib/payments/refunds.ts, lib/payments/deadlines.ts)
  /** One refund through the provider; an unknown outcome retries with backoff and the same key (~1 h in all). */
  "payments-refund-execute": spec({ id: "payments-refund-execute", trigger: { event: "payments/refund-requested" }, retries: 8, concurrency: 4 }),
  /** Every 5 minutes: refunds left PENDING are read again or executed again with their key. */
  "payments-refunds-reconcile": spec({ id: "payments-refunds-reconcile", trigger: { cron: "*/5 * * * *" }, retries: 0, concurrency: 1 }),
  /** Every 5 minutes: PENDING registrations past their payment deadline are cancelled; remainder reminders. */
  "payments-deadlines": spec({ id: "payments-deadlines", trigger: { cron: "*/5 * * * *" }, retries: 0, concurrency: 1 }),
  // demo payment provider (lib/payments/providers/demo.ts)
  /** POSTs one signed demo webhook to /api/payments/webhooks/demo/<organization>; any non-2xx retries. */
  "demo-webhook": spec({ id: "demo-webhook", trigger: { event: "payments/demo-webhook-requested" }, retries: 8 }),
  /** Settles a delayed demo success at its time (and so sends its webhook). */
  "demo-settle-due": spec({ id: "demo-settle-due", trigger: { event: "payments/demo-settle-due" }, retries: 4 }),
  // housekeeping (lib/maintenance)
  "maintenance-cleanup": spec({ id: "maintenance-cleanup", trigger: { cron: "23 3 * * *" }, retries: 2, concurrency: 1 }),
  // organizer messages (lib/messages/send.ts)
  /** At scheduled_at: SCHEDULED → SENDING and the recipient rows in one statement; then the delivery job. */
  "messages-send": spec({ id: "messages-send", trigger: { event: "messages/send-requested" }, retries: 8 }),
  /** Works through one message's PENDING rows in batches (Telegram paced by the limiter, email a few at a time). */
  "messages-deliver": spec({ id: "messages-deliver", trigger: { event: "messages/deliver-requested" }, retries: 8, concurrency: 4 }),
  /** Every minute: SCHEDULED messages past due and SENDING ones with due rows get their job again (crash recovery). */
  "messages-recover": spec({ id: "messages-recover", trigger: { cron: "* * * * *" }, retries: 0, concurrency: 1 }),
  // outbound webhooks (lib/webhooks; docs/webhooks.md)
  /** POSTs one webhook delivery (one attempt); the delivery's own retries are new jobs at their time. Job retries cover a crash. */
  "deliver-webhook": spec({ id: "deliver-webhook", trigger: { event: "webhooks/delivery-requested" }, retries: 2, concurrency: 8 }),
  /** Every minute: PENDING deliveries long past their time (a crash mid-attempt) get a job again; those of switched-off endpoints end FAILED. */
  "webhooks-sweep": spec({ id: "webhooks-sweep", trigger: { cron: "* * * * *" }, retries: 0, concurrency: 1 }),
} as const satisfies Record<string, JobSpec>;

export type JobId = keyof typeof JOBS;

/** A function subscribed to an event: what the outbox needs to write its row. */
export type Subscriber = { readonly id: string; readonly retries: number };

/** Something that knows who subscribes to an event: the catalogue, or a test's own registry. */
export interface Subscriptions {
  subscribers(event: EventName | string): readonly Subscriber[];
}

const byEvent = new Map<string, Subscriber[]>();
for (const job of Object.values(JOBS) as JobSpec[]) {
  if ("event" in job.trigger) {
    const list = byEvent.get(job.trigger.event) ?? [];
    list.push({ id: job.id, retries: job.retries });
    byEvent.set(job.trigger.event, list);
  }
}

/** The app's subscriptions, read from the catalogue. */
export const catalogueSubscriptions: Subscriptions = {
  subscribers: (event) => byEvent.get(event) ?? [],
};
