"use server";
// Thin entry points of the organization request form: parse with the shared schema, call one
// service with the signed-in actor, revalidate, answer with a small ActionResult.
import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { ADMIN_REQUESTS_PATH, ORGANIZATION_REQUEST_PATH, checkSlugAvailability, submitOrganizationRequest, type SlugAvailability } from "@/lib/organizations/requests";
import { actorOf } from "@/lib/permissions";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { organizationRequestSchema, slugCheckSchema } from "@/lib/validation/organizations";

export async function submitOrganizationRequestAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  try {
    const user = await requireUser();
    const parsed = organizationRequestSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
    const request = await submitOrganizationRequest({ actor: actorOf(user), ...parsed.data });
    revalidatePath(ORGANIZATION_REQUEST_PATH);
    revalidatePath(ADMIN_REQUESTS_PATH);
    return { ok: true, id: request.id };
  } catch (error) {
    return toActionError(error);
  }
}

/** The live slug check (debounced by the form). */
export async function checkSlugAction(slug: unknown): Promise<ActionResult<SlugAvailability>> {
  try {
    const user = await requireUser();
    const parsed = slugCheckSchema.safeParse({ slug });
    if (!parsed.success) return { ok: true, slug: "", status: "invalid" };
    return { ok: true, ...(await checkSlugAvailability({ actor: actorOf(user), slug: parsed.data.slug })) };
  } catch (error) {
    return toActionError(error);
  }
}
