// Who may do what with registrations, payments and waitlist offers: another organization's
// registration does not exist for you (NOT_FOUND, nothing changed); no session → UNAUTHENTICATED;
// a participant acts on their own registration only.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import { markPaid, recordRemainingPayment } from "@/lib/payments/manual";
import { actorOf, type Actor } from "@/lib/permissions";
import { cancelMyRegistration, cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import { register } from "@/lib/registrations/register";
import { waitlistClaimToken } from "@/lib/registrations/tokens";
import { claimWaitlistOffer, joinWaitlist } from "@/lib/waitlist/waitlist";
import { addMember, createEvent, createOrganization, createTicketType, createUser, uniqueIdempotencyKey } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

async function scene() {
  const { organization, owner } = await createOrganization();
  const moderator = await createUser();
  await addMember(organization, moderator, "MODERATOR");
  const event = await createEvent(organization);
  const type = await createTicketType(event, { quantity: 10, priceCents: 10_000, prepaymentPercent: 50 });
  const participant = await createUser();
  const reg = await register({ actor: as(participant), eventId: event.id, ticketTypeId: type.id });
  const outsider = (await createOrganization()).owner; // owner of ANOTHER organization
  const stranger = await createUser(); // no membership at all
  return { organization, owner, moderator, event, type, participant, reg, outsider, stranger };
}

async function unchanged(registrationId: string, status: string) {
  expect((await db.registration.findUniqueOrThrow({ where: { id: registrationId } })).status).toBe(status);
  expect(await db.payment.count({ where: { registrationId } })).toBe(0);
}

describe("organizer actions: registrations.manage on the event's organization", () => {
  test("cancel as organizer: other organization / plain user → NOT_FOUND; anonymous → UNAUTHENTICATED; moderator → ok", async () => {
    const s = await scene();
    await expectAppError(cancelRegistrationAsOrganizer({ actor: as(s.outsider), registrationId: s.reg.registrationId, reason: "x" }), "NOT_FOUND");
    await expectAppError(cancelRegistrationAsOrganizer({ actor: as(s.stranger), registrationId: s.reg.registrationId, reason: "x" }), "NOT_FOUND");
    await expectAppError(cancelRegistrationAsOrganizer({ actor: as(s.participant), registrationId: s.reg.registrationId, reason: "x" }), "NOT_FOUND");
    await expectAppError(cancelRegistrationAsOrganizer({ actor: null, registrationId: s.reg.registrationId, reason: "x" }), "UNAUTHENTICATED");
    await unchanged(s.reg.registrationId, "PENDING");
    const done = await cancelRegistrationAsOrganizer({ actor: as(s.moderator), registrationId: s.reg.registrationId, reason: "Модератор отменил" });
    expect(done.status).toBe("CANCELLED");
  });

  test("markPaid / recordRemainingPayment: other organization → NOT_FOUND; anonymous → UNAUTHENTICATED; the participant cannot mark themselves paid", async () => {
    const s = await scene();
    const key = () => uniqueIdempotencyKey();
    await expectAppError(markPaid({ actor: as(s.outsider), registrationId: s.reg.registrationId, idempotencyKey: key() }), "NOT_FOUND");
    await expectAppError(markPaid({ actor: as(s.participant), registrationId: s.reg.registrationId, idempotencyKey: key() }), "NOT_FOUND");
    await expectAppError(markPaid({ actor: null, registrationId: s.reg.registrationId, idempotencyKey: key() }), "UNAUTHENTICATED");
    await expectAppError(markPaid({ actor: as(s.outsider), registrationId: "not-a-uuid", idempotencyKey: key() }), "NOT_FOUND");
    await unchanged(s.reg.registrationId, "PENDING");
    expect(await db.ticketType.findUniqueOrThrow({ where: { id: s.type.id }, select: { soldCount: true, reservedCount: true } })).toEqual({
      soldCount: 0,
      reservedCount: 1,
    });

    await markPaid({ actor: as(s.moderator), registrationId: s.reg.registrationId, idempotencyKey: key() });
    await expectAppError(recordRemainingPayment({ actor: as(s.outsider), registrationId: s.reg.registrationId, idempotencyKey: key() }), "NOT_FOUND");
    await expectAppError(recordRemainingPayment({ actor: null, registrationId: s.reg.registrationId, idempotencyKey: key() }), "UNAUTHENTICATED");
    expect((await db.prepayment.findUniqueOrThrow({ where: { registrationId: s.reg.registrationId } })).status).toBe("PARTIAL");
  });

  test("a platform admin acts with moderator rights", async () => {
    const s = await scene();
    const admin = await createUser({ isPlatformAdmin: true });
    const result = await markPaid({ actor: as(admin), registrationId: s.reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
    expect(result.registrationStatus).toBe("CONFIRMED");
  });
});

describe("participant actions", () => {
  test("a participant cannot cancel someone else's registration (NOT_FOUND, untouched); anonymous → UNAUTHENTICATED", async () => {
    const s = await scene();
    const other = await createUser();
    await expectAppError(cancelMyRegistration({ actor: as(other), registrationId: s.reg.registrationId }), "NOT_FOUND");
    await expectAppError(cancelMyRegistration({ actor: as(s.owner), registrationId: s.reg.registrationId }), "NOT_FOUND");
    await expectAppError(cancelMyRegistration({ actor: null, registrationId: s.reg.registrationId }), "UNAUTHENTICATED");
    await unchanged(s.reg.registrationId, "PENDING");
    expect((await cancelMyRegistration({ actor: as(s.participant), registrationId: s.reg.registrationId })).status).toBe("CANCELLED");
  });

  test("registering without a session where guests are not allowed → UNAUTHENTICATED", async () => {
    const s = await scene();
    await expectAppError(register({ actor: null, eventId: s.event.id, ticketTypeId: s.type.id, firstName: "Аноним", email: "anon@example.com" }), "UNAUTHENTICATED");
  });

  test("a waitlist offer is claimable by its own user only; joining needs a session", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event, { quantity: 1 });
    const [holder, waiter, thief] = [await createUser(), await createUser(), await createUser()];
    const held = await register({ actor: as(holder), eventId: event.id, ticketTypeId: type.id });
    await expectAppError(joinWaitlist({ actor: null, eventId: event.id, ticketTypeId: type.id }), "UNAUTHENTICATED");
    await joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: type.id });
    await cancelMyRegistration({ actor: as(holder), registrationId: held.registrationId });
    const entry = await db.waitlistEntry.findFirstOrThrow({ where: { eventId: event.id, userId: waiter.id } });
    await expectAppError(claimWaitlistOffer({ actor: as(thief), entryId: entry.id, token: waitlistClaimToken(entry.id) }), "NOT_FOUND");
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: entry.id } })).status).toBe("NOTIFIED");
  });
});
