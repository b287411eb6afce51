// Background functions of the mail area (thin: the work is in lib/mail).
import "server-only";
import { deliverMail } from "@/lib/mail/deliver";
import { defineJob } from "../define";

/** Sends one mail_outbox row through SMTP. Transient failures retry with backoff (about an hour in all). */
export const sendMailJob = defineJob({
  id: "send-mail",
  trigger: { event: "mail/requested" },
  retries: 8,
  concurrency: 4,
  handler: ({ event, step }) => step.run("send", () => deliverMail({ mailId: event.data.mailId })),
});

export const mailJobs = [sendMailJob];
