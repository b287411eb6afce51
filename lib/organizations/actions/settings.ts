"use server";
// Thin entry points of the organization settings page. The slug is the URL's (bound by the page);
// the services authorize it against the signed-in user's membership.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toActionError, type ActionResult } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { setOrganizationLogo } from "@/lib/media/attach";
import { deleteOrganization, organizationDashboardPath, updateOrganization } from "@/lib/organizations/organizations";
import { actorOf } from "@/lib/permissions";
import { revalidatePublicOrganization } from "@/lib/public/revalidate";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { organizationDeleteSchema, organizationUpdateSchema } from "@/lib/validation/organizations";

export async function updateOrganizationAction(slug: string, input: unknown): Promise<ActionResult> {
  try {
    const user = await requireUser();
    const parsed = organizationUpdateSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
    const updated = await updateOrganization({ actor: actorOf(user), slug: String(slug), ...parsed.data });
    // Name changes show in the switcher (dashboard layout) and on the public page.
    revalidatePath("/dashboard", "layout");
    revalidatePublicOrganization(updated.slug);
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

/** Sets (an upload of this organization) or removes (null) the logo; saved at once by the upload field. */
export async function setOrganizationLogoAction(slug: string, mediaId: unknown): Promise<ActionResult> {
  if (mediaId !== null && typeof mediaId !== "string") {
    return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: { logo: "media.errors.notAttachable" } };
  }
  try {
    const user = await requireUser();
    await setOrganizationLogo({ actor: actorOf(user), slug: String(slug), mediaId });
    revalidatePath("/dashboard", "layout");
    revalidatePublicOrganization(String(slug));
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}

export async function deleteOrganizationAction(slug: string, input: unknown): Promise<ActionResult> {
  try {
    const user = await requireUser();
    const parsed = organizationDeleteSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
    const deleted = await deleteOrganization({ actor: actorOf(user), slug: String(slug), ...parsed.data });
    revalidatePath("/dashboard", "layout");
    revalidatePath(organizationDashboardPath(deleted.slug));
    revalidatePublicOrganization(deleted.slug, { eventPages: true });
  } catch (error) {
    return toActionError(error);
  }
  redirect("/dashboard");
}
