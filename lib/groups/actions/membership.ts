"use server";
// Thin entry points of "my groups", behind the action edge (lib/http/action.ts): join by code (any
// signed-in user; failed codes count against `group-code.failed` per address in the service) and leave.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/http/action";
import { groupIdSchema, joinGroupSchema } from "@/lib/validation/groups";
import { joinGroupByCode, leaveGroup } from "../index";

function revalidateGroups() {
  revalidatePath("/dashboard/groups", "page");
  revalidatePath("/dashboard/o/[slug]/groups", "page");
  revalidatePath("/dashboard/o/[slug]/groups/[id]", "page");
}

export const joinGroupAction = action(joinGroupSchema, async ({ code }, { actor, ip }) => {
  const group = await joinGroupByCode({ actor, code, ip: await ip() });
  revalidateGroups();
  return { group };
});

export const leaveGroupAction = action(
  z.tuple([groupIdSchema.shape.groupId]),
  async ([groupId], { actor }) => {
    await leaveGroup({ actor, groupId });
    revalidateGroups();
  },
  { invalid: "not-found" },
);
