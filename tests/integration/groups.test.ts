// Groups (lib/groups) against a real PostgreSQL: anyone signed in joins by code (no organization
// membership needed), codes are case-insensitive and regenerable, parallel joins give one membership,
// leaving, owner-only deletion, and who sees which groups.
import { describe, expect, test, vi } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/permissions";
import { addMember, createEvent, createGroup as createGroupRow, createOrganization, createUser } from "@/tests/helpers/factories";

// generateCode is wrapped so a test can force a collision; by default it is the real generator.
vi.mock("@/lib/tickets/codes", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/tickets/codes")>();
  return { ...actual, generateCode: vi.fn(actual.generateCode) };
});
const codes = await import("@/lib/tickets/codes");
const {
  createGroup,
  deleteGroup,
  getGroupDetails,
  isGroupMember,
  joinGroupByCode,
  leaveGroup,
  listMyGroups,
  listOrganizationGroups,
  previewGroupByCode,
  regenerateGroupCode,
  removeGroupMember,
  updateGroup,
  visibleGroupIdsForUser,
} = await import("@/lib/groups");

const { translatorFor } = await import("@/lib/i18n/catalogue");
const { groupSchema, joinGroupSchema, parseGroupCode } = await import("@/lib/validation/groups");
const { createInviteSchema, changeRoleSchema, transferOwnershipSchema } = await import("@/lib/validation/members");

const actor = (user: { id: string }): Actor => ({ userId: user.id, isPlatformAdmin: false });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail with an AppError").toBeInstanceOf(AppError);
  return error as AppError;
}

const memberCount = (groupId: string) => db.groupMember.count({ where: { groupId } });

describe("create and edit", () => {
  test("staff create a group with a valid code; the creator is its first member; audited", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser();
    await addMember(organization, moderator);

    const created = await createGroup({ actor: actor(moderator), organizationId: organization.id, name: "  Клуб настольных игр ", description: "" });
    expect(created.inviteCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    const row = await db.group.findUniqueOrThrow({ where: { id: created.id }, include: { members: true } });
    expect(row).toMatchObject({ name: "Клуб настольных игр", description: null, createdById: moderator.id, organizationId: organization.id });
    expect(row.members.map((m) => m.userId)).toEqual([moderator.id]);
    expect(await db.auditLog.count({ where: { entityId: created.id, action: "group.created" } })).toBe(1);

    const details = await getGroupDetails({ actor: actor(owner), groupId: created.id });
    expect(details).toMatchObject({ inviteCode: created.inviteCode, viewer: { canUpdate: true, canDelete: true }, eventCount: 0 });
    expect(details.joinUrl).toMatch(new RegExp(`/g/${created.inviteCode}$`));
    expect(details.members.map((m) => m.userId)).toEqual([moderator.id]);
  });

  test("name 2–100 and description ≤ 1000 are field errors; nothing is created", async () => {
    const { organization, owner } = await createOrganization();
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ name: " a " }, { name: "groups.validation.nameTooShort" }],
      [{ name: "" }, { name: "groups.validation.nameRequired" }],
      [{ name: "я".repeat(101) }, { name: "groups.validation.nameTooLong" }],
      [{ name: "Ок", description: "x".repeat(1001) }, { description: "groups.validation.descriptionTooLong" }],
    ];
    for (const [input, fieldErrors] of cases) {
      const error = await rejection(createGroup({ actor: actor(owner), organizationId: organization.id, ...(input as { name: string }) }));
      expect(error).toMatchObject({ code: "VALIDATION", fieldErrors });
    }
    expect(await db.group.count({ where: { organizationId: organization.id } })).toBe(0);
    // The limits themselves are accepted.
    await createGroup({ actor: actor(owner), organizationId: organization.id, name: "Ок", description: "x".repeat(1000) });
    await createGroup({ actor: actor(owner), organizationId: organization.id, name: "я".repeat(100) });
  });

  test("a code collision retries with a new code", async () => {
    const { organization, owner } = await createOrganization();
    const existing = await createGroupRow(organization);
    vi.mocked(codes.generateCode).mockReturnValueOnce(existing.inviteCode);
    const created = await createGroup({ actor: actor(owner), organizationId: organization.id, name: "Вторая" });
    expect(created.inviteCode).not.toBe(existing.inviteCode);
    expect(await db.group.count({ where: { organizationId: organization.id } })).toBe(2);
  });

  test("update changes name and description with an audit diff", async () => {
    const { organization, owner } = await createOrganization();
    const group = await createGroupRow(organization, { name: "Старое" });
    await updateGroup({ actor: actor(owner), groupId: group.id, name: "Новое", description: "Про нас" });
    expect(await db.group.findUniqueOrThrow({ where: { id: group.id } })).toMatchObject({ name: "Новое", description: "Про нас" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: group.id, action: "group.updated" } });
    expect(audit.changes).toEqual({ name: { from: "Старое", to: "Новое" }, description: { from: null, to: "Про нас" } });
  });
});

