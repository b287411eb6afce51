// Events and ticket types: schemas shared by the forms (react-hook-form + zodResolver), the server
// actions / API routes and the services (which parse again: every service is callable from a route,
// a job or a test). Messages are message keys of lib/events/messages.ts ("events.validation.*").
//
// Times: the form sends local date-times ("2027-03-15T19:00") in the event's IANA time zone; the
// schema validates the zone with Intl and converts them to UTC Dates (lib/events/time.ts). A local
// time that does not exist (inside a spring-forward gap) is refused rather than silently moved; a time
// that occurs twice (clocks go back) means the first occurrence. See docs/events.md.
import { z } from "zod";
import { SLUG_PATTERN } from "@/lib/organizations/slug";
import { canonicalTimeZone, isLocalDateTime, localTimeExists, zonedTimeToUtc } from "@/lib/events/time";

const V = "events.validation";

export const EVENT_TITLE_MAX = 255;
export const EVENT_DESCRIPTION_MAX = 10_000;
export const EVENT_LOCATION_MAX = 500;
export const EVENT_SLUG_MAX = 100;
export const EVENT_CANCEL_REASON_MAX = 1000;
export const DEFAULT_EVENT_TIMEZONE = "Europe/Moscow";
export const REGISTRATION_FIELDS_MAX = 20;
export const REGISTRATION_FIELD_OPTIONS_MAX = 50;
export const REGISTRATION_FIELD_LABEL_MAX = 200;
export const REGISTRATION_FIELD_OPTION_MAX = 100;
export const REGISTRATION_TEXT_VALUE_MAX = 1000;
export const WAITLIST_OFFER_MINUTES_MIN = 15;
export const WAITLIST_OFFER_MINUTES_MAX = 7 * 24 * 60;
export const WAITLIST_OFFER_MINUTES_DEFAULT = 24 * 60;

export const TICKET_NAME_MAX = 100;
export const TICKET_DESCRIPTION_MAX = 1000;
export const TICKET_QUANTITY_MAX = 1_000_000;
/** 10 000 000.00 in major units: keeps every amount far inside PostgreSQL's int4. */
export const TICKET_PRICE_MAX_CENTS = 1_000_000_000;
export const RESERVATION_MINUTES_MIN = 5;
export const RESERVATION_MINUTES_MAX = 1440;
export const SORT_ORDER_MAX = 10_000;
export const CURRENCIES = ["RUB", "USD", "EUR"] as const;
export type CurrencyCode = (typeof CURRENCIES)[number];

export const EVENT_STATUSES = ["DRAFT", "PUBLISHED", "CANCELLED", "COMPLETED"] as const;
export const LOCATION_TYPES = ["ONLINE", "OFFLINE", "HYBRID"] as const;
export const PARTICIPANTS_VISIBILITIES = ["CLOSED", "OPEN"] as const;

// ───────────────────────────── form helpers ─────────────────────────────

/** "" / whitespace / null / undefined → undefined (a field left empty). */
const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** A number field of a form: numbers, or numeric strings; "" is "not given". */
function formInt<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => {
    if (typeof v === "string") {
      const s = v.trim();
      if (s === "") return undefined;
      return /^[+-]?\d+$/.test(s) ? Number(s) : s;
    }
    return v;
  }, schema);
}

/** A nullable number field: "" and null mean null. */
function formNullableInt<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => {
    if (blank(v)) return null;
    if (typeof v === "string") return /^[+-]?\d+$/.test(v.trim()) ? Number(v.trim()) : v;
    return v;
  }, schema.nullable());
}

/** A checkbox: booleans, or the strings a plain HTML form sends. */
function formBool(defaultValue: boolean) {
  return z.preprocess((v) => {
    if (v === undefined || v === null || v === "") return defaultValue;
    if (v === "on" || v === "true" || v === "1") return true;
    if (v === "false" || v === "0" || v === "off") return false;
    return v;
  }, z.boolean({ error: `${V}.booleanInvalid` }));
}

