"use server";
// Thin entry point: a guest cancels through the private ticket link (the token is the credential).
import { headers } from "next/headers";
import { toActionError, type ActionResult } from "@/lib/errors";
import { isRateLimitExemptIp } from "@/lib/identity/account";
import { clientIp, enforceRateLimit } from "@/lib/rate-limit";
import { cancelGuestRegistration } from "@/lib/registrations";
import { cancelGuestTicketSchema } from "@/lib/validation/registration-form";

export async function cancelGuestTicketAction(input: unknown): Promise<ActionResult> {
  const parsed = cancelGuestTicketSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
  try {
    const ip = clientIp(await headers());
    if (!isRateLimitExemptIp(ip)) await enforceRateLimit(`registration.cancel.guest:ip:${ip}`, 30, 10 * 60);
    await cancelGuestRegistration({ guestToken: parsed.data.token, idempotencyKey: parsed.data.idempotencyKey });
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
