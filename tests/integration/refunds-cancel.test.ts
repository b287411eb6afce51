// Cancellations request their refunds through lib/payments/refunds.ts (docs/payments.md "Refund
// policy, payment deadline"): the participant's own cancel before / after the event's cut-off, the
// organizer's cancel and an event cancellation refund everything left; `registration.cancelled` says
// what comes back; the payment-deadline sweep; the prepayment remainder reminders.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import type { User } from "@/lib/generated/prisma/client";
import { cancelEvent } from "@/lib/events/lifecycle";
import { cancelOverduePendingRegistrations, sendRemainderReminders } from "@/lib/payments/deadlines";
import { actorOf, type Actor } from "@/lib/permissions";
import { cancelGuestRegistration, cancelMyRegistration, cancelRegistrationAsOrganizer, previewMyCancellation } from "@/lib/registrations/cancel";
import { guestTokenFor, hashGuestToken } from "@/lib/registrations/tokens";
import { createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const HOUR = 60 * 60 * 1000;

async function world(options: { settings?: Record<string, unknown>; startsInMs?: number; priceCents?: number } = {}) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, {
    settings: (options.settings ?? {}) as never,
    ...(options.startsInMs !== undefined ? { startsAt: new Date(Date.now() + options.startsInMs) } : {}),
  });
  const type = await createTicketType(event, { priceCents: options.priceCents ?? 150_000, currency: "RUB", quantity: 10 });
  return { organization, owner, event, type };
}

async function paidRegistration(w: Awaited<ReturnType<typeof world>>, amountCents: number) {
  const participant = await createUser();
  return paidRegistrationOf(w, amountCents, participant).then((r) => ({ ...r, participant }));
}

async function paidRegistrationOf(w: Awaited<ReturnType<typeof world>>, amountCents: number, participant: User | null) {
  const registration = await createRegistration(w.event, w.type, { user: participant });
  const payment = await db.payment.create({
    data: {
      organizationId: w.organization.id,
      registrationId: registration.id,
      provider: "manual",
      status: "COMPLETED",
      amountCents,
      currency: "RUB",
      idempotencyKey: randomUUID(),
      completedAt: new Date(),
    },
  });
  return { registration, payment };
}

const refundsOf = (paymentId: string) => db.refund.findMany({ where: { paymentId }, orderBy: { createdAt: "asc" } });

describe("participant cancels: the event's refund policy", () => {
  test("before the cut-off: percent % of what is left (rounded down); the dialog's preview says the same; the notice says what comes back", async () => {
    const w = await world({ settings: { refundPolicy: { untilHoursBeforeStart: 48, percent: 50 } } });
    const { participant, registration, payment } = await paidRegistration(w, 99_999);
    const preview = await previewMyCancellation({ actor: as(participant), registrationId: registration.id });
    expect(preview).toMatchObject({ percent: 50, refunds: [{ amountCents: 49_999, currency: "RUB", manual: true }] });

    const result = await cancelMyRegistration({ actor: as(participant), registrationId: registration.id });
    expect(result.refunds).toBe(1);
    expect(await refundsOf(payment.id)).toMatchObject([{ amountCents: 49_999, status: "PENDING", origin: "participant_cancel", requestedById: participant.id }]);
    const notice = await db.notificationLog.findFirstOrThrow({ where: { userId: participant.id, templateCode: "registration.cancelled" } });
    const variables = notice.variables as { refundAmount: string; refundByHand: boolean };
    expect(variables.refundAmount.replace(/\s/g, " ")).toBe("499,99 ₽");
    expect(variables.refundByHand).toBe(true);
  });

  test("after the cut-off: nothing comes back (the preview says so), the cancellation still works", async () => {
    const w = await world({ settings: { refundPolicy: { untilHoursBeforeStart: 48, percent: 100 } }, startsInMs: 24 * HOUR });
    const { participant, registration, payment } = await paidRegistration(w, 150_000);
    const preview = await previewMyCancellation({ actor: as(participant), registrationId: registration.id });
    expect(preview.percent).toBe(0);
    expect(preview.refunds).toEqual([]);
    expect(preview.paidCents).toBe(150_000);
    expect(new Date(preview.cutoff).getTime()).toBe(w.event.startsAt.getTime() - 48 * HOUR);

    const result = await cancelMyRegistration({ actor: as(participant), registrationId: registration.id });
    expect(result).toMatchObject({ status: "CANCELLED", refunds: 0 });
    expect(await refundsOf(payment.id)).toEqual([]);
    const notice = await db.notificationLog.findFirstOrThrow({ where: { userId: participant.id, templateCode: "registration.cancelled" } });
    expect((notice.variables as { refundAmount: string }).refundAmount).toBe("");
  });

  test("no policy set: until the start, 100 % of what is left (a partly refunded payment gives back the rest); a guest too", async () => {
    const w = await world();
    const { participant, registration, payment } = await paidRegistration(w, 100_000);
    await db.refund.create({ data: { paymentId: payment.id, amountCents: 30_000, origin: "organizer", status: "COMPLETED" } });
    await db.payment.update({ where: { id: payment.id }, data: { status: "PARTIALLY_REFUNDED", refundedCents: 30_000 } });
    await cancelMyRegistration({ actor: as(participant), registrationId: registration.id });
    expect((await refundsOf(payment.id)).map((r) => [r.amountCents, r.status])).toEqual([
      [30_000, "COMPLETED"],
      [70_000, "PENDING"],
    ]);

    const guest = await paidRegistrationOf(w, 40_000, null);
    const token = guestTokenFor(guest.registration.id);
    await db.registration.update({ where: { id: guest.registration.id }, data: { guestTokenHash: hashGuestToken(token) } });
    await cancelGuestRegistration({ guestToken: token });
    expect(await refundsOf(guest.payment.id)).toMatchObject([{ amountCents: 40_000, origin: "participant_cancel", requestedById: null }]);
  });
});

