"use server";
// Thin entry point: claim a waitlist offer (the entry's own user, with the link's token). Claiming
// twice returns the same registration, so a double tap is harmless.
import { toActionError, type ActionResult } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { enforceRateLimit } from "@/lib/rate-limit";
import { claimWaitlistOffer } from "@/lib/waitlist";
import { waitlistClaimSchema } from "@/lib/validation/registration-form";
import { fieldErrorsOf } from "@/lib/validation/identity";

export async function claimWaitlistOfferAction(input: unknown): Promise<ActionResult<{ registrationId: string }>> {
  const parsed = waitlistClaimSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const user = await getCurrentUser();
    if (user) await enforceRateLimit(`waitlist.claim:user:${user.id}`, 30, 60);
    const result = await claimWaitlistOffer({ actor: actorOf(user), ...parsed.data });
    return { ok: true, registrationId: result.registrationId };
  } catch (error) {
    return toActionError(error);
  }
}
