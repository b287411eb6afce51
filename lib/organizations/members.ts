// Organization members and roles (F13; original gaps §8 items 10 and 14).
//
// Rules:
// - staff (OWNER, MODERATOR) see the member list; only the OWNER changes roles and removes members
//   (`members.changeRole`, `members.remove`, `ownership.transfer` in lib/permissions);
// - the OWNER cannot change their own role, leave or be removed: ownership moves only by a transfer
//   to an existing member, which in one transaction demotes the old owner to MODERATOR, promotes the
//   new one, updates organizations.owner_id (the original left it stale) and writes an audit row;
// - a MODERATOR may leave on their own.
//
// Concurrency: every write here first locks the organization row (SELECT … FOR NO KEY UPDATE) and then
// re-authorizes inside the transaction, so membership changes of one organization are serialized and
// each decision is made on fresh data (two parallel transfers: the second sees that its actor is no
// longer the owner and fails FORBIDDEN). The database keeps the last word: a partial unique index
// allows one OWNER row, and a deferred trigger requires exactly one OWNER matching owner_id —
// `checkDeferredConstraints(tx)` runs it before COMMIT (see lib/db.ts).
//
// Removing someone from the organization does not touch their group memberships: groups are open to
// anyone with the code (lib/groups), independent of organization membership.
import "server-only";
import { writeAudit } from "@/lib/audit";
import { checkDeferredConstraints, db, type DbClient, type Prisma, TX_PROFILES } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { OrganizationRole } from "@/lib/generated/prisma/client";
import {
  authorizeOrganization,
  authorizeOrganizationBySlug,
  isUuid,
  requireActor,
  roleCan,
  type Actor,
  type OrganizationAccess,
  type OrgPermission,
} from "@/lib/permissions";

/** The organization a call is about: its id (actions, API) or its URL slug (pages). */
export type OrganizationRef = { organizationId: string } | { slug: string };

export type MemberRow = {
  /** The membership id (organization_members.id): what the member actions take. */
  id: string;
  userId: string;
  name: string;
  email: string | null;
  telegramUsername: string | null;
  role: OrganizationRole;
  joinedAt: Date;
  invitedBy: { id: string; name: string } | null;
  isSelf: boolean;
};

export type MemberList = {
  organization: { id: string; slug: string; name: string; ownerId: string };
  /** What the viewer may do here (drives which controls the page shows). */
  viewer: {
    userId: string;
    role: OrganizationRole | null;
    canInvite: boolean;
    canChangeRoles: boolean;
    canRemove: boolean;
    canTransfer: boolean;
    canLeave: boolean;
  };
  /** The OWNER first, then moderators by join date. */
  members: MemberRow[];
};

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");


function authorizeRef(actor: Actor | null | undefined, ref: OrganizationRef, permission: OrgPermission, tx?: DbClient) {
  return "slug" in ref
    ? authorizeOrganizationBySlug({ actor, slug: ref.slug, permission, tx })
    : authorizeOrganization({ actor, organizationId: ref.organizationId, permission, tx });
}

/**
 * Locks the organization row for the rest of the transaction and authorizes on fresh data.
 * Every membership write starts with this, so they never interleave within one organization.
 */
