"use server";
// Thin entry points of the members page, behind the action edge (lib/http/action.ts): parse with the
// shared schema, the caller from the session, one service (which authorizes), revalidate.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { createOrganizationInvite, revokeOrganizationInvite, type PendingInvite } from "@/lib/organizations/invites";
import { changeMemberRole, leaveOrganization, removeMember, transferOwnership } from "@/lib/organizations/members";
import { changeRoleSchema, createInviteSchema, inviteIdSchema, memberIdSchema, transferOwnershipSchema } from "@/lib/validation/members";

const MEMBERS_PAGE = "/dashboard/o/[slug]/members";

export type CreatedInvite = Pick<PendingInvite, "id" | "webUrl" | "telegramUrl" | "expiresAt" | "telegramUsername">;

export const createInviteAction = action(z.tuple([id, createInviteSchema]), async ([organizationId, input], { actor }) => {
  const invite = await createOrganizationInvite({ actor, organizationId, ...input });
  revalidatePath(MEMBERS_PAGE, "page");
  const created: CreatedInvite = {
    id: invite.id,
    webUrl: invite.webUrl,
    telegramUrl: invite.telegramUrl,
    expiresAt: invite.expiresAt,
    telegramUsername: invite.telegramUsername,
  };
  return { invite: created };
});

export const revokeInviteAction = action(z.tuple([id, inviteIdSchema.shape.inviteId]), async ([organizationId, inviteId], { actor }) => {
  await revokeOrganizationInvite({ actor, organizationId, inviteId });
  revalidatePath(MEMBERS_PAGE, "page");
});

export const transferOwnershipAction = action(z.tuple([id, transferOwnershipSchema]), async ([organizationId, { memberId }], { actor }) => {
  await transferOwnership({ actor, organizationId, memberId });
  revalidatePath("/dashboard", "layout");
});

export const changeRoleAction = action(z.tuple([id, changeRoleSchema]), async ([organizationId, input], { actor }) => {
  await changeMemberRole({ actor, organizationId, ...input });
  revalidatePath("/dashboard", "layout");
});

export const removeMemberAction = action(z.tuple([id, memberIdSchema.shape.memberId]), async ([organizationId, memberId], { actor }) => {
  await removeMember({ actor, organizationId, memberId });
  revalidatePath(MEMBERS_PAGE, "page");
});

export const leaveOrganizationAction = action(z.tuple([id]), async ([organizationId], { actor }) => {
  await leaveOrganization({ actor, organizationId });
  revalidatePath("/dashboard", "layout");
});