describe("join by code", () => {
  test("an outsider with no organization membership joins by code; lower case, spaces, dashes and links work", async () => {
    const { organization } = await createOrganization();
    const group = await createGroupRow(organization);
    const outsider = await createUser();
    expect(await db.organizationMember.count({ where: { userId: outsider.id } })).toBe(0);

    const joined = await joinGroupByCode({ actor: actor(outsider), code: group.inviteCode.toLowerCase() });
    expect(joined).toMatchObject({ groupId: group.id, groupName: group.name, organizationName: organization.name, alreadyMember: false });
    expect(await isGroupMember(outsider.id, group.id)).toBe(true);
    // Still not an organization member: groups are independent of the team.
    expect(await db.organizationMember.count({ where: { userId: outsider.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "group_member.joined_by_code", actorId: outsider.id } })).toBe(1);

    const spaced = `${group.inviteCode.slice(0, 4).toLowerCase()}-${group.inviteCode.slice(4)} `;
    for (const [code, user] of [
      [spaced, await createUser()],
      [`https://aqstream.example/g/${group.inviteCode.toLowerCase()}`, await createUser()],
    ] as const) {
      expect((await joinGroupByCode({ actor: actor(user), code })).alreadyMember).toBe(false);
    }
    expect(await memberCount(group.id)).toBe(3);

    // Joining again is not an error.
    expect(await joinGroupByCode({ actor: actor(outsider), code: group.inviteCode })).toMatchObject({ alreadyMember: true });
    expect(await memberCount(group.id)).toBe(3);
  });

  test("malformed and unknown codes; anonymous callers", async () => {
    const { organization } = await createOrganization();
    const group = await createGroupRow(organization);
    const user = await createUser();
    expect(await rejection(joinGroupByCode({ actor: actor(user), code: "O0I1L" }))).toMatchObject({
      code: "VALIDATION",
      fieldErrors: { code: "groups.validation.codeInvalid" },
    });
    expect(await rejection(joinGroupByCode({ actor: actor(user), code: "ZZZZZZZZ" }))).toMatchObject({ code: "NOT_FOUND", message: "groups.errors.codeNotFound" });
    expect(await rejection(joinGroupByCode({ actor: null, code: group.inviteCode }))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await memberCount(group.id)).toBe(0);
  });

  test("10 parallel joins of one user → exactly one membership (and one audit row)", async () => {
    const { organization } = await createOrganization();
    const group = await createGroupRow(organization);
    const user = await createUser();

    const results = await Promise.all(Array.from({ length: 10 }, () => joinGroupByCode({ actor: actor(user), code: group.inviteCode.toLowerCase() })));

    expect(results.filter((r) => !r.alreadyMember)).toHaveLength(1);
    expect(await db.groupMember.count({ where: { groupId: group.id, userId: user.id } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "group_member.joined_by_code", actorId: user.id } })).toBe(1);
  });

  test("regenerating the code invalidates the old one at once; members stay", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser();
    await addMember(organization, moderator);
    const member = await createUser();
    const group = await createGroupRow(organization, { members: [member] });
    const oldCode = group.inviteCode;

    const { inviteCode: newCode } = await regenerateGroupCode({ actor: actor(moderator), groupId: group.id });
    expect(newCode).not.toBe(oldCode);
    expect(newCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);

    const late = await createUser();
    expect(await rejection(joinGroupByCode({ actor: actor(late), code: oldCode }))).toMatchObject({ code: "NOT_FOUND", message: "groups.errors.codeNotFound" });
    expect(await previewGroupByCode({ code: oldCode })).toEqual({ status: "invalid" });
    await joinGroupByCode({ actor: actor(late), code: newCode.toLowerCase() });
    expect(await isGroupMember(member.id, group.id)).toBe(true);
    expect(await isGroupMember(late.id, group.id)).toBe(true);

    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: group.id, action: "group.code_regenerated" } });
    expect(JSON.stringify(audit.changes)).not.toContain(oldCode);
    expect(owner.id).toBeTruthy();
  });

  test("a group of a deleted organization cannot be joined or previewed", async () => {
    const { organization } = await createOrganization();
    const group = await createGroupRow(organization);
    await db.organization.update({ where: { id: organization.id }, data: { deletedAt: new Date() } });
    const user = await createUser();
    expect(await rejection(joinGroupByCode({ actor: actor(user), code: group.inviteCode }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await previewGroupByCode({ code: group.inviteCode })).toEqual({ status: "invalid" });
  });

  test("the preview shows name, organization and size — and whether the viewer is already in", async () => {
    const { organization } = await createOrganization({ name: "Клуб" });
    const member = await createUser();
    const group = await createGroupRow(organization, { name: "Шахматы", members: [member] });
    expect(await previewGroupByCode({ code: group.inviteCode.toLowerCase() })).toEqual({
      status: "valid",
      code: group.inviteCode,
      name: "Шахматы",
      description: null,
      organizationName: "Клуб",
      memberCount: 1,
      isMember: null,
    });
    expect(await previewGroupByCode({ code: group.inviteCode, actor: actor(member) })).toMatchObject({ isMember: true });
    expect(await previewGroupByCode({ code: group.inviteCode, actor: actor(await createUser()) })).toMatchObject({ isMember: false });
  });
});

