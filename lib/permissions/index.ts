// The one permission layer: "may this actor do this on this organization / resource?".
// Every service that touches tenant data calls it first; nothing trusts an organization id from a
// form body — the tenant comes from a verified membership.
//
// Semantics (also what the permission-matrix tests check):
// - no actor → UNAUTHENTICATED;
// - the organization does not exist, is deleted, or the actor is not a member (and not a platform
//   admin) → NOT_FOUND — another tenant's data does not exist for you;
// - a member whose role does not grant the permission → FORBIDDEN.
// Platform admins act with MODERATOR rights in any organization (support, check-in help); owner-only
// actions stay with the owner.
import "server-only";
import { db, empty, onPrisma, sql, type DbClient, type Sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { OrganizationRole } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/validation/ids";
import { SCOPE_PERMISSIONS, type ApiScope } from "@/lib/api/scopes";

/**
 * Who acts. A signed-in person: `{ userId, isPlatformAdmin }`. A request with an API token
 * (lib/api/tokens.ts) acts as the token's user AND is narrowed by `token`: an organization token only in
 * its own organization and only with the permissions its scopes grant (lib/api/scopes.ts); a personal
 * token never holds an organization permission. Token actors are never platform admins.
 */
export type Actor = { userId: string; isPlatformAdmin: boolean; token?: ActorToken };
export type ActorToken = { id: string; kind: "organization" | "personal"; organizationId: string | null; scopes: readonly ApiScope[] };

export type OrgPermission =
  | "organization.view"
  | "organization.update"
  | "organization.delete"
  | "members.view"
  | "members.invite"
  | "members.changeRole"
  | "members.remove"
  | "ownership.transfer"
  | "groups.view"
  | "groups.create"
  | "groups.update"
  | "groups.delete"
  | "events.view"
  | "events.manage"
  | "registrations.view"
  | "registrations.manage"
  | "checkin.scan"
  | "checkin.manageStaff"
  | "media.upload"
  | "payments.view"
  | "payments.manage"
  | "messages.send"
  | "analytics.view"
  | "api.manage"
  | "webhooks.view"
  | "webhooks.manage";

const STAFF: readonly OrganizationRole[] = ["OWNER", "MODERATOR"];
const OWNER_ONLY: readonly OrganizationRole[] = ["OWNER"];

/** Which roles hold each permission. The single source of truth, shown in docs/permissions.md. */
export const PERMISSIONS: Record<OrgPermission, readonly OrganizationRole[]> = {
  "organization.view": STAFF,
  "organization.update": STAFF,
  "organization.delete": OWNER_ONLY,
  "members.view": STAFF,
  "members.invite": OWNER_ONLY,
  "members.changeRole": OWNER_ONLY,
  "members.remove": OWNER_ONLY,
  "ownership.transfer": OWNER_ONLY,
  "groups.view": STAFF,
  "groups.create": STAFF,
  "groups.update": STAFF,
  "groups.delete": OWNER_ONLY,
  "events.view": STAFF,
  "events.manage": STAFF,
  "registrations.view": STAFF,
  "registrations.manage": STAFF,
  "checkin.scan": STAFF,
  "checkin.manageStaff": STAFF,
  "media.upload": STAFF,
  // payment accounts (lib/payments/accounts.ts) and the payments view: staff see, only the owner connects
  "payments.view": STAFF,
  "payments.manage": OWNER_ONLY,
  // organizer messages to an event's attendees (lib/messages)
  "messages.send": STAFF,
  // analytics pages and the event's exports (lib/analytics; docs/analytics.md)
  "analytics.view": STAFF,
  // API tokens of the organization (lib/api/tokens.ts; docs/api.md): only the owner creates and revokes
  "api.manage": OWNER_ONLY,
  // outbound webhooks (lib/webhooks; docs/webhooks.md): staff see the endpoints and the delivery log, the owner changes them
  "webhooks.view": STAFF,
  "webhooks.manage": OWNER_ONLY,
};

/** The role a platform admin acts with in an organization they are not a member of. */
const PLATFORM_ADMIN_ROLE: OrganizationRole = "MODERATOR";

export function roleCan(role: OrganizationRole | null | undefined, permission: OrgPermission): boolean {
  return !!role && PERMISSIONS[permission].includes(role);
}

export type OrganizationAccess = {
  actor: Actor;
  organization: { id: string; slug: string; name: string; ownerId: string };
  /** The actor's own membership role; null for a platform admin acting without membership. */
  membershipRole: OrganizationRole | null;
  /** The role the permission check used. */
  effectiveRole: OrganizationRole;
};

export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  return actor;
}

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
const forbidden = () => new AppError("FORBIDDEN", "errors.forbidden");

type Where = { id: string } | { slug: string };

/**
 * The role an actor acts with, given their membership role in the organization (null: not a member):
 * the membership, else MODERATOR for a platform admin; none → NOT_FOUND (another tenant's data does not
 * exist for you); a role without the permission → FORBIDDEN. The one decision every authorization
 * path makes, whatever query found the membership.
 */
export function effectiveRoleFor(membershipRole: OrganizationRole | null, actor: Actor, permission: OrgPermission, organizationId: string): OrganizationRole {
  if (actor.token) {
    // another organization (or a personal token) → not found, as for a person who is not a member
    if (actor.token.kind !== "organization" || actor.token.organizationId !== organizationId || !membershipRole) throw notFound();
    if (!tokenCan(actor.token, permission)) throw forbidden();
  }
  const effectiveRole = membershipRole ?? (actor.isPlatformAdmin && !actor.token ? PLATFORM_ADMIN_ROLE : null);
  if (!effectiveRole) throw notFound();
  if (!roleCan(effectiveRole, permission)) throw forbidden();
  return effectiveRole;
}

