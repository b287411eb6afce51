// Refunds against a real PostgreSQL and the YooKassa fake through the real adapter
// (lib/payments/refunds.ts; docs/payments.md "Refunds"): partial then full, an unknown outcome repeated
// with the same key, parallel organizer refunds, a provider "pending" refund settled by syncRefund and
// by the reconciliation, a rejected refund retried, manual refunds marked returned, tenant scoping.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { Currency } from "@/lib/generated/prisma/enums";
import type { User } from "@/lib/generated/prisma/client";
import { providerForPayment, savePaymentAccount } from "@/lib/payments/accounts";
import {
  executeRefund,
  listRegistrationPayments,
  markManualRefundDone,
  reconcilePendingRefunds,
  refundPaymentAsOrganizer,
  requestRefundInTransaction,
  retryFailedRefund,
  syncRefund,
} from "@/lib/payments/refunds";
import { createRegistry } from "@/lib/jobs/registry";
import { Runner } from "@/lib/jobs/runner";
import { actorOf, type Actor } from "@/lib/permissions";
import { refundExecuteJob } from "@/lib/worker/functions/refunds";
import { startFakeStripe } from "@/tests/fakes/stripe-api";
import { startFakeYooKassa } from "@/tests/fakes/yookassa-api";
import { createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const YK_SECRET = `test_${"R3fUnD5x".repeat(5)}`;

let yk: Awaited<ReturnType<typeof startFakeYooKassa>>;
let stripe: Awaited<ReturnType<typeof startFakeStripe>>;

beforeAll(async () => {
  yk = await startFakeYooKassa();
  stripe = await startFakeStripe();
  // before the first env() of this process
  process.env.YOOKASSA_API_URL = `${yk.url}/v3/`;
  process.env.STRIPE_API_URL = stripe.url;
});

afterAll(async () => {
  await yk?.stop();
  await stripe?.stop();
});

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

/** An organization with a YooKassa shop at the fake, a paid registration and its COMPLETED payment there. */
async function paidWorld(amountCents = 150_000) {
  const { organization, owner } = await createOrganization();
  const shop = yk.control.addShop({ secretKey: YK_SECRET });
  await savePaymentAccount({ actor: as(owner), organizationId: organization.id, input: { provider: "yookassa", shopId: shop.shopId, secretKey: YK_SECRET } });
  const event = await createEvent(organization);
  const type = await createTicketType(event, { priceCents: amountCents, currency: "RUB" });
  const participant = await createUser();
  const registration = await createRegistration(event, type, { user: participant });
  const payment = await onlinePayment(organization.id, registration.id, amountCents);
  return { organization, owner, event, type, participant, registration, payment, shop };
}

/** A payment paid at the fake (through the adapter) and recorded COMPLETED on our side. */
async function onlinePayment(organizationId: string, registrationId: string, amountCents: number, currency: Currency = "RUB") {
  const provider = await providerForPayment(organizationId, "yookassa");
  const id = randomUUID();
  const created = await provider.createPayment({
    paymentId: id,
    idempotencyKey: randomUUID(),
    amountCents,
    currency,
    description: "Test ticket",
    returnUrl: "http://127.0.0.1/return",
    expiresAt: new Date(Date.now() + 30 * 60_000),
    metadata: { registration_id: registrationId },
  });
  yk.control.pay(created.providerPaymentId);
  return db.payment.create({
    data: {
      id,
      organizationId,
      registrationId,
      provider: "yookassa",
      providerPaymentId: created.providerPaymentId,
      status: "COMPLETED",
      amountCents,
      currency,
      idempotencyKey: randomUUID(),
      completedAt: new Date(),
    },
  });
}

function request(paymentId: string, amountCents: number, origin: "organizer" | "late_payment" = "organizer", actorId: string | null = null) {
  return db.$transaction((tx) => requestRefundInTransaction(tx, { paymentId, amountCents, reason: "test", origin, actorId }));
}

const refundsAtFake = (providerPaymentId: string) =>
  yk.control.requestsTo("POST", "/v3/refunds").filter((r) => r.status === 200 && JSON.parse(r.body).payment_id === providerPaymentId);

describe("refund execution through the provider", () => {
  test("partial then full refund: PARTIALLY_REFUNDED then REFUNDED, refunded_cents right, one job each, one refund each at the provider", async () => {
    const { payment, owner } = await paidWorld(150_000);
    const { refundId: first } = await request(payment.id, 50_000, "organizer", owner.id);
    // The job was written with the refund (outbox), keyed by the refund.
    expect(await db.job.count({ where: { dedupeKey: `payments-refund-execute:refund:${first}` } })).toBe(1);
    expect(await executeRefund(first)).toBe("completed");
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedCents: 50_000 });
    const done = await db.refund.findUniqueOrThrow({ where: { id: first } });
    expect(done).toMatchObject({ status: "COMPLETED", attempts: 1, lastError: null, origin: "organizer", requestedById: owner.id });
    expect(done.providerRefundId).toBeTruthy();
    expect(done.completedAt).toBeInstanceOf(Date);

    // What is left, and not a cent more.
    await expectAppError(request(payment.id, 100_001), "VALIDATION");
    const { refundId: rest } = await request(payment.id, 100_000);
    expect(await executeRefund(rest)).toBe("completed");
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "REFUNDED", refundedCents: 150_000 });
    expect(yk.control.payment(payment.providerPaymentId!)).toMatchObject({ refunded_amount: { value: "1500.00" } });
    expect(refundsAtFake(payment.providerPaymentId!)).toHaveLength(2);

    // Running a job again changes nothing and calls nobody.
    expect(await executeRefund(rest)).toBe("unchanged");
    expect(refundsAtFake(payment.providerPaymentId!)).toHaveLength(2);
    await expectAppError(request(payment.id, 1), "CONFLICT", "refunds.errors.notRefundable");
    expect(await db.auditLog.count({ where: { entityType: "refund", entityId: { in: [first, rest] } } })).toBe(4);
  });

  test("unknown outcome (the provider refunded, the answer was lost): the retry sends the same key → ONE refund at the provider", async () => {
    const { payment } = await paidWorld(80_000);
    const { refundId } = await request(payment.id, 80_000);
    yk.control.failNext({ method: "POST", path: "/v3/refunds", executed: true, status: 500 }, 1);
    await expect(executeRefund(refundId)).rejects.toMatchObject({ name: "ProviderError", kind: "unknown" });
    expect(await db.refund.findUniqueOrThrow({ where: { id: refundId } })).toMatchObject({ status: "PENDING", attempts: 1 });
    expect((await db.refund.findUniqueOrThrow({ where: { id: refundId } })).lastError).toBeTruthy();

    expect(await executeRefund(refundId)).toBe("completed");
    const calls = yk.control.requestsTo("POST", "/v3/refunds").filter((r) => JSON.parse(r.body).payment_id === payment.providerPaymentId);
    expect(calls).toHaveLength(2);
    const key = (await db.refund.findUniqueOrThrow({ where: { id: refundId } })).idempotencyKey;
    expect(calls.map((c) => c.headers["idempotence-key"])).toEqual([key, key]);
    expect(calls[1].replayed).toBe(true);
    expect(yk.control.payment(payment.providerPaymentId!)).toMatchObject({ refunded_amount: { value: "800.00" } });
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "REFUNDED", refundedCents: 80_000 });
  });

  test("10 parallel organizer refunds of the whole amount: exactly one is accepted, the sum never exceeds the payment", async () => {
    const { payment, owner } = await paidWorld(120_000);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 120_000, reason: "double click", idempotencyKey: randomUUID() })),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
      expect((r as PromiseRejectedResult).reason.message).toBe("refunds.errors.nothingLeft");
    }
    const rows = await db.refund.findMany({ where: { paymentId: payment.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amountCents: 120_000, status: "PENDING", origin: "organizer", requestedById: owner.id });
    expect(await executeRefund(rows[0].id)).toBe("completed");
    expect(refundsAtFake(payment.providerPaymentId!)).toHaveLength(1);
  });

  test("the organizer's request is idempotent per key and defaults to what is left", async () => {
    const { payment, owner } = await paidWorld(90_000);
    const key = randomUUID();
    const first = await refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 30_000, reason: null, idempotencyKey: key });
    const again = await refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 30_000, reason: null, idempotencyKey: key });
    expect(again).toEqual({ refundId: first.refundId, replayed: true });
    const rest = await refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, idempotencyKey: randomUUID() });
    expect((await db.refund.findUniqueOrThrow({ where: { id: rest.refundId } })).amountCents).toBe(60_000);
    const bad = await expectAppError(refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: -5, idempotencyKey: randomUUID() }), "VALIDATION");
    expect(bad.fieldErrors).toEqual({ amountCents: "refunds.errors.amountInvalid" });
    const long = await expectAppError(
      refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 1, reason: "x".repeat(251), idempotencyKey: randomUUID() }),
      "VALIDATION",
    );
    expect(long.fieldErrors).toEqual({ reason: "refunds.errors.reasonTooLong" });
    expect(await db.refund.count({ where: { paymentId: payment.id } })).toBe(2);
  });

  test("a provider 'pending' refund stays PENDING until syncRefund (webhook) or the reconciliation reads it settled", async () => {
    const { payment, organization, shop } = await paidWorld(100_000);
    yk.control.scenario({ refund: { manual: true } }, { tenant: shop.shopId });

    const { refundId: a } = await request(payment.id, 40_000);
    expect(await executeRefund(a)).toBe("pending");
    const pendingA = await db.refund.findUniqueOrThrow({ where: { id: a } });
    expect(pendingA.status).toBe("PENDING");
    expect(pendingA.providerRefundId).toBeTruthy();
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "COMPLETED", refundedCents: 0 });

    // A webhook hint before the provider settled: read again, still pending, nothing changes.
    expect(await syncRefund(organization.id, { providerRefundId: pendingA.providerRefundId!, providerPaymentId: payment.providerPaymentId, refundId: a })).toBe("pending");
    yk.control.settleRefund(pendingA.providerRefundId!, "succeeded");
    // Another organization's webhook naming this refund changes nothing.
    const other = await createOrganization();
    expect(await syncRefund(other.organization.id, { providerRefundId: pendingA.providerRefundId!, providerPaymentId: null, refundId: a })).toBe("unchanged");
    expect(await syncRefund(organization.id, { providerRefundId: pendingA.providerRefundId!, providerPaymentId: payment.providerPaymentId, refundId: a })).toBe("completed");
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedCents: 40_000 });

    // The second one's webhook is lost: the reconciliation reads it.
    const { refundId: b } = await request(payment.id, 60_000);
    expect(await executeRefund(b)).toBe("pending");
    const pendingB = await db.refund.findUniqueOrThrow({ where: { id: b } });
    yk.control.settleRefund(pendingB.providerRefundId!, "succeeded");
    await db.refund.update({ where: { id: b }, data: { updatedAt: new Date(Date.now() - 5 * 60_000) } });
    const reconciled = await reconcilePendingRefunds({ olderThanMs: 60_000, batch: 500 });
    expect(reconciled.completed).toBeGreaterThanOrEqual(1);
    expect(await db.refund.findUniqueOrThrow({ where: { id: b } })).toMatchObject({ status: "COMPLETED" });
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "REFUNDED", refundedCents: 100_000 });
    yk.control.clearScenarios();
  });

  test("the reconciliation executes a refund whose job never ran, with its key; a canceled provider refund → FAILED", async () => {
    const { payment, shop } = await paidWorld(70_000);
    const { refundId } = await request(payment.id, 70_000);
    await db.refund.update({ where: { id: refundId }, data: { updatedAt: new Date(Date.now() - 5 * 60_000) } });
    await reconcilePendingRefunds({ olderThanMs: 60_000, batch: 500 });
    expect(await db.refund.findUniqueOrThrow({ where: { id: refundId } })).toMatchObject({ status: "COMPLETED", attempts: 1 });

    const second = await paidWorld(10_000);
    yk.control.scenario({ refund: { outcome: "canceled", afterMs: 0 } }, { tenant: second.shop.shopId });
    const { refundId: canceled } = await request(second.payment.id, 10_000);
    expect(await executeRefund(canceled)).toBe("failed");
    const failed = await db.refund.findUniqueOrThrow({ where: { id: canceled } });
    expect(failed.status).toBe("FAILED");
    expect(failed.failureReason).toBeTruthy();
    expect(await db.payment.findUniqueOrThrow({ where: { id: second.payment.id } })).toMatchObject({ status: "COMPLETED", refundedCents: 0 });
    yk.control.clearScenarios();
    void shop;
  });

  test("an outcome still unknown after the providers' 24 h key lifetime → FAILED (check the dashboard), no new call with the stale key", async () => {
    const { payment } = await paidWorld(30_000);
    const { refundId } = await request(payment.id, 30_000);
    await db.refund.update({ where: { id: refundId }, data: { createdAt: new Date(Date.now() - 25 * 60 * 60_000), attempts: 6, lastError: "timeout" } });
    expect(await executeRefund(refundId)).toBe("failed");
    expect((await db.refund.findUniqueOrThrow({ where: { id: refundId } })).failureReason).toMatch(/within 24 hours/);
    expect(refundsAtFake(payment.providerPaymentId!)).toHaveLength(0);
    expect(yk.control.requestsTo("POST", "/v3/refunds").filter((r) => JSON.parse(r.body).payment_id === payment.providerPaymentId)).toHaveLength(0);
  });

  test("a rejected refund → FAILED with the reason, visible; Retry writes a new PENDING refund that completes; a second retry is refused", async () => {
    const { payment, owner, registration } = await paidWorld(60_000);
    const { refundId } = await refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 60_000, reason: "wrong seat", idempotencyKey: randomUUID() });
    yk.control.failNext({ method: "POST", path: "/v3/refunds", status: 400 }, 1);
    expect(await executeRefund(refundId)).toBe("failed");
    const failed = await db.refund.findUniqueOrThrow({ where: { id: refundId } });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(failed.failureReason).toMatch(/YooKassa refused/);

    // Failed refunds free their share: the payments view shows it with what is refundable.
    const view = await listRegistrationPayments({ actor: as(owner), registrationId: registration.id });
    expect(view[0]).toMatchObject({ status: "COMPLETED", refundableCents: 60_000, refundedCents: 0 });
    expect(view[0].refunds[0]).toMatchObject({ id: refundId, status: "FAILED", retried: false });

    const retry = await retryFailedRefund({ actor: as(owner), refundId });
    expect(await db.refund.findUniqueOrThrow({ where: { id: retry.refundId } })).toMatchObject({ status: "PENDING", amountCents: 60_000, retryOfId: refundId, origin: "organizer" });
    expect(await executeRefund(retry.refundId)).toBe("completed");
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "REFUNDED", refundedCents: 60_000 });
    await expectAppError(retryFailedRefund({ actor: as(owner), refundId }), "CONFLICT", "refunds.errors.alreadyRetried");
    await expectAppError(retryFailedRefund({ actor: as(owner), refundId: retry.refundId }), "CONFLICT", "refunds.errors.notFailed");
  });
});

