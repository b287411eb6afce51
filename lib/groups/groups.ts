// Groups (F14; original gap §8 item 5): private circles inside an organization whose members see the
// group's private events.
//
// Rules:
// - staff (OWNER, MODERATOR) create and edit groups and manage their members; only the OWNER deletes
//   (`groups.create/update/delete` in lib/permissions); name 2–100, description ≤ 1000;
// - invite code: 8 characters of the unambiguous alphabet (lib/tickets/codes.ts), stored upper-case,
//   globally unique (unique index; a collision retries with a new code), case-insensitive on input
//   (normalizeCode), regenerable (the old code stops working at once);
// - ANY signed-in user joins by code or link — no organization membership needed (the original
//   required it, which made private events unreachable for participants);
// - the creator is added as a member and MAY leave like anyone else: group membership only decides
//   who sees the private events as a participant; staff keep managing the group through their
//   organization role, so a creator leaving never orphans it (the original forbade it, which left the
//   creator unable to clean up their own list of groups);
// - visibility: staff see all groups of their organization with members and the code; a plain member
//   sees only the groups they belong to (name, organization, description, member count — not the code
//   and not the other members);
// - a group with (non-deleted) events cannot be deleted: events.group_id is ON DELETE SET NULL, so
//   deleting it would turn its private events into public ones.
//
// Joining is INSERT … ON CONFLICT DO NOTHING on the (group_id, user_id) unique index, so parallel joins
// of one user give exactly one membership and never abort the transaction.
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, type DbClient } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, isAppError, uniqueViolation } from "@/lib/errors";
import { authorizeGroup, authorizeOrganization, authorizeOrganizationBySlug, isUuid, requireActor, roleCan, type Actor } from "@/lib/permissions";
import { generateCode } from "@/lib/tickets/codes";
import { assertGroupCodeAttemptsLeft, countFailedGroupCode } from "./code-attempts";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { groupSchema, parseGroupCode, type GroupInput } from "@/lib/validation/groups";

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
const codeNotFound = () => new AppError("NOT_FOUND", "groups.errors.codeNotFound", { code: "groups.errors.codeNotFound" });

const displayName = (u: { firstName: string; lastName: string | null }) => [u.firstName, u.lastName].filter(Boolean).join(" ");