/** Whether a token's scopes grant this organization permission (lib/api/scopes.ts SCOPE_PERMISSIONS). */
export function tokenCan(token: ActorToken, permission: OrgPermission): boolean {
  return token.scopes.some((scope) => (SCOPE_PERMISSIONS[scope] as readonly string[]).includes(permission));
}

async function authorize(
  actorOrNull: Actor | null | undefined,
  where: Where,
  permission: OrgPermission,
  tx: DbClient,
): Promise<OrganizationAccess> {
  const actor = requireActor(actorOrNull);
  const organization = await tx.organization.findFirst({
    where: { ...where, deletedAt: null },
    select: {
      id: true,
      slug: true,
      name: true,
      ownerId: true,
      members: { where: { userId: actor.userId }, select: { role: true }, take: 1 },
    },
  });
  if (!organization) throw notFound();
  const membershipRole = organization.members[0]?.role ?? null;
  const effectiveRole = effectiveRoleFor(membershipRole, actor, permission, organization.id);
  const { members: _members, ...org } = organization;
  return { actor, organization: org, membershipRole, effectiveRole };
}

/** Authorizes `permission` on the organization with this id. */
export function authorizeOrganization(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  permission: OrgPermission;
  tx?: DbClient;
}): Promise<OrganizationAccess> {
  if (!isUuid(options.organizationId)) return Promise.reject(options.actor ? notFound() : requireActorError());
  return authorize(options.actor, { id: options.organizationId }, options.permission, options.tx ?? db);
}

/** Authorizes `permission` on the organization named in the URL (`/dashboard/o/<slug>/…`). */
export function authorizeOrganizationBySlug(options: {
  actor: Actor | null | undefined;
  slug: string;
  permission: OrgPermission;
  tx?: DbClient;
}): Promise<OrganizationAccess> {
  return authorize(options.actor, { slug: options.slug }, options.permission, options.tx ?? db);
}

/** Columns of eventAccessQuery(). */
export type EventAccessRow = {
  event_id: string;
  organization_id: string;
  organization_slug: string;
  organization_name: string;
  owner_id: string;
  membership_role: OrganizationRole | null;
};

/**
 * Staff access to an event as one query: the (non-deleted) event, its (non-deleted) organization and the
 * user's membership in it — one row, or none when the event is gone. `columns` adds columns over the
 * aliases `e` (events) and `o` (organizations) for callers that need more of the event in the same round
 * trip (the door scanner). authorizeEvent() and the check-in access both run this fragment and decide
 * with effectiveRoleFor().
 */
export function eventAccessQuery(eventId: string, userId: string, columns: Sql = empty): Sql {
  return sql`SELECT e.id AS event_id, e.tenant_id AS organization_id, o.slug AS organization_slug, o.name AS organization_name,
         o.owner_id, m.role::text AS membership_role${columns}
    FROM events e
    JOIN organizations o ON o.id = e.tenant_id AND o.deleted_at IS NULL
    LEFT JOIN organization_members m ON m.organization_id = o.id AND m.user_id = ${userId}::uuid
   WHERE e.id = ${eventId}::uuid AND e.deleted_at IS NULL`;
}

/** Authorizes `permission` on the organization that owns this (non-deleted) event. One query. */
export async function authorizeEvent(options: {
  actor: Actor | null | undefined;
  eventId: string;
  permission: OrgPermission;
  tx?: DbClient;
}): Promise<OrganizationAccess & { event: { id: string; organizationId: string } }> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.eventId)) throw notFound();
  const [row] = await onPrisma(options.tx ?? db).rows<EventAccessRow>(eventAccessQuery(options.eventId, actor.userId));
  if (!row) throw notFound();
  const effectiveRole = effectiveRoleFor(row.membership_role, actor, options.permission, row.organization_id);
  return {
    actor,
    organization: { id: row.organization_id, slug: row.organization_slug, name: row.organization_name, ownerId: row.owner_id },
    membershipRole: row.membership_role,
    effectiveRole,
    event: { id: row.event_id, organizationId: row.organization_id },
  };
}

/** Authorizes `permission` on the organization that owns this group. */
export async function authorizeGroup(options: {
  actor: Actor | null | undefined;
  groupId: string;
  permission: OrgPermission;
  tx?: DbClient;
}): Promise<OrganizationAccess & { group: { id: string; organizationId: string } }> {
  const tx = options.tx ?? db;
  requireActor(options.actor);
  if (!isUuid(options.groupId)) throw notFound();
  const group = await tx.group.findUnique({ where: { id: options.groupId }, select: { id: true, organizationId: true } });
  if (!group) throw notFound();
  const access = await authorize(options.actor, { id: group.organizationId }, options.permission, tx);
  return { ...access, group };
}

function requireActorError() {
  return new AppError("UNAUTHENTICATED", "errors.unauthenticated");
}

// The UUID check lives in lib/validation/ids.ts; re-exported for the services that import it from here.
export { isUuid };

/** The actor a signed-in session user acts as. */
export function actorOf(user: { id: string; isPlatformAdmin: boolean } | null | undefined): Actor | null {
  return user ? { userId: user.id, isPlatformAdmin: user.isPlatformAdmin } : null;
}
