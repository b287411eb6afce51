// Events (F15, F17): create, edit, read for the dashboard, list, soft-delete. The lifecycle
// (publish, cancel, …) is in lifecycle.ts, ticket types in ticket-types.ts. Decisions: docs/events.md.
//
// - Authorization: `events.manage` / `events.view` through lib/permissions (OWNER and MODERATOR; a
//   platform admin acts as MODERATOR). Another organization's event is NOT_FOUND; no actor is
//   UNAUTHENTICATED.
// - Times are typed in the event's time zone and stored in UTC (lib/events/time.ts).
// - Slug: from the title, unique per organization among non-deleted events; a collision takes the next
//   "-2", "-3"… The insert is ON CONFLICT DO NOTHING, so a parallel create that took the same slug
//   never aborts the transaction: we pick again. An explicit slug that is taken is a field error.
// - Every change writes an audit row (entity "event") with `{ field: { from, to } }` of the fields
//   that changed, in the same transaction.
// - `event.changed` goes out only when the date, time or place changed (startsAt, endsAt, timezone,
//   locationType, locationAddress, locationUrl), once per edit (dedupe key carries the audit row id),
//   to participants with an account and an active registration (RESERVED, PENDING, CONFIRMED). The
//   original sent it on every edit (§8 item 7).
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, onPrisma, type DbClient, withTransaction } from "@/lib/db";
import { uniqueViolation } from "@/lib/errors";
import type { EventStatus, LocationType, ParticipantsVisibility, Prisma, RegistrationStatus } from "@/lib/generated/prisma/client";
import { MEDIA_WITH_VARIANTS_SELECT, type MediaWithVariants } from "@/lib/media/urls";
import { noWayToPayKey, unpayableCurrencies } from "@/lib/payments/guard";
import { dateVar, notify } from "@/lib/notifications";
import { noticeRecipient, ticketUrlOf } from "@/lib/registrations/recipients";
import { isUuid } from "@/lib/validation/ids";
import { authorizeEvent, authorizeOrganization, roleCan, type Actor } from "@/lib/permissions";
import {
  eventSchema,
  listEventsQuerySchema,
  readEventSettings,
  type EventInput,
  type EventListWhen,
  type EventSettings,
} from "@/lib/validation/events";
import {
  assertEditable,
  conflict,
  diff,
  eventLocationText,
  eventPublicUrl,
  notFound,
  parseOrThrow,
  textsFor,
  validationError,
  } from "./shared";
import { eventSlugBase, firstFreeSlug, randomSlugSuffix, slugCandidatesPrefix } from "./slug";
import {
  DEFAULT_EVENT_DURATION_MS,
  DELETABLE_EVENT_STATUSES,
  EDITABLE_EVENT_STATUSES,
  EVENT_PARTICIPANT_STATUSES,
  availableActions,
  type EventAction,
} from "./status";
import { computeAvailability, type SeatCounts } from "./seats";
import { seatCountsByType } from "./seats-sql";
import { toLocalDateTimeString } from "./time";

// ───────────────────────────── fields ─────────────────────────────

/** Fields the event form edits (and the audit diff covers). */
export const EVENT_EDITABLE_FIELDS = [
  "title",
  "description",
  "timezone",
  "startsAt",
  "endsAt",
  "locationType",
  "locationAddress",
  "locationUrl",
  "groupId",
  "coverImageId",
  "participantsVisibility",
  "remindersEnabled",
  "settings",
  "slug",
] as const;
type EditableField = (typeof EVENT_EDITABLE_FIELDS)[number];

/** A change of any of these is "the date, time or place changed": participants get `event.changed`. */
export const EVENT_DATE_FIELDS = ["startsAt", "endsAt", "timezone"] as const;
export const EVENT_PLACE_FIELDS = ["locationType", "locationAddress", "locationUrl"] as const;
export const EVENT_NOTIFY_FIELDS: readonly EditableField[] = [...EVENT_DATE_FIELDS, ...EVENT_PLACE_FIELDS];

