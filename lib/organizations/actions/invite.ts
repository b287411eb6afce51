"use server";
// The invite page's actions, behind the action edge (lib/http/action.ts): accept as the signed-in
// user, or create an account and accept at once. Success is a redirect to the organization.
import { redirect } from "next/navigation";
import { z } from "zod";
import { action } from "@/lib/http/action";
import { signUpThen } from "@/lib/identity/actions/sign-in";
import { signUpSchema } from "@/lib/validation/identity";
import { acceptOrganizationInvite } from "../invites";

/** Where a new member lands: the organization's dashboard. */
const organizationHome = (slug: string) => `/dashboard/o/${encodeURIComponent(slug)}`;
const invitePage = (code: string) => `/invite/${encodeURIComponent(code)}`;

export const acceptInviteAction = action(z.tuple([z.string()]), async ([code], { actor }): Promise<void> => {
  const accepted = await acceptOrganizationInvite({ code, actor });
  redirect(organizationHome(accepted.organizationSlug));
});

/** Sign-up from the invite page: the new account accepts the invite; if that fails the page says why. */
export const signUpAndAcceptInviteAction = action(z.tuple([z.string(), signUpSchema]), async ([code, input], ctx): Promise<void> => {
  await signUpThen(input, { ip: await ctx.ip(), locale: await ctx.locale() }, async (userId) => {
    try {
      const accepted = await acceptOrganizationInvite({ code, userId });
      return organizationHome(accepted.organizationSlug);
    } catch {
      return invitePage(code);
    }
  });
});
