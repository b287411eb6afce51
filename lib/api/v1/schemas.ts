// The API shapes of organization, events, ticket types and promo codes (REST API v1): zod schemas that
// the edge parses (bodies: strict, unknown fields are 400), the handlers answer and the OpenAPI document
// shows (`.meta({ id })` makes a named component), plus the DTO mappers from the services' rows.
// Conventions (docs/api.md): camelCase, times ISO 8601 in UTC, money in minor units + currency.
// The services validate the values again (lengths, zones, rules): these schemas fix the shape and types.
import { z } from "zod";
import { eventPublicUrl, type EventForManage, type EventSyncRow, type TicketTypeView } from "@/lib/events";
import { toLocalDateTimeString } from "@/lib/events/time";
import type { OrganizationOverview } from "@/lib/organizations";
import type { PromoCodeItem } from "@/lib/promo";
import { readEventSettings, type EventSettings } from "@/lib/validation/events";

// ── building blocks ─────────────────────────────────────────────────────────────────────────────────

export const uuid = z.uuid().meta({ format: "uuid" });
/** A time the API answers: ISO 8601 UTC with milliseconds. */
export const isoTime = z.iso.datetime({ precision: 3 }).meta({ example: "2027-03-15T16:00:00.000Z" });
/** A time the API accepts: ISO 8601 with `Z` or an offset ("2027-03-15T19:00:00+03:00"). */
export const isoTimeInput = z.iso.datetime({ offset: true, error: "events.validation.dateTimeInvalid" }).meta({ example: "2027-03-15T19:00:00+03:00" });
export const currency = z.enum(["RUB", "USD", "EUR"]);
export const eventStatus = z.enum(["DRAFT", "PUBLISHED", "CANCELLED", "COMPLETED"]);
export const locationType = z.enum(["ONLINE", "OFFLINE", "HYBRID"]);
export const participantsVisibility = z.enum(["CLOSED", "OPEN"]);

/** Shape errors of a body field (the services word the value errors). */
const INVALID = { error: "api.errors.fieldInvalid" } as const;
const text = () => z.string(INVALID);
const int = () => z.number(INVALID).int(INVALID);
const bool = () => z.boolean(INVALID);

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** Route params. A malformed id is simply "not found" (the services answer 404), so the schema only types it. */
export const eventParams = z.object({ eventId: z.string().meta({ format: "uuid", description: "The event's id." }) });
export const ticketTypeParams = z.object({
  eventId: z.string().meta({ format: "uuid", description: "The event's id." }),
  ticketTypeId: z.string().meta({ format: "uuid", description: "The ticket type's id." }),
});
export const promoCodeParams = z.object({ promoCodeId: z.string().meta({ format: "uuid", description: "The promo code's id." }) });

// ── organization ───────────────────────────────────────────────────────────────────────────────────

export const apiOrganization = z
  .strictObject({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    logoUrl: z.string().nullable(),
    publicUrl: z.string().meta({ description: "The organization's public page." }),
    /** The role the token acts with (its creator's). */
    role: z.enum(["OWNER", "MODERATOR"]).meta({ description: "The role the token acts with: its creator's role, narrowed by the token's scopes." }),
    stats: z.strictObject({ members: z.number().int(), groups: z.number().int(), upcomingEvents: z.number().int() }),
  })
  .meta({ id: "Organization" });
export type ApiOrganization = z.input<typeof apiOrganization>;

export function toApiOrganization(overview: OrganizationOverview, appUrl: string): ApiOrganization {
  const o = overview.organization;
  return {
    id: o.id,
    name: o.name,
    slug: o.slug,
    description: o.description,
    logoUrl: o.logoUrl,
    publicUrl: `${appUrl.replace(/\/+$/, "")}/o/${o.slug}`,
    role: overview.effectiveRole === "OWNER" ? "OWNER" : "MODERATOR",
    stats: overview.stats,
  };
}

// ── events ─────────────────────────────────────────────────────────────────────────────────────────

const registrationField = z
  .strictObject({
    key: z.string(),
    label: z.string(),
    type: z.enum(["text", "select", "checkbox"]),
    required: z.boolean(),
    options: z.array(z.string()).optional().meta({ description: "`select` only." }),
  })
  .meta({ id: "RegistrationField" });