const eventRowSelect = {
  id: true,
  organizationId: true,
  organizerId: true,
  status: true,
  title: true,
  description: true,
  timezone: true,
  startsAt: true,
  endsAt: true,
  locationType: true,
  locationAddress: true,
  locationUrl: true,
  groupId: true,
  participantsVisibility: true,
  remindersEnabled: true,
  settings: true,
  slug: true,
  coverImageId: true,
  publishedAt: true,
  cancelledAt: true,
  cancellationReason: true,
  completedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.EventSelect;
type EventRow = Prisma.EventGetPayload<{ select: typeof eventRowSelect }>;

/** What the event form holds: strings as typed, local times in the event's zone. */
export type EventFormValues = {
  title: string;
  description: string;
  timezone: string;
  startsAt: string;
  endsAt: string;
  locationType: LocationType;
  locationAddress: string;
  locationUrl: string;
  groupId: string;
  /** Media id of the cover, "" = none. */
  coverImageId: string;
  participantsVisibility: ParticipantsVisibility;
  /** The 24-hour and the morning reminder to participants. */
  remindersEnabled: boolean;
  settings: EventSettings;
  slug: string;
};

/** The form's values for an existing event (local times in its zone): defaults of the edit form. */
export function eventToFormValues(event: Pick<EventRow, EditableField>): EventFormValues {
  return {
    title: event.title,
    description: event.description ?? "",
    timezone: event.timezone,
    startsAt: toLocalDateTimeString(event.startsAt, event.timezone),
    endsAt: event.endsAt ? toLocalDateTimeString(event.endsAt, event.timezone) : "",
    locationType: event.locationType,
    locationAddress: event.locationAddress ?? "",
    locationUrl: event.locationUrl ?? "",
    groupId: event.groupId ?? "",
    coverImageId: event.coverImageId ?? "",
    participantsVisibility: event.participantsVisibility,
    remindersEnabled: event.remindersEnabled,
    settings: readEventSettings(event.settings),
    slug: event.slug,
  };
}

async function assertGroupOfOrganization(tx: DbClient, groupId: string, organizationId: string): Promise<void> {
  const group = await tx.group.findFirst({ where: { id: groupId, organizationId }, select: { id: true } });
  if (!group) throw validationError({ groupId: "events.validation.groupNotFound" });
}

/** A cover must be an upload of the same organization that is not deleted (another tenant's id is "not found"). */
/**
 * The cover must be a live upload of this organization. The check is a write (it touches the media
 * row), so the row stays locked until this transaction commits: the unreferenced-upload cleanup
 * (lib/media/cleanup.ts, SKIP LOCKED + re-check) can never delete a cover being attached.
 */
async function assertCoverOfOrganization(tx: DbClient, mediaId: string, organizationId: string): Promise<void> {
  const { count } = await tx.media.updateMany({
    where: { id: mediaId, organizationId, deletedAt: null, status: { in: ["UPLOADING", "READY"] } },
    data: { updatedAt: new Date() },
  });
  if (count === 0) throw validationError({ coverImageId: "events.validation.coverNotFound" });
}

// ───────────────────────────── create ─────────────────────────────

export type CreatedEvent = { id: string; slug: string; organizationId: string };

const MAX_SLUG_ATTEMPTS = 5;

/**
 * Creates a DRAFT event in the organization (`events.manage`); the actor is its organizer.
 * Errors: UNAUTHENTICATED; NOT_FOUND (organization unknown or not the actor's); VALIDATION with field
 * errors (`slug`: events.validation.slugTaken when an explicit slug is used by another event).
 */
export async function createEvent(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  input: EventInput;
  tx?: DbClient;
}): Promise<CreatedEvent> {
  return withTransaction(options.tx, async (tx) => {
    const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "events.manage", tx });
    const data = parseOrThrow(eventSchema, options.input);
    const organizationId = access.organization.id;
    if (data.groupId) await assertGroupOfOrganization(tx, data.groupId, organizationId);
    if (data.coverImageId) await assertCoverOfOrganization(tx, data.coverImageId, organizationId);

    const row = {
      organizationId,
      organizerId: access.actor.userId,
      status: "DRAFT" as const,
      title: data.title,
      description: data.description,
      timezone: data.timezone,
      startsAt: data.startsAt,
      endsAt: data.endsAt,
      locationType: data.locationType,
      locationAddress: data.locationAddress,
      locationUrl: data.locationUrl,
      groupId: data.groupId,
      coverImageId: data.coverImageId ?? null,
      participantsVisibility: data.participantsVisibility,
      remindersEnabled: data.remindersEnabled,
      settings: data.settings as Prisma.InputJsonObject,
    };
    // ON CONFLICT DO NOTHING: a taken slug inserts nothing and does not abort the transaction.
    const insert = async (slug: string) => {
      const [created] = await tx.event.createManyAndReturn({ data: [{ ...row, slug }], skipDuplicates: true, select: { id: true, slug: true } });
      return created;
    };

    let created: { id: string; slug: string } | undefined;
    if (data.slug) {
      created = await insert(data.slug);
      if (!created) throw validationError({ slug: "events.validation.slugTaken" });
    } else {
      const base = eventSlugBase(data.title);
      for (let attempt = 1; !created && attempt <= MAX_SLUG_ATTEMPTS; attempt++) {
        const taken = await tx.event.findMany({
          where: { organizationId, deletedAt: null, slug: { startsWith: slugCandidatesPrefix(base) } },
          select: { slug: true },
        });
        created = await insert(firstFreeSlug(base, new Set(taken.map((e) => e.slug))));
      }
      while (!created) created = await insert(randomSlugSuffix(base));
    }

    await writeAudit(tx, {
      organizationId,
      actorId: access.actor.userId,
      entityType: "event",
      entityId: created.id,
      action: "event.created",
      changes: {
        status: { from: null, to: "DRAFT" },
        ...diff({} as Record<EditableField, unknown>, { ...row, slug: created.slug } as Record<EditableField, unknown>, EVENT_EDITABLE_FIELDS),
      },
    });
    return { id: created.id, slug: created.slug, organizationId };
  });
}

