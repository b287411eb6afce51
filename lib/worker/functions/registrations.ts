// Background functions of registrations, the waitlist and payments (thin: the work is in lib/registrations,
// lib/waitlist, lib/payments). Every handler is idempotent: each sweep moves rows with a compare-and-set,
// so a repeated or overlapping run finds nothing left to do.
import "server-only";
import { purgeExpiredIdempotencyRecords } from "@/lib/idempotency";
import { sweepOverduePrepayments } from "@/lib/payments";
import { expireReservations } from "@/lib/registrations";
import { deliverGuestTicketMail } from "@/lib/registrations";
import { expireWaitlistOffers, offerAvailableSeats } from "@/lib/waitlist";
import { JOBS, defineJob } from "@/lib/jobs";

/**
 * Every minute: reservations past expires_at → EXPIRED (seat returned, `reservation.expired`, seat
 * offered to the waitlist); then waitlist offers past their deadline → passed on; then free seats that
 * people are waiting for (e.g. a raised quantity) → offered.
 */
export const registrationsSweepJob = defineJob({
  ...JOBS["registrations-sweep"],
  handler: async ({ step }) => {
    const reservations = await step.run("expire-reservations", () => expireReservations());
    const offersExpired = await step.run("expire-waitlist-offers", () => expireWaitlistOffers());
    const offered = await step.run("offer-available-seats", () => offerAvailableSeats());
    return { reservations, offersExpired, offered };
  },
});

/** On demand (`registrations/sweep-requested`, e.g. after an organizer raised a quantity): the same sweep for one type or event. */
export const registrationsSweepRequestedJob = defineJob({
  ...JOBS["registrations-sweep-requested"],
  handler: async ({ event, step }) => {
    const { ticketTypeId, eventId } = event.data;
    const reservations = await step.run("expire-reservations", () => expireReservations({ ticketTypeId, eventId }));
    const offered = await step.run("offer-available-seats", () => offerAvailableSeats({ eventId }));
    return { reservations, offered };
  },
});

/** Every 5 minutes: prepayments unpaid past their due date (events with cancelUnpaidPrepayments). */
export const overduePrepaymentsJob = defineJob({
  ...JOBS["prepayments-overdue"],
  handler: ({ step }) => step.run("sweep", () => sweepOverduePrepayments()),
});

/** Hourly: idempotency records past their 24 h. */
export const idempotencyPurgeJob = defineJob({
  ...JOBS["idempotency-purge"],
  handler: ({ step }) => step.run("purge", () => purgeExpiredIdempotencyRecords()),
});

/**
 * A guest's ticket email (`registration/guest-ticket-requested`, written by the sale statement with the
 * registration): renders it from the registration and writes it to the mail outbox, keyed by the
 * registration, so a retry adds no second mail.
 */
export const sendGuestTicketJob = defineJob({
  ...JOBS["send-guest-ticket"],
  handler: ({ event, step }) => step.run("queue-mail", () => deliverGuestTicketMail(event.data)),
});

export const registrationJobs = [registrationsSweepJob, registrationsSweepRequestedJob, overduePrepaymentsJob, idempotencyPurgeJob, sendGuestTicketJob];
