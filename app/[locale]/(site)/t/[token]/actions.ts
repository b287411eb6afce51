"use server";
// Thin entry point: a guest cancels through the private ticket link (the token is the credential).
import { headers } from "next/headers";
import { toActionError, type ActionResult } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-address";
import { consumeForAddress } from "@/lib/rate-limit";
import { cancelGuestRegistration } from "@/lib/registrations";
import { cancelGuestTicketSchema } from "@/lib/validation/registration-form";

/** Cancel attempts per client address (the token is the credential: this keeps guessing away). */
const GUEST_CANCEL_PER_IP = { limit: 30, windowSeconds: 10 * 60 };

export async function cancelGuestTicketAction(input: unknown): Promise<ActionResult> {
  const parsed = cancelGuestTicketSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
  try {
    const limited = await consumeForAddress("registration.cancel.guest", clientIp(await headers()), GUEST_CANCEL_PER_IP);
    if (limited && !limited.allowed) return { ok: false, code: "RATE_LIMITED", message: "errors.rateLimited" };
    await cancelGuestRegistration({ guestToken: parsed.data.token, idempotencyKey: parsed.data.idempotencyKey });
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