export const apiEventSettings = z
  .strictObject({
    registrationFields: z.array(registrationField).meta({ description: "Extra questions of the registration form." }),
    allowGuests: z.boolean().meta({ description: "People without an account may register with a name and an email." }),
    waitlistOfferMinutes: z.number().int().meta({ description: "How long a waitlist offer holds a seat." }),
    cancelUnpaidPrepayments: z.boolean(),
    refundPolicy: z.strictObject({ untilHoursBeforeStart: z.number().int(), percent: z.number().int() }),
  })
  .meta({ id: "EventSettings" });

export const apiEvent = z
  .strictObject({
    id: uuid,
    organizationId: uuid,
    status: eventStatus,
    title: z.string(),
    description: z.string().nullable().meta({ description: "Markdown." }),
    slug: z.string(),
    timezone: z.string().meta({ description: "IANA time zone of the event (its local times)." }),
    startsAt: isoTime,
    endsAt: isoTime.nullable(),
    locationType,
    locationAddress: z.string().nullable(),
    locationUrl: z.string().nullable(),
    groupId: uuid.nullable().meta({ description: "Set: a private event for the members of that group." }),
    participantsVisibility,
    remindersEnabled: z.boolean(),
    settings: apiEventSettings,
    publicUrl: z.string(),
    publishedAt: isoTime.nullable(),
    cancelledAt: isoTime.nullable(),
    cancellationReason: z.string().nullable(),
    completedAt: isoTime.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: "Event" });
export type ApiEvent = z.input<typeof apiEvent>;

function toApiSettings(settings: EventSettings): z.input<typeof apiEventSettings> {
  return {
    registrationFields: settings.registrationFields.map((f) => ({
      key: f.key,
      label: f.label,
      type: f.type,
      required: f.required,
      ...(f.type === "select" ? { options: f.options } : {}),
    })),
    allowGuests: settings.allowGuests,
    waitlistOfferMinutes: settings.waitlistOfferMinutes,
    cancelUnpaidPrepayments: settings.cancelUnpaidPrepayments,
    refundPolicy: settings.refundPolicy,
  };
}

/** An event of the dashboard read (getEventForManage) or of the keyset list (listEventsByKeyset). */
export function toApiEvent(event: EventForManage | EventSyncRow): ApiEvent {
  const manage = "formValues" in event;
  return {
    id: event.id,
    organizationId: manage ? event.organization.id : event.organizationId,
    status: event.status,
    title: event.title,
    description: event.description,
    slug: event.slug,
    timezone: event.timezone,
    startsAt: iso(event.startsAt),
    endsAt: isoOrNull(event.endsAt),
    locationType: event.locationType,
    locationAddress: event.locationAddress,
    locationUrl: event.locationUrl,
    groupId: manage ? (event.group?.id ?? null) : event.groupId,
    participantsVisibility: event.participantsVisibility,
    remindersEnabled: manage ? event.formValues.remindersEnabled : event.remindersEnabled,
    settings: toApiSettings(readEventSettings(event.settings)),
    publicUrl: eventPublicUrl(event.organization.slug, event.slug),
    publishedAt: isoOrNull(event.publishedAt),
    cancelledAt: isoOrNull(event.cancelledAt),
    cancellationReason: event.cancellationReason,
    completedAt: isoOrNull(event.completedAt),
    createdAt: iso(event.createdAt),
    updatedAt: iso(event.updatedAt),
  };
}

const registrationFieldInput = z.strictObject({
  key: text(),
  label: text(),
  type: z.enum(["text", "select", "checkbox"], INVALID),
  required: bool().optional(),
  options: z.array(text(), INVALID).optional(),
});

const eventSettingsInput = z
  .strictObject({
    registrationFields: z.array(registrationFieldInput, INVALID).optional(),
    allowGuests: bool().optional(),
    waitlistOfferMinutes: int().optional(),
    cancelUnpaidPrepayments: bool().optional(),
    refundPolicy: z.strictObject({ untilHoursBeforeStart: int().optional(), percent: int().optional() }).optional(),
  })
  .meta({ description: "Given keys replace the current ones; keys left out keep their values (defaults on creation)." });

const eventFields = {
  title: z.string({ error: "events.validation.titleRequired" }).meta({ description: "1–255 characters." }),
  description: text().nullable().optional().meta({ description: "Markdown, ≤ 10,000 characters." }),
  timezone: text().optional().meta({ description: "IANA zone (default Europe/Moscow); the event's pages show local times in it." }),
  startsAt: isoTimeInput,
  endsAt: isoTimeInput.nullable().optional(),
  locationType: z.enum(locationType.options, INVALID).optional().meta({ description: "Default OFFLINE. ONLINE and HYBRID need locationUrl; OFFLINE and HYBRID need locationAddress." }),
  locationAddress: text().nullable().optional(),
  locationUrl: text().nullable().optional(),
  groupId: text().nullable().optional().meta({ format: "uuid", description: "A group of the organization: a private event." }),
  participantsVisibility: z.enum(participantsVisibility.options, INVALID).optional(),
  remindersEnabled: bool().optional(),
  settings: eventSettingsInput.optional(),
  slug: text().optional().meta({ description: "Default: from the title." }),
};

