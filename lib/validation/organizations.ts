// Organization schemas, shared by the forms (react-hook-form + zodResolver), the server actions and
// the services (which parse again: every service is callable from an API route or a job as well).
// Messages are message keys of lib/i18n/messages/areas/organizations.ts, translated where shown.
import { z } from "zod";
import { SLUG_PATTERN } from "@/lib/organizations/slug";

export const ORGANIZATION_NAME_MIN = 2;
export const ORGANIZATION_NAME_MAX = 255;
export const ORGANIZATION_SLUG_MIN = 3;
export const ORGANIZATION_SLUG_MAX = 50;
export const ORGANIZATION_DESCRIPTION_MAX = 2000;
export const REVIEW_COMMENT_MIN = 10;
export const REVIEW_COMMENT_MAX = 1000;
export const WEBSITE_MAX = 500;
export const CONTACT_EMAIL_MAX = 255;

const V = "organizations.validation";

export const organizationNameSchema = z
  .string({ error: `${V}.nameRequired` })
  .trim()
  .min(1, `${V}.nameRequired`)
  .min(ORGANIZATION_NAME_MIN, `${V}.nameTooShort`)
  .max(ORGANIZATION_NAME_MAX, `${V}.nameTooLong`);

/** Trimmed and lower-cased; 3–50 characters of a–z, 0–9 and inner hyphens. */
export const organizationSlugSchema = z
  .string({ error: `${V}.slugRequired` })
  .trim()
  .toLowerCase()
  .min(1, `${V}.slugRequired`)
  .min(ORGANIZATION_SLUG_MIN, `${V}.slugTooShort`)
  .max(ORGANIZATION_SLUG_MAX, `${V}.slugTooLong`)
  .regex(SLUG_PATTERN, `${V}.slugFormat`);

/** Optional text; "" and whitespace become null. */
export const organizationDescriptionSchema = z
  .string()
  .trim()
  .max(ORGANIZATION_DESCRIPTION_MAX, `${V}.descriptionTooLong`)
  .optional()
  .nullable()
  .transform((v) => (v ? v : null));

export const organizationRequestSchema = z.object({
  name: organizationNameSchema,
  slug: organizationSlugSchema,
  description: organizationDescriptionSchema,
});
export type OrganizationRequestInput = z.input<typeof organizationRequestSchema>;
export type OrganizationRequestData = z.output<typeof organizationRequestSchema>;

export const slugCheckSchema = z.object({ slug: z.string().max(200) });

export const requestIdSchema = z.object({ requestId: z.uuid({ error: "errors.notFound" }) });

export const rejectRequestSchema = z.object({
  requestId: z.uuid({ error: "errors.notFound" }),
  comment: z
    .string({ error: `${V}.commentRequired` })
    .trim()
    .min(1, `${V}.commentRequired`)
    .min(REVIEW_COMMENT_MIN, `${V}.commentTooShort`)
    .max(REVIEW_COMMENT_MAX, `${V}.commentTooLong`),
});
export type RejectRequestInput = z.input<typeof rejectRequestSchema>;
export type RejectRequestData = z.output<typeof rejectRequestSchema>;

/** An IANA time zone the runtime knows (e.g. "Europe/Moscow"). */
export function isTimeZone(value: string): boolean {
  if (!value || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const DEFAULT_TIMEZONE = "Europe/Moscow";

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null));

/**
 * The organization's own settings (organizations.settings JSONB). Other keys already stored there
 * (written by other areas) are kept on update.
 */
export const organizationSettingsSchema = z.object({
  /** Default time zone of new events. */
  defaultTimezone: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || DEFAULT_TIMEZONE)
    .refine(isTimeZone, `${V}.timezoneInvalid`),
  /** Shown on the public page. */
  contactEmail: optionalText(CONTACT_EMAIL_MAX, `${V}.emailTooLong`)
    .transform((v) => v?.toLowerCase() ?? null)
    .refine((v) => v === null || z.email().safeParse(v).success, `${V}.emailInvalid`),
  /** Shown on the public page; http(s) only. */
  websiteUrl: optionalText(WEBSITE_MAX, `${V}.websiteTooLong`).refine((v) => v === null || isHttpUrl(v), `${V}.websiteInvalid`),
});
export type OrganizationSettings = z.output<typeof organizationSettingsSchema>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && !!url.hostname;
  } catch {
    return false;
  }
}

/** Reads stored settings leniently: anything invalid falls back to the default. */
export function readOrganizationSettings(stored: unknown): OrganizationSettings {
  const source = stored && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const pick = <K extends keyof OrganizationSettings>(key: K): OrganizationSettings[K] | undefined => {
    const one = organizationSettingsSchema.shape[key].safeParse(source[key]);
    return one.success ? (one.data as OrganizationSettings[K]) : undefined;
  };
  return {
    defaultTimezone: pick("defaultTimezone") ?? DEFAULT_TIMEZONE,
    contactEmail: pick("contactEmail") ?? null,
    websiteUrl: pick("websiteUrl") ?? null,
  };
}

export const organizationUpdateSchema = z.object({
  name: organizationNameSchema,
  description: organizationDescriptionSchema,
  defaultTimezone: organizationSettingsSchema.shape.defaultTimezone,
  contactEmail: organizationSettingsSchema.shape.contactEmail,
  websiteUrl: organizationSettingsSchema.shape.websiteUrl,
});
export type OrganizationUpdateInput = z.input<typeof organizationUpdateSchema>;
export type OrganizationUpdateData = z.output<typeof organizationUpdateSchema>;

/** Deleting asks the owner to type the slug (compared case-insensitively, trimmed). */
export const organizationDeleteSchema = z.object({
  confirmSlug: z.string({ error: `${V}.confirmSlugRequired` }).trim().toLowerCase().min(1, `${V}.confirmSlugRequired`).max(200),
});
export type OrganizationDeleteInput = z.input<typeof organizationDeleteSchema>;
export type OrganizationDeleteData = z.output<typeof organizationDeleteSchema>;
