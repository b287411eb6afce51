"use server";
// The join page's actions, behind the action edge (lib/http/action.ts): join as the signed-in user,
// or create an account and join at once. Success is a redirect to "my groups".
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action } from "@/lib/http/action";
import { signUpThen } from "@/lib/identity/actions/sign-in";
import { signUpSchema } from "@/lib/validation/identity";
import { joinGroupByCode } from "../index";

const myGroups = (groupId: string) => `/dashboard/groups?joined=${encodeURIComponent(groupId)}`;

export const joinGroupFromLinkAction = action(z.tuple([z.string()]), async ([code], { actor, ip }): Promise<void> => {
  const joined = await joinGroupByCode({ actor, code, ip: await ip() });
  revalidatePath("/dashboard/groups", "page");
  redirect(myGroups(joined.groupId));
});

/** Sign-up from the join page: the new account joins the group; if that fails the page says why. */
export const signUpAndJoinGroupAction = action(z.tuple([z.string(), signUpSchema]), async ([code, input], ctx): Promise<void> => {
  const ip = await ctx.ip();
  await signUpThen(input, { ip, locale: await ctx.locale() }, async (userId) => {
    try {
      const joined = await joinGroupByCode({ actor: { userId, isPlatformAdmin: false }, code, ip });
      return myGroups(joined.groupId);
    } catch {
      return `/g/${encodeURIComponent(code)}`;
    }
  });
});
