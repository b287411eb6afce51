// The permission matrix of every members / invites / groups service that takes an id:
//   anonymous → UNAUTHENTICATED; a user of another organization (or of none) → NOT_FOUND;
//   a MODERATOR on an owner-only action → FORBIDDEN; allowed roles succeed.
// Each case runs in a fresh world, and every refusal is checked to have changed nothing. Also: ids of
// another tenant's rows smuggled in next to one's own organization id are NOT_FOUND.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import {
  createGroup,
  deleteGroup,
  getGroupDetails,
  leaveGroup,
  listOrganizationGroups,
  regenerateGroupCode,
  removeGroupMember,
  updateGroup,
} from "@/lib/groups";
import { createOrganizationInvite, listPendingInvites, revokeOrganizationInvite } from "@/lib/organizations/invites";
import { changeMemberRole, leaveOrganization, listMembers, removeMember, transferOwnership } from "@/lib/organizations/members";
import type { Actor } from "@/lib/permissions";
import { addMember, createGroup as createGroupRow, createOrganization, createUser } from "@/tests/helpers/factories";

const asActor = (user: { id: string }): Actor => ({ userId: user.id, isPlatformAdmin: false });

/** Organization A (owner, two moderators, a group with a member, a pending invite) and a rival B. */
async function world() {
  const { organization, owner } = await createOrganization();
  const moderator = await createUser();
  const colleague = await createUser();
  const moderatorMember = await addMember(organization, moderator, "MODERATOR", owner);
  const colleagueMember = await addMember(organization, colleague, "MODERATOR", owner);
  const participant = await createUser();
  const group = await createGroupRow(organization, { members: [participant] });
  const groupMember = await db.groupMember.findFirstOrThrow({ where: { groupId: group.id } });
  const invite = await createOrganizationInvite({ actor: asActor(owner), organizationId: organization.id });

  const rival = await createOrganization();
  const rivalModerator = await createUser();
  const rivalModeratorMember = await addMember(rival.organization, rivalModerator);
  const rivalGroup = await createGroupRow(rival.organization, { members: [await createUser()] });
  const rivalGroupMember = await db.groupMember.findFirstOrThrow({ where: { groupId: rivalGroup.id } });
  const rivalInvite = await createOrganizationInvite({ actor: asActor(rival.owner), organizationId: rival.organization.id });

  return {
    organization,
    owner,
    moderator,
    moderatorMember,
    colleague,
    colleagueMember,
    participant,
    group,
    groupMember,
    invite,
    outsider: await createUser(),
    rival: { ...rival, moderator: rivalModerator, moderatorMember: rivalModeratorMember, group: rivalGroup, groupMember: rivalGroupMember, invite: rivalInvite },
  };
}
type World = Awaited<ReturnType<typeof world>>;

/** Everything a refused call must not have changed, in both organizations. */
async function snapshot(w: World) {
  const orgIds = [w.organization.id, w.rival.organization.id];
  const [organizations, members, invites, groups, groupMembers] = await Promise.all([
    db.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, ownerId: true, deletedAt: true }, orderBy: { id: "asc" } }),
    db.organizationMember.findMany({ where: { organizationId: { in: orgIds } }, select: { id: true, userId: true, role: true }, orderBy: { id: "asc" } }),
    db.organizationInvite.findMany({
      where: { organizationId: { in: orgIds } },
      select: { id: true, usedAt: true, revokedAt: true },
      orderBy: { id: "asc" },
    }),
    db.group.findMany({ where: { organizationId: { in: orgIds } }, select: { id: true, name: true, description: true, inviteCode: true }, orderBy: { id: "asc" } }),
    db.groupMember.findMany({ where: { group: { organizationId: { in: orgIds } } }, select: { id: true, userId: true }, orderBy: { id: "asc" } }),
  ]);
  return { organizations, members, invites, groups, groupMembers };
}

type Case = {
  name: string;
  /** Who may: "owner" = OWNER only; "staff" = OWNER and MODERATOR. */
  allowed: "owner" | "staff";
  call: (actor: Actor | null, w: World) => Promise<unknown>;
};