describe("leave, remove, delete", () => {
  test("a member leaves with one call; leaving again is NOT_FOUND; the creator may leave too", async () => {
    const { organization, owner } = await createOrganization();
    const created = await createGroup({ actor: actor(owner), organizationId: organization.id, name: "Бег по утрам" });
    const user = await createUser();
    await joinGroupByCode({ actor: actor(user), code: created.inviteCode });

    await leaveGroup({ actor: actor(user), groupId: created.id });
    expect(await isGroupMember(user.id, created.id)).toBe(false);
    expect(await rejection(leaveGroup({ actor: actor(user), groupId: created.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await db.auditLog.count({ where: { entityType: "group_member", action: "group_member.left", actorId: user.id } })).toBe(1);

    await leaveGroup({ actor: actor(owner), groupId: created.id });
    expect(await memberCount(created.id)).toBe(0);
    // The owner still manages the group through the organization role.
    expect((await getGroupDetails({ actor: actor(owner), groupId: created.id })).members).toEqual([]);
  });

  test("staff remove a member; a member of another group is NOT_FOUND", async () => {
    const { organization, owner } = await createOrganization();
    const user = await createUser();
    const group = await createGroupRow(organization, { members: [user] });
    const otherGroup = await createGroupRow(organization, { members: [await createUser()] });
    const otherMember = await db.groupMember.findFirstOrThrow({ where: { groupId: otherGroup.id } });
    const member = await db.groupMember.findFirstOrThrow({ where: { groupId: group.id } });

    expect(await rejection(removeGroupMember({ actor: actor(owner), groupId: group.id, memberId: otherMember.id }))).toMatchObject({ code: "NOT_FOUND" });
    await removeGroupMember({ actor: actor(owner), groupId: group.id, memberId: member.id });
    expect(await isGroupMember(user.id, group.id)).toBe(false);
    expect(await isGroupMember(otherMember.userId, otherGroup.id)).toBe(true);
  });

  test("delete: a moderator is FORBIDDEN; the owner deletes; a group with events is kept (its events would turn public)", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser();
    await addMember(organization, moderator);
    const group = await createGroupRow(organization, { members: [moderator] });

    expect(await rejection(deleteGroup({ actor: actor(moderator), groupId: group.id }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await db.group.count({ where: { id: group.id } })).toBe(1);

    const withEvents = await createGroupRow(organization);
    await createEvent(organization, { groupId: withEvents.id });
    expect(await rejection(deleteGroup({ actor: actor(owner), groupId: withEvents.id }))).toMatchObject({ code: "CONFLICT", message: "groups.errors.hasEvents" });
    expect((await getGroupDetails({ actor: actor(owner), groupId: withEvents.id })).eventCount).toBe(1);

    await deleteGroup({ actor: actor(owner), groupId: group.id });
    expect(await db.group.count({ where: { id: group.id } })).toBe(0);
    expect(await db.groupMember.count({ where: { groupId: group.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { entityId: group.id, action: "group.deleted" } })).toBe(1);
    expect(await rejection(deleteGroup({ actor: actor(owner), groupId: group.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("visibility", () => {
  test("staff see every group of their organization with members; a plain member only their own groups", async () => {
    const { organization, owner } = await createOrganization();
    const moderator = await createUser();
    await addMember(organization, moderator);
    const participant = await createUser();
    const mine = await createGroupRow(organization, { name: "Моя", members: [participant] });
    const notMine = await createGroupRow(organization, { name: "Чужая" });
    const { organization: elsewhere } = await createOrganization();
    const elsewhereGroup = await createGroupRow(elsewhere, { name: "Другая организация", members: [participant] });

    const staffView = await listOrganizationGroups({ actor: actor(moderator), slug: organization.slug });
    expect(staffView.groups.map((g) => g.id).sort()).toEqual([mine.id, notMine.id].sort());
    expect(staffView.viewer).toEqual({ canCreate: true, canDelete: false });
    expect((await listOrganizationGroups({ actor: actor(owner), organizationId: organization.id })).viewer).toEqual({ canCreate: true, canDelete: true });

    // A participant is not staff: the organization's group list and group details do not exist for them.
    expect(await rejection(listOrganizationGroups({ actor: actor(participant), organizationId: organization.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await rejection(getGroupDetails({ actor: actor(participant), groupId: mine.id }))).toMatchObject({ code: "NOT_FOUND" });

    const my = await listMyGroups({ actor: actor(participant) });
    expect(my.map((g) => g.id).sort()).toEqual([mine.id, elsewhereGroup.id].sort());
    expect(my.every((g) => !g.canManage)).toBe(true);
    expect(my.find((g) => g.id === mine.id)).toMatchObject({ memberCount: 1, organization: { id: organization.id, slug: organization.slug } });
    expect(JSON.stringify(my)).not.toContain(mine.inviteCode);

    // For the events feature: members see their groups' private events, staff see all their groups.
    expect((await visibleGroupIdsForUser(participant.id)).sort()).toEqual([mine.id, elsewhereGroup.id].sort());
    expect((await visibleGroupIdsForUser(moderator.id)).sort()).toEqual([mine.id, notMine.id].sort());
    expect(await isGroupMember(participant.id, notMine.id)).toBe(false);
    expect(await isGroupMember(participant.id, "not-a-uuid")).toBe(false);
    expect(await visibleGroupIdsForUser((await createUser()).id)).toEqual([]);

    // Groups of a deleted organization disappear from every list.
    await db.organization.update({ where: { id: elsewhere.id }, data: { deletedAt: new Date() } });
    expect((await listMyGroups({ actor: actor(participant) })).map((g) => g.id)).toEqual([mine.id]);
    expect(await visibleGroupIdsForUser(participant.id)).toEqual([mine.id]);
  });

  test("listMyGroups marks the groups the viewer can manage", async () => {
    const { organization, owner } = await createOrganization();
    const created = await createGroup({ actor: actor(owner), organizationId: organization.id, name: "Своя" });
    const my = await listMyGroups({ actor: actor(owner) });
    expect(my).toEqual([expect.objectContaining({ id: created.id, canManage: true })]);
    expect(await rejection(listMyGroups({ actor: null }))).toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("schemas", () => {
  test("parseGroupCode: case, spaces, dashes and pasted links; look-alikes are refused", () => {
    expect(parseGroupCode("abcd2345")).toBe("ABCD2345");
    expect(parseGroupCode(" abcd-2345 ")).toBe("ABCD2345");
    expect(parseGroupCode("ABCD 2345")).toBe("ABCD2345");
    expect(parseGroupCode("https://aqstream.example/g/abcd2345?utm=x")).toBe("ABCD2345");
    expect(parseGroupCode("ABCD234O")).toBeNull(); // O is not in the alphabet
    expect(parseGroupCode("ABCD234")).toBeNull();
    expect(parseGroupCode(undefined)).toBeNull();
  });

  test("every message key the members and groups schemas emit exists in both catalogues", () => {
    const keys = new Set<string>();
    const collect = (result: { error?: { issues: { message: string }[] } }) => result.error?.issues.forEach((i) => keys.add(i.message));
    for (const sample of [{}, { name: "" }, { name: "a" }, { name: "я".repeat(101), description: "x".repeat(1001) }, { name: 5 }]) collect(groupSchema.safeParse(sample));
    for (const sample of [{}, { code: "" }, { code: "O0O0O0O0" }]) collect(joinGroupSchema.safeParse(sample));
    for (const sample of [{ telegramUsername: "a b" }]) collect(createInviteSchema.safeParse(sample));
    for (const sample of [{}, { memberId: "x", role: "ADMIN" }]) collect(changeRoleSchema.safeParse(sample));
    for (const sample of [{}, { memberId: "x", confirm: false }]) collect(transferOwnershipSchema.safeParse(sample));
    expect(keys.size).toBeGreaterThan(8);
    for (const locale of ["ru", "en"] as const) {
      const t = translatorFor(locale);
      for (const key of keys) expect(t.has(key), key).toBe(true);
    }
    // And the service errors.
    for (const key of [
      "groups.errors.codeNotFound",
      "groups.errors.hasEvents",
      "members.errors.tooManyInvites",
      "members.errors.alreadyOwner",
      "members.errors.ownerRoleLocked",
      "members.errors.ownerCannotBeRemoved",
      "members.errors.ownerCannotLeave",
    ]) {
      expect(translatorFor("ru").has(key), key).toBe(true);
      expect(translatorFor("en").has(key), key).toBe(true);
    }
  });
});
