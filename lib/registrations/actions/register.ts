"use server";
// Thin entry points of the register page: the sale, and joining / leaving the waitlist. Every export
// is a public endpoint: the caller comes from the session (the action edge, lib/http/action.ts), the
// rules and prices from lib/registrations. The sale's rate limit is `registration` — the same named
// limit as POST /api/v1/events/:eventId/registrations (lib/http/limits.ts).
import { action } from "@/lib/http/action";
import type { ActionResult } from "@/lib/errors";
import { register, type RegistrationStatusAfterSale } from "@/lib/registrations";
import { joinWaitlist, leaveWaitlist } from "@/lib/waitlist";
import { registrationRequestSchema, waitlistJoinSchema } from "@/lib/validation/registration-form";

export type RegisterActionResult = ActionResult<{
  registrationId: string;
  status: RegistrationStatusAfterSale;
  /** Guests: the private ticket page (`/t/<token>`). */
  guestTicketPath: string | null;
  /** Guests: where the ticket link is emailed (the sale queued the mail with the registration). */
  mailedTo: string | null;
  replayed: boolean;
}>;

export const registerAction = action(
  registrationRequestSchema,
  async (d, { actor, locale, ip }) => {
    const result = await register({
      actor,
      eventId: d.eventId,
      ticketTypeId: d.ticketTypeId,
      firstName: d.firstName,
      lastName: d.lastName || null,
      email: d.email || null,
      customFields: d.customFields,
      idempotencyKey: d.idempotencyKey,
      locale: await locale(),
      promoCode: d.promoCode || null,
      clientAddress: d.promoCode ? await ip() : null,
    });
    return {
      registrationId: result.registrationId,
      status: result.status,
      guestTicketPath: result.guestToken ? `/t/${result.guestToken}` : null,
      // A guest's ticket email was queued by the sale itself (committed with the registration).
      mailedTo: result.guestToken ? d.email || null : null,
      replayed: result.replayed,
    };
  },
  { limit: "registration" },
) satisfies (input: never) => Promise<RegisterActionResult>;

export const joinWaitlistAction = action(
  waitlistJoinSchema,
  async ({ eventId, ticketTypeId }, { actor }) => {
    const entry = await joinWaitlist({ actor, eventId, ticketTypeId });
    return { position: entry.position, ahead: entry.ahead };
  },
  { limit: "waitlist.join", invalid: "not-found" },
);

export const leaveWaitlistAction = action(
  waitlistJoinSchema.pick({ eventId: true }),
  async ({ eventId }, { actor }) => ({ left: (await leaveWaitlist({ actor, eventId })).left }),
  { invalid: "not-found" },
);