describe("the job", () => {
  test("payments-refund-execute through the embedded runner: the unknown outcome fails attempt 1, the retry with the same key completes it", async () => {
    const { payment } = await paidWorld(45_000);
    const { refundId } = await request(payment.id, 45_000);
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const runner = new Runner({ registry: createRegistry([refundExecuteJob]), pollMs: 20, concurrency: 4, lockMs: 10_000, backoffBaseMs: 50, backoffJitter: 0, logger: quiet });
    try {
      const dedupeKey = `payments-refund-execute:refund:${refundId}`;
      // Only this refund's job is due (other tests' refunds wrote theirs too): the injected failure is its.
      await db.job.updateMany({ where: { name: "payments-refund-execute", dedupeKey: { not: dedupeKey }, status: "PENDING" }, data: { runAt: new Date(Date.now() + 3_600_000) } });
      yk.control.failNext({ method: "POST", path: "/v3/refunds", executed: true, status: 500 }, 1);
      for (let i = 0; i < 200; i++) {
        await runner.runOnce();
        const job = await db.job.findUniqueOrThrow({ where: { dedupeKey } });
        if (job.status === "SUCCEEDED" || job.status === "FAILED") break;
        await new Promise((r) => setTimeout(r, 30));
      }
      const job = await db.job.findUniqueOrThrow({ where: { dedupeKey } });
      expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
      expect(await db.refund.findUniqueOrThrow({ where: { id: refundId } })).toMatchObject({ status: "COMPLETED", attempts: 2 });
      expect(refundsAtFake(payment.providerPaymentId!)).toHaveLength(1);
      expect(yk.control.payment(payment.providerPaymentId!)).toMatchObject({ refunded_amount: { value: "450.00" } });
    } finally {
      await runner.stop({ timeoutMs: 5000 });
    }
  });
});

