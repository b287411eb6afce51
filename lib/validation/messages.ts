// The organizer's message form: ONE zod schema for react-hook-form (client) and the server action /
// service (which parses again). Messages are keys of lib/i18n/messages/areas/messages.ts
// ("messages.validation.*"). The time is a local date-time in the event's zone ("" = send now).
import { z } from "zod";
import { isLocalDateTime } from "@/lib/events/time";
import { UUID_PATTERN } from "@/lib/validation/ids";

const V = "messages.validation";

export const MESSAGE_AUDIENCES = ["ALL_CONFIRMED", "CHECKED_IN", "NOT_CHECKED_IN", "TICKET_TYPE", "WAITLIST"] as const;
export type MessageAudience = (typeof MESSAGE_AUDIENCES)[number];

export const MESSAGE_SUBJECT_MAX = 200;
export const MESSAGE_BODY_MAX = 4000;

export const eventMessageFormSchema = z
  .object({
    eventId: z.string().regex(UUID_PATTERN, "errors.notFound"),
    subject: z.string({ error: `${V}.subjectRequired` }).trim().min(1, `${V}.subjectRequired`).max(MESSAGE_SUBJECT_MAX, `${V}.subjectTooLong`),
    body: z.string({ error: `${V}.bodyRequired` }).trim().min(1, `${V}.bodyRequired`).max(MESSAGE_BODY_MAX, `${V}.bodyTooLong`),
    audience: z.enum(MESSAGE_AUDIENCES, { error: `${V}.audienceInvalid` }),
    /** Required when audience is TICKET_TYPE, else "". */
    ticketTypeId: z.string().trim().default(""),
    /** "" = now; else a local date-time in the event's zone, in the future. */
    scheduledAt: z
      .string({ error: `${V}.timeInvalid` })
      .trim()
      .default("")
      .refine((v) => v === "" || isLocalDateTime(v), `${V}.timeInvalid`),
  })
  .superRefine((v, ctx) => {
    if (v.audience === "TICKET_TYPE" && !UUID_PATTERN.test(v.ticketTypeId)) {
      ctx.addIssue({ code: "custom", path: ["ticketTypeId"], message: `${V}.ticketTypeRequired` });
    }
  });

export type EventMessageFormInput = z.input<typeof eventMessageFormSchema>;
export type EventMessageForm = z.output<typeof eventMessageFormSchema>;
