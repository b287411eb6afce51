"use server";
// Thin entry points of the organization's group pages, behind the action edge (lib/http/action.ts):
// parse with the shared schema, the caller from the session, one service (which authorizes), revalidate.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { groupSchema } from "@/lib/validation/groups";
import { createGroup, deleteGroup, regenerateGroupCode, removeGroupMember, updateGroup } from "../index";

const GROUP_PAGES = ["/dashboard/o/[slug]/groups", "/dashboard/o/[slug]/groups/[id]", "/dashboard/groups"] as const;

function revalidateGroups() {
  for (const path of GROUP_PAGES) revalidatePath(path, "page");
}

export const createGroupAction = action(z.tuple([id, groupSchema]), async ([organizationId, input], { actor }) => {
  const group = await createGroup({ actor, organizationId, ...input });
  revalidateGroups();
  return { id: group.id };
});

export const updateGroupAction = action(z.tuple([id, groupSchema]), async ([groupId, input], { actor }) => {
  await updateGroup({ actor, groupId, ...input });
  revalidateGroups();
});

export const regenerateGroupCodeAction = action(z.tuple([id]), async ([groupId], { actor }) => {
  await regenerateGroupCode({ actor, groupId });
  revalidateGroups();
});

export const removeGroupMemberAction = action(z.tuple([id, id]), async ([groupId, memberId], { actor }) => {
  await removeGroupMember({ actor, groupId, memberId });
  revalidateGroups();
});

export const deleteGroupAction = action(z.tuple([id]), async ([groupId], { actor }) => {
  await deleteGroup({ actor, groupId });
  revalidateGroups();
});
