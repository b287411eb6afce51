// The one settle path (lib/payments/settle.ts) against a real PostgreSQL: the provider's re-read state is
// given as the adapters return it (ProviderPayment), so these proofs are about our side of the race —
// exactly one winner, one registration move, one receipt, late payments decided by the sale's seat
// condition, automatic refunds, flags. The provider round trips (fakes over HTTP, webhooks, the
// reconciliation) are in payments-online.test.ts.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import type { Payment, User } from "@/lib/generated/prisma/client";
import { settlePayment } from "@/lib/payments/settle";
import type { ProviderPayment } from "@/lib/payments/providers/types";
import { actorOf, type Actor } from "@/lib/permissions";
import { cancelMyRegistration } from "@/lib/registrations/cancel";
import { expireReservations } from "@/lib/registrations/expiry";
import { register } from "@/lib/registrations/register";
import { connectPayments, createEvent, createOrganization, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;

async function counters(ticketTypeId: string) {
  return db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId }, select: { soldCount: true, reservedCount: true } });
}

async function world(typeOverrides: Parameters<typeof createTicketType>[1] = {}) {
  const { organization, owner } = await createOrganization();
  await connectPayments(organization);
  const event = await createEvent(organization);
  const type = await createTicketType(event, { quantity: 10, priceCents: 150_000, currency: "RUB", reservationMinutes: 30, ...typeOverrides });
  const participant = await createUser();
  const reg = await register({ actor: as(participant), eventId: event.id, ticketTypeId: type.id });
  return { organization, owner, event, type, participant, reg };
}

/** An online payment as checkout writes it (PENDING, our key), optionally already PROCESSING. */
async function openPayment(registrationId: string, options: { kind?: "FULL" | "PREPAYMENT" | "REMAINDER"; amountCents?: number; processing?: boolean } = {}) {
  const r = await db.registration.findUniqueOrThrow({ where: { id: registrationId } });
  const payment = await db.payment.create({
    data: {
      organizationId: r.organizationId,
      registrationId: r.id,
      provider: "yookassa",
      status: "PENDING",
      kind: options.kind ?? "FULL",
      amountCents: options.amountCents ?? r.priceCents,
      currency: r.currency,
      idempotencyKey: randomUUID(),
    },
  });
  if (!options.processing) return payment;
  return db.payment.update({ where: { id: payment.id }, data: { status: "PROCESSING", providerPaymentId: `yk-${payment.id}`, checkoutUrl: "https://yoomoney.example/checkout" } });
}

function providerState(p: Pick<Payment, "id" | "amountCents" | "currency">, overrides: Partial<ProviderPayment> = {}): ProviderPayment {
  return {
    providerPaymentId: `yk-${p.id}`,
    status: "succeeded",
    amountCents: p.amountCents,
    currency: p.currency,
    checkoutUrl: null,
    refundedCents: 0,
    failureReason: null,
    paymentId: p.id,
    metadata: { status: overrides.status ?? "succeeded" },
    ...overrides,
  };
}

async function receipts(userId: string) {
  return db.notificationLog.count({ where: { userId, templateCode: "payment.receipt" } });
}

