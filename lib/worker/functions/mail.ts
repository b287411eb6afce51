// Background functions of the mail area (thin: the work is in lib/mail).
import "server-only";
import { deliverMail } from "@/lib/mail";
import { JOBS, defineJob } from "@/lib/jobs";

/** Sends one mail_outbox row through SMTP. Transient failures retry with backoff (about an hour in all). */
export const sendMailJob = defineJob({
  ...JOBS["send-mail"],
  handler: ({ event, step }) => step.run("send", () => deliverMail({ mailId: event.data.mailId })),
});

export const mailJobs = [sendMailJob];