describe("organizer and event cancellations refund everything left", () => {
  test("the organizer cancels after the participant's cut-off: 100 %, origin organizer_cancel", async () => {
    const w = await world({ settings: { refundPolicy: { untilHoursBeforeStart: 8760, percent: 10 } } });
    const { registration, payment } = await paidRegistration(w, 150_000);
    await cancelRegistrationAsOrganizer({ actor: as(w.owner), registrationId: registration.id, reason: "Duplicate" });
    expect(await refundsOf(payment.id)).toMatchObject([{ amountCents: 150_000, origin: "organizer_cancel", requestedById: w.owner.id, reason: "Duplicate" }]);
  });

  test("an event cancellation refunds every participant what is left of each payment", async () => {
    const w = await world({ settings: { refundPolicy: { untilHoursBeforeStart: 0, percent: 0 } } });
    const a = await paidRegistration(w, 150_000);
    const b = await paidRegistration(w, 80_000);
    const b2 = await db.payment.create({
      data: { organizationId: w.organization.id, registrationId: b.registration.id, provider: "manual", status: "COMPLETED", amountCents: 20_000, currency: "RUB", idempotencyKey: randomUUID() },
    });
    await db.refund.create({ data: { paymentId: b.payment.id, amountCents: 80_000, origin: "organizer", status: "COMPLETED" } });
    await db.payment.update({ where: { id: b.payment.id }, data: { status: "REFUNDED", refundedCents: 80_000 } });

    const result = await cancelEvent({ actor: as(w.owner), eventId: w.event.id, reason: "Venue closed" });
    expect(result.refunds).toBe(2);
    expect(await refundsOf(a.payment.id)).toMatchObject([{ amountCents: 150_000, origin: "event_cancelled", requestedById: w.owner.id, status: "PENDING" }]);
    expect(await refundsOf(b2.id)).toMatchObject([{ amountCents: 20_000, origin: "event_cancelled" }]);
    expect(await refundsOf(b.payment.id)).toHaveLength(1);
  });
});

