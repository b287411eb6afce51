// Background functions of the demo payment provider (thin: the work is in lib/payments).
import "server-only";
import { JOBS, defineJob } from "@/lib/jobs";
import { deliverDemoEvent, settleDemoPaymentIfDue } from "@/lib/payments";

/** `payments/demo-webhook-requested`: POST the signed demo event; a non-2xx answer throws, so it is retried. */
export const demoWebhookJob = defineJob({
  ...JOBS["demo-webhook"],
  handler: ({ event, step }) => step.run("deliver", () => deliverDemoEvent(event.data.demoEventId)),
});

/** `payments/demo-settle-due`: a delayed demo success becomes SUCCEEDED (and sends its webhook) on time. */
export const demoSettleDueJob = defineJob({
  ...JOBS["demo-settle-due"],
  handler: ({ event, step }) => step.run("settle", () => settleDemoPaymentIfDue(event.data.demoPaymentId)),
});

export const paymentsDemoJobs = [demoWebhookJob, demoSettleDueJob];
