"use server";
// Thin entry points of the members page: parse with the shared schema, take the caller from the
// session, call one service (which authorizes), revalidate, answer with a small ActionResult.
import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { createOrganizationInvite, revokeOrganizationInvite, type PendingInvite } from "@/lib/organizations/invites";
import { changeMemberRole, leaveOrganization, removeMember, transferOwnership } from "@/lib/organizations/members";
import { actorOf } from "@/lib/permissions";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { changeRoleSchema, createInviteSchema, inviteIdSchema, memberIdSchema, transferOwnershipSchema } from "@/lib/validation/members";

const MEMBERS_PAGE = "/dashboard/o/[slug]/members";

const invalid = (error: Parameters<typeof fieldErrorsOf>[0]) =>
  ({ ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(error) }) as const;

async function actor() {
  return actorOf(await getCurrentUser());
}

export type CreatedInvite = Pick<PendingInvite, "id" | "webUrl" | "telegramUrl" | "expiresAt" | "telegramUsername">;

export async function createInviteAction(organizationId: string, input: unknown): Promise<ActionResult<{ invite: CreatedInvite }>> {
  const parsed = createInviteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const invite = await createOrganizationInvite({ actor: await actor(), organizationId: String(organizationId), ...parsed.data });
    revalidatePath(MEMBERS_PAGE, "page");
    return {
      ok: true,
      invite: { id: invite.id, webUrl: invite.webUrl, telegramUrl: invite.telegramUrl, expiresAt: invite.expiresAt, telegramUsername: invite.telegramUsername },
    };
  } catch (error) {
    return toActionError(error);
  }
}

export async function revokeInviteAction(organizationId: string, inviteId: string): Promise<ActionResult> {
  const parsed = inviteIdSchema.safeParse({ inviteId });
  if (!parsed.success) return invalid(parsed.error);
  try {
    await revokeOrganizationInvite({ actor: await actor(), organizationId: String(organizationId), inviteId: parsed.data.inviteId });
    revalidatePath(MEMBERS_PAGE, "page");
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function transferOwnershipAction(organizationId: string, input: unknown): Promise<ActionResult> {
  const parsed = transferOwnershipSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    await transferOwnership({ actor: await actor(), organizationId: String(organizationId), memberId: parsed.data.memberId });
    revalidatePath("/dashboard", "layout");
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function changeRoleAction(organizationId: string, input: unknown): Promise<ActionResult> {
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    await changeMemberRole({ actor: await actor(), organizationId: String(organizationId), ...parsed.data });
    revalidatePath("/dashboard", "layout");
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function removeMemberAction(organizationId: string, memberId: string): Promise<ActionResult> {
  const parsed = memberIdSchema.safeParse({ memberId });
  if (!parsed.success) return invalid(parsed.error);
  try {
    await removeMember({ actor: await actor(), organizationId: String(organizationId), memberId: parsed.data.memberId });
    revalidatePath(MEMBERS_PAGE, "page");
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function leaveOrganizationAction(organizationId: string): Promise<ActionResult> {
  try {
    await leaveOrganization({ actor: await actor(), organizationId: String(organizationId) });
    revalidatePath("/dashboard", "layout");
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