describe("settlePayment: one winner", () => {
  test("the same success settled 10× in parallel → one COMPLETED, one registration move, one receipt, one ticket", async () => {
    const { type, participant, reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    const results = await Promise.all(Array.from({ length: 10 }, () => settlePayment({ paymentId: payment.id, organizationId: payment.organizationId, state: providerState(payment) })));
    expect(results.filter((r) => r.outcome === "completed")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "unchanged")).toHaveLength(9);
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "COMPLETED", providerPaymentId: `yk-${payment.id}` });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CONFIRMED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    expect(await receipts(participant.id)).toBe(1);
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "registration.confirmed" } })).toBe(1);
    expect(await db.refund.count({ where: { paymentId: payment.id } })).toBe(0);
  });

  test("success before 'processing': our row still PENDING walks PENDING → PROCESSING → COMPLETED and learns the provider id", async () => {
    const { type, reg } = await world();
    const payment = await openPayment(reg.registrationId);
    const result = await settlePayment({ paymentId: payment.id, state: providerState(payment) });
    expect(result).toMatchObject({ outcome: "completed", paymentStatus: "COMPLETED" });
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ status: "COMPLETED", providerPaymentId: `yk-${payment.id}` });
    expect(row.completedAt).toBeInstanceOf(Date);
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    // The checkout's own answer arriving afterwards changes nothing.
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment, { status: "pending", checkoutUrl: "https://x.example" }) })).outcome).toBe("unchanged");
  });

  test("pending → PROCESSING with the checkout URL; failed → FAILED with the reason, the hold stays and Pay may start again", async () => {
    const { reg } = await world();
    const payment = await openPayment(reg.registrationId);
    const pending = await settlePayment({ paymentId: payment.id, state: providerState(payment, { status: "pending", checkoutUrl: "https://pay.example/c/1" }) });
    expect(pending).toMatchObject({ outcome: "pending", paymentStatus: "PROCESSING" });
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "PROCESSING", checkoutUrl: "https://pay.example/c/1" });
    const failed = await settlePayment({ paymentId: payment.id, state: providerState(payment, { status: "failed", failureReason: "insufficient_funds" }) });
    expect(failed).toMatchObject({ outcome: "failed", paymentStatus: "FAILED" });
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "FAILED", failureReason: "insufficient_funds" });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("RESERVED");
    // A final payment never moves again, and a new open payment is allowed now.
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment) })).outcome).toBe("unchanged");
    const again = await openPayment(reg.registrationId);
    expect(again.status).toBe("PENDING");
  });

  test("an amount or currency that differ from ours → flagged for the organizer, nothing confirmed (also when repeated)", async () => {
    const { type, reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    const flagged = await settlePayment({ paymentId: payment.id, state: providerState(payment, { amountCents: 100 }) });
    expect(flagged).toMatchObject({ outcome: "flagged", paymentStatus: "PROCESSING" });
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row.status).toBe("PROCESSING");
    expect(row.flagReason).toMatch(/amount_mismatch: provider 100 RUB, expected 150000 RUB/);
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment, { currency: "USD" }) })).outcome).toBe("flagged");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("RESERVED");
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 1 });

    const { reg: other } = await world();
    const usd = await openPayment(other.registrationId);
    expect((await settlePayment({ paymentId: usd.id, state: providerState(usd, { currency: "USD" }) })).outcome).toBe("flagged");
    expect((await db.payment.findUniqueOrThrow({ where: { id: usd.id } })).status).toBe("PROCESSING");
  });

  test("another organization's id never settles the payment", async () => {
    const { reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    const { organization: stranger } = await createOrganization();
    await expect(settlePayment({ paymentId: payment.id, organizationId: stranger.id, state: providerState(payment) })).rejects.toThrow(/not found/);
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PROCESSING");
  });

  test("a provider id that is not this payment's is ignored", async () => {
    const { reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment, { providerPaymentId: "yk-someone-else" }) })).outcome).toBe("unchanged");
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PROCESSING");
  });
});

describe("settlePayment: prepayment and remainder", () => {
  test("kind PREPAYMENT confirms with a Prepayment PARTIAL; the REMAINDER completes it; one receipt each", async () => {
    const { type, participant, reg } = await world({ priceCents: 10_001, prepaymentPercent: 30 });
    const first = await openPayment(reg.registrationId, { kind: "PREPAYMENT", amountCents: 3001, processing: true });
    expect((await settlePayment({ paymentId: first.id, state: providerState(first) })).outcome).toBe("completed");
    const prepayment = await db.prepayment.findUniqueOrThrow({ where: { registrationId: reg.registrationId } });
    expect(prepayment).toMatchObject({ status: "PARTIAL", prepaidCents: 3001, remainingCents: 7000, paymentId: first.id });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CONFIRMED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });

    const rest = await openPayment(reg.registrationId, { kind: "REMAINDER", amountCents: 7000, processing: true });
    expect((await settlePayment({ paymentId: rest.id, state: providerState(rest) })).outcome).toBe("completed");
    expect(await db.prepayment.findUniqueOrThrow({ where: { registrationId: reg.registrationId } })).toMatchObject({ status: "COMPLETED", remainingCents: 0 });
    expect(await receipts(participant.id)).toBe(2);
    expect(await db.refund.count({ where: { payment: { registrationId: reg.registrationId } } })).toBe(0);
  });

  test("a remainder paid when nothing remains any more (the organizer recorded it by hand) → refunded in full", async () => {
    const { reg } = await world({ priceCents: 10_000, prepaymentPercent: 50 });
    const first = await openPayment(reg.registrationId, { kind: "PREPAYMENT", amountCents: 5000, processing: true });
    await settlePayment({ paymentId: first.id, state: providerState(first) });
    const rest = await openPayment(reg.registrationId, { kind: "REMAINDER", amountCents: 5000, processing: true });
    await db.prepayment.update({ where: { registrationId: reg.registrationId }, data: { status: "COMPLETED", remainingCents: 0 } });
    const result = await settlePayment({ paymentId: rest.id, state: providerState(rest) });
    expect(result).toMatchObject({ outcome: "refunded", paymentStatus: "COMPLETED" });
    expect(await db.refund.findMany({ where: { paymentId: rest.id }, select: { amountCents: true, status: true } })).toEqual([{ amountCents: 5000, status: "PENDING" }]);
  });
});

