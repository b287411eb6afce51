"use server";
// Thin entry points of the organization settings page. The slug is the URL's (bound by the page);
// the services authorize it against the signed-in user's membership.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toActionError, type ActionResult } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { deleteOrganization, organizationDashboardPath, organizationPublicPath, updateOrganization } from "@/lib/organizations/organizations";
import { actorOf } from "@/lib/permissions";
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
    revalidatePath(organizationPublicPath(updated.slug));
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
    revalidatePath(organizationPublicPath(deleted.slug));
  } catch (error) {
    return toActionError(error);
  }
  redirect("/dashboard");
}