const CASES: Case[] = [
  // members
  { name: "listMembers (id)", allowed: "staff", call: (actor, w) => listMembers({ actor, organizationId: w.organization.id }) },
  { name: "listMembers (slug)", allowed: "staff", call: (actor, w) => listMembers({ actor, slug: w.organization.slug }) },
  {
    name: "transferOwnership",
    allowed: "owner",
    call: (actor, w) => transferOwnership({ actor, organizationId: w.organization.id, memberId: w.colleagueMember.id }),
  },
  {
    name: "changeMemberRole → OWNER",
    allowed: "owner",
    call: (actor, w) => changeMemberRole({ actor, organizationId: w.organization.id, memberId: w.colleagueMember.id, role: "OWNER" }),
  },
  {
    name: "changeMemberRole → MODERATOR",
    allowed: "owner",
    call: (actor, w) => changeMemberRole({ actor, organizationId: w.organization.id, memberId: w.colleagueMember.id, role: "MODERATOR" }),
  },
  { name: "removeMember", allowed: "owner", call: (actor, w) => removeMember({ actor, organizationId: w.organization.id, memberId: w.colleagueMember.id }) },
  // invites
  { name: "createOrganizationInvite", allowed: "owner", call: (actor, w) => createOrganizationInvite({ actor, organizationId: w.organization.id }) },
  { name: "listPendingInvites", allowed: "owner", call: (actor, w) => listPendingInvites({ actor, organizationId: w.organization.id }) },
  {
    name: "revokeOrganizationInvite",
    allowed: "owner",
    call: (actor, w) => revokeOrganizationInvite({ actor, organizationId: w.organization.id, inviteId: w.invite.id }),
  },
  // groups
  { name: "listOrganizationGroups (id)", allowed: "staff", call: (actor, w) => listOrganizationGroups({ actor, organizationId: w.organization.id }) },
  { name: "listOrganizationGroups (slug)", allowed: "staff", call: (actor, w) => listOrganizationGroups({ actor, slug: w.organization.slug }) },
  { name: "getGroupDetails", allowed: "staff", call: (actor, w) => getGroupDetails({ actor, groupId: w.group.id }) },
  { name: "createGroup", allowed: "staff", call: (actor, w) => createGroup({ actor, organizationId: w.organization.id, name: "Новая группа" }) },
  { name: "updateGroup", allowed: "staff", call: (actor, w) => updateGroup({ actor, groupId: w.group.id, name: "Переименована" }) },
  { name: "regenerateGroupCode", allowed: "staff", call: (actor, w) => regenerateGroupCode({ actor, groupId: w.group.id }) },
  { name: "removeGroupMember", allowed: "staff", call: (actor, w) => removeGroupMember({ actor, groupId: w.group.id, memberId: w.groupMember.id }) },
  { name: "deleteGroup", allowed: "owner", call: (actor, w) => deleteGroup({ actor, groupId: w.group.id }) },
];

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe.each(CASES)("$name", ({ allowed, call }) => {
  test("anonymous → UNAUTHENTICATED; another organization's staff or an outsider → NOT_FOUND; nothing changes", async () => {
    const w = await world();
    const before = await snapshot(w);
    expect(await outcome(call(null, w))).toBe("UNAUTHENTICATED");
    expect(await outcome(call(asActor(w.rival.owner), w))).toBe("NOT_FOUND");
    expect(await outcome(call(asActor(w.rival.moderator), w))).toBe("NOT_FOUND");
    expect(await outcome(call(asActor(w.outsider), w))).toBe("NOT_FOUND");
    // A group member who is not staff does not see the organization either.
    expect(await outcome(call(asActor(w.participant), w))).toBe("NOT_FOUND");
    expect(await snapshot(w)).toEqual(before);
  });

  test(`MODERATOR → ${allowed === "owner" ? "FORBIDDEN (owner only), nothing changes" : "allowed"}`, async () => {
    const w = await world();
    const before = await snapshot(w);
    if (allowed === "owner") {
      expect(await outcome(call(asActor(w.moderator), w))).toBe("FORBIDDEN");
      expect(await snapshot(w)).toEqual(before);
    } else {
      expect(await outcome(call(asActor(w.moderator), w))).toBe("OK");
    }
  });

  test("OWNER → allowed (the case is valid)", async () => {
    const w = await world();
    expect(await outcome(call(asActor(w.owner), w))).toBe("OK");
  });

  test("a platform admin acts as MODERATOR", async () => {
    const w = await world();
    const admin = await createUser({ isPlatformAdmin: true });
    expect(await outcome(call({ userId: admin.id, isPlatformAdmin: true }, w))).toBe(allowed === "owner" ? "FORBIDDEN" : "OK");
  });
});

