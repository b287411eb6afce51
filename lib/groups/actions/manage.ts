"use server";
// Thin entry points of the organization's group pages: parse with the shared schema, take the caller
// from the session, call one service (which authorizes), revalidate, answer with a small ActionResult.
import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/errors";
import { createGroup, deleteGroup, regenerateGroupCode, removeGroupMember, updateGroup } from "@/lib/groups";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { groupSchema } from "@/lib/validation/groups";
import { fieldErrorsOf } from "@/lib/validation/identity";

const GROUP_PAGES = ["/dashboard/o/[slug]/groups", "/dashboard/o/[slug]/groups/[id]", "/dashboard/groups"] as const;

function revalidateGroups() {
  for (const path of GROUP_PAGES) revalidatePath(path, "page");
}

async function actor() {
  return actorOf(await getCurrentUser());
}

export async function createGroupAction(organizationId: string, input: unknown): Promise<ActionResult<{ id: string }>> {
  const parsed = groupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const group = await createGroup({ actor: await actor(), organizationId: String(organizationId), ...parsed.data });
    revalidateGroups();
    return { ok: true, id: group.id };
  } catch (error) {
    return toActionError(error);
  }
}

export async function updateGroupAction(groupId: string, input: unknown): Promise<ActionResult> {
  const parsed = groupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await updateGroup({ actor: await actor(), groupId: String(groupId), ...parsed.data });
    revalidateGroups();
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function regenerateGroupCodeAction(groupId: string): Promise<ActionResult> {
  try {
    await regenerateGroupCode({ actor: await actor(), groupId: String(groupId) });
    revalidateGroups();
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function removeGroupMemberAction(groupId: string, memberId: string): Promise<ActionResult> {
  try {
    await removeGroupMember({ actor: await actor(), groupId: String(groupId), memberId: String(memberId) });
    revalidateGroups();
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function deleteGroupAction(groupId: string): Promise<ActionResult> {
  try {
    await deleteGroup({ actor: await actor(), groupId: String(groupId) });
    revalidateGroups();
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
