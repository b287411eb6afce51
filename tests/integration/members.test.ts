// Organization members, roles, ownership transfer and invites (lib/organizations/members.ts and
// invites.ts) against a real PostgreSQL: single-use invites under concurrency, owner-only role
// management, and the "exactly one OWNER matching owner_id" rule under parallel transfers.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import {
  INVITE_TTL_MS,
  acceptOrganizationInvite,
  createOrganizationInvite,
  generateInviteCode,
  listPendingInvites,
  previewOrganizationInvite,
  revokeOrganizationInvite,
} from "@/lib/organizations/invites";
import { changeMemberRole, leaveOrganization, listMembers, removeMember, transferOwnership } from "@/lib/organizations/members";
import type { Actor } from "@/lib/permissions";
import { addMember, createOrganization, createUser } from "@/tests/helpers/factories";

const actor = (user: { id: string }): Actor => ({ userId: user.id, isPlatformAdmin: false });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail with an AppError").toBeInstanceOf(AppError);
  return error as AppError;
}

async function owners(organizationId: string) {
  const [org, rows] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { ownerId: true } }),
    db.organizationMember.findMany({ where: { organizationId, role: "OWNER" }, select: { userId: true } }),
  ]);
  return { ownerId: org.ownerId, ownerMembers: rows.map((r) => r.userId) };
}

async function membershipOf(organizationId: string, userId: string) {
  return db.organizationMember.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
}

// ───────────────────────────── invites ─────────────────────────────

