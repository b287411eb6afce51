// Offline payments against a real PostgreSQL: markPaid (RESERVED/PENDING → CONFIRMED, counters moved,
// idempotency key), prepayments (first payment, remainder, overdue sweep), refunds recorded when a paid
// registration is cancelled.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import { markPaid, recordRemainingPayment, sweepOverduePrepayments } from "@/lib/payments/manual";
import { actorOf, type Actor } from "@/lib/permissions";
import { cancelMyRegistration, cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import { register } from "@/lib/registrations/register";
import { createEvent, createOrganization, createRegistration, createTicketType, createUser, uniqueIdempotencyKey } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const HOUR = 60 * 60 * 1000;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code} ${message ?? ""}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
  return error as AppError;
}

async function counters(ticketTypeId: string) {
  return db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId }, select: { soldCount: true, reservedCount: true } });
}

async function paidWorld(typeOverrides: Parameters<typeof createTicketType>[1] = {}, settings: Record<string, unknown> = {}) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, { settings: settings as never });
  const type = await createTicketType(event, { quantity: 10, priceCents: 150_000, currency: "RUB", ...typeOverrides });
  const participant = await createUser();
  const reg = await register({ actor: as(participant), eventId: event.id, ticketTypeId: type.id });
  return { organization, owner, event, type, participant, reg };
}

describe("markPaid", () => {
  test("PENDING → CONFIRMED: manual COMPLETED payment of the price, reserved → sold in one move, receipt + ticket queued", async () => {
    const { owner, type, participant, reg } = await paidWorld();
    expect(reg.status).toBe("PENDING");
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 1 });
    const key = uniqueIdempotencyKey();
    const result = await markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: key });
    expect(result).toMatchObject({ kind: "FULL", amountCents: 150_000, currency: "RUB", registrationStatus: "CONFIRMED", prepayment: null, replayed: false });
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    const payment = await db.payment.findUniqueOrThrow({ where: { id: result.paymentId } });
    expect(payment).toMatchObject({ provider: "manual", status: "COMPLETED", amountCents: 150_000, idempotencyKey: key, recordedById: owner.id });
    expect(payment.completedAt).toBeInstanceOf(Date);
    const registration = await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } });
    expect(registration.status).toBe("CONFIRMED");
    expect(registration.confirmedAt).toBeInstanceOf(Date);
    const receipt = await db.notificationLog.findFirstOrThrow({ where: { userId: participant.id, templateCode: "payment.receipt" } });
    expect((receipt.variables as { amount: string }).amount.replace(/\s/g, " ")).toBe("1 500 ₽");
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "registration.confirmed" } })).toBe(1);

    // Retry with the same key: the first result, no second payment.
    const retry = await markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: key });
    expect(retry).toEqual({ ...result, replayed: true });
    expect(await db.payment.count({ where: { registrationId: reg.registrationId } })).toBe(1);
    // Again with a new key: already paid.
    await expectAppError(markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() }), "CONFLICT", "errors.alreadyPaid");
    // The same key for another registration: refused.
    const other = await register({ actor: as(await createUser()), eventId: registration.eventId, ticketTypeId: type.id });
    await expectAppError(markPaid({ actor: as(owner), registrationId: other.registrationId, idempotencyKey: key }), "CONFLICT", "errors.idempotencyKeyReused");
    // Keys are uuids (payments.idempotency_key).
    const bad = await expectAppError(markPaid({ actor: as(owner), registrationId: other.registrationId, idempotencyKey: "retry-1" }), "VALIDATION");
    expect(bad.fieldErrors).toEqual({ idempotencyKey: "errors.idempotencyKeyInvalid" });
  });

  test("RESERVED inside its window can be paid; past expires_at it cannot (expired), even before the job", async () => {
    const { owner, type, reg } = await paidWorld({ reservationMinutes: 30 });
    expect(reg.status).toBe("RESERVED");
    const paid = await markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
    expect(paid.registrationStatus).toBe("CONFIRMED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });

    const late = await register({ actor: as(await createUser()), eventId: (await db.ticketType.findUniqueOrThrow({ where: { id: type.id } })).eventId, ticketTypeId: type.id });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 second' WHERE id = ${late.registrationId}::uuid`;
    await expectAppError(markPaid({ actor: as(owner), registrationId: late.registrationId, idempotencyKey: uniqueIdempotencyKey() }), "CONFLICT", "errors.reservationExpired");
    expect(await db.payment.count({ where: { registrationId: late.registrationId } })).toBe(0);
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 1 });
  });

  test("10 parallel markPaid with different keys → one payment, the rest ALREADY_PAID", async () => {
    const { owner, type, reg } = await paidWorld();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ message: "errors.alreadyPaid" });
    expect(await db.payment.count({ where: { registrationId: reg.registrationId } })).toBe(1);
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
  });

  test("cancelled, expired or free registrations are not payable", async () => {
    const { owner, event, type, participant, reg } = await paidWorld();
    await cancelMyRegistration({ actor: as(participant), registrationId: reg.registrationId });
    await expectAppError(markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() }), "CONFLICT", "errors.notPayable");
    const expired = await createRegistration(event, type, { user: await createUser(), status: "EXPIRED" });
    await expectAppError(markPaid({ actor: as(owner), registrationId: expired.id, idempotencyKey: uniqueIdempotencyKey() }), "CONFLICT", "errors.reservationExpired");
    const free = await createTicketType(event, { quantity: 5 });
    const freeReg = await register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: free.id });
    await expectAppError(markPaid({ actor: as(owner), registrationId: freeReg.registrationId, idempotencyKey: uniqueIdempotencyKey() }), "CONFLICT", "errors.alreadyPaid");
  });

  test("the amount is the registration's price at sale, not today's price", async () => {
    const { owner, type, reg } = await paidWorld();
    await db.ticketType.update({ where: { id: type.id }, data: { priceCents: 1 } });
    const result = await markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
    expect(result.amountCents).toBe(150_000);
  });
});