// ───────────────────────────── update ─────────────────────────────

export type UpdatedEvent = {
  id: string;
  slug: string;
  /** The fields that changed (empty when the edit changed nothing: no audit row, no message). */
  changed: string[];
  /** Participants told about a date/place change (0 when none changed). */
  notified: number;
};

const defined = (input: object) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

/**
 * Edits a DRAFT or PUBLISHED event (`events.manage`). `input` may be partial: fields left out keep
 * their values (the form sends all of them). Times are local to the (new) time zone; a time zone
 * change with the local times left out keeps the wall-clock times ("19:00") in the new zone.
 * A published event cannot be moved into the past.
 * Errors: UNAUTHENTICATED; NOT_FOUND; CONFLICT events.errors.notEditable (cancelled / completed);
 * VALIDATION with field errors.
 */
export async function updateEvent(options: {
  actor: Actor | null | undefined;
  eventId: string;
  input: Partial<EventInput>;
  now?: Date;
  tx?: DbClient;
}): Promise<UpdatedEvent> {
  const now = options.now ?? new Date();
  return withTransaction(
    options.tx,
    async (tx) => {
      const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.manage", tx });
      const eventId = access.event.id;
      // Edits of one event run one after the other, so each diff is against what the previous one wrote.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM events WHERE id = ${eventId}::uuid AND deleted_at IS NULL FOR UPDATE`;
      if (locked.length === 0) throw notFound();
      const current = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { ...eventRowSelect, organization: { select: { slug: true } } } });
      assertEditable(current.status);

      const input = defined(options.input ?? {}) as Partial<EventInput>;
      const { slug: currentSlug, ...currentValues } = eventToFormValues(current);
      const data = parseOrThrow(eventSchema, { ...currentValues, ...input });
      // Times not in the input keep their exact instants (a form round trip never shifts them).
      const timesGiven = "startsAt" in input || "endsAt" in input || "timezone" in input;
      const next: Record<EditableField, unknown> = {
        title: data.title,
        description: data.description,
        timezone: data.timezone,
        startsAt: timesGiven ? data.startsAt : current.startsAt,
        endsAt: timesGiven ? data.endsAt : current.endsAt,
        locationType: data.locationType,
        locationAddress: data.locationAddress,
        locationUrl: data.locationUrl,
        groupId: data.groupId,
        coverImageId: data.coverImageId === undefined ? current.coverImageId : data.coverImageId,
        participantsVisibility: data.participantsVisibility,
        remindersEnabled: data.remindersEnabled,
        settings: data.settings,
        slug: data.slug ?? currentSlug,
      };
      const before: Record<EditableField, unknown> = { ...current, settings: readEventSettings(current.settings) };
      const changes = diff(before, next, EVENT_EDITABLE_FIELDS);
      const changed = Object.keys(changes);
      if (changed.length === 0) return { id: eventId, slug: current.slug, changed, notified: 0 };

      if (changes.startsAt && current.status === "PUBLISHED" && (next.startsAt as Date).getTime() <= now.getTime()) {
        throw validationError({ startsAt: "events.validation.startsInPast" });
      }
      if (changes.groupId && next.groupId) await assertGroupOfOrganization(tx, next.groupId as string, current.organizationId);
      if (changes.coverImageId && next.coverImageId) await assertCoverOfOrganization(tx, next.coverImageId as string, current.organizationId);
      if (changes.slug) {
        const taken = await tx.event.findFirst({
          where: { organizationId: current.organizationId, slug: next.slug as string, deletedAt: null, id: { not: eventId } },
          select: { id: true },
        });
        if (taken) throw validationError({ slug: "events.validation.slugTaken" });
      }

      try {
        await tx.event.update({
          where: { id: eventId },
          data: {
            title: next.title as string,
            description: next.description as string | null,
            timezone: next.timezone as string,
            startsAt: next.startsAt as Date,
            endsAt: next.endsAt as Date | null,
            locationType: next.locationType as LocationType,
            locationAddress: next.locationAddress as string | null,
            locationUrl: next.locationUrl as string | null,
            groupId: next.groupId as string | null,
            coverImageId: next.coverImageId as string | null,
            participantsVisibility: next.participantsVisibility as ParticipantsVisibility,
            remindersEnabled: next.remindersEnabled as boolean,
            settings: next.settings as Prisma.InputJsonObject,
            slug: next.slug as string,
          },
        });
      } catch (e) {
        // A parallel create / rename took the slug between the check and the write.
        if (uniqueViolation(e) === "events_tenant_slug_active_key") throw validationError({ slug: "events.validation.slugTaken" });
        throw e;
      }

      const auditId = await writeAudit(tx, {
        organizationId: current.organizationId,
        actorId: access.actor.userId,
        entityType: "event",
        entityId: eventId,
        action: "event.updated",
        changes,
      });

      let notified = 0;
      const dateChanged = EVENT_DATE_FIELDS.some((f) => changes[f]);
      const placeChanged = EVENT_PLACE_FIELDS.some((f) => changes[f]);
      if (dateChanged || placeChanged) {
        notified = await notifyEventChanged(tx, {
          auditId,
          event: {
            id: eventId,
            title: next.title as string,
            startsAt: next.startsAt as Date,
            timezone: next.timezone as string,
            locationType: next.locationType as LocationType,
            locationAddress: next.locationAddress as string | null,
            slug: next.slug as string,
            organizationSlug: current.organization.slug,
          },
          dateChanged,
          placeChanged,
        });
      }
      return { id: eventId, slug: next.slug as string, changed, notified };
    },
    // A large event writes a notification per participant.
    "long",
  );
}

