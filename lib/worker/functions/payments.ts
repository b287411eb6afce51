// Background functions of online payments (thin: the work is in lib/payments). Both are safe to run again:
// the settle path is a compare-and-set, a stored delivery remembers that it was processed.
import "server-only";
import { JOBS, defineJob } from "@/lib/jobs";
import { processWebhookEvent, reconcilePayments } from "@/lib/payments";

/** One stored webhook delivery: re-read the payment (or refund) from the provider and settle it. */
export const paymentsWebhookJob = defineJob({
  ...JOBS["payments-webhook"],
  handler: ({ event, step }) => step.run("settle", () => processWebhookEvent(event.data)),
});

/** Every minute: payments stuck PENDING/PROCESSING are repeated / re-read and settled. */
export const paymentsReconcileJob = defineJob({
  ...JOBS["payments-reconcile"],
  handler: ({ step }) => step.run("reconcile", () => reconcilePayments()),
});

export const paymentJobs = [paymentsWebhookJob, paymentsReconcileJob];