describe("invites", () => {
  test("the owner creates a 32-character, 7-day, MODERATOR invite with an optional Telegram note", async () => {
    const { organization, owner } = await createOrganization();
    const now = new Date();
    const invite = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id, telegramUsername: "  @Ivan_Petrov ", now });

    expect(invite.code).toMatch(/^[a-z0-9]{32}$/);
    expect(invite.role).toBe("MODERATOR");
    expect(invite.telegramUsername).toBe("Ivan_Petrov");
    expect(invite.expiresAt.getTime()).toBe(now.getTime() + INVITE_TTL_MS);
    expect(invite.webUrl).toMatch(new RegExp(`/invite/${invite.code}$`));
    expect(invite.telegramUrl).toBeNull(); // no bot configured in this test process

    const audit = await db.auditLog.findMany({ where: { entityId: invite.id, action: "invite.created" } });
    expect(audit).toHaveLength(1);
  });

  test("codes are unbiased lower-case [a-z0-9] and distinct", () => {
    const codes = new Set(Array.from({ length: 500 }, () => generateInviteCode()));
    expect(codes.size).toBe(500);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]{32}$/);
  });

  test("a malformed Telegram username is a field error, and nothing is created", async () => {
    const { organization, owner } = await createOrganization();
    const error = await rejection(createOrganizationInvite({ actor: actor(owner), organizationId: organization.id, telegramUsername: "no spaces!" }));
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({ telegramUsername: "members.validation.telegramUsernameInvalid" });
    expect(await db.organizationInvite.count({ where: { organizationId: organization.id } })).toBe(0);
  });

  test("10 parallel accepts of one invite by 10 users → exactly one membership", async () => {
    const { organization, owner } = await createOrganization();
    const invite = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
    const users = await Promise.all(Array.from({ length: 10 }, () => createUser()));

    const results = await Promise.allSettled(users.map((u) => acceptOrganizationInvite({ code: invite.code, actor: actor(u) })));

    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT", message: "errors.inviteUsed" });
    }
    const moderators = await db.organizationMember.findMany({ where: { organizationId: organization.id, role: "MODERATOR" } });
    expect(moderators).toHaveLength(1);
    const row = await db.organizationInvite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.usedById).toBe(moderators[0].userId);
    expect(moderators[0].invitedById).toBe(owner.id);
    expect(await db.auditLog.count({ where: { organizationId: organization.id, action: "member.joined_by_invite" } })).toBe(1);
  });

  test("10 parallel accepts of one invite by the same user → one membership, no error leaks", async () => {
    const { organization, owner } = await createOrganization();
    const invite = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
    const user = await createUser();

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => acceptOrganizationInvite({ code: invite.code, actor: actor(user) })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AppError);
    expect(await db.organizationMember.count({ where: { organizationId: organization.id, userId: user.id } })).toBe(1);
  });

  test("the code is case-insensitive on input; a used invite is refused the second time", async () => {
    const { organization, owner } = await createOrganization();
    const invite = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
    const first = await createUser();
    const accepted = await acceptOrganizationInvite({ code: ` ${invite.code.toUpperCase()} `, actor: actor(first) });
    expect(accepted).toMatchObject({ organizationId: organization.id, organizationSlug: organization.slug, role: "MODERATOR" });

    const second = await createUser();
    expect(await rejection(acceptOrganizationInvite({ code: invite.code, actor: actor(second) }))).toMatchObject({ code: "CONFLICT", message: "errors.inviteUsed" });
    expect((await previewOrganizationInvite({ code: invite.code })).status).toBe("used");
    // The member who used it sees "already a member", not "used".
    expect(await previewOrganizationInvite({ code: invite.code, actor: actor(first) })).toMatchObject({ status: "used", viewerIsMember: true });
  });

  test("expired and revoked invites are refused and leave no membership", async () => {
    const { organization, owner } = await createOrganization();
    const user = await createUser();
    const past = new Date(Date.now() - INVITE_TTL_MS - 60_000);
    const expired = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id, now: past });
    const revoked = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
    await revokeOrganizationInvite({ actor: actor(owner), organizationId: organization.id, inviteId: revoked.id });

    expect(await rejection(acceptOrganizationInvite({ code: expired.code, actor: actor(user) }))).toMatchObject({ code: "CONFLICT", message: "errors.inviteExpired" });
    expect(await rejection(acceptOrganizationInvite({ code: revoked.code, actor: actor(user) }))).toMatchObject({ code: "CONFLICT", message: "errors.inviteRevoked" });
    expect(await rejection(acceptOrganizationInvite({ code: "x".repeat(32), actor: actor(user) }))).toMatchObject({ code: "NOT_FOUND", message: "errors.inviteInvalid" });
    expect(await rejection(acceptOrganizationInvite({ code: "short", actor: actor(user) }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await membershipOf(organization.id, user.id)).toBeNull();

    expect((await previewOrganizationInvite({ code: expired.code })).status).toBe("expired");
    expect((await previewOrganizationInvite({ code: revoked.code })).status).toBe("revoked");
    expect((await previewOrganizationInvite({ code: "nope" })).status).toBe("invalid");
  });

  test("accepting without a user is UNAUTHENTICATED; an existing member keeps the invite unused", async () => {
    const { organization, owner } = await createOrganization();
    const invite = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
    expect(await rejection(acceptOrganizationInvite({ code: invite.code, actor: null }))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await rejection(acceptOrganizationInvite({ code: invite.code, actor: actor(owner) }))).toMatchObject({
      code: "CONFLICT",
      message: "errors.inviteAlreadyMember",
    });
    expect((await db.organizationInvite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).toBeNull();
  });

  test("pending list shows only usable invites; revoke is single-shot and refuses used ones", async () => {
    const { organization, owner } = await createOrganization();
    const a = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id, telegramUsername: "first_user" });
    const b = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
    const c = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
    await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id, now: new Date(Date.now() - INVITE_TTL_MS - 1000) });
    await acceptOrganizationInvite({ code: b.code, actor: actor(await createUser()) });
    await revokeOrganizationInvite({ actor: actor(owner), organizationId: organization.id, inviteId: c.id });

    const pending = await listPendingInvites({ actor: actor(owner), organizationId: organization.id });
    expect(pending.map((i) => i.id)).toEqual([a.id]);
    expect(pending[0]).toMatchObject({ telegramUsername: "first_user", createdBy: { id: owner.id } });

    expect(await rejection(revokeOrganizationInvite({ actor: actor(owner), organizationId: organization.id, inviteId: c.id }))).toMatchObject({
      code: "CONFLICT",
      message: "errors.inviteRevoked",
    });
    expect(await rejection(revokeOrganizationInvite({ actor: actor(owner), organizationId: organization.id, inviteId: b.id }))).toMatchObject({
      code: "CONFLICT",
      message: "errors.inviteUsed",
    });
    expect(await db.auditLog.count({ where: { organizationId: organization.id, action: "invite.revoked" } })).toBe(1);
  });

  test("a revoke racing an accept: the invite ends up either used or revoked, never both", async () => {
    const { organization, owner } = await createOrganization();
    for (let round = 0; round < 5; round++) {
      const invite = await createOrganizationInvite({ actor: actor(owner), organizationId: organization.id });
      const user = await createUser();
      const [accepted, revoked] = await Promise.allSettled([
        acceptOrganizationInvite({ code: invite.code, actor: actor(user) }),
        revokeOrganizationInvite({ actor: actor(owner), organizationId: organization.id, inviteId: invite.id }),
      ]);
      const row = await db.organizationInvite.findUniqueOrThrow({ where: { id: invite.id } });
      expect([accepted.status, revoked.status].filter((s) => s === "fulfilled")).toHaveLength(1);
      expect(row.usedAt === null).not.toBe(row.revokedAt === null);
      expect((await membershipOf(organization.id, user.id)) !== null).toBe(row.usedAt !== null);
    }
  });
});

// ───────────────────────────── roles and removal ─────────────────────────────

