"use server";
// Thin entry points of "my groups": join by code (any signed-in user) and leave.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { toActionError, type ActionResult } from "@/lib/errors";
import { joinGroupByCode, leaveGroup, type JoinedGroup } from "@/lib/groups";
import { clientIp } from "@/lib/http/client-address";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { groupIdSchema, joinGroupSchema } from "@/lib/validation/groups";
import { fieldErrorsOf } from "@/lib/validation/identity";

function revalidateGroups() {
  revalidatePath("/dashboard/groups", "page");
  revalidatePath("/dashboard/o/[slug]/groups", "page");
  revalidatePath("/dashboard/o/[slug]/groups/[id]", "page");
}

export async function joinGroupAction(input: unknown): Promise<ActionResult<{ group: JoinedGroup }>> {
  const parsed = joinGroupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const group = await joinGroupByCode({ actor: actorOf(await getCurrentUser()), code: parsed.data.code, ip: clientIp(await headers()) });
    revalidateGroups();
    return { ok: true, group };
  } catch (error) {
    return toActionError(error);
  }
}

export async function leaveGroupAction(groupId: string): Promise<ActionResult> {
  const parsed = groupIdSchema.safeParse({ groupId });
  if (!parsed.success) return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
  try {
    await leaveGroup({ actor: actorOf(await getCurrentUser()), groupId: parsed.data.groupId });
    revalidateGroups();
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