export const createEventBody = z.strictObject(eventFields).meta({ id: "EventCreate" });
export const updateEventBody = z
  .strictObject({ ...eventFields, title: eventFields.title.optional(), startsAt: isoTimeInput.optional() })
  .meta({ id: "EventUpdate", description: "Only the fields given change." });
export const cancelEventBody = z.strictObject({ reason: text().meta({ description: "1–1000 characters; participants see it." }) }).meta({ id: "EventCancel" });

/** An instant the API got → the local date-time in `timeZone` the services take ("2027-03-15T19:00"). */
export function localTimeOf(value: string, timeZone: string): string {
  return toLocalDateTimeString(new Date(value), timeZone);
}

/** Merges given settings over the current ones (the service validates the result). */
function mergedSettings(given: z.output<typeof eventSettingsInput> | undefined, current: EventSettings | undefined) {
  if (!given) return undefined;
  return { ...(current ?? {}), ...given } as never;
}

/** The body of create / update → the service's EventInput (times local to the event's zone). */
export function toEventInput(
  body: Partial<z.output<typeof createEventBody>>,
  current?: { timezone: string; settings: EventSettings },
): Record<string, unknown> {
  const timeZone = body.timezone?.trim() || current?.timezone || "Europe/Moscow";
  const { startsAt, endsAt, settings, ...rest } = body;
  const out: Record<string, unknown> = { ...rest };
  if (startsAt !== undefined) out.startsAt = localTimeOf(startsAt, timeZone);
  if (endsAt !== undefined) out.endsAt = endsAt === null ? null : localTimeOf(endsAt, timeZone);
  if (settings !== undefined) out.settings = mergedSettings(settings, current?.settings);
  return out;
}

// ── ticket types ───────────────────────────────────────────────────────────────────────────────────

export const apiTicketType = z
  .strictObject({
    id: uuid,
    eventId: uuid,
    name: z.string(),
    description: z.string().nullable(),
    priceCents: z.number().int().meta({ description: "Minor units; 0 = free." }),
    currency,
    quantity: z.number().int().nullable().meta({ description: "Seats; null = unlimited." }),
    soldCount: z.number().int(),
    reservedCount: z.number().int(),
    available: z.number().int().nullable().meta({ description: "Seats nobody holds now; null = unlimited." }),
    registrationCount: z.number().int(),
    reservationMinutes: z.number().int().nullable(),
    prepaymentPercent: z.number().int().nullable(),
    salesStart: isoTime.nullable(),
    salesEnd: isoTime.nullable(),
    sortOrder: z.number().int(),
    isActive: z.boolean(),
    isHidden: z.boolean().meta({ description: "Not on public pages; sold only with a promo code naming it." }),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: "TicketType" });
export type ApiTicketType = z.input<typeof apiTicketType>;

