"use server";
// Thin entry points of the admin review queue. The services check the platform-admin role.
import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { ADMIN_REQUESTS_PATH, ORGANIZATION_REQUEST_PATH, approveOrganizationRequest, rejectOrganizationRequest } from "@/lib/organizations/requests";
import { actorOf } from "@/lib/permissions";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { rejectRequestSchema, requestIdSchema } from "@/lib/validation/organizations";

export async function approveRequestAction(input: unknown): Promise<ActionResult<{ organizationSlug: string; organizationName: string }>> {
  try {
    const user = await requireUser();
    const parsed = requestIdSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
    const approved = await approveOrganizationRequest({ actor: actorOf(user), requestId: parsed.data.requestId });
    // The layout (navigation badge) and the requester's pages change too.
    revalidatePath("/dashboard", "layout");
    revalidatePath(ORGANIZATION_REQUEST_PATH);
    return { ok: true, organizationSlug: approved.slug, organizationName: approved.name };
  } catch (error) {
    return toActionError(error);
  } finally {
    revalidatePath(ADMIN_REQUESTS_PATH);
  }
}

export async function rejectRequestAction(input: unknown): Promise<ActionResult> {
  try {
    const user = await requireUser();
    const parsed = rejectRequestSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
    await rejectOrganizationRequest({ actor: actorOf(user), ...parsed.data });
    revalidatePath("/dashboard", "layout");
    revalidatePath(ORGANIZATION_REQUEST_PATH);
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  } finally {
    revalidatePath(ADMIN_REQUESTS_PATH);
  }
}