describe("Stripe", () => {
  test("a Stripe refund answers pending: stored with its id, PENDING until the webhook's syncRefund reads it succeeded", async () => {
    const { organization, owner } = await createOrganization();
    const account = stripe.control.addAccount();
    await savePaymentAccount({
      actor: as(owner),
      organizationId: organization.id,
      input: { provider: "stripe", secretKey: account.secretKey, webhookSecret: account.webhookSecret },
    });
    stripe.control.scenario({ refund: { manual: true } }, { tenant: account.id });
    const event = await createEvent(organization);
    const type = await createTicketType(event, { priceCents: 5_000, currency: "USD" });
    const registration = await createRegistration(event, type, { user: await createUser() });
    const provider = await providerForPayment(organization.id, "stripe");
    const id = randomUUID();
    const session = await provider.createPayment({
      paymentId: id,
      idempotencyKey: randomUUID(),
      amountCents: 5_000,
      currency: "USD",
      description: "Test ticket",
      returnUrl: "http://127.0.0.1/return",
      expiresAt: new Date(Date.now() + 60 * 60_000),
      metadata: { registration_id: registration.id },
    });
    stripe.control.pay(session.providerPaymentId);
    const payment = await db.payment.create({
      data: {
        id,
        organizationId: organization.id,
        registrationId: registration.id,
        provider: "stripe",
        providerPaymentId: session.providerPaymentId,
        status: "COMPLETED",
        amountCents: 5_000,
        currency: "USD",
        idempotencyKey: randomUUID(),
      },
    });

    const { refundId } = await refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 2_000, reason: "partial", idempotencyKey: randomUUID() });
    expect(await executeRefund(refundId)).toBe("pending");
    const pending = await db.refund.findUniqueOrThrow({ where: { id: refundId } });
    expect(pending.providerRefundId).toMatch(/^re_/);
    expect(stripe.control.requestsTo("POST", "/v1/refunds")[0].headers["idempotency-key"]).toBe(pending.idempotencyKey);
    stripe.control.settleRefund(pending.providerRefundId!, "succeeded");
    expect(await syncRefund(organization.id, { providerRefundId: pending.providerRefundId!, providerPaymentId: null, refundId: null })).toBe("completed");
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedCents: 2_000 });
    // The same webhook again: nothing more.
    expect(await syncRefund(organization.id, { providerRefundId: pending.providerRefundId!, providerPaymentId: null, refundId: null })).toBe("unchanged");
    stripe.control.clearScenarios();
  });
});