/**
 * `event.changed` to every participant — a user by the routing rule, a guest by email in the
 * registration's language; one message per participant, edit and channel (the dedupe key).
 */
async function notifyEventChanged(
  tx: Prisma.TransactionClient,
  args: {
    auditId: string;
    event: {
      id: string;
      title: string;
      startsAt: Date;
      timezone: string;
      locationType: LocationType;
      locationAddress: string | null;
      slug: string;
      organizationSlug: string;
    };
    dateChanged: boolean;
    placeChanged: boolean;
  },
): Promise<number> {
  const { event } = args;
  const registrations = await tx.$queryRaw<{ id: string; user_id: string | null; email: string | null; first_name: string; locale: "RU" | "EN" }[]>`
    SELECT r.id, r.user_id, r.email, coalesce(u.first_name, r.first_name) AS first_name, coalesce(u.locale, r.locale)::text AS locale
      FROM registrations r
      LEFT JOIN users u ON u.id = r.user_id
     WHERE r.event_id = ${event.id}::uuid AND r.status::text = ANY(${[...EVENT_PARTICIPANT_STATUSES]}::text[])
       AND (u.deleted_at IS NULL AND u.id IS NOT NULL OR r.user_id IS NULL AND r.email IS NOT NULL)
     ORDER BY r.created_at`;
  const eventUrl = eventPublicUrl(event.organizationSlug, event.slug);
  let notified = 0;
  for (const registration of registrations) {
    const to = noticeRecipient({ id: registration.id, userId: registration.user_id, email: registration.email, locale: registration.locale });
    if (!to) continue;
    const t = textsFor(registration.locale).notifications;
    const summary = [args.dateChanged ? t.changedDateTime : null, args.placeChanged ? t.changedVenue : null].filter(Boolean).join(t.changedJoin);
    const result = await notify(tx, {
      ...to,
      templateCode: "event.changed",
      variables: {
        firstName: registration.first_name,
        eventTitle: event.title,
        eventDate: dateVar(event.startsAt, event.timezone),
        eventLocation: eventLocationText(event, registration.locale),
        changeSummary: summary,
        eventUrl,
        ticketUrl: ticketUrlOf({ id: registration.id, userId: registration.user_id }),
      },
      dedupeKey: `event.changed:${event.id}:${args.auditId}:${registration.id}`,
    });
    if (result.created) notified += 1;
  }
  return notified;
}

