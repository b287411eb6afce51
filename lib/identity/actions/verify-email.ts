"use server";
// "Send a new link" (the dashboard banner, the account page and an expired link's page).
import { toActionError, type ActionResult } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { resendEmailVerification } from "@/lib/identity/verification";

export async function resendVerificationAction(): Promise<ActionResult<{ email: string }>> {
  try {
    const user = await requireUser();
    const { email } = await resendEmailVerification({ userId: user.id });
    return { ok: true, email };
  } catch (error) {
    return toActionError(error);
  }
}