describe("manual payments and tenant scoping", () => {
  async function manualWorld() {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event, { priceCents: 50_000, currency: "RUB" });
    const registration = await createRegistration(event, type, { user: await createUser() });
    const payment = await db.payment.create({
      data: { organizationId: organization.id, registrationId: registration.id, provider: "manual", status: "COMPLETED", amountCents: 50_000, currency: "RUB", idempotencyKey: randomUUID(), completedAt: new Date() },
    });
    return { organization, owner, event, registration, payment };
  }

  test("a manual payment's refund is the organizer's to-do: no job; Mark returned completes it", async () => {
    const { owner, payment } = await manualWorld();
    const { refundId } = await refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 20_000, reason: "cash back", idempotencyKey: randomUUID() });
    expect(await db.job.count({ where: { dedupeKey: `payments-refund-execute:refund:${refundId}` } })).toBe(0);
    expect(await executeRefund(refundId)).toBe("unchanged");
    await markManualRefundDone({ actor: as(owner), refundId });
    expect(await db.refund.findUniqueOrThrow({ where: { id: refundId } })).toMatchObject({ status: "COMPLETED" });
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedCents: 20_000 });
    await expectAppError(markManualRefundDone({ actor: as(owner), refundId }), "CONFLICT", "refunds.errors.notPending");
  });

  test("another organization's owner, a participant, or a made-up id: not found, nothing changes", async () => {
    const { owner, payment, registration } = await manualWorld();
    const { refundId } = await refundPaymentAsOrganizer({ actor: as(owner), paymentId: payment.id, amountCents: 1_000, idempotencyKey: randomUUID() });
    const stranger = (await createOrganization()).owner;
    const participant = await db.user.findUniqueOrThrow({ where: { id: registration.userId! } });
    for (const actor of [as(stranger), as(participant)]) {
      await expectAppError(refundPaymentAsOrganizer({ actor, paymentId: payment.id, amountCents: 1_000, idempotencyKey: randomUUID() }), "NOT_FOUND");
      await expectAppError(markManualRefundDone({ actor, refundId }), "NOT_FOUND");
      await expectAppError(retryFailedRefund({ actor, refundId }), "NOT_FOUND");
      await expectAppError(listRegistrationPayments({ actor, registrationId: registration.id }), "NOT_FOUND");
    }
    await expectAppError(refundPaymentAsOrganizer({ actor: as(owner), paymentId: "not-a-uuid", amountCents: 1, idempotencyKey: randomUUID() }), "NOT_FOUND");
    await expectAppError(refundPaymentAsOrganizer({ actor: as(owner), paymentId: randomUUID(), amountCents: 1, idempotencyKey: randomUUID() }), "NOT_FOUND");
    expect(await db.refund.count({ where: { paymentId: payment.id } })).toBe(1);
    expect((await db.refund.findUniqueOrThrow({ where: { id: refundId } })).status).toBe("PENDING");
  });
});
