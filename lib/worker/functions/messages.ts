// Background functions of organizer messages (thin: the work is in lib/messages/send.ts).
import "server-only";
import { RetryAfterError } from "inngest";
import { JOBS, defineJob } from "@/lib/jobs";
import { deliverMessage, recoverMessages, startMessageSend } from "@/lib/messages";

/** At scheduled_at: SCHEDULED → SENDING and the recipient rows; then the delivery job. */
export const messagesSendJob = defineJob({
  ...JOBS["messages-send"],
  handler: ({ event, step }) =>
    step.run("start", async () => {
      const outcome = await startMessageSend({ messageId: event.data.messageId });
      // Run a moment early (clock skew between servers): come back at the message's time.
      if (outcome.status === "not-due") throw new RetryAfterError("message not due yet", new Date(outcome.retryAt));
      return outcome;
    }),
});

/** Delivers a message's due rows in batches; queues itself again while rows wait. */
export const messagesDeliverJob = defineJob({
  ...JOBS["messages-deliver"],
  handler: ({ event, step }) => step.run("deliver", () => deliverMessage({ messageId: event.data.messageId })),
});

/** Every minute: send / delivery jobs again for messages a crash left behind. */
export const messagesRecoverJob = defineJob({
  ...JOBS["messages-recover"],
  handler: ({ step }) => step.run("recover", () => recoverMessages()),
});

export const messageJobs = [messagesSendJob, messagesDeliverJob, messagesRecoverJob];
