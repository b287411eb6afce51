"use server";
// Door-staff links of an event (lib/check-in: the service authorizes `checkin.manageStaff` and
// validates with the shared schema). The token comes back once, in the create answer.
import { revalidatePath } from "next/cache";
import { createStaffLink, revokeStaffLink } from "@/lib/check-in";
import { toActionError, type ActionResult } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { createStaffLinkSchema, type CreatedStaffLink } from "@/lib/validation/check-in-staff";

const PAGE = "/[locale]/dashboard/o/[slug]/events/[eventId]/check-in";

export async function createStaffLinkAction(eventId: string, input: { label: string; expiresAt?: string | null }): Promise<ActionResult<{ link: CreatedStaffLink }>> {
  const parsed = createStaffLinkSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors };
  }
  try {
    const link = await createStaffLink({ actor: actorOf(await getCurrentUser()), eventId: String(eventId), input: parsed.data });
    revalidatePath(PAGE, "page");
    return { ok: true, link };
  } catch (error) {
    return toActionError(error);
  }
}

export async function revokeStaffLinkAction(eventId: string, accessId: string): Promise<ActionResult> {
  try {
    await revokeStaffLink({ actor: actorOf(await getCurrentUser()), eventId: String(eventId), accessId: String(accessId) });
    revalidatePath(PAGE, "page");
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
