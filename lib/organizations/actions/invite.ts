"use server";
// The invite page's actions: accept as the signed-in user, or create an account and accept at once.
import { redirect } from "next/navigation";
import { toActionError, type ActionResult } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { acceptOrganizationInvite } from "@/lib/organizations/invites";
import { actorOf } from "@/lib/permissions";
import { signUpThen } from "@/lib/identity/actions/sign-up-then";

/** Where a new member lands: the organization's dashboard. */
const organizationHome = (slug: string) => `/dashboard/o/${encodeURIComponent(slug)}`;
const invitePage = (code: string) => `/invite/${encodeURIComponent(code)}`;

export async function acceptInviteAction(code: string): Promise<ActionResult> {
  let slug: string;
  try {
    const accepted = await acceptOrganizationInvite({ code: String(code), actor: actorOf(await getCurrentUser()) });
    slug = accepted.organizationSlug;
  } catch (error) {
    return toActionError(error);
  }
  redirect(organizationHome(slug));
}

/** Sign-up from the invite page: the new account accepts the invite; if that fails the page says why. */
export async function signUpAndAcceptInviteAction(code: string, input: unknown): Promise<ActionResult> {
  return signUpThen(input, async (userId) => {
    try {
      const accepted = await acceptOrganizationInvite({ code: String(code), userId });
      return organizationHome(accepted.organizationSlug);
    } catch {
      return invitePage(String(code));
    }
  });
}