describe("payment deadline of PENDING registrations", () => {
  test("past PAYMENTS_PENDING_HOURS or the start → cancelled by the system with a reason in the participant's language, seat back; an open payment or a later deadline → kept", async () => {
    const w = await world({ startsInMs: 7 * 24 * HOUR });
    const en = await createUser({ locale: "EN" });
    const overdue = await createRegistration(w.event, w.type, { user: en, status: "PENDING", createdAt: new Date(Date.now() - 73 * HOUR) });
    const fresh = await createRegistration(w.event, w.type, { user: await createUser(), status: "PENDING", createdAt: new Date(Date.now() - HOUR) });
    const paying = await createRegistration(w.event, w.type, { user: await createUser(), status: "PENDING", createdAt: new Date(Date.now() - 80 * HOUR) });
    const open = await db.payment.create({
      data: { organizationId: w.organization.id, registrationId: paying.id, provider: "demo", status: "PENDING", amountCents: 150_000, currency: "RUB", idempotencyKey: randomUUID() },
    });
    await db.payment.update({ where: { id: open.id }, data: { status: "PROCESSING" } });
    const soon = await world({ startsInMs: -60_000 });
    const atStart = await createRegistration(soon.event, soon.type, { user: await createUser(), status: "PENDING", createdAt: new Date(Date.now() - HOUR) });
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.type.id } })).reservedCount).toBe(3);

    await cancelOverduePendingRegistrations({ limit: 10_000 });
    const after = await db.registration.findUniqueOrThrow({ where: { id: overdue.id } });
    expect(after).toMatchObject({ status: "CANCELLED", cancellationReason: "The payment was not received in time", cancelledById: null });
    expect((await db.registration.findUniqueOrThrow({ where: { id: atStart.id } })).status).toBe("CANCELLED");
    expect((await db.registration.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("PENDING");
    expect((await db.registration.findUniqueOrThrow({ where: { id: paying.id } })).status).toBe("PENDING");
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: w.type.id } })).reservedCount).toBe(2);
    expect(await db.auditLog.count({ where: { entityId: overdue.id, action: "registration.cancelled_payment_overdue" } })).toBe(1);
    expect(await db.notificationLog.count({ where: { userId: en.id, templateCode: "registration.cancelled" } })).toBe(1);

    // Again: nothing more to do for these rows.
    await cancelOverduePendingRegistrations({ limit: 10_000 });
    expect(await db.auditLog.count({ where: { entityId: overdue.id, action: "registration.cancelled_payment_overdue" } })).toBe(1);
  });

  test("remainder reminders: 72 h and 24 h before the due date, each once", async () => {
    const w = await world({ startsInMs: 10 * 24 * HOUR });
    const make = async (dueInMs: number) => {
      const { participant, registration, payment } = await paidRegistration(w, 50_000);
      const prepayment = await db.prepayment.create({
        data: { paymentId: payment.id, registrationId: registration.id, prepaidCents: 50_000, remainingCents: 100_000, status: "PARTIAL", dueDate: new Date(Date.now() + dueInMs) },
      });
      return { participant, prepayment };
    };
    const in48h = await make(48 * HOUR);
    const in10h = await make(10 * HOUR);
    const in100h = await make(100 * HOUR);
    await sendRemainderReminders({ limit: 10_000 });
    await sendRemainderReminders({ limit: 10_000 });
    const logs = async (userId: string) => db.notificationLog.findMany({ where: { userId, templateCode: "payment.remainder_reminder" } });
    expect((await logs(in48h.participant.id)).map((l) => l.dedupeKey)).toEqual([`payment.remainder_reminder:${in48h.prepayment.id}:72`]);
    expect((await logs(in10h.participant.id)).map((l) => l.dedupeKey)).toEqual([`payment.remainder_reminder:${in10h.prepayment.id}:24`]);
    expect(await logs(in100h.participant.id)).toEqual([]);
    const variables = (await logs(in48h.participant.id))[0].variables as { remainingAmount: string; ticketUrl: string };
    expect(variables.remainingAmount.replace(/\s/g, " ")).toBe("1 000 ₽");
    expect(variables.ticketUrl).toMatch(/\/dashboard\/tickets\/[0-9a-f-]{36}$/);

    // The 48 h one enters its 24 h window later: the second reminder, once.
    await db.prepayment.update({ where: { id: in48h.prepayment.id }, data: { dueDate: new Date(Date.now() + 20 * HOUR) } });
    await sendRemainderReminders({ limit: 10_000 });
    await sendRemainderReminders({ limit: 10_000 });
    expect((await logs(in48h.participant.id)).map((l) => l.dedupeKey).sort()).toEqual([
      `payment.remainder_reminder:${in48h.prepayment.id}:24`,
      `payment.remainder_reminder:${in48h.prepayment.id}:72`,
    ]);
  });
});