describe("settlePayment: a success after the hold ended", () => {
  test("EXPIRED (swept) with a free seat → CONFIRMED (EXPIRED → CONFIRMED), the seat sold", async () => {
    const { type, participant, reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 minute' WHERE id = ${reg.registrationId}::uuid`;
    await expireReservations({ ticketTypeId: type.id });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("EXPIRED");
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });

    const result = await settlePayment({ paymentId: payment.id, state: providerState(payment) });
    expect(result).toMatchObject({ outcome: "completed", late: true });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CONFIRMED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    expect(await receipts(participant.id)).toBe(1);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: reg.registrationId, action: "registration.paid" } });
    expect(audit.changes).toMatchObject({ status: { from: "EXPIRED", to: "CONFIRMED" }, latePayment: true });
  });

  test("RESERVED past expires_at, not swept yet, with a free seat → CONFIRMED; counters move once", async () => {
    const { type, reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 minute' WHERE id = ${reg.registrationId}::uuid`;
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment) })).outcome).toBe("completed");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CONFIRMED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    // The sweep finds nothing left.
    expect((await expireReservations({ ticketTypeId: type.id })).expired).toBe(0);
  });

  test("no seat left → the payment is COMPLETED, a full refund is requested, the participant is told; the registration stays EXPIRED", async () => {
    const { event, type, participant, reg } = await world({ quantity: 1 });
    const payment = await openPayment(reg.registrationId, { processing: true });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 minute' WHERE id = ${reg.registrationId}::uuid`;
    await expireReservations({ ticketTypeId: type.id });
    const other = await register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id }); // takes the last seat
    expect(other.status).toBe("RESERVED");

    const result = await settlePayment({ paymentId: payment.id, state: providerState(payment) });
    expect(result).toMatchObject({ outcome: "refunded", paymentStatus: "COMPLETED" });
    expect(result.refundId).toBeTruthy();
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("COMPLETED");
    expect(await db.refund.findMany({ where: { paymentId: payment.id }, select: { id: true, amountCents: true, status: true, origin: true, requestedById: true } })).toEqual([
      { id: result.refundId, amountCents: 150_000, status: "PENDING", origin: "late_payment", requestedById: null },
    ]);
    // …carried out through the provider by its job (lib/payments/refunds.ts).
    expect(await db.job.count({ where: { name: "payments-refund-execute", payload: { path: ["refundId"], equals: result.refundId } } })).toBe(1);
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("EXPIRED");
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 1 });
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "payment.late_refunded" } })).toBe(1);
    expect(await receipts(participant.id)).toBe(0);
    // Settling again (webhook retry) requests nothing more.
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment) })).outcome).toBe("unchanged");
    expect(await db.refund.count({ where: { paymentId: payment.id } })).toBe(1);
  });

  test("a person with another active registration for the event is refunded, not confirmed twice", async () => {
    const { event, type, participant, reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 minute' WHERE id = ${reg.registrationId}::uuid`;
    await expireReservations({ ticketTypeId: type.id });
    await register({ actor: as(participant), eventId: event.id, ticketTypeId: type.id });
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment) })).outcome).toBe("refunded");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("EXPIRED");
  });

  test("a cancelled registration never comes back: its payment is refunded", async () => {
    const { type, participant, reg } = await world();
    const payment = await openPayment(reg.registrationId, { processing: true });
    await cancelMyRegistration({ actor: as(participant), registrationId: reg.registrationId });
    expect((await settlePayment({ paymentId: payment.id, state: providerState(payment) })).outcome).toBe("refunded");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CANCELLED");
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 0 });
  });

  test("50 late payments completing in parallel for the last 10 seats → 10 confirmed, 40 refunds, no oversell", async () => {
    const { organization } = await createOrganization();
    await connectPayments(organization);
    const event = await createEvent(organization);
    const type = await createTicketType(event, { quantity: 50, priceCents: 1000, currency: "RUB", reservationMinutes: 30 });
    const late = [];
    for (let i = 0; i < 50; i++) late.push(await register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id }));
    const payments = [];
    for (const r of late) payments.push(await openPayment(r.registrationId, { processing: true }));
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 minute' WHERE ticket_type_id = ${type.id}::uuid`;
    await expireReservations({ ticketTypeId: type.id });
    for (let i = 0; i < 40; i++) await register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id });
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 40 });

    const results = await Promise.all(payments.map((p) => settlePayment({ paymentId: p.id, state: providerState(p) })));
    expect(results.filter((r) => r.outcome === "completed")).toHaveLength(10);
    expect(results.filter((r) => r.outcome === "refunded")).toHaveLength(40);
    expect(await counters(type.id)).toEqual({ soldCount: 10, reservedCount: 40 });
    expect(await db.registration.count({ where: { ticketTypeId: type.id, status: "CONFIRMED" } })).toBe(10);
    expect(await db.refund.count({ where: { payment: { registration: { ticketTypeId: type.id } } } })).toBe(40);
    expect(await db.payment.count({ where: { registration: { ticketTypeId: type.id }, status: "COMPLETED" } })).toBe(50);
  }, 120_000);
});
