// Background functions of refunds and payment deadlines (thin: the work is in lib/payments).
import "server-only";
import { JOBS, defineJob } from "@/lib/jobs";
import { executeRefund, reconcilePendingRefunds, sweepPaymentDeadlines } from "@/lib/payments";

/**
 * One refund through the provider (`payments/refund-requested`, written with the refund). An unknown
 * outcome throws: the job retries with backoff, and every attempt sends the refund's same key.
 */
export const refundExecuteJob = defineJob({
  ...JOBS["payments-refund-execute"],
  handler: ({ event, step }) => step.run("execute", () => executeRefund(event.data.refundId)),
});

/** Refunds left PENDING (a lost webhook, a job out of retries): read again or executed again with their key. */
export const refundsReconcileJob = defineJob({
  ...JOBS["payments-refunds-reconcile"],
  handler: ({ step }) => step.run("reconcile", () => reconcilePendingRefunds()),
});

/** PENDING registrations past their payment deadline → cancelled; prepayment remainder reminders. */
export const paymentDeadlinesJob = defineJob({
  ...JOBS["payments-deadlines"],
  handler: ({ step }) => step.run("sweep", () => sweepPaymentDeadlines()),
});

export const refundJobs = [refundExecuteJob, refundsReconcileJob, paymentDeadlinesJob];