/** `${APP_URL}/g/<code>`: the link a group is shared with. */
export function groupJoinUrl(code: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/g/${code}`;
}

function parseGroup(input: GroupInput) {
  const parsed = groupSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** Runs `write` with a fresh code, again (up to 5 times) when the code is already taken. */
async function withFreshCode<T>(write: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write(generateCode());
    } catch (e) {
      if (attempt < 5 && uniqueViolation(e)?.includes("invite_code")) continue;
      throw e;
    }
  }
}

// ───────────────────────────── staff: manage ─────────────────────────────

export type GroupSummary = {
  id: string;
  name: string;
  description: string | null;
  memberCount: number;
  createdAt: Date;
  createdBy: { id: string; name: string };
};

export type OrganizationGroups = {
  organization: { id: string; slug: string; name: string };
  viewer: { canCreate: boolean; canDelete: boolean };
  groups: GroupSummary[];
};

/** All groups of an organization (staff: `groups.view`), newest first. */
export async function listOrganizationGroups(
  options: { actor: Actor | null | undefined; tx?: DbClient } & ({ organizationId: string } | { slug: string }),
): Promise<OrganizationGroups> {
  const tx = options.tx ?? db;
  const access =
    "slug" in options
      ? await authorizeOrganizationBySlug({ actor: options.actor, slug: options.slug, permission: "groups.view", tx })
      : await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "groups.view", tx });
  const rows = await tx.group.findMany({
    where: { organizationId: access.organization.id },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 500,
    select: {
      id: true,
      name: true,
      description: true,
      createdAt: true,
      createdBy: { select: { id: true, firstName: true, lastName: true } },
      _count: { select: { members: true } },
    },
  });
  return {
    organization: { id: access.organization.id, slug: access.organization.slug, name: access.organization.name },
    viewer: { canCreate: roleCan(access.effectiveRole, "groups.create"), canDelete: roleCan(access.effectiveRole, "groups.delete") },
    groups: rows.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      memberCount: g._count.members,
      createdAt: g.createdAt,
      createdBy: { id: g.createdBy.id, name: displayName(g.createdBy) },
    })),
  };
}

export type GroupMemberRow = {
  /** group_members.id: what removeGroupMember takes. */
  id: string;
  userId: string;
  name: string;
  email: string | null;
  telegramUsername: string | null;
  joinedAt: Date;
  isSelf: boolean;
};

export type GroupDetails = {
  id: string;
  name: string;
  description: string | null;
  inviteCode: string;
  joinUrl: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy: { id: string; name: string };
  organization: { id: string; slug: string; name: string };
  /** Events of the organization that are private to this group (non-deleted). */
  eventCount: number;
  viewer: { canUpdate: boolean; canDelete: boolean };
  members: GroupMemberRow[];
};

/** One group with its code and members (staff: `groups.view`). Another tenant's group is NOT_FOUND. */
export async function getGroupDetails(options: { actor: Actor | null | undefined; groupId: string; tx?: DbClient }): Promise<GroupDetails> {
  const tx = options.tx ?? db;
  const access = await authorizeGroup({ actor: options.actor, groupId: options.groupId, permission: "groups.view", tx });
  const group = await tx.group.findUnique({
    where: { id: access.group.id },
    select: {
      id: true,
      name: true,
      description: true,
      inviteCode: true,
      createdAt: true,
      updatedAt: true,
      createdBy: { select: { id: true, firstName: true, lastName: true } },
      members: {
        orderBy: [{ joinedAt: "asc" }, { id: "asc" }],
        take: 1000,
        select: {
          id: true,
          userId: true,
          joinedAt: true,
          user: { select: { firstName: true, lastName: true, email: true, telegramUsername: true } },
        },
      },
      _count: { select: { events: { where: { deletedAt: null } } } },
    },
  });
  if (!group) throw notFound();
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    inviteCode: group.inviteCode,
    joinUrl: groupJoinUrl(group.inviteCode),
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
    createdBy: { id: group.createdBy.id, name: displayName(group.createdBy) },
    organization: { id: access.organization.id, slug: access.organization.slug, name: access.organization.name },
    eventCount: group._count.events,
    viewer: { canUpdate: roleCan(access.effectiveRole, "groups.update"), canDelete: roleCan(access.effectiveRole, "groups.delete") },
    members: group.members.map((m) => ({
      id: m.id,
      userId: m.userId,
      name: displayName(m.user),
      email: m.user.email,
      telegramUsername: m.user.telegramUsername,
      joinedAt: m.joinedAt,
      isSelf: m.userId === access.actor.userId,
    })),
  };
}

/** Creates a group (staff: `groups.create`) with a fresh code; the creator becomes its first member. */
export async function createGroup(
  options: { actor: Actor | null | undefined; organizationId: string } & GroupInput,
): Promise<{ id: string; inviteCode: string }> {
  const { actor, organizationId, ...input } = options;
  const access = await authorizeOrganization({ actor, organizationId, permission: "groups.create" });
  const data = parseGroup(input);
  return withFreshCode((inviteCode) =>
    db.$transaction(async (tx) => {
      const group = await tx.group.create({
        data: {
          organizationId: access.organization.id,
          name: data.name,
          description: data.description,
          inviteCode,
          createdById: access.actor.userId,
          members: { create: { userId: access.actor.userId } },
        },
        select: { id: true, inviteCode: true },
      });
      await writeAudit(tx, {
        organizationId: access.organization.id,
        actorId: access.actor.userId,
        entityType: "group",
        entityId: group.id,
        action: "group.created",
        changes: { name: { from: null, to: data.name }, description: { from: null, to: data.description } },
      });
      return group;
    }),
  );
}

/** Renames / re-describes a group (staff: `groups.update`). */
export async function updateGroup(options: { actor: Actor | null | undefined; groupId: string } & GroupInput): Promise<{ id: string }> {
  const { actor, groupId, ...input } = options;
  const access = await authorizeGroup({ actor, groupId, permission: "groups.update" });
  const data = parseGroup(input);
  return db.$transaction(async (tx) => {
    const before = await tx.group.findUnique({ where: { id: access.group.id }, select: { name: true, description: true } });
    if (!before) throw notFound();
    const changes: Record<string, { from: string | null; to: string | null }> = {};
    if (before.name !== data.name) changes.name = { from: before.name, to: data.name };
    if (before.description !== data.description) changes.description = { from: before.description, to: data.description };
    if (Object.keys(changes).length === 0) return { id: access.group.id };
    await tx.group.update({ where: { id: access.group.id }, data: { name: data.name, description: data.description } });
    await writeAudit(tx, {
      organizationId: access.organization.id,
      actorId: access.actor.userId,
      entityType: "group",
      entityId: access.group.id,
      action: "group.updated",
      changes,
    });
    return { id: access.group.id };
  });
}

/** A new invite code (staff: `groups.update`); the old one stops working at once. */
export async function regenerateGroupCode(options: { actor: Actor | null | undefined; groupId: string }): Promise<{ id: string; inviteCode: string }> {
  const access = await authorizeGroup({ actor: options.actor, groupId: options.groupId, permission: "groups.update" });
  return withFreshCode((inviteCode) =>
    db.$transaction(async (tx) => {
      const before = await tx.group.findUnique({ where: { id: access.group.id }, select: { inviteCode: true } });
      if (!before) throw notFound();
      await tx.group.update({ where: { id: access.group.id }, data: { inviteCode } });
      await writeAudit(tx, {
        organizationId: access.organization.id,
        actorId: access.actor.userId,
        entityType: "group",
        entityId: access.group.id,
        action: "group.code_regenerated",
        // The codes themselves are credentials: not copied into the log.
        changes: { inviteCode: { from: "(previous)", to: "(new)" } },
      });
      return { id: access.group.id, inviteCode };
    }),
  );
}

/**
 * Deletes a group (OWNER only: `groups.delete`). Refused while non-deleted events are private to it
 * (CONFLICT groups.errors.hasEvents): deleting would make them public.
 */
export async function deleteGroup(options: { actor: Actor | null | undefined; groupId: string }): Promise<{ id: string }> {
  const access = await authorizeGroup({ actor: options.actor, groupId: options.groupId, permission: "groups.delete" });
  return db.$transaction(async (tx) => {
    // Lock the row: an event being attached meanwhile waits (its foreign key check) and then fails.
    const locked = await tx.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM groups WHERE id = ${access.group.id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound();
    const events = await tx.event.count({ where: { groupId: access.group.id, deletedAt: null } });
    if (events > 0) throw new AppError("CONFLICT", "groups.errors.hasEvents");
    await tx.group.delete({ where: { id: access.group.id } });
    await writeAudit(tx, {
      organizationId: access.organization.id,
      actorId: access.actor.userId,
      entityType: "group",
      entityId: access.group.id,
      action: "group.deleted",
      changes: { name: { from: locked[0].name, to: null } },
    });
    return { id: access.group.id };
  });
}

/** Removes someone from a group (staff: `groups.update`). `memberId` is the group_members.id. */
export async function removeGroupMember(options: {
  actor: Actor | null | undefined;
  groupId: string;
  memberId: string;
}): Promise<{ id: string; userId: string }> {
  const access = await authorizeGroup({ actor: options.actor, groupId: options.groupId, permission: "groups.update" });
  if (!isUuid(options.memberId)) throw notFound();
  return db.$transaction(async (tx) => {
    const member = await tx.groupMember.findFirst({
      where: { id: options.memberId, groupId: access.group.id },
      select: { id: true, userId: true },
    });
    if (!member) throw notFound();
    const { count } = await tx.groupMember.deleteMany({ where: { id: member.id } });
    if (count !== 1) throw notFound();
    await writeAudit(tx, {
      organizationId: access.organization.id,
      actorId: access.actor.userId,
      entityType: "group_member",
      entityId: member.id,
      action: "group_member.removed",
      changes: { groupId: { from: access.group.id, to: null }, userId: { from: member.userId, to: null } },
    });
    return member;
  });
}

// ───────────────────────────── anyone signed in: join, leave, my groups ─────────────────────────────

export type GroupPreview =
  | { status: "invalid" }
  /** Too many failed lookups from this client address (code-attempts.ts). */
  | { status: "limited" }
  | {
      status: "valid";
      code: string;
      name: string;
      description: string | null;
      organizationName: string;
      memberCount: number;
      /** Null when no actor was given. */
      isMember: boolean | null;
    };

async function findGroupByCode(tx: DbClient, input: string) {
  const code = parseGroupCode(input);
  if (!code) return null;
  const group = await tx.group.findUnique({
    where: { inviteCode: code },
    select: {
      id: true,
      name: true,
      description: true,
      inviteCode: true,
      organizationId: true,
      organization: { select: { name: true, deletedAt: true } },
      _count: { select: { members: true } },
    },
  });
  return group && !group.organization.deletedAt ? group : null;
}

/**
 * What a join link / code stands for (the /g/<code> page), for anyone — also signed out. Shows the
 * group's name, organization, description and size; never its members.
 */
export async function previewGroupByCode(options: { code: string; actor?: Actor | null; ip?: string | null; tx?: DbClient }): Promise<GroupPreview> {
  const tx = options.tx ?? db;
  try {
    await assertGroupCodeAttemptsLeft(options.ip);
  } catch (error) {
    if (isAppError(error) && error.code === "RATE_LIMITED") return { status: "limited" };
    throw error;
  }
  const group = await findGroupByCode(tx, options.code);
  if (!group) {
    await countFailedGroupCode(options.ip);
    return { status: "invalid" };
  }
  const isMember = options.actor ? await isGroupMember(options.actor.userId, group.id, tx) : null;
  return {
    status: "valid",
    code: group.inviteCode,
    name: group.name,
    description: group.description,
    organizationName: group.organization.name,
    memberCount: group._count.members,
    isMember,
  };
}

export type JoinedGroup = { groupId: string; groupName: string; organizationName: string; alreadyMember: boolean };

/**
 * Joins the group with this code (any signed-in user; the code is case-insensitive and may be a
 * pasted link). Joining again is not an error: `alreadyMember: true`.
 * Errors: UNAUTHENTICATED; VALIDATION (malformed code, on the `code` field); NOT_FOUND
 * groups.errors.codeNotFound (unknown or regenerated code, or a deleted organization).
 */
export async function joinGroupByCode(options: { actor: Actor | null | undefined; code: string; ip?: string | null }): Promise<JoinedGroup> {
  const actor = requireActor(options.actor);
  await assertGroupCodeAttemptsLeft(options.ip);
  if (!parseGroupCode(options.code)) {
    await countFailedGroupCode(options.ip);
    throw new AppError("VALIDATION", "errors.validation", { code: "groups.validation.codeInvalid" });
  }
  const group = await findGroupByCode(db, options.code);
  if (!group) {
    await countFailedGroupCode(options.ip);
    throw codeNotFound();
  }
  return db.$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING: a parallel or repeated join inserts nothing and raises nothing.
    const { count } = await tx.groupMember.createMany({
      data: [{ groupId: group.id, userId: actor.userId }],
      skipDuplicates: true,
    });
    if (count === 1) {
      const member = await tx.groupMember.findUniqueOrThrow({
        where: { groupId_userId: { groupId: group.id, userId: actor.userId } },
        select: { id: true },
      });
      await writeAudit(tx, {
        organizationId: group.organizationId,
        actorId: actor.userId,
        entityType: "group_member",
        entityId: member.id,
        action: "group_member.joined_by_code",
        changes: { groupId: { from: null, to: group.id }, userId: { from: null, to: actor.userId } },
      });
    }
    return { groupId: group.id, groupName: group.name, organizationName: group.organization.name, alreadyMember: count === 0 };
  });
}

/** The actor leaves a group (one tap; the creator too). Not a member → NOT_FOUND. */
export async function leaveGroup(options: { actor: Actor | null | undefined; groupId: string }): Promise<{ groupId: string }> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.groupId)) throw notFound();
  return db.$transaction(async (tx) => {
    const member = await tx.groupMember.findUnique({
      where: { groupId_userId: { groupId: options.groupId, userId: actor.userId } },
      select: { id: true, group: { select: { organizationId: true } } },
    });
    if (!member) throw notFound();
    const { count } = await tx.groupMember.deleteMany({ where: { id: member.id } });
    if (count !== 1) throw notFound();
    await writeAudit(tx, {
      organizationId: member.group.organizationId,
      actorId: actor.userId,
      entityType: "group_member",
      entityId: member.id,
      action: "group_member.left",
      changes: { groupId: { from: options.groupId, to: null }, userId: { from: actor.userId, to: null } },
    });
    return { groupId: options.groupId };
  });
}

export type MyGroup = {
  id: string;
  name: string;
  description: string | null;
  organization: { id: string; slug: string; name: string };
  memberCount: number;
  joinedAt: Date;
  /** The viewer is staff of the group's organization (the page then links to its management page). */
  canManage: boolean;
};

/** The groups the actor belongs to (any organization), most recently joined first. */
export async function listMyGroups(options: { actor: Actor | null | undefined; tx?: DbClient }): Promise<MyGroup[]> {
  const actor = requireActor(options.actor);
  const tx = options.tx ?? db;
  const rows = await tx.groupMember.findMany({
    where: { userId: actor.userId, group: { organization: { deletedAt: null } } },
    orderBy: [{ joinedAt: "desc" }, { id: "asc" }],
    take: 500,
    select: {
      joinedAt: true,
      group: {
        select: {
          id: true,
          name: true,
          description: true,
          organization: { select: { id: true, slug: true, name: true, members: { where: { userId: actor.userId }, select: { role: true } } } },
          _count: { select: { members: true } },
        },
      },
    },
  });
  return rows.map(({ joinedAt, group }) => ({
    id: group.id,
    name: group.name,
    description: group.description,
    organization: { id: group.organization.id, slug: group.organization.slug, name: group.organization.name },
    memberCount: group._count.members,
    joinedAt,
    canManage: roleCan(group.organization.members[0]?.role, "groups.view"),
  }));
}

// ───────────────────────────── for the events feature ─────────────────────────────

/** Whether the user is a member of the group (strict membership; organization roles do not count). */
export async function isGroupMember(userId: string, groupId: string, tx: DbClient = db): Promise<boolean> {
  if (!isUuid(userId) || !isUuid(groupId)) return false;
  const row = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId, userId } }, select: { id: true } });
  return row !== null;
}

/**
 * Ids of the groups whose private events the user may see: the groups they are a member of, plus
 * every group of an organization where they are staff (OWNER / MODERATOR — staff see all groups).
 * Groups of deleted organizations are left out.
 */
export async function visibleGroupIdsForUser(userId: string, tx: DbClient = db): Promise<string[]> {
  if (!isUuid(userId)) return [];
  const rows = await tx.group.findMany({
    where: {
      organization: { deletedAt: null },
      OR: [{ members: { some: { userId } } }, { organization: { members: { some: { userId } } } }],
    },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
