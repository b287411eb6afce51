// Background functions of outbound webhooks (thin: the work is in lib/webhooks).
import "server-only";
import { JOBS, defineJob } from "@/lib/jobs";
import { deliverWebhook, sweepWebhookDeliveries } from "@/lib/webhooks";

/** One attempt of one delivery (written by the database triggers, a retry, a redelivery or the sweep). */
export const deliverWebhookJob = defineJob({
  ...JOBS["deliver-webhook"],
  handler: ({ event, step }) => step.run("deliver", async () => ({ ...(await deliverWebhook({ deliveryId: event.data.deliveryId })) })),
});

/** Every minute: deliveries that lost their job get one again; those of switched-off endpoints end FAILED. */
export const webhooksSweepJob = defineJob({
  ...JOBS["webhooks-sweep"],
  handler: ({ step }) => step.run("sweep", () => sweepWebhookDeliveries()),
});

export const webhookJobs = [deliverWebhookJob, webhooksSweepJob];
