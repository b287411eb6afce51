"use server";
// Thin entry points of the register page: the sale, and joining / leaving the waitlist. Every export
// is a public endpoint: the caller comes from the session, the rules and prices from lib/registrations.
import { headers } from "next/headers";
import { AppError, toActionError, type ActionResult } from "@/lib/errors";
import { getLocale } from "@/lib/i18n/server";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { clientIp } from "@/lib/http/client-address";
import { consumeForAddress, enforceRateLimit } from "@/lib/rate-limit";
import { register, type RegistrationStatusAfterSale } from "@/lib/registrations";
import { joinWaitlist, leaveWaitlist } from "@/lib/waitlist";
import { registrationRequestSchema, waitlistJoinSchema } from "@/lib/validation/registration-form";
import { fieldErrorsOf } from "@/lib/validation/identity";

/** Attempts per client address and per signed-in user (a person registers once; guests cause an email). */
const LIMITS = {
  perIp: { limit: 30, windowSeconds: 10 * 60 },
  perUser: { limit: 20, windowSeconds: 60 },
  waitlistPerUser: { limit: 20, windowSeconds: 60 },
} as const;

async function limitCaller(userId: string | null, scope: string, perUser: { limit: number; windowSeconds: number }) {
  if (userId) {
    await enforceRateLimit(`${scope}:user:${userId}`, perUser.limit, perUser.windowSeconds);
    return;
  }
  const limited = await consumeForAddress(scope, clientIp(await headers()), LIMITS.perIp);
  if (limited && !limited.allowed) throw new AppError("RATE_LIMITED", "errors.rateLimited");
}

export type RegisterActionResult = ActionResult<{
  registrationId: string;
  status: RegistrationStatusAfterSale;
  /** Guests: the private ticket page (`/t/<token>`). */
  guestTicketPath: string | null;
  /** Guests: where the ticket link is emailed (the sale queued the mail with the registration). */
  mailedTo: string | null;
  replayed: boolean;
}>;

export async function registerAction(input: unknown): Promise<RegisterActionResult> {
  const parsed = registrationRequestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const user = await getCurrentUser();
    await limitCaller(user?.id ?? null, "registration.create.web", LIMITS.perUser);
    const d = parsed.data;
    const result = await register({
      actor: actorOf(user),
      eventId: d.eventId,
      ticketTypeId: d.ticketTypeId,
      firstName: d.firstName,
      lastName: d.lastName || null,
      email: d.email || null,
      customFields: d.customFields,
      idempotencyKey: d.idempotencyKey,
      locale: await getLocale(),
    });
    // A guest's ticket email was queued by the sale itself (committed with the registration).
    const mailedTo = result.guestToken ? d.email || null : null;
    return {
      ok: true,
      registrationId: result.registrationId,
      status: result.status,
      guestTicketPath: result.guestToken ? `/t/${result.guestToken}` : null,
      mailedTo,
      replayed: result.replayed,
    };
  } catch (error) {
    return toActionError(error);
  }
}

export async function joinWaitlistAction(input: unknown): Promise<ActionResult<{ position: number; ahead: number }>> {
  const parsed = waitlistJoinSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
  try {
    const user = await getCurrentUser();
    if (user) await enforceRateLimit(`waitlist.join:user:${user.id}`, LIMITS.waitlistPerUser.limit, LIMITS.waitlistPerUser.windowSeconds);
    const entry = await joinWaitlist({ actor: actorOf(user), eventId: parsed.data.eventId, ticketTypeId: parsed.data.ticketTypeId });
    return { ok: true, position: entry.position, ahead: entry.ahead };
  } catch (error) {
    return toActionError(error);
  }
}

export async function leaveWaitlistAction(input: unknown): Promise<ActionResult<{ left: boolean }>> {
  const parsed = waitlistJoinSchema.pick({ eventId: true }).safeParse(input);
  if (!parsed.success) return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
  try {
    const result = await leaveWaitlist({ actor: actorOf(await getCurrentUser()), eventId: parsed.data.eventId });
    return { ok: true, left: result.left };
  } catch (error) {
    return toActionError(error);
  }
}
