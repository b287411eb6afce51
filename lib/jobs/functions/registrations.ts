// Background functions of registrations, the waitlist and payments (thin: the work is in lib/registrations,
// lib/waitlist, lib/payments). Every handler is idempotent: each sweep moves rows with a compare-and-set,
// so a repeated or overlapping run finds nothing left to do.
import "server-only";
import { purgeExpiredIdempotencyRecords } from "@/lib/idempotency";
import { sweepOverduePrepayments } from "@/lib/payments/manual";
import { expireReservations } from "@/lib/registrations/expiry";
import { deliverGuestTicketMail } from "@/lib/registrations/guest-ticket-mail";
import { expireWaitlistOffers, offerAvailableSeats } from "@/lib/waitlist/waitlist";
import { defineJob } from "../define";

/**
 * Every minute: reservations past expires_at → EXPIRED (seat returned, `reservation.expired`, seat
 * offered to the waitlist); then waitlist offers past their deadline → passed on; then free seats that
 * people are waiting for (e.g. a raised quantity) → offered.
 */
export const registrationsSweepJob = defineJob({
  id: "registrations-sweep",
  trigger: { cron: "* * * * *" },
  retries: 0,
  concurrency: 1,
  handler: async ({ step }) => {
    const reservations = await step.run("expire-reservations", () => expireReservations());
    const offersExpired = await step.run("expire-waitlist-offers", () => expireWaitlistOffers());
    const offered = await step.run("offer-available-seats", () => offerAvailableSeats());
    return { reservations, offersExpired, offered };
  },
});

/** On demand (`registrations/sweep-requested`, e.g. after an organizer raised a quantity): the same sweep for one type or event. */
export const registrationsSweepRequestedJob = defineJob({
  id: "registrations-sweep-requested",
  trigger: { event: "registrations/sweep-requested" },
  retries: 4,
  handler: async ({ event, step }) => {
    const { ticketTypeId, eventId } = event.data;
    const reservations = await step.run("expire-reservations", () => expireReservations({ ticketTypeId, eventId }));
    const offered = await step.run("offer-available-seats", () => offerAvailableSeats({ eventId }));
    return { reservations, offered };
  },
});

/** Every 5 minutes: prepayments unpaid past their due date (events with cancelUnpaidPrepayments). */
export const overduePrepaymentsJob = defineJob({
  id: "prepayments-overdue",
  trigger: { cron: "*/5 * * * *" },
  retries: 0,
  concurrency: 1,
  handler: ({ step }) => step.run("sweep", () => sweepOverduePrepayments()),
});

/** Hourly: idempotency records past their 24 h. */
export const idempotencyPurgeJob = defineJob({
  id: "idempotency-purge",
  trigger: { cron: "17 * * * *" },
  retries: 0,
  handler: ({ step }) => step.run("purge", () => purgeExpiredIdempotencyRecords()),
});

/**
 * A guest's ticket email (`registration/guest-ticket-requested`, written by the sale statement with the
 * registration): renders it from the registration and writes it to the mail outbox, keyed by the
 * registration, so a retry adds no second mail.
 */
export const sendGuestTicketJob = defineJob({
  id: "send-guest-ticket",
  trigger: { event: "registration/guest-ticket-requested" },
  retries: 8,
  concurrency: 4,
  handler: ({ event, step }) => step.run("queue-mail", () => deliverGuestTicketMail(event.data)),
});

export const registrationJobs = [registrationsSweepJob, registrationsSweepRequestedJob, overduePrepaymentsJob, idempotencyPurgeJob, sendGuestTicketJob];