async function lockAndAuthorize(
  tx: Prisma.TransactionClient,
  actor: Actor | null | undefined,
  organizationId: string,
  permission: OrgPermission,
): Promise<OrganizationAccess> {
  requireActor(actor);
  if (!isUuid(organizationId)) throw notFound();
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${organizationId}::uuid FOR NO KEY UPDATE`;
  return authorizeOrganization({ actor, organizationId, permission, tx });
}

const displayName = (u: { firstName: string; lastName: string | null }) => [u.firstName, u.lastName].filter(Boolean).join(" ");

/** Members with their roles (staff: `members.view`). */
export async function listMembers(options: { actor: Actor | null | undefined; tx?: DbClient } & OrganizationRef): Promise<MemberList> {
  const tx = options.tx ?? db;
  const access = await authorizeRef(options.actor, options, "members.view", tx);
  const rows = await tx.organizationMember.findMany({
    where: { organizationId: access.organization.id },
    orderBy: [{ joinedAt: "asc" }, { id: "asc" }],
    take: 1000,
    select: {
      id: true,
      userId: true,
      role: true,
      joinedAt: true,
      user: { select: { firstName: true, lastName: true, email: true, telegramUsername: true } },
      invitedBy: { select: { id: true, firstName: true, lastName: true } },
    },
  });
  const members = rows
    .map(
      (m): MemberRow => ({
        id: m.id,
        userId: m.userId,
        name: displayName(m.user),
        email: m.user.email,
        telegramUsername: m.user.telegramUsername,
        role: m.role,
        joinedAt: m.joinedAt,
        invitedBy: m.invitedBy ? { id: m.invitedBy.id, name: displayName(m.invitedBy) } : null,
        isSelf: m.userId === access.actor.userId,
      }),
    )
    .sort((a, b) => (a.role === b.role ? 0 : a.role === "OWNER" ? -1 : 1));
  const role = access.membershipRole;
  return {
    organization: access.organization,
    viewer: {
      userId: access.actor.userId,
      role,
      canInvite: roleCan(access.effectiveRole, "members.invite"),
      canChangeRoles: roleCan(access.effectiveRole, "members.changeRole"),
      canRemove: roleCan(access.effectiveRole, "members.remove"),
      canTransfer: roleCan(access.effectiveRole, "ownership.transfer"),
      canLeave: role === "MODERATOR",
    },
    members,
  };
}

async function findMember(tx: DbClient, organizationId: string, memberId: string) {
  if (!isUuid(memberId)) throw notFound();
  const member = await tx.organizationMember.findFirst({
    where: { id: memberId, organizationId },
    select: { id: true, userId: true, role: true },
  });
  if (!member) throw notFound();
  return member;
}

/**
 * Transfers ownership to an existing member (OWNER only). One transaction: demote the old owner to
 * MODERATOR, promote the new one, set organizations.owner_id, audit, check the one-owner rule.
 * Errors: NOT_FOUND (member of no/another organization), FORBIDDEN (not the owner — also the loser of
 * a parallel transfer), CONFLICT members.errors.alreadyOwner (the target is the owner).
 */
export async function transferOwnership(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  memberId: string;
}): Promise<{ organizationId: string; previousOwnerId: string; newOwnerId: string }> {
  return db.$transaction(async (tx) => {
    const access = await lockAndAuthorize(tx, options.actor, options.organizationId, "ownership.transfer");
    const organizationId = access.organization.id;
    const target = await findMember(tx, organizationId, options.memberId);
    if (target.role === "OWNER") throw new AppError("CONFLICT", "members.errors.alreadyOwner");
    // A platform admin acts with MODERATOR rights, so the actor here is the OWNER member.
    const previousOwnerId = access.organization.ownerId;

    // Demote first: the partial unique index allows one OWNER row at any moment.
    const demoted = await tx.organizationMember.updateMany({
      where: { organizationId, userId: previousOwnerId, role: "OWNER" },
      data: { role: "MODERATOR" },
    });
    if (demoted.count !== 1) throw new AppError("FORBIDDEN", "errors.forbidden");
    await tx.organizationMember.update({ where: { id: target.id }, data: { role: "OWNER" } });
    await tx.organization.update({ where: { id: organizationId }, data: { ownerId: target.userId } });
    await writeAudit(tx, {
      organizationId,
      actorId: access.actor.userId,
      entityType: "organization",
      entityId: organizationId,
      action: "organization.ownership_transferred",
      changes: { ownerId: { from: previousOwnerId, to: target.userId } },
    });
    await checkDeferredConstraints(tx);
    return { organizationId, previousOwnerId, newOwnerId: target.userId };
  }, TX_PROFILES.standard);
}

/**
 * Sets a member's role (OWNER only). Assigning OWNER is an ownership transfer; the owner cannot
 * change their own role (CONFLICT members.errors.ownerRoleLocked); MODERATOR → MODERATOR is a no-op.
 */
export async function changeMemberRole(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  memberId: string;
  role: OrganizationRole;
}): Promise<{ id: string; role: OrganizationRole; changed: boolean }> {
  if (options.role === "OWNER") {
    await transferOwnership(options);
    return { id: options.memberId, role: "OWNER", changed: true };
  }
  return db.$transaction(async (tx) => {
    const access = await lockAndAuthorize(tx, options.actor, options.organizationId, "members.changeRole");
    const target = await findMember(tx, access.organization.id, options.memberId);
    if (target.role === "OWNER") throw new AppError("CONFLICT", "members.errors.ownerRoleLocked");
    return { id: target.id, role: target.role, changed: false };
  }, TX_PROFILES.standard);
}

/**
 * Removes a member (OWNER only). The owner cannot be removed (CONFLICT members.errors.ownerCannotBeRemoved):
 * transfer ownership first.
 */
export async function removeMember(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  memberId: string;
}): Promise<{ id: string; userId: string }> {
  return db.$transaction(async (tx) => {
    const access = await lockAndAuthorize(tx, options.actor, options.organizationId, "members.remove");
    const target = await findMember(tx, access.organization.id, options.memberId);
    if (target.role === "OWNER") throw new AppError("CONFLICT", "members.errors.ownerCannotBeRemoved");
    await tx.organizationMember.delete({ where: { id: target.id } });
    await writeAudit(tx, {
      organizationId: access.organization.id,
      actorId: access.actor.userId,
      entityType: "organization_member",
      entityId: target.id,
      action: "member.removed",
      changes: { userId: { from: target.userId, to: null }, role: { from: target.role, to: null } },
    });
    await checkDeferredConstraints(tx);
    return { id: target.id, userId: target.userId };
  }, TX_PROFILES.standard);
}

/**
 * The actor leaves the organization. A MODERATOR may; the OWNER may not (CONFLICT
 * members.errors.ownerCannotLeave: transfer ownership first). Not a member → NOT_FOUND.
 */
export async function leaveOrganization(options: {
  actor: Actor | null | undefined;
  organizationId: string;
}): Promise<{ id: string }> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.organizationId)) throw notFound();
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${options.organizationId}::uuid FOR NO KEY UPDATE`;
    const member = await tx.organizationMember.findFirst({
      where: { organizationId: options.organizationId, userId: actor.userId, organization: { deletedAt: null } },
      select: { id: true, role: true },
    });
    if (!member) throw notFound();
    if (member.role === "OWNER") throw new AppError("CONFLICT", "members.errors.ownerCannotLeave");
    await tx.organizationMember.delete({ where: { id: member.id } });
    await writeAudit(tx, {
      organizationId: options.organizationId,
      actorId: actor.userId,
      entityType: "organization_member",
      entityId: member.id,
      action: "member.left",
      changes: { userId: { from: actor.userId, to: null }, role: { from: member.role, to: null } },
    });
    await checkDeferredConstraints(tx);
    return { id: member.id };
  }, TX_PROFILES.standard);
}
