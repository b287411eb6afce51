// Background functions of the notifications area (thin: the work is in lib/notifications).
import "server-only";
import { RetryAfterError } from "inngest";
import { deliverNotification } from "@/lib/notifications";
import { sweepNotifications } from "@/lib/notifications";
import { JOBS, defineJob } from "@/lib/jobs";

/** Delivers one NotificationLog row. A transient failure or a 429 reschedules the run for the row's next attempt. */
export const deliverNotificationJob = defineJob({
  ...JOBS["deliver-notification"],
  handler: ({ event, step }) =>
    step.run("deliver", async () => {
      const outcome = await deliverNotification(event.data.notificationId);
      // Thrown inside the step so Inngest retries the step itself (a returned value would be memoized).
      if (outcome.status === "retry") throw new RetryAfterError(outcome.reason, new Date(outcome.retryAt));
      return outcome;
    }),
});

/** Every minute: re-dispatch PENDING rows that are overdue (crash, outage, Telegram not configured). */
export const sweepNotificationsJob = defineJob({
  ...JOBS["notifications-sweep"],
  handler: ({ step }) => step.run("sweep", () => sweepNotifications()),
});

export const notificationJobs = [deliverNotificationJob, sweepNotificationsJob];