describe("roles", () => {
  test("the member list: owner first, roles and join dates, what the viewer may do", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser({ firstName: "Мария", lastName: null });
    await addMember(organization, moderator, "MODERATOR", owner);

    const asOwner = await listMembers({ actor: actor(owner), slug: organization.slug });
    expect(asOwner.members.map((m) => [m.userId, m.role])).toEqual([
      [owner.id, "OWNER"],
      [moderator.id, "MODERATOR"],
    ]);
    expect(asOwner.members[1]).toMatchObject({ name: "Мария", invitedBy: { id: owner.id }, isSelf: false });
    expect(asOwner.members[1].joinedAt).toBeInstanceOf(Date);
    expect(asOwner.viewer).toMatchObject({ role: "OWNER", canInvite: true, canChangeRoles: true, canRemove: true, canTransfer: true, canLeave: false });

    const asModerator = await listMembers({ actor: actor(moderator), organizationId: organization.id });
    expect(asModerator.viewer).toMatchObject({ role: "MODERATOR", canInvite: false, canChangeRoles: false, canRemove: false, canTransfer: false, canLeave: true });
  });

  test("a moderator cannot change roles, remove members, transfer ownership or invite: FORBIDDEN, nothing changes", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser();
    const other = await createUser();
    const modMember = await addMember(organization, moderator);
    const otherMember = await addMember(organization, other);
    const ownerMember = (await membershipOf(organization.id, owner.id))!;
    const as = actor(moderator);

    const calls = [
      () => changeMemberRole({ actor: as, organizationId: organization.id, memberId: otherMember.id, role: "OWNER" }),
      () => changeMemberRole({ actor: as, organizationId: organization.id, memberId: ownerMember.id, role: "MODERATOR" }),
      () => changeMemberRole({ actor: as, organizationId: organization.id, memberId: modMember.id, role: "OWNER" }),
      () => transferOwnership({ actor: as, organizationId: organization.id, memberId: modMember.id }),
      () => removeMember({ actor: as, organizationId: organization.id, memberId: otherMember.id }),
      () => removeMember({ actor: as, organizationId: organization.id, memberId: ownerMember.id }),
      () => createOrganizationInvite({ actor: as, organizationId: organization.id }),
      () => listPendingInvites({ actor: as, organizationId: organization.id }),
    ];
    for (const call of calls) expect(await rejection(call())).toMatchObject({ code: "FORBIDDEN" });

    expect(await owners(organization.id)).toEqual({ ownerId: owner.id, ownerMembers: [owner.id] });
    expect(await db.organizationMember.count({ where: { organizationId: organization.id } })).toBe(3);
    expect(await db.organizationInvite.count({ where: { organizationId: organization.id } })).toBe(0);
  });

  test("the owner cannot demote, remove or lead themselves out", async () => {
    const { organization, owner } = await createOrganization();
    await addMember(organization, await createUser());
    const ownerMember = (await membershipOf(organization.id, owner.id))!;
    const as = actor(owner);

    expect(await rejection(changeMemberRole({ actor: as, organizationId: organization.id, memberId: ownerMember.id, role: "MODERATOR" }))).toMatchObject({
      code: "CONFLICT",
      message: "members.errors.ownerRoleLocked",
    });
    expect(await rejection(changeMemberRole({ actor: as, organizationId: organization.id, memberId: ownerMember.id, role: "OWNER" }))).toMatchObject({
      code: "CONFLICT",
      message: "members.errors.alreadyOwner",
    });
    expect(await rejection(removeMember({ actor: as, organizationId: organization.id, memberId: ownerMember.id }))).toMatchObject({
      code: "CONFLICT",
      message: "members.errors.ownerCannotBeRemoved",
    });
    expect(await rejection(leaveOrganization({ actor: as, organizationId: organization.id }))).toMatchObject({
      code: "CONFLICT",
      message: "members.errors.ownerCannotLeave",
    });
    expect(await owners(organization.id)).toEqual({ ownerId: owner.id, ownerMembers: [owner.id] });
  });

  test("MODERATOR → MODERATOR is a no-op; the owner removes a moderator (audited); a moderator leaves on their own", async () => {
    const { organization, owner } = await createOrganization();
    const a = await createUser();
    const b = await createUser();
    const memberA = await addMember(organization, a);
    await addMember(organization, b);

    expect(await changeMemberRole({ actor: actor(owner), organizationId: organization.id, memberId: memberA.id, role: "MODERATOR" })).toEqual({
      id: memberA.id,
      role: "MODERATOR",
      changed: false,
    });

    await removeMember({ actor: actor(owner), organizationId: organization.id, memberId: memberA.id });
    expect(await membershipOf(organization.id, a.id)).toBeNull();
    expect(await db.auditLog.count({ where: { entityId: memberA.id, action: "member.removed", actorId: owner.id } })).toBe(1);
    // Removed twice: the membership no longer exists.
    expect(await rejection(removeMember({ actor: actor(owner), organizationId: organization.id, memberId: memberA.id }))).toMatchObject({ code: "NOT_FOUND" });
    // A removed member has no access any more.
    expect(await rejection(listMembers({ actor: actor(a), organizationId: organization.id }))).toMatchObject({ code: "NOT_FOUND" });

    await leaveOrganization({ actor: actor(b), organizationId: organization.id });
    expect(await membershipOf(organization.id, b.id)).toBeNull();
    expect(await db.auditLog.count({ where: { organizationId: organization.id, action: "member.left", actorId: b.id } })).toBe(1);
    expect(await rejection(leaveOrganization({ actor: actor(b), organizationId: organization.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

// ───────────────────────────── ownership transfer ─────────────────────────────

describe("ownership transfer", () => {
  test("demotes the old owner, promotes the new one, updates owner_id, audits — exactly one OWNER", async () => {
    const { organization, owner } = await createOrganization();
    const next = await createUser();
    const nextMember = await addMember(organization, next);

    const result = await transferOwnership({ actor: actor(owner), organizationId: organization.id, memberId: nextMember.id });
    expect(result).toEqual({ organizationId: organization.id, previousOwnerId: owner.id, newOwnerId: next.id });

    expect(await owners(organization.id)).toEqual({ ownerId: next.id, ownerMembers: [next.id] });
    expect((await membershipOf(organization.id, owner.id))?.role).toBe("MODERATOR");
    const audit = await db.auditLog.findMany({ where: { entityId: organization.id, action: "organization.ownership_transferred" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].changes).toEqual({ ownerId: { from: owner.id, to: next.id } });

    // The former owner is now a moderator: owner-only actions are FORBIDDEN, leaving is allowed.
    const formerOwnerMember = (await membershipOf(organization.id, owner.id))!;
    expect(await rejection(transferOwnership({ actor: actor(owner), organizationId: organization.id, memberId: formerOwnerMember.id }))).toMatchObject({
      code: "FORBIDDEN",
    });
    // The new owner can give it back through changeMemberRole(OWNER).
    await changeMemberRole({ actor: actor(next), organizationId: organization.id, memberId: formerOwnerMember.id, role: "OWNER" });
    expect(await owners(organization.id)).toEqual({ ownerId: owner.id, ownerMembers: [owner.id] });
  });

  test("to someone who is not a member of this organization → NOT_FOUND, nothing changes", async () => {
    const { organization, owner } = await createOrganization();
    const { organization: other } = await createOrganization();
    const stranger = await addMember(other, await createUser());
    expect(await rejection(transferOwnership({ actor: actor(owner), organizationId: organization.id, memberId: stranger.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await rejection(transferOwnership({ actor: actor(owner), organizationId: organization.id, memberId: "not-a-uuid" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await owners(organization.id)).toEqual({ ownerId: owner.id, ownerMembers: [owner.id] });
    expect((await owners(other.id)).ownerMembers).toHaveLength(1);
  });

  test("parallel transfers to different members: exactly one wins, never two owners", async () => {
    for (let round = 0; round < 3; round++) {
      const { organization, owner } = await createOrganization();
      const candidates = await Promise.all(Array.from({ length: 6 }, async () => addMember(organization, await createUser())));

      const results = await Promise.allSettled(
        candidates.map((m) => transferOwnership({ actor: actor(owner), organizationId: organization.id, memberId: m.id })),
      );

      const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "FORBIDDEN" });
      const state = await owners(organization.id);
      expect(state.ownerMembers).toEqual([won[0].newOwnerId]);
      expect(state.ownerId).toBe(won[0].newOwnerId);
      expect(await db.organizationMember.count({ where: { organizationId: organization.id } })).toBe(7);
    }
  });

  test("parallel transfers and removals interleaved: always exactly one OWNER matching owner_id", async () => {
    const { organization, owner } = await createOrganization();
    const a = await addMember(organization, await createUser());
    const b = await addMember(organization, await createUser());
    const c = await addMember(organization, await createUser());

    await Promise.allSettled([
      transferOwnership({ actor: actor(owner), organizationId: organization.id, memberId: a.id }),
      removeMember({ actor: actor(owner), organizationId: organization.id, memberId: a.id }),
      transferOwnership({ actor: actor(owner), organizationId: organization.id, memberId: b.id }),
      removeMember({ actor: actor(owner), organizationId: organization.id, memberId: c.id }),
      leaveOrganization({ actor: { userId: b.userId, isPlatformAdmin: false }, organizationId: organization.id }),
    ]);

    const state = await owners(organization.id);
    expect(state.ownerMembers).toHaveLength(1);
    expect(state.ownerMembers[0]).toBe(state.ownerId);
  });
});