export function toApiTicketType(t: TicketTypeView): ApiTicketType {
  return {
    id: t.id,
    eventId: t.eventId,
    name: t.name,
    description: t.description,
    priceCents: t.priceCents,
    currency: t.currency,
    quantity: t.quantity,
    soldCount: t.soldCount,
    reservedCount: t.reservedCount,
    available: t.available,
    registrationCount: t.registrationCount,
    reservationMinutes: t.reservationMinutes,
    prepaymentPercent: t.prepaymentPercent,
    salesStart: isoOrNull(t.salesStart),
    salesEnd: isoOrNull(t.salesEnd),
    sortOrder: t.sortOrder,
    isActive: t.isActive,
    isHidden: t.isHidden,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

const ticketTypeFields = {
  name: text().meta({ description: "1–100 characters." }),
  description: text().nullable().optional(),
  priceCents: int().min(0, INVALID).optional().meta({ description: "Minor units; default 0 (free)." }),
  currency: z.enum(currency.options, INVALID).optional().meta({ description: "Default RUB." }),
  quantity: int().nullable().optional().meta({ description: "Seats; null = unlimited. Never below the seats taken." }),
  reservationMinutes: int().nullable().optional().meta({ description: "Paid types: minutes a booking is held before payment (5–1440)." }),
  prepaymentPercent: int().nullable().optional().meta({ description: "Paid types: share paid up front (1–99)." }),
  salesStart: isoTimeInput.nullable().optional(),
  salesEnd: isoTimeInput.nullable().optional(),
  sortOrder: int().optional(),
  isActive: bool().optional(),
  isHidden: bool().optional(),
};

export const createTicketTypeBody = z.strictObject(ticketTypeFields).meta({ id: "TicketTypeCreate" });
export const updateTicketTypeBody = z
  .strictObject({ ...ticketTypeFields, name: ticketTypeFields.name.optional() })
  .meta({ id: "TicketTypeUpdate", description: "Only the fields given change." });

/** The body → the service's TicketTypeInput (price in major units, the sales window local to the event's zone). */
export function toTicketTypeInput(body: Partial<z.output<typeof createTicketTypeBody>>, timeZone: string): Record<string, unknown> {
  const { priceCents, salesStart, salesEnd, ...rest } = body;
  const out: Record<string, unknown> = { ...rest };
  if (priceCents !== undefined) out.price = (priceCents / 100).toFixed(2);
  if (salesStart !== undefined) out.salesStart = salesStart === null ? null : localTimeOf(salesStart, timeZone);
  if (salesEnd !== undefined) out.salesEnd = salesEnd === null ? null : localTimeOf(salesEnd, timeZone);
  return out;
}

// ── promo codes ────────────────────────────────────────────────────────────────────────────────────

export const apiPromoCode = z
  .strictObject({
    id: uuid,
    eventId: uuid,
    code: z.string(),
    discountKind: z.enum(["PERCENT", "FIXED"]),
    discountValue: z.number().int().meta({ description: "PERCENT: whole percent 1–100; FIXED: minor units of `currency`." }),
    currency: currency.nullable().meta({ description: "FIXED only." }),
    ticketTypeId: uuid.nullable().meta({ description: "null = every ticket type of the event." }),
    usageLimit: z.number().int().nullable(),
    usedCount: z.number().int(),
    validFrom: isoTime.nullable(),
    validUntil: isoTime.nullable(),
    isActive: z.boolean(),
    state: z.enum(["active", "inactive", "notYetValid", "expired", "usedUp"]),
    createdAt: isoTime,
  })
  .meta({ id: "PromoCode" });
export type ApiPromoCode = z.input<typeof apiPromoCode>;

export function toApiPromoCode(p: PromoCodeItem, eventId: string): ApiPromoCode {
  return {
    id: p.id,
    eventId,
    code: p.code,
    discountKind: p.discountKind,
    discountValue: p.discountValue,
    currency: p.currency,
    ticketTypeId: p.ticketTypeId,
    usageLimit: p.usageLimit,
    usedCount: p.usedCount,
    validFrom: isoOrNull(p.validFrom),
    validUntil: isoOrNull(p.validUntil),
    isActive: p.isActive,
    state: p.state,
    createdAt: iso(p.createdAt),
  };
}

export const createPromoCodeBody = z
  .strictObject({
    code: text().meta({ description: "3–32 of A–Z, 0–9, `_`, `-` (upper-cased)." }),
    discountKind: z.enum(["PERCENT", "FIXED"], INVALID),
    discountValue: int().min(1, INVALID).meta({ description: "PERCENT: 1–100; FIXED: minor units." }),
    currency: z.enum(currency.options, INVALID).optional().meta({ description: "FIXED for the whole event: the currency (default: that of the event's paid types)." }),
    ticketTypeId: text().nullable().optional().meta({ format: "uuid", description: "Only this ticket type; default every type." }),
    usageLimit: int().min(1, INVALID).nullable().optional(),
    validFrom: isoTimeInput.nullable().optional(),
    validUntil: isoTimeInput.nullable().optional(),
  })
  .meta({ id: "PromoCodeCreate" });

/** The body → the service's form input (strings; the window local to the event's zone). */
export function toPromoCodeInput(eventId: string, body: z.output<typeof createPromoCodeBody>, timeZone: string) {
  return {
    eventId,
    code: body.code,
    discountKind: body.discountKind,
    discountValue: body.discountKind === "FIXED" ? (body.discountValue / 100).toFixed(2) : String(body.discountValue),
    currency: body.currency ?? null,
    ticketTypeId: body.ticketTypeId ?? "",
    usageLimit: body.usageLimit ? String(body.usageLimit) : "",
    validFrom: body.validFrom ? localTimeOf(body.validFrom, timeZone) : "",
    validUntil: body.validUntil ? localTimeOf(body.validUntil, timeZone) : "",
  };
}