describe("prepayment", () => {
  test("first payment = ceil(price × percent / 100): CONFIRMED now, Prepayment PARTIAL due at the start; the remainder completes it", async () => {
    const { owner, event, type, participant, reg } = await paidWorld({ priceCents: 10_001, prepaymentPercent: 30 });
    const first = await markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
    expect(first).toMatchObject({
      kind: "PREPAYMENT",
      amountCents: 3001,
      registrationStatus: "CONFIRMED",
      prepayment: { prepaidCents: 3001, remainingCents: 7000, status: "PARTIAL", dueDate: event.startsAt.toISOString() },
    });
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    const prepayment = await db.prepayment.findUniqueOrThrow({ where: { registrationId: reg.registrationId } });
    expect(prepayment).toMatchObject({ paymentId: first.paymentId, status: "PARTIAL", remainingCents: 7000 });
    // The ticket is sent on the prepayment.
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "registration.confirmed" } })).toBe(1);

    const rest = await recordRemainingPayment({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
    expect(rest).toMatchObject({ kind: "REMAINDER", amountCents: 7000, prepayment: { status: "COMPLETED", remainingCents: 0, prepaidCents: 3001 } });
    expect(await db.prepayment.findUniqueOrThrow({ where: { registrationId: reg.registrationId } })).toMatchObject({ status: "COMPLETED", remainingCents: 0 });
    expect(await db.payment.aggregate({ where: { registrationId: reg.registrationId, status: "COMPLETED" }, _sum: { amountCents: true } })).toEqual({
      _sum: { amountCents: 10_001 },
    });
    await expectAppError(
      recordRemainingPayment({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() }),
      "CONFLICT",
      "errors.noRemainingPayment",
    );
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "payment.receipt" } })).toBe(2);
  });

  test("an amount between the minimum and the price is a prepayment; the full price is a full payment; others are refused", async () => {
    const a = await paidWorld({ priceCents: 10_000, prepaymentPercent: 30 });
    const low = await expectAppError(markPaid({ actor: as(a.owner), registrationId: a.reg.registrationId, amountCents: 2999, idempotencyKey: uniqueIdempotencyKey() }), "VALIDATION");
    expect(low.fieldErrors).toEqual({ amountCents: "payments.validation.amountInvalid" });
    await expectAppError(markPaid({ actor: as(a.owner), registrationId: a.reg.registrationId, amountCents: 10_001, idempotencyKey: uniqueIdempotencyKey() }), "VALIDATION");
    expect(await counters(a.type.id)).toEqual({ soldCount: 0, reservedCount: 1 });
    const custom = await markPaid({ actor: as(a.owner), registrationId: a.reg.registrationId, amountCents: 5000, idempotencyKey: uniqueIdempotencyKey() });
    expect(custom).toMatchObject({ kind: "PREPAYMENT", amountCents: 5000, prepayment: { remainingCents: 5000 } });

    const b = await paidWorld({ priceCents: 10_000, prepaymentPercent: 30 });
    const full = await markPaid({ actor: as(b.owner), registrationId: b.reg.registrationId, amountCents: 10_000, idempotencyKey: uniqueIdempotencyKey() });
    expect(full).toMatchObject({ kind: "FULL", prepayment: null });
    expect(await db.prepayment.count({ where: { registrationId: b.reg.registrationId } })).toBe(0);
  });

  test("overdue sweep: cancels when the event says so (no refund: the prepayment is a deposit), otherwise leaves it", async () => {
    const strict = await paidWorld({ priceCents: 10_000, prepaymentPercent: 50 }, { cancelUnpaidPrepayments: true });
    const lenient = await paidWorld({ priceCents: 10_000, prepaymentPercent: 50 });
    for (const w of [strict, lenient]) {
      await markPaid({ actor: as(w.owner), registrationId: w.reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
      await db.prepayment.update({ where: { registrationId: w.reg.registrationId }, data: { dueDate: new Date(Date.now() - HOUR) } });
    }
    expect(await sweepOverduePrepayments()).toBe(1);
    expect(await db.registration.findUniqueOrThrow({ where: { id: strict.reg.registrationId } })).toMatchObject({
      status: "CANCELLED",
      cancelledById: null,
      cancellationReason: "Доплата не внесена до срока",
    });
    expect(await counters(strict.type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
    expect(await db.refund.count({ where: { payment: { registrationId: strict.reg.registrationId } } })).toBe(0);
    expect(await db.notificationLog.count({ where: { userId: strict.participant.id, templateCode: "registration.cancelled" } })).toBe(1);
    expect((await db.registration.findUniqueOrThrow({ where: { id: lenient.reg.registrationId } })).status).toBe("CONFIRMED");
    // Idempotent.
    expect(await sweepOverduePrepayments()).toBe(0);
  });
});

describe("refunds", () => {
  test("cancelling a paid registration records a PENDING refund per completed payment", async () => {
    const { owner, type, reg } = await paidWorld({ priceCents: 10_000, prepaymentPercent: 40 });
    await markPaid({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
    await recordRemainingPayment({ actor: as(owner), registrationId: reg.registrationId, idempotencyKey: uniqueIdempotencyKey() });
    const result = await cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: reg.registrationId, reason: "Мероприятие перенесено" });
    expect(result).toMatchObject({ refunds: 2, previousStatus: "CONFIRMED" });
    const refunds = await db.refund.findMany({ where: { payment: { registrationId: reg.registrationId } }, orderBy: { amountCents: "asc" } });
    expect(refunds.map((r) => [r.amountCents, r.status, r.reason])).toEqual([
      [4000, "PENDING", "Мероприятие перенесено"],
      [6000, "PENDING", "Мероприятие перенесено"],
    ]);
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
  });

  test("an unpaid cancellation records no refund", async () => {
    const { participant, reg } = await paidWorld();
    expect(await cancelMyRegistration({ actor: as(participant), registrationId: reg.registrationId })).toMatchObject({ refunds: 0, previousStatus: "PENDING" });
  });
});