describe("another tenant's row next to one's own organization id → NOT_FOUND, nothing changes", () => {
  test("members, invites and group members", async () => {
    const w = await world();
    const before = await snapshot(w);
    const owner = asActor(w.owner);
    const org = w.organization.id;
    const calls: [string, () => Promise<unknown>][] = [
      ["transfer to a rival member", () => transferOwnership({ actor: owner, organizationId: org, memberId: w.rival.moderatorMember.id })],
      ["change a rival member's role", () => changeMemberRole({ actor: owner, organizationId: org, memberId: w.rival.moderatorMember.id, role: "MODERATOR" })],
      ["remove a rival member", () => removeMember({ actor: owner, organizationId: org, memberId: w.rival.moderatorMember.id })],
      ["revoke a rival invite", () => revokeOrganizationInvite({ actor: owner, organizationId: org, inviteId: w.rival.invite.id })],
      ["remove a rival group's member through one's own group", () => removeGroupMember({ actor: owner, groupId: w.group.id, memberId: w.rival.groupMember.id })],
      ["details of a rival group", () => getGroupDetails({ actor: owner, groupId: w.rival.group.id })],
      ["rename a rival group", () => updateGroup({ actor: owner, groupId: w.rival.group.id, name: "Захвачено" })],
      ["regenerate a rival group's code", () => regenerateGroupCode({ actor: owner, groupId: w.rival.group.id })],
      ["delete a rival group", () => deleteGroup({ actor: owner, groupId: w.rival.group.id })],
      ["leave a rival organization one is not in", () => leaveOrganization({ actor: owner, organizationId: w.rival.organization.id })],
      ["leave a group one is not in", () => leaveGroup({ actor: owner, groupId: w.rival.group.id })],
      ["malformed ids", () => removeMember({ actor: owner, organizationId: org, memberId: "1 OR 1=1" })],
      ["malformed organization id", () => listMembers({ actor: owner, organizationId: "../other" })],
    ];
    for (const [name, call] of calls) expect(await outcome(call()), name).toBe("NOT_FOUND");
    expect(await snapshot(w)).toEqual(before);
  });

  test("leaving: anonymous → UNAUTHENTICATED; a non-member → NOT_FOUND; a moderator may; the owner may not", async () => {
    const w = await world();
    expect(await outcome(leaveOrganization({ actor: null, organizationId: w.organization.id }))).toBe("UNAUTHENTICATED");
    expect(await outcome(leaveGroup({ actor: null, groupId: w.group.id }))).toBe("UNAUTHENTICATED");
    expect(await outcome(leaveOrganization({ actor: asActor(w.outsider), organizationId: w.organization.id }))).toBe("NOT_FOUND");
    expect(await outcome(leaveGroup({ actor: asActor(w.outsider), groupId: w.group.id }))).toBe("NOT_FOUND");
    expect(await outcome(leaveOrganization({ actor: asActor(w.owner), organizationId: w.organization.id }))).toBe("CONFLICT");
    expect(await outcome(leaveOrganization({ actor: asActor(w.moderator), organizationId: w.organization.id }))).toBe("OK");
    expect(await outcome(leaveGroup({ actor: asActor(w.participant), groupId: w.group.id }))).toBe("OK");
  });
});