// ───────────────────────────── read (dashboard) ─────────────────────────────

export type ManagedTicketType = {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: "RUB" | "USD" | "EUR";
  quantity: number | null;
  soldCount: number;
  reservedCount: number;
  /** Seats still for sale (null = unlimited); reservations past their expiry do not count. */
  available: number | null;
  reservationMinutes: number | null;
  prepaymentPercent: number | null;
  salesStart: Date | null;
  salesEnd: Date | null;
  sortOrder: number;
  isActive: boolean;
  registrationCount: number;
  /** False once it has registrations: it can then only be deactivated. */
  canDelete: boolean;
};

export type EventForManage = {
  id: string;
  organization: { id: string; slug: string; name: string };
  status: EventStatus;
  title: string;
  description: string | null;
  timezone: string;
  startsAt: Date;
  endsAt: Date | null;
  locationType: LocationType;
  locationAddress: string | null;
  locationUrl: string | null;
  group: { id: string; name: string } | null;
  participantsVisibility: ParticipantsVisibility;
  settings: EventSettings;
  slug: string;
  coverImageId: string | null;
  /** The cover with its variants (lib/media/urls: mediaSources / mediaDto), null when none. */
  cover: MediaWithVariants | null;
  publishedAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: string | null;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  organizer: { id: string; name: string };
  publicUrl: string;
  /** Values for the edit form (local times in the event's zone). */
  formValues: EventFormValues;
  ticketTypes: ManagedTicketType[];
  registrationCounts: Record<RegistrationStatus, number>;
  /** What the actor may do now (buttons); the services check again. */
  can: { edit: boolean; delete: boolean } & Record<EventAction, boolean>;
  /** Why publishing would be refused now (message keys), empty when it would pass. */
  publishBlockers: string[];
};

/**
 * One event with everything the dashboard's event page needs (`events.view`).
 * Errors: UNAUTHENTICATED; NOT_FOUND (unknown, deleted, another organization's).
 */
