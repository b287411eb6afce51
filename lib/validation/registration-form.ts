// The participant's registration form: ONE zod schema for react-hook-form (client) and the server
// action. `registrationFormSchema(options)` adds what depends on the event and the person (a guest must
// give an email; the event's extra fields); the server action parses with the event-independent
// `registrationRequestSchema` (same field rules) and lib/registrations decides the rest — it checks the
// extra fields and the guest/email rules again at the moment of sale and answers with field errors on the
// same names ("firstName", "email", "customFields.<key>"). Prices never come from the form.
//
// Messages are keys of lib/i18n/messages/areas/registrations.ts ("registrations.validation.*") and of
// the events area ("events.validation.answer*", lib/validation/events.ts).
import { z } from "zod";
import { REGISTRATION_TEXT_VALUE_MAX, type RegistrationFieldDefinition } from "@/lib/validation/events";
import { UUID_PATTERN } from "@/lib/validation/ids";

export const REGISTRATION_NAME_MAX = 100;
export const REGISTRATION_EMAIL_MAX = 254;

const V = "registrations.validation";

const uuid = (message: string) => z.string({ error: message }).regex(UUID_PATTERN, message);

const name = z.string({ error: `${V}.nameInvalid` }).trim().max(REGISTRATION_NAME_MAX, `${V}.nameTooLong`);

/** Empty → "", else a valid email (lower-cased). Whether it is required is decided per person. */
const email = z
  .string({ error: `${V}.emailInvalid` })
  .trim()
  .toLowerCase()
  .max(REGISTRATION_EMAIL_MAX, `${V}.emailInvalid`)
  .refine((v) => v === "" || z.email().safeParse(v).success, `${V}.emailInvalid`);

const answer = z.union([z.string().max(REGISTRATION_TEXT_VALUE_MAX * 2, "events.validation.answerTooLong"), z.boolean()]);

const base = {
  eventId: uuid("errors.notFound"),
  ticketTypeId: uuid(`${V}.ticketTypeRequired`),
  firstName: name.min(1, `${V}.firstNameRequired`),
  lastName: name,
  email,
  customFields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), answer).default({}),
  /** A promo code ("" = none); the server normalizes and checks it (lib/promo/rules). */
  promoCode: z.string({ error: "promo.errors.unknown" }).trim().max(32, "promo.errors.unknown").default(""),
  /** One per submission (generated when the form mounts and after each success): a retry or double tap replays the first result. */
  idempotencyKey: uuid("errors.idempotencyKeyInvalid"),
};

/** What the server action accepts (shape and field rules; the service checks the rest). */
export const registrationRequestSchema = z.object(base);

export type RegistrationFormOptions = {
  /** A guest (no session) or a signed-in user without a Telegram-only account: email required. */
  emailRequired: boolean;
  /** The event's extra fields (settings.registrationFields). */
  fields: readonly RegistrationFieldDefinition[];
};

/** The form's schema for one event and one person (the client; same rules as the server plus what it knows). */
export function registrationFormSchema(options: RegistrationFormOptions) {
  return registrationRequestSchema.superRefine((value, ctx) => {
    if (options.emailRequired && value.email === "") ctx.addIssue({ code: "custom", path: ["email"], message: `${V}.emailRequired` });
    for (const field of options.fields) {
      const raw = value.customFields[field.key];
      const path = ["customFields", field.key];
      if (field.type === "checkbox") {
        if (field.required && raw !== true) ctx.addIssue({ code: "custom", path, message: "events.validation.answerMustBeChecked" });
        continue;
      }
      const text = typeof raw === "string" ? raw.trim() : "";
      if (!text) {
        if (field.required) ctx.addIssue({ code: "custom", path, message: "events.validation.answerRequired" });
        continue;
      }
      if (field.type === "select" && !field.options.includes(text)) ctx.addIssue({ code: "custom", path, message: "events.validation.answerNotAnOption" });
      if (field.type === "text" && text.length > REGISTRATION_TEXT_VALUE_MAX) ctx.addIssue({ code: "custom", path, message: "events.validation.answerTooLong" });
    }
  });
}

export type RegistrationFormInput = z.input<typeof registrationRequestSchema>;
export type RegistrationFormData = z.output<typeof registrationRequestSchema>;

/** Default answers of the event's extra fields (unchecked boxes, empty texts). */
export function defaultAnswers(fields: readonly RegistrationFieldDefinition[]): Record<string, string | boolean> {
  return Object.fromEntries(fields.map((f) => [f.key, f.type === "checkbox" ? false : ""]));
}

/** The claim of a waitlist offer: the link's token and, when the event has extra fields, the answers. */
export const waitlistClaimSchema = z.object({
  entryId: uuid("errors.notFound"),
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "errors.notFound"),
  customFields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), answer).default({}),
});

export const cancelTicketSchema = z.object({
  registrationId: uuid("errors.notFound"),
  idempotencyKey: uuid("errors.idempotencyKeyInvalid"),
});

export const cancelGuestTicketSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "errors.notFound"),
  idempotencyKey: uuid("errors.idempotencyKeyInvalid"),
});

export const waitlistJoinSchema = z.object({
  eventId: uuid("errors.notFound"),
  /** Null = any ticket type of the event. */
  ticketTypeId: uuid("errors.notFound").nullable(),
});
