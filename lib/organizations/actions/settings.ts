"use server";
// Thin entry points of the organization settings page, behind the action edge (lib/http/action.ts).
// The slug is the URL's (bound by the page); the services authorize it against the signed-in user's
// membership.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { setOrganizationLogo } from "@/lib/media/attach";
import { revalidatePublicOrganization } from "@/lib/public/revalidate";
import { organizationDeleteSchema, organizationUpdateSchema } from "@/lib/validation/organizations";
import { deleteOrganization, organizationDashboardPath, updateOrganization } from "../organizations";

const signedIn = { session: "required" } as const;

export const updateOrganizationAction = action(
  z.tuple([id, organizationUpdateSchema]),
  async ([slug, input], { actor }) => {
    const updated = await updateOrganization({ actor, slug, ...input });
    // Name changes show in the switcher (dashboard layout) and on the public page.
    revalidatePath("/dashboard", "layout");
    revalidatePublicOrganization(updated.slug);
  },
  signedIn,
);

/** Sets (an upload of this organization) or removes (null) the logo; saved at once by the upload field. */
export const setOrganizationLogoAction = action(
  z.tuple([id, z.string({ error: "media.errors.notAttachable" }).nullable()]),
  async ([slug, mediaId], { actor }) => {
    await setOrganizationLogo({ actor, slug, mediaId });
    revalidatePath("/dashboard", "layout");
    revalidatePublicOrganization(slug);
  },
  signedIn,
);

export const deleteOrganizationAction = action(
  z.tuple([id, organizationDeleteSchema]),
  async ([slug, input], { actor }) => {
    const deleted = await deleteOrganization({ actor, slug, ...input });
    revalidatePath("/dashboard", "layout");
    revalidatePath(organizationDashboardPath(deleted.slug));
    revalidatePublicOrganization(deleted.slug, { eventPages: true });
    redirect("/dashboard");
  },
  signedIn,
);