export async function getEventForManage(options: { actor: Actor | null | undefined; eventId: string; now?: Date; tx?: DbClient }): Promise<EventForManage> {
  const tx = options.tx ?? db;
  const now = options.now ?? new Date();
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.view", tx });
  const event = await tx.event.findFirst({
    where: { id: access.event.id, deletedAt: null },
    select: {
      ...eventRowSelect,
      group: { select: { id: true, name: true } },
      coverImage: { select: MEDIA_WITH_VARIANTS_SELECT },
      organizer: { select: { id: true, firstName: true, lastName: true } },
      ticketTypes: {
        orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          name: true,
          description: true,
          priceCents: true,
          currency: true,
          quantity: true,
          soldCount: true,
          reservedCount: true,
          reservationMinutes: true,
          prepaymentPercent: true,
          salesStart: true,
          salesEnd: true,
          sortOrder: true,
          isActive: true,
          _count: { select: { registrations: true } },
        },
      },
    },
  });
  if (!event) throw notFound();

  const [byStatus, seats] = await Promise.all([
    tx.registration.groupBy({ by: ["status"], where: { eventId: event.id }, _count: { _all: true } }),
    seatCountsByType(onPrisma(tx), event.id, now),
  ]);
  const registrationCounts: Record<RegistrationStatus, number> = { RESERVED: 0, PENDING: 0, CONFIRMED: 0, CANCELLED: 0, CHECKED_IN: 0, EXPIRED: 0 };
  for (const row of byStatus) registrationCounts[row.status] = row._count._all;

  const manage = roleCan(access.effectiveRole, "events.manage");
  const actions = availableActions(event.status);
  const publishBlockers: string[] = [];
  if (!event.ticketTypes.some((t) => t.isActive)) publishBlockers.push("events.errors.noActiveTicketTypes");
  if (event.startsAt.getTime() <= now.getTime()) publishBlockers.push("events.errors.startsInPast");
  // a paid type on sale needs a way to pay for its currency: the guard of publishEvent, shown before the click
  const paidCurrencies = event.ticketTypes.filter((t) => t.isActive && t.priceCents > 0).map((t) => t.currency);
  for (const currency of await unpayableCurrencies(event.organizationId, paidCurrencies, tx)) publishBlockers.push(noWayToPayKey(currency));
  const activeRegistrations = EVENT_PARTICIPANT_STATUSES.reduce((n, s) => n + registrationCounts[s], 0);

  return {
    id: event.id,
    organization: { id: access.organization.id, slug: access.organization.slug, name: access.organization.name },
    status: event.status,
    title: event.title,
    description: event.description,
    timezone: event.timezone,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    locationType: event.locationType,
    locationAddress: event.locationAddress,
    locationUrl: event.locationUrl,
    group: event.group,
    participantsVisibility: event.participantsVisibility,
    settings: readEventSettings(event.settings),
    slug: event.slug,
    coverImageId: event.coverImageId,
    cover: event.coverImage && event.coverImage.status !== "DELETED" ? event.coverImage : null,
    publishedAt: event.publishedAt,
    cancelledAt: event.cancelledAt,
    cancellationReason: event.cancellationReason,
    completedAt: event.completedAt,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
    organizer: { id: event.organizer.id, name: [event.organizer.firstName, event.organizer.lastName].filter(Boolean).join(" ") },
    publicUrl: eventPublicUrl(access.organization.slug, event.slug),
    formValues: eventToFormValues(event),
    ticketTypes: event.ticketTypes.map(({ _count, ...t }) => ({
      ...t,
      available: seatsAvailable(seats.get(t.id)),
      registrationCount: _count.registrations,
      canDelete: _count.registrations === 0,
    })),
    registrationCounts,
    can: {
      edit: manage && EDITABLE_EVENT_STATUSES.includes(event.status),
      delete:
        manage &&
        DELETABLE_EVENT_STATUSES.includes(event.status) &&
        !(event.status === "DRAFT" && activeRegistrations > 0),
      publish: manage && actions.includes("publish") && publishBlockers.length === 0,
      unpublish: manage && actions.includes("unpublish"),
      cancel: manage && actions.includes("cancel"),
      complete: manage && actions.includes("complete") && event.startsAt.getTime() <= now.getTime(),
    },
    publishBlockers: actions.includes("publish") ? publishBlockers : [],
  };
}

