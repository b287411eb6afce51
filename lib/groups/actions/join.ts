"use server";
// The join page's actions: join as the signed-in user, or create an account and join at once.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/errors";
import { joinGroupByCode } from "@/lib/groups";
import { clientIp } from "@/lib/http/client-address";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { signUpThen } from "@/lib/identity/actions/sign-up-then";

const myGroups = (groupId: string) => `/dashboard/groups?joined=${encodeURIComponent(groupId)}`;

export async function joinGroupFromLinkAction(code: string): Promise<ActionResult> {
  let groupId: string;
  try {
    const joined = await joinGroupByCode({ actor: actorOf(await getCurrentUser()), code: String(code), ip: clientIp(await headers()) });
    groupId = joined.groupId;
  } catch (error) {
    return toActionError(error);
  }
  revalidatePath("/dashboard/groups", "page");
  redirect(myGroups(groupId));
}

/** Sign-up from the join page: the new account joins the group; if that fails the page says why. */
export async function signUpAndJoinGroupAction(code: string, input: unknown): Promise<ActionResult> {
  return signUpThen(input, async (userId) => {
    try {
      const joined = await joinGroupByCode({ actor: { userId, isPlatformAdmin: false }, code: String(code), ip: clientIp(await headers()) });
      return myGroups(joined.groupId);
    } catch {
      return `/g/${encodeURIComponent(String(code))}`;
    }
  });
}
