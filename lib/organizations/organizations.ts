// Organizations: the dashboard's view of one organization, editing, soft deletion (which cancels the
// upcoming events and their registrations), the switcher list and the public organization page.
//
// The organization always comes from the URL (`/dashboard/o/<slug>/…`, or an id in an API route),
// never from the session, and every service authorizes it itself through lib/permissions: no actor →
// UNAUTHENTICATED; unknown, deleted or not a member → NOT_FOUND; a role without the permission →
// FORBIDDEN. Layouts authorizing the same slug are a convenience, not the check.
import "server-only";
import { writeAudit, writeAudits, type AuditEntry } from "@/lib/audit";
import { db, type DbClient, withTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { EventStatus, OrganizationRole, Prisma } from "@/lib/generated/prisma/client";
import { en as areaEn, ru as areaRu } from "@/lib/i18n/messages/areas/organizations";
import { cancelEventParticipants } from "@/lib/events";
import { publicEventPath } from "@/lib/events/paths";
import {
  authorizeOrganization,
  authorizeOrganizationBySlug,
  requireActor,
  roleCan,
  type Actor,
  type OrganizationAccess,
  type OrgPermission,
} from "@/lib/permissions";
import {
  organizationDeleteSchema,
  organizationUpdateSchema,
  readOrganizationSettings,
  type OrganizationDeleteInput,
  type OrganizationSettings,
  type OrganizationUpdateInput,
} from "@/lib/validation/organizations";
import { fieldErrorsOf } from "@/lib/validation/identity";

// ───────────────────────────── shared helpers ─────────────────────────────

/** Which organization a call is about: the id (API routes, jobs) or the slug of the URL (pages). */
export type OrganizationRef = { organizationId: string; slug?: undefined } | { slug: string; organizationId?: undefined };

export function authorizeOrganizationRef(
  actor: Actor | null | undefined,
  ref: OrganizationRef,
  permission: OrgPermission,
  tx?: DbClient,
): Promise<OrganizationAccess> {
  return ref.organizationId !== undefined
    ? authorizeOrganization({ actor, organizationId: ref.organizationId, permission, tx })
    : authorizeOrganizationBySlug({ actor, slug: String(ref.slug ?? ""), permission, tx });
}

export const organizationDashboardPath = (slug: string) => `/dashboard/o/${slug}`;
export const organizationPublicPath = (slug: string) => `/o/${slug}`;

/** Why a deleted organization's upcoming events were cancelled (stored on the event). */
export const ORGANIZATION_DELETED_REASON = "organization deleted";

const CANCELLABLE_EVENT_STATUSES: readonly EventStatus[] = ["PUBLISHED", "DRAFT"];

// ───────────────────────────── the switcher ─────────────────────────────

export type MyOrganization = { id: string; name: string; slug: string; role: OrganizationRole };

/** The actor's organizations (non-deleted), by name: the switcher and the dashboard home. */
export async function listMyOrganizations({ actor }: { actor: Actor | null | undefined }, tx: DbClient = db): Promise<MyOrganization[]> {
  const { userId } = requireActor(actor);
  const rows = await tx.organizationMember.findMany({
    where: { userId, organization: { deletedAt: null } },
    select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
    orderBy: [{ organization: { name: "asc" } }, { organization: { slug: "asc" } }],
  });
  return rows.map((r) => ({ ...r.organization, role: r.role }));
}

// ───────────────────────────── dashboard view ─────────────────────────────

export type OrganizationOverview = {
  organization: { id: string; name: string; slug: string; description: string | null; logoUrl: string | null; settings: OrganizationSettings };
  /** The actor's membership role (null: a platform admin looking in as MODERATOR). */
  membershipRole: OrganizationRole | null;
  effectiveRole: OrganizationRole;
  can: { update: boolean; delete: boolean; viewMembers: boolean; viewGroups: boolean; viewEvents: boolean };
  stats: { members: number; groups: number; upcomingEvents: number };
};

/** The organization home and its settings page: what the actor may see and do there. */
export async function getOrganizationOverview(
  options: { actor: Actor | null | undefined; now?: Date } & OrganizationRef,
  tx: DbClient = db,
): Promise<OrganizationOverview> {
  const access = await authorizeOrganizationRef(options.actor, options, "organization.view", tx);
  const id = access.organization.id;
  const now = options.now ?? new Date();
  const [row, members, groups, upcomingEvents] = await Promise.all([
    tx.organization.findUniqueOrThrow({ where: { id }, select: { id: true, name: true, slug: true, description: true, logoUrl: true, settings: true } }),
    tx.organizationMember.count({ where: { organizationId: id } }),
    tx.group.count({ where: { organizationId: id } }),
    tx.event.count({ where: { organizationId: id, deletedAt: null, status: { in: [...CANCELLABLE_EVENT_STATUSES] }, startsAt: { gt: now } } }),
  ]);
  const role = access.effectiveRole;
  return {
    organization: { ...row, settings: readOrganizationSettings(row.settings) },
    membershipRole: access.membershipRole,
    effectiveRole: role,
    can: {
      update: roleCan(role, "organization.update"),
      delete: roleCan(role, "organization.delete"),
      viewMembers: roleCan(role, "members.view"),
      viewGroups: roleCan(role, "groups.view"),
      viewEvents: roleCan(role, "events.view"),
    },
    stats: { members, groups, upcomingEvents },
  };
}

// ───────────────────────────── editing ─────────────────────────────

/**
 * Edits name, description and settings (OWNER and MODERATOR). The slug is fixed: event and ticket
 * links point to it. Keys of `settings` written by other areas are kept.
 */
export async function updateOrganization(
  options: { actor: Actor | null | undefined } & OrganizationRef & OrganizationUpdateInput,
  tx?: DbClient,
): Promise<{ id: string; slug: string }> {
  const { actor } = options;
  return withTransaction(tx, async (t) => {
    const access = await authorizeOrganizationRef(actor, options, "organization.update", t);
    const parsed = organizationUpdateSchema.safeParse(options);
    if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
    const input = parsed.data;
    const current = await t.organization.findUniqueOrThrow({
      where: { id: access.organization.id },
      select: { name: true, description: true, settings: true },
    });
    const stored = current.settings && typeof current.settings === "object" && !Array.isArray(current.settings) ? (current.settings as Record<string, unknown>) : {};
    const before = readOrganizationSettings(stored);
    const nextSettings = { ...stored, defaultTimezone: input.defaultTimezone, contactEmail: input.contactEmail, websiteUrl: input.websiteUrl };

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (current.name !== input.name) changes.name = { from: current.name, to: input.name };
    if (current.description !== input.description) changes.description = { from: current.description, to: input.description };
    for (const key of ["defaultTimezone", "contactEmail", "websiteUrl"] as const) {
      if (before[key] !== input[key]) changes[`settings.${key}`] = { from: before[key], to: input[key] };
    }

    const { count } = await t.organization.updateMany({
      where: { id: access.organization.id, deletedAt: null },
      data: { name: input.name, description: input.description, settings: nextSettings as Prisma.InputJsonObject },
    });
    if (count === 0) throw new AppError("NOT_FOUND", "errors.notFound");
    if (Object.keys(changes).length > 0) {
      await writeAudit(t, {
        organizationId: access.organization.id,
        actorId: access.actor.userId,
        entityType: "organization",
        entityId: access.organization.id,
        action: "organization.updated",
        changes,
      });
    }
    return { id: access.organization.id, slug: access.organization.slug };
  });
}

// ───────────────────────────── deletion ─────────────────────────────

export type DeleteOrganizationResult = {
  id: string;
  slug: string;
  cancelledEvents: number;
  cancelledRegistrations: number;
  notified: number;
};

/**
 * Soft-deletes the organization (OWNER only; the owner confirms by typing the slug). In one
 * transaction: sets deleted_at (compare-and-set, so a second delete is NOT_FOUND), cancels the upcoming
 * events (PUBLISHED/DRAFT starting in the future) with the reason "organization deleted", cancels their
 * active registrations (RESERVED/PENDING/CONFIRMED, seats given back to the ticket-type counters),
 * notifies every affected participant with an account (`event.cancelled`) and writes audit rows.
 * Past events are left as they were: the organization being deleted hides them from public pages.
 */
export async function deleteOrganization(
  options: { actor: Actor | null | undefined; now?: Date } & OrganizationRef & OrganizationDeleteInput,
  tx?: DbClient,
): Promise<DeleteOrganizationResult> {
  return withTransaction(
    tx,
    async (t) => {
      const access = await authorizeOrganizationRef(options.actor, options, "organization.delete", t);
      const parsed = organizationDeleteSchema.safeParse(options);
      if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
      const { organization } = access;
      if (parsed.data.confirmSlug !== organization.slug) {
        throw new AppError("VALIDATION", "errors.validation", { confirmSlug: "organizations.validation.confirmSlugMismatch" });
      }
      const now = options.now ?? new Date();
      const actorId = access.actor.userId;

      // Compare-and-set: also locks the row, so two deletes (or a delete and an edit) run one after the other.
      const { count } = await t.organization.updateMany({ where: { id: organization.id, deletedAt: null }, data: { deletedAt: now } });
      if (count === 0) throw new AppError("NOT_FOUND", "organizations.errors.alreadyDeleted");

      const upcoming = await t.event.findMany({
        where: { organizationId: organization.id, deletedAt: null, status: { in: [...CANCELLABLE_EVENT_STATUSES] }, startsAt: { gt: now } },
        select: { id: true, status: true },
      });
      const fromStatus = new Map(upcoming.map((e) => [e.id, e.status]));
      const cancelledEvents = upcoming.length
        ? await t.event.updateManyAndReturn({
            where: { id: { in: upcoming.map((e) => e.id) }, status: { in: [...CANCELLABLE_EVENT_STATUSES] } },
            data: { status: "CANCELLED", cancelledAt: now, cancellationReason: ORGANIZATION_DELETED_REASON },
            select: { id: true, organizationId: true, title: true, slug: true, startsAt: true, timezone: true },
          })
        : [];
      const eventIds = cancelledEvents.map((e) => e.id);

      // Each event's participants: the same cascade as cancelling one event (seats back, refunds due,
      // `event.cancelled` to everyone with an account, in their language).
      const registrationsPerEvent = new Map<string, number>();
      let cancelledRegistrations = 0;
      let notified = 0;
      for (const event of cancelledEvents) {
        const result = await cancelEventParticipants(t as Prisma.TransactionClient, {
          event: { ...event, organizationSlug: organization.slug },
          reason: ORGANIZATION_DELETED_REASON,
          localizedReason: { ru: areaRu.cancelReason, en: areaEn.cancelReason },
          actorId,
          now,
        });
        registrationsPerEvent.set(event.id, result.cancelled);
        cancelledRegistrations += result.cancelled;
        notified += result.notified;
      }

      await writeAudits(t, [
        {
          organizationId: organization.id,
          actorId,
          entityType: "organization",
          entityId: organization.id,
          action: "organization.deleted",
          changes: {
            deletedAt: { from: null, to: now.toISOString() },
            cancelledEvents: eventIds.length,
            cancelledRegistrations,
          },
        },
        ...cancelledEvents.map((e): AuditEntry => ({
          organizationId: organization.id,
          actorId,
          entityType: "event",
          entityId: e.id,
          action: "event.cancelled",
          changes: {
            status: { from: fromStatus.get(e.id) ?? null, to: "CANCELLED" },
            cancellationReason: { from: null, to: ORGANIZATION_DELETED_REASON },
            registrationsCancelled: registrationsPerEvent.get(e.id) ?? 0,
          },
        })),
      ]);

      return {
        id: organization.id,
        slug: organization.slug,
        cancelledEvents: eventIds.length,
        cancelledRegistrations,
        notified,
      };
    },
    // A large organization cancels many registrations and writes a notification for each.
    "long",
  );
}

// ───────────────────────────── public page ─────────────────────────────

export type PublicOrganization = {
  name: string;
  slug: string;
  description: string | null;
  logoUrl: string | null;
  contactEmail: string | null;
  websiteUrl: string | null;
  events: {
    id: string;
    title: string;
    slug: string;
    startsAt: Date;
    endsAt: Date | null;
    timezone: string;
    locationType: "ONLINE" | "OFFLINE" | "HYBRID";
    locationAddress: string | null;
    url: string;
  }[];
};

export const PUBLIC_EVENTS_LIMIT = 50;

/**
 * The public organization page (no actor): name, description, contacts and its upcoming (or running)
 * public PUBLISHED events. Private events (group_id set) and deleted ones are never listed. An unknown
 * or deleted organization is NOT_FOUND.
 */
export async function getPublicOrganization({ slug, now = new Date() }: { slug: string; now?: Date }, tx: DbClient = db): Promise<PublicOrganization> {
  const normalized = String(slug ?? "").toLowerCase();
  const organization = normalized
    ? await tx.organization.findFirst({
        where: { slug: normalized, deletedAt: null },
        select: { id: true, name: true, slug: true, description: true, logoUrl: true, settings: true },
      })
    : null;
  if (!organization) throw new AppError("NOT_FOUND", "errors.notFound");
  const events = await tx.event.findMany({
    where: {
      organizationId: organization.id,
      status: "PUBLISHED",
      groupId: null,
      deletedAt: null,
      OR: [{ startsAt: { gte: now } }, { endsAt: { gt: now } }],
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: PUBLIC_EVENTS_LIMIT,
    select: { id: true, title: true, slug: true, startsAt: true, endsAt: true, timezone: true, locationType: true, locationAddress: true },
  });
  const settings = readOrganizationSettings(organization.settings);
  return {
    name: organization.name,
    slug: organization.slug,
    description: organization.description,
    logoUrl: organization.logoUrl,
    contactEmail: settings.contactEmail,
    websiteUrl: settings.websiteUrl,
    events: events.map((e) => ({ ...e, url: publicEventPath(organization.slug, e.slug) })),
  };
}