/** Seats nobody holds of a type (computeAvailability, lib/events/seats.ts); null = unlimited or unknown. */
export function seatsAvailable(counts: SeatCounts | undefined): number | null {
  return counts ? computeAvailability(counts).available : null;
}

// ───────────────────────────── list ─────────────────────────────

export type EventListItem = {
  id: string;
  title: string;
  slug: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date | null;
  timezone: string;
  locationType: LocationType;
  locationAddress: string | null;
  group: { id: string; name: string } | null;
  /** RESERVED + PENDING + CONFIRMED + CHECKED_IN. */
  registrationCount: number;
  /** Sum of the ticket types' quantities; null when any type is unlimited (or there is none). */
  capacity: number | null;
  publishedAt: Date | null;
};

export type EventList = { items: EventListItem[]; page: number; pageSize: number; total: number; totalPages: number; when: EventListWhen };

/**
 * An organization's events (`events.view`), paged. `when`: "upcoming" — not over yet (end, or start +
 * 6 h without an end, still ahead), soonest first; "past" — over, latest first; "all" — latest first.
 */
export async function listEvents(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  status?: EventStatus;
  when?: EventListWhen;
  /** Text in the title (case-insensitive). */
  q?: string;
  page?: number;
  pageSize?: number;
  now?: Date;
  tx?: DbClient;
}): Promise<EventList> {
  const tx = options.tx ?? db;
  const now = options.now ?? new Date();
  const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "events.view", tx });
  const query = parseOrThrow(listEventsQuerySchema, { status: options.status, when: options.when, q: options.q, page: options.page, pageSize: options.pageSize });
  const notOver: Prisma.EventWhereInput = {
    OR: [{ endsAt: { gt: now } }, { endsAt: null, startsAt: { gt: new Date(now.getTime() - DEFAULT_EVENT_DURATION_MS) } }],
  };
  const over: Prisma.EventWhereInput = {
    OR: [{ endsAt: { lte: now } }, { endsAt: null, startsAt: { lte: new Date(now.getTime() - DEFAULT_EVENT_DURATION_MS) } }],
  };
  const where: Prisma.EventWhereInput = {
    organizationId: access.organization.id,
    deletedAt: null,
    ...(query.status ? { status: query.status } : {}),
    ...(query.q ? { title: { contains: query.q, mode: "insensitive" as const } } : {}),
    ...(query.when === "upcoming" ? notOver : query.when === "past" ? over : {}),
  };
  const orderBy: Prisma.EventOrderByWithRelationInput[] =
    query.when === "upcoming" ? [{ startsAt: "asc" }, { id: "asc" }] : [{ startsAt: "desc" }, { id: "asc" }];
  const [total, rows] = await Promise.all([
    tx.event.count({ where }),
    tx.event.findMany({
      where,
      orderBy,
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: {
        id: true,
        title: true,
        slug: true,
        status: true,
        startsAt: true,
        endsAt: true,
        timezone: true,
        locationType: true,
        locationAddress: true,
        publishedAt: true,
        group: { select: { id: true, name: true } },
        ticketTypes: { select: { quantity: true } },
        _count: { select: { registrations: { where: { status: { in: [...EVENT_PARTICIPANT_STATUSES, "CHECKED_IN"] } } } } },
      },
    }),
  ]);
  return {
    items: rows.map(({ ticketTypes, _count, ...e }) => ({
      ...e,
      registrationCount: _count.registrations,
      capacity: ticketTypes.length && ticketTypes.every((t) => t.quantity !== null) ? ticketTypes.reduce((n, t) => n + (t.quantity ?? 0), 0) : null,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
    totalPages: Math.max(1, Math.ceil(total / query.pageSize)),
    when: query.when,
  };
}

// ───────────────────────────── soft delete ─────────────────────────────

/**
 * Soft-deletes a DRAFT or CANCELLED event (`events.manage`); its slug becomes free again. A draft
 * that still has active registrations (it was unpublished after people registered) must be
 * cancelled first, so nobody keeps a ticket to an event that vanished.
 * Errors: UNAUTHENTICATED; NOT_FOUND; CONFLICT events.errors.cannotDelete / hasActiveRegistrations.
 */
export async function softDeleteEvent(options: { actor: Actor | null | undefined; eventId: string; now?: Date; tx?: DbClient }): Promise<{ id: string }> {
  const now = options.now ?? new Date();
  return withTransaction(options.tx, async (tx) => {
    const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.manage", tx });
    const eventId = access.event.id;
    const current = await tx.event.findUnique({ where: { id: eventId }, select: { status: true } });
    if (!current) throw notFound();
    if (!DELETABLE_EVENT_STATUSES.includes(current.status)) throw conflict("cannotDelete");
    // Compare-and-set on the status read: a publish in between makes this a conflict, not a deletion.
    const { count } = await tx.event.updateMany({ where: { id: eventId, status: current.status, deletedAt: null }, data: { deletedAt: now } });
    if (count === 0) throw conflict("statusChanged");
    const active = await tx.registration.count({ where: { eventId, status: { in: [...EVENT_PARTICIPANT_STATUSES] } } });
    if (active > 0) throw conflict("hasActiveRegistrations");
    await writeAudit(tx, {
      organizationId: access.event.organizationId,
      actorId: access.actor.userId,
      entityType: "event",
      entityId: eventId,
      action: "event.deleted",
      changes: { deletedAt: { from: null, to: now.toISOString() } },
    });
    return { id: eventId };
  });
}

// ───────────────────────────── revalidation reference ─────────────────────────────

/**
 * The slugs that name an event's public page, for the entry points to revalidate it after a
 * mutation has committed (also for a deleted event). No authorization: it returns public URL parts
 * only and is called after an authorized service. null for an unknown id.
 */
export async function eventPublicRef(eventId: string, tx: DbClient = db): Promise<{ organizationSlug: string; slug: string } | null> {
  if (!isUuid(eventId)) return null;
  const row = await tx.event.findUnique({ where: { id: eventId }, select: { slug: true, organization: { select: { slug: true } } } });
  return row ? { organizationSlug: row.organization.slug, slug: row.slug } : null;
}

// ───────────────────────────── keyset list (REST API, sync) ─────────────────────────────

/** One event as the REST API lists it (lib/api/v1 toApiEvent). */
export type EventSyncRow = EventRow & { organization: { slug: string } };

/**
 * An organization's events page by page with a keyset (`events.view`), for the REST API: by
 * (createdAt, id) — stable while events change —, or with `updatedSince` by (updatedAt, id) and only
 * the events changed at or after that time (a sync client keeps the last updatedAt it saw). `after` is
 * the (time, id) of the last row of the previous page; returns up to `take` rows (ask for one more than
 * a page to know whether another follows).
 * Errors: UNAUTHENTICATED; NOT_FOUND (organization unknown or another tenant's); FORBIDDEN.
 */
export async function listEventsByKeyset(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  status?: EventStatus;
  updatedSince?: Date;
  after?: { at: Date; id: string } | null;
  take: number;
  tx?: DbClient;
}): Promise<EventSyncRow[]> {
  const tx = options.tx ?? db;
  const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "events.view", tx });
  const byUpdate = options.updatedSince !== undefined;
  const key = byUpdate ? ("updatedAt" as const) : ("createdAt" as const);
  const after = options.after;
  const where: Prisma.EventWhereInput = {
    organizationId: access.organization.id,
    deletedAt: null,
    ...(options.status ? { status: options.status } : {}),
    ...(byUpdate ? { updatedAt: { gte: options.updatedSince } } : {}),
    ...(after ? { OR: [{ [key]: { gt: after.at } }, { [key]: after.at, id: { gt: after.id } }] } : {}),
  };
  return tx.event.findMany({
    where,
    orderBy: [{ [key]: "asc" }, { id: "asc" }],
    take: Math.max(1, Math.min(options.take, 1000)),
    select: { ...eventRowSelect, organization: { select: { slug: true } } },
  });
}