/** Optional text; "" and whitespace become null. */
const optionalText = (max: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .max(max, message)
    .nullish()
    .transform((v) => (v ? v : null));

/** Cross-field checks run even when single fields failed (so a form shows every problem at once), but only on an object. */
const isObjectPayload = (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value);

// ───────────────────────────── money ─────────────────────────────

/**
 * A price typed in major units ("1500", "1 500,50", 1500.5) → minor units (150050), or null when it is
 * not a non-negative amount with at most 2 decimals. Uses integer arithmetic (no float rounding).
 */
export function toMinorUnits(value: unknown): number | null {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return null;
    text = value.toFixed(2);
    if (Math.abs(Number(text) - value) > 1e-9) return null; // more than 2 decimals
  } else if (typeof value === "string") {
    text = value.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  } else {
    return null;
  }
  const m = /^(\d{1,10})(?:\.(\d{0,2}))?$/.exec(text);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Minor units → the form's value in major units with 2 decimals (150050 → "1500.50"). */
export function fromMinorUnits(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

// ───────────────────────────── shared field schemas ─────────────────────────────

export const eventTitleSchema = z
  .string({ error: `${V}.titleRequired` })
  .trim()
  .min(1, `${V}.titleRequired`)
  .max(EVENT_TITLE_MAX, `${V}.titleTooLong`);

/** Markdown, ≤ 10 000 characters; "" → null. */
export const eventDescriptionSchema = optionalText(EVENT_DESCRIPTION_MAX, `${V}.descriptionTooLong`);

/** An IANA zone known to the runtime, stored in its canonical spelling; empty → Europe/Moscow. */
export const timeZoneSchema = z.preprocess(
  (v) => (blank(v) ? DEFAULT_EVENT_TIMEZONE : v),
  z.string({ error: `${V}.timezoneInvalid` }).transform((v, ctx) => {
    const zone = canonicalZone(v);
    if (!zone) {
      ctx.addIssue({ code: "custom", message: `${V}.timezoneInvalid` });
      return z.NEVER;
    }
    return zone;
  }),
);

/** The zone as given when Intl knows it (keeps "Europe/Kyiv"), with the canonical case otherwise. */
function canonicalZone(value: string): string | null {
  const canonical = canonicalTimeZone(value);
  if (!canonical) return null;
  const given = value.trim();
  return canonical.toLowerCase() === given.toLowerCase() ? canonical : given;
}

/** "a–z, 0–9 and inner hyphens", ≤ 100; lower-cased. */
export const eventSlugSchema = z
  .string({ error: `${V}.slugFormat` })
  .trim()
  .toLowerCase()
  .min(2, `${V}.slugTooShort`)
  .max(EVENT_SLUG_MAX, `${V}.slugTooLong`)
  .regex(SLUG_PATTERN, `${V}.slugFormat`);

/** http(s) URL ≤ 500. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && !!url.hostname;
  } catch {
    return false;
  }
}

// ───────────────────────────── registration form fields (event settings) ─────────────────────────────

const fieldKeySchema = z
  .string({ error: `${V}.fieldKeyInvalid` })
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, `${V}.fieldKeyInvalid`);
const fieldLabelSchema = z
  .string({ error: `${V}.fieldLabelRequired` })
  .trim()
  .min(1, `${V}.fieldLabelRequired`)
  .max(REGISTRATION_FIELD_LABEL_MAX, `${V}.fieldLabelTooLong`);
const fieldBase = { key: fieldKeySchema, label: fieldLabelSchema, required: formBool(false) };

export const registrationFieldSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ ...fieldBase, type: z.literal("text") }),
    z.object({
      ...fieldBase,
      type: z.literal("select"),
      options: z
        .array(
          z
            .string({ error: `${V}.fieldOptionRequired` })
            .trim()
            .min(1, `${V}.fieldOptionRequired`)
            .max(REGISTRATION_FIELD_OPTION_MAX, `${V}.fieldOptionTooLong`),
          { error: `${V}.fieldOptionsRequired` },
        )
        .min(1, `${V}.fieldOptionsRequired`)
        .max(REGISTRATION_FIELD_OPTIONS_MAX, `${V}.fieldOptionsTooMany`)
        .refine((options) => new Set(options).size === options.length, `${V}.fieldOptionsDuplicate`),
    }),
    z.object({ ...fieldBase, type: z.literal("checkbox") }),
  ],
  { error: `${V}.fieldTypeInvalid` },
);
export type RegistrationFieldDefinition = z.output<typeof registrationFieldSchema>;

export const registrationFieldsSchema = z
  .array(registrationFieldSchema)
  .max(REGISTRATION_FIELDS_MAX, `${V}.fieldsTooMany`)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((field, i) => {
      if (seen.has(field.key)) ctx.addIssue({ code: "custom", message: `${V}.fieldKeyDuplicate`, path: [i, "key"] });
      seen.add(field.key);
    });
  });

export const REFUND_POLICY_HOURS_MAX = 8760;
export const DEFAULT_REFUND_POLICY = { untilHoursBeforeStart: 0, percent: 100 } as const;

/**
 * A participant's own cancellation is refunded `percent` % of what is left of each payment until
 * `untilHoursBeforeStart` hours before the start (0 = until the start), nothing after.
 */
export const refundPolicySchema = z.object(
  {
    untilHoursBeforeStart: formInt(
      z
        .number({ error: `${V}.refundHoursInvalid` })
        .int(`${V}.refundHoursInvalid`)
        .min(0, `${V}.refundHoursInvalid`)
        .max(REFUND_POLICY_HOURS_MAX, `${V}.refundHoursTooLong`)
        .default(DEFAULT_REFUND_POLICY.untilHoursBeforeStart),
    ),
    percent: formInt(
      z
        .number({ error: `${V}.refundPercentInvalid` })
        .int(`${V}.refundPercentInvalid`)
        .min(0, `${V}.refundPercentInvalid`)
        .max(100, `${V}.refundPercentInvalid`)
        .default(DEFAULT_REFUND_POLICY.percent),
    ),
  },
  { error: `${V}.settingsInvalid` },
);
export type RefundPolicy = z.output<typeof refundPolicySchema>;

export const eventSettingsSchema = z.object(
  {
  /** Extra questions of the registration form (answers are stored in registrations.custom_fields). */
  registrationFields: z.preprocess((v) => (v == null ? [] : v), registrationFieldsSchema),
  /** People without an account may register with a name and an email. */
  allowGuests: formBool(false),
  /** How long a waitlist offer holds a seat. */
  waitlistOfferMinutes: formInt(
    z
      .number({ error: `${V}.waitlistOfferMinutesInvalid` })
      .int(`${V}.waitlistOfferMinutesInvalid`)
      .min(WAITLIST_OFFER_MINUTES_MIN, `${V}.waitlistOfferMinutesTooShort`)
      .max(WAITLIST_OFFER_MINUTES_MAX, `${V}.waitlistOfferMinutesTooLong`)
      .default(WAITLIST_OFFER_MINUTES_DEFAULT),
  ),
  /** Cancel registrations whose prepayment remainder is not paid by the due date. */
  cancelUnpaidPrepayments: formBool(false),
  /** What a participant's own cancellation gives back (docs/payments.md "Refund policy"). */
  refundPolicy: z.preprocess((v) => (v == null ? {} : v), refundPolicySchema),
  },
  { error: `${V}.settingsInvalid` },
);
export type EventSettings = z.output<typeof eventSettingsSchema>;

/** A registration field as a form or an API client sends it. */
export type RegistrationFieldInput = {
  key: string;
  label: string;
  type: "text" | "select" | "checkbox";
  required?: boolean | string;
  /** select only */
  options?: string[];
};

/** What `eventSettingsSchema` accepts (every key optional; numbers and booleans may come as form strings). */
export type EventSettingsInput = {
  registrationFields?: RegistrationFieldInput[] | null;
  allowGuests?: boolean | string | null;
  waitlistOfferMinutes?: number | string | null;
  cancelUnpaidPrepayments?: boolean | string | null;
  refundPolicy?: { untilHoursBeforeStart?: number | string | null; percent?: number | string | null } | null;
};

export const DEFAULT_EVENT_SETTINGS: EventSettings = {
  registrationFields: [],
  allowGuests: false,
  waitlistOfferMinutes: WAITLIST_OFFER_MINUTES_DEFAULT,
  cancelUnpaidPrepayments: false,
  refundPolicy: { ...DEFAULT_REFUND_POLICY },
};

/**
 * The settings stored on an event (JSON), read safely: a value that no longer validates (an older
 * shape, a manual edit) falls back field by field to the defaults instead of breaking a page.
 */
export function readEventSettings(stored: unknown): EventSettings {
  const full = eventSettingsSchema.safeParse(stored ?? {});
  if (full.success) return full.data;
  const raw = (stored && typeof stored === "object" ? stored : {}) as Record<string, unknown>;
  const pick = <K extends keyof EventSettings>(key: K): EventSettings[K] => {
    const one = eventSettingsSchema.shape[key].safeParse(raw[key]);
    return (one.success ? one.data : DEFAULT_EVENT_SETTINGS[key]) as EventSettings[K];
  };
  return {
    registrationFields: pick("registrationFields"),
    allowGuests: pick("allowGuests"),
    waitlistOfferMinutes: pick("waitlistOfferMinutes"),
    cancelUnpaidPrepayments: pick("cancelUnpaidPrepayments"),
    refundPolicy: pick("refundPolicy"),
  };
}

export type RegistrationFieldValues = Record<string, string | boolean>;
export type RegistrationFieldsResult =
  | { ok: true; values: RegistrationFieldValues }
  | { ok: false; fieldErrors: Record<string, string>; values: RegistrationFieldValues };

/**
 * Checks a participant's answers against the event's extra fields. Returns the cleaned values — only
 * the defined keys; text trimmed (≤ 1000); a select's value one of its options; a checkbox a boolean
 * (unchecked = false) — or field errors keyed "customFields.<key>". Unknown keys are dropped.
 * A required checkbox must be checked ("I agree to…").
 */
export function validateRegistrationFields(definitions: readonly RegistrationFieldDefinition[], input: unknown): RegistrationFieldsResult {
  const answers = (input && typeof input === "object" && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const values: RegistrationFieldValues = {};
  const fieldErrors: Record<string, string> = {};
  for (const field of definitions) {
    const name = `customFields.${field.key}`;
    const raw = Object.hasOwn(answers, field.key) ? answers[field.key] : undefined;
    if (field.type === "checkbox") {
      const checked = raw === true || raw === "true" || raw === "on" || raw === "1";
      const unchecked = raw === undefined || raw === null || raw === false || raw === "" || raw === "false" || raw === "off" || raw === "0";
      if (!checked && !unchecked) fieldErrors[name] = `${V}.answerInvalid`;
      else if (field.required && !checked) fieldErrors[name] = `${V}.answerMustBeChecked`;
      else values[field.key] = checked;
      continue;
    }
    if (raw !== undefined && raw !== null && typeof raw !== "string" && typeof raw !== "number") {
      fieldErrors[name] = `${V}.answerInvalid`;
      continue;
    }
    const text = raw === undefined || raw === null ? "" : String(raw).trim();
    if (!text) {
      if (field.required) fieldErrors[name] = `${V}.answerRequired`;
      continue;
    }
    if (field.type === "select") {
      if (!field.options.includes(text)) fieldErrors[name] = `${V}.answerNotAnOption`;
      else values[field.key] = text;
      continue;
    }
    if (text.length > REGISTRATION_TEXT_VALUE_MAX) fieldErrors[name] = `${V}.answerTooLong`;
    else values[field.key] = text;
  }
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors, values } : { ok: true, values };
}

// ───────────────────────────── event ─────────────────────────────

const localDateTimeSchema = (required: string) =>
  z
    .string({ error: required })
    .trim()
    .min(1, required)
    .refine((v) => isLocalDateTime(v), `${V}.dateTimeInvalid`);

const optionalLocalDateTimeSchema = z.preprocess(
  (v) => (blank(v) ? null : v),
  z
    .string({ error: `${V}.dateTimeInvalid` })
    .trim()
    .refine((v) => isLocalDateTime(v), `${V}.dateTimeInvalid`)
    .nullable(),
);

const optionalUuid = z.preprocess((v) => (blank(v) ? null : v), z.uuid({ error: `${V}.groupNotFound` }).nullable());
const optionalCoverId = z.preprocess((v) => (blank(v) ? null : v), z.uuid({ error: `${V}.coverNotFound` }).nullable());

const eventObject = z.object({
  title: eventTitleSchema,
  description: eventDescriptionSchema,
  timezone: timeZoneSchema,
  /** Local date-time in `timezone` ("2027-03-15T19:00"). */
  startsAt: localDateTimeSchema(`${V}.startsAtRequired`),
  /** Local date-time in `timezone`, optional. */
  endsAt: optionalLocalDateTimeSchema,
  locationType: z.enum(LOCATION_TYPES, { error: `${V}.locationTypeInvalid` }).default("OFFLINE"),
  locationAddress: optionalText(EVENT_LOCATION_MAX, `${V}.addressTooLong`),
  locationUrl: optionalText(EVENT_LOCATION_MAX, `${V}.urlTooLong`),
  /** Private event: only members of this group (of the same organization) see it. */
  groupId: optionalUuid,
  /** Cover image: a Media row of the same organization (uploaded with purpose "event-cover"). */
  coverImageId: optionalCoverId.optional(),
  participantsVisibility: z.enum(PARTICIPANTS_VISIBILITIES, { error: `${V}.visibilityInvalid` }).default("CLOSED"),
  /** The 24-hour reminder and an online event's morning reminder (lib/events/lifecycle.ts); on by default. */
  remindersEnabled: z.boolean({ error: `${V}.formInvalid` }).default(true),
  settings: z.preprocess((v) => (v == null ? {} : v), eventSettingsSchema),
  /** Optional: transliterated from the title when empty. */
  slug: z.preprocess((v) => (blank(v) ? undefined : v), eventSlugSchema.optional()),
}, { error: `${V}.formInvalid` });

/**
 * The event form. Output: the row's values with `startsAt` / `endsAt` as UTC Dates, the location
 * normalized (an ONLINE event keeps no address, an OFFLINE one no URL).
 */
export const eventSchema = eventObject
  .superRefine(
    (d, ctx) => {
      // Runs even when other fields failed (`when`), so the form shows every problem at once.
      const type = LOCATION_TYPES.includes(d.locationType as never) ? d.locationType : null;
      const url = typeof d.locationUrl === "string" ? d.locationUrl : null;
      const address = typeof d.locationAddress === "string" ? d.locationAddress : null;
      if ((type === "ONLINE" || type === "HYBRID") && !url) ctx.addIssue({ code: "custom", message: `${V}.urlRequired`, path: ["locationUrl"] });
      if (url && type !== "OFFLINE" && !isHttpUrl(url)) ctx.addIssue({ code: "custom", message: `${V}.urlInvalid`, path: ["locationUrl"] });
      if ((type === "OFFLINE" || type === "HYBRID") && !address) {
        ctx.addIssue({ code: "custom", message: `${V}.addressRequired`, path: ["locationAddress"] });
      }
      const zone = typeof d.timezone === "string" ? canonicalTimeZone(d.timezone) : null;
      if (!zone) return;
      const start = typeof d.startsAt === "string" && isLocalDateTime(d.startsAt) ? d.startsAt : null;
      const end = typeof d.endsAt === "string" && isLocalDateTime(d.endsAt) ? d.endsAt : null;
      if (start && !localTimeExists(start, zone)) ctx.addIssue({ code: "custom", message: `${V}.timeNonexistent`, path: ["startsAt"] });
      if (end && !localTimeExists(end, zone)) ctx.addIssue({ code: "custom", message: `${V}.timeNonexistent`, path: ["endsAt"] });
      if (start && end && localTimeExists(start, zone) && localTimeExists(end, zone)) {
        if (zonedTimeToUtc(end, zone).getTime() < zonedTimeToUtc(start, zone).getTime()) {
          ctx.addIssue({ code: "custom", message: `${V}.endsBeforeStart`, path: ["endsAt"] });
        }
      }
    },
    { when: isObjectPayload },
  )
  .transform((d) => ({
    title: d.title,
    description: d.description,
    timezone: d.timezone,
    startsAt: zonedTimeToUtc(d.startsAt, d.timezone),
    endsAt: d.endsAt ? zonedTimeToUtc(d.endsAt, d.timezone) : null,
    locationType: d.locationType,
    locationAddress: d.locationType === "ONLINE" ? null : d.locationAddress,
    locationUrl: d.locationType === "OFFLINE" ? null : d.locationUrl,
    groupId: d.groupId,
    /** undefined = not given (an edit keeps the current cover); null = no cover. */
    coverImageId: d.coverImageId,
    participantsVisibility: d.participantsVisibility,
    remindersEnabled: d.remindersEnabled,
    settings: d.settings,
    slug: d.slug,
  }));
/**
 * What `eventSchema` accepts (the form's values or an API body). Written out because zod infers
 * `unknown` for preprocessed fields: empty strings and nulls mean "not given" where a field is optional.
 */
export type EventInput = {
  title: string;
  /** Markdown. */
  description?: string | null;
  /** IANA zone; empty = Europe/Moscow. */
  timezone?: string | null;
  /** Local date-time in `timezone`: "YYYY-MM-DDTHH:mm". */
  startsAt: string;
  endsAt?: string | null;
  locationType?: (typeof LOCATION_TYPES)[number];
  locationAddress?: string | null;
  locationUrl?: string | null;
  groupId?: string | null;
  /** Media id of the cover; empty / null = no cover. */
  coverImageId?: string | null;
  participantsVisibility?: (typeof PARTICIPANTS_VISIBILITIES)[number];
  /** Reminders to participants (default on). */
  remindersEnabled?: boolean;
  settings?: EventSettingsInput | null;
  /** Empty = from the title. */
  slug?: string | null;
};
export type EventData = z.output<typeof eventSchema>;

export const cancelEventSchema = z.object({
  reason: z
    .string({ error: `${V}.cancelReasonRequired` })
    .trim()
    .min(1, `${V}.cancelReasonRequired`)
    .max(EVENT_CANCEL_REASON_MAX, `${V}.cancelReasonTooLong`),
});
export type CancelEventInput = { reason: string };

export const EVENT_LIST_WHEN = ["upcoming", "past", "all"] as const;
export type EventListWhen = (typeof EVENT_LIST_WHEN)[number];

export const listEventsQuerySchema = z.object({
  status: z.preprocess((v) => (blank(v) ? undefined : v), z.enum(EVENT_STATUSES, { error: `${V}.statusInvalid` }).optional()),
  when: z.preprocess((v) => (blank(v) ? undefined : v), z.enum(EVENT_LIST_WHEN, { error: `${V}.whenInvalid` }).default("upcoming")),
  /** Text search in the title (case-insensitive); empty = all. */
  q: z.preprocess((v) => (blank(v) ? undefined : v), z.string({ error: `${V}.searchInvalid` }).trim().max(100, `${V}.searchInvalid`).optional()),
  page: formInt(z.number({ error: `${V}.pageInvalid` }).int(`${V}.pageInvalid`).min(1, `${V}.pageInvalid`).max(100_000, `${V}.pageInvalid`).default(1)),
  pageSize: formInt(z.number({ error: `${V}.pageInvalid` }).int(`${V}.pageInvalid`).min(1, `${V}.pageInvalid`).max(100, `${V}.pageInvalid`).default(20)),
});
export type ListEventsQuery = { status?: (typeof EVENT_STATUSES)[number] | ""; when?: EventListWhen | ""; q?: string; page?: number | string; pageSize?: number | string };

// ───────────────────────────── ticket types ─────────────────────────────

const ticketTypeObject = z.object({
  name: z
    .string({ error: `${V}.ticketNameRequired` })
    .trim()
    .min(1, `${V}.ticketNameRequired`)
    .max(TICKET_NAME_MAX, `${V}.ticketNameTooLong`),
  description: optionalText(TICKET_DESCRIPTION_MAX, `${V}.ticketDescriptionTooLong`),
  /** Major units as typed ("1500", "1 500,50"); empty = free. Converted to `priceCents`. */
  price: z.union([z.string(), z.number()], { error: `${V}.priceInvalid` }).optional(),
  currency: z.preprocess((v) => (blank(v) ? undefined : v), z.enum(CURRENCIES, { error: `${V}.currencyInvalid` }).default("RUB")),
  /** Seats; empty / null = unlimited. */
  quantity: formNullableInt(
    z
      .number({ error: `${V}.quantityInvalid` })
      .int(`${V}.quantityInvalid`)
      .min(1, `${V}.quantityTooSmall`)
      .max(TICKET_QUANTITY_MAX, `${V}.quantityTooLarge`),
  ),
  /** Minutes a paid booking is held before payment; empty = no timed reservation. */
  reservationMinutes: formNullableInt(
    z
      .number({ error: `${V}.reservationMinutesInvalid` })
      .int(`${V}.reservationMinutesInvalid`)
      .min(RESERVATION_MINUTES_MIN, `${V}.reservationMinutesInvalid`)
      .max(RESERVATION_MINUTES_MAX, `${V}.reservationMinutesInvalid`),
  ),
  /** Share paid up front (1–99); empty = full payment. Paid tickets only. */
  prepaymentPercent: formNullableInt(
    z
      .number({ error: `${V}.prepaymentPercentInvalid` })
      .int(`${V}.prepaymentPercentInvalid`)
      .min(1, `${V}.prepaymentPercentInvalid`)
      .max(99, `${V}.prepaymentPercentInvalid`),
  ),
  /** Local date-times in the event's time zone; empty = no limit. */
  salesStart: optionalLocalDateTimeSchema,
  salesEnd: optionalLocalDateTimeSchema,
  /** Display position; omitted on create = after the existing types. */
  sortOrder: formInt(
    z
      .number({ error: `${V}.sortOrderInvalid` })
      .int(`${V}.sortOrderInvalid`)
      .min(0, `${V}.sortOrderInvalid`)
      .max(SORT_ORDER_MAX, `${V}.sortOrderInvalid`)
      .optional(),
  ),
  isActive: formBool(true),
  /** Hidden: not on public pages; sold only with a promo code naming the type (lib/promo). */
  isHidden: formBool(false),
}, { error: `${V}.formInvalid` });

/**
 * The ticket-type form for an event in `timeZone` (its sales window is typed in the event's zone).
 * Output: `priceCents` (minor units) instead of `price`, the sales window as UTC Dates.
 */
export function makeTicketTypeSchema(timeZone: string) {
  const zone = canonicalTimeZone(timeZone) ?? DEFAULT_EVENT_TIMEZONE;
  return ticketTypeObject
    .superRefine(
      (d, ctx) => {
        const cents = d.price === undefined || (typeof d.price === "string" && d.price.trim() === "") ? 0 : toMinorUnits(d.price);
        if (cents === null) ctx.addIssue({ code: "custom", message: `${V}.priceInvalid`, path: ["price"] });
        else if (cents > TICKET_PRICE_MAX_CENTS) ctx.addIssue({ code: "custom", message: `${V}.priceTooLarge`, path: ["price"] });
        const free = cents === 0;
        if (free && typeof d.prepaymentPercent === "number") {
          ctx.addIssue({ code: "custom", message: `${V}.prepaymentOnlyPaid`, path: ["prepaymentPercent"] });
        }
        if (free && typeof d.reservationMinutes === "number") {
          ctx.addIssue({ code: "custom", message: `${V}.reservationOnlyPaid`, path: ["reservationMinutes"] });
        }
        const start = typeof d.salesStart === "string" && isLocalDateTime(d.salesStart) ? d.salesStart : null;
        const end = typeof d.salesEnd === "string" && isLocalDateTime(d.salesEnd) ? d.salesEnd : null;
        if (start && !localTimeExists(start, zone)) ctx.addIssue({ code: "custom", message: `${V}.timeNonexistent`, path: ["salesStart"] });
        if (end && !localTimeExists(end, zone)) ctx.addIssue({ code: "custom", message: `${V}.timeNonexistent`, path: ["salesEnd"] });
        if (start && end && localTimeExists(start, zone) && localTimeExists(end, zone)) {
          if (zonedTimeToUtc(end, zone).getTime() <= zonedTimeToUtc(start, zone).getTime()) {
            ctx.addIssue({ code: "custom", message: `${V}.salesEndBeforeStart`, path: ["salesEnd"] });
          }
        }
      },
      { when: isObjectPayload },
    )
    .transform((d) => ({
      name: d.name,
      description: d.description,
      priceCents: d.price === undefined || (typeof d.price === "string" && d.price.trim() === "") ? 0 : toMinorUnits(d.price)!,
      currency: d.currency,
      quantity: d.quantity,
      reservationMinutes: d.reservationMinutes,
      prepaymentPercent: d.prepaymentPercent,
      salesStart: d.salesStart ? zonedTimeToUtc(d.salesStart, zone) : null,
      salesEnd: d.salesEnd ? zonedTimeToUtc(d.salesEnd, zone) : null,
      sortOrder: d.sortOrder,
      isActive: d.isActive,
      isHidden: d.isHidden,
    }));
}
/** What the ticket-type schema accepts (form strings or numbers; empty = not given / unlimited / free). */
export type TicketTypeInput = {
  name: string;
  description?: string | null;
  /** Major units: "1500", "1 500,50", 1500.5. Empty = free. */
  price?: string | number;
  currency?: CurrencyCode | "";
  quantity?: number | string | null;
  reservationMinutes?: number | string | null;
  prepaymentPercent?: number | string | null;
  /** Local date-times in the event's zone. */
  salesStart?: string | null;
  salesEnd?: string | null;
  sortOrder?: number | string;
  isActive?: boolean | string;
  isHidden?: boolean | string;
};
export type TicketTypeData = z.output<ReturnType<typeof makeTicketTypeSchema>>;

export const reorderTicketTypesSchema = z.object({
  ticketTypeIds: z.array(z.uuid({ error: `${V}.reorderMismatch` }), { error: `${V}.reorderMismatch` }).min(1, `${V}.reorderMismatch`).max(200),
});

/** Field errors of a failed parse: the first message per field path ("settings.registrationFields.0.key"). */
export function eventFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_form";
    out[field] ??= issue.message;
  }
  return out;
}
