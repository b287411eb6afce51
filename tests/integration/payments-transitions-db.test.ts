// The payments_status_transition trigger (migration 20261206200000_payments_online) against the TS table
// (lib/payments/transitions.ts), for every pair: an INSERT only in INITIAL_PAYMENT_STATUSES, an UPDATE of
// the status only along PAYMENT_TRANSITIONS (writing the status a row already has is not a transition);
// refusals are SQLSTATE 23514 naming the constraint. Also the partial unique index: one open payment per
// registration.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import type { PaymentStatus } from "@/lib/generated/prisma/enums";
import { INITIAL_PAYMENT_STATUSES, canPaymentTransition } from "@/lib/payments/transitions";
import { createEvent, createOrganization, createRegistration, createTicketType, expectDbRejects } from "@/tests/helpers/factories";

const ALL: PaymentStatus[] = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "REFUNDED", "PARTIALLY_REFUNDED"];

async function registration() {
  const { organization } = await createOrganization();
  const event = await createEvent(organization);
  const type = await createTicketType(event, { priceCents: 1000 });
  return createRegistration(event, type, { status: "PENDING" });
}

/** Inserts a payment in `status` bypassing the trigger's INSERT rule (session_replication_role = replica). */
async function paymentIn(status: PaymentStatus, registrationId: string, organizationId: string): Promise<string> {
  const id = randomUUID();
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    await tx.$executeRaw`
      INSERT INTO payments (id, tenant_id, registration_id, provider, status, amount_cents, currency, idempotency_key, updated_at)
      VALUES (${id}::uuid, ${organizationId}::uuid, ${registrationId}::uuid, 'yookassa', ${status}::"PaymentStatus", 1000, 'RUB', ${randomUUID()}::uuid, now())`;
  });
  return id;
}

describe("payments_status_transition trigger = PAYMENT_TRANSITIONS", () => {
  test("INSERT: only the initial statuses", async () => {
    for (const status of ALL) {
      const r = await registration();
      const insert = db.payment.create({
        data: { organizationId: r.organizationId, registrationId: r.id, provider: "yookassa", status, amountCents: 1000, currency: "RUB", idempotencyKey: randomUUID() },
      });
      if (INITIAL_PAYMENT_STATUSES.includes(status)) await expect(insert).resolves.toBeTruthy();
      else {
        const error = await expectDbRejects(insert, "23514");
        expect(error.message).toMatch(/payments_status_transition/);
      }
    }
  });

  test.each(ALL)("UPDATE from %s: every target as the table says", async (from) => {
    for (const to of ALL) {
      const r = await registration();
      const id = await paymentIn(from, r.id, r.organizationId);
      const update = db.$executeRaw`UPDATE payments SET status = ${to}::"PaymentStatus" WHERE id = ${id}::uuid`;
      if (from === to || canPaymentTransition(from, to)) {
        await expect(update, `${from}→${to}`).resolves.toBe(1);
      } else {
        const error = await expectDbRejects(update, "23514");
        expect(error.message, `${from}→${to}`).toMatch(/payments_status_transition/);
      }
    }
  });

  test("an update that does not name the status is not checked", async () => {
    const r = await registration();
    const id = await paymentIn("FAILED", r.id, r.organizationId);
    await expect(db.$executeRaw`UPDATE payments SET failure_reason = 'declined' WHERE id = ${id}::uuid`).resolves.toBe(1);
  });
});

describe("payments: constraints of the online flow", () => {
  test("at most one open (PENDING/PROCESSING) payment per registration; a final one does not count", async () => {
    const r = await registration();
    const open = await paymentIn("PROCESSING", r.id, r.organizationId);
    await expectDbRejects(paymentIn("PENDING", r.id, r.organizationId), "payments_one_open_per_registration");
    await db.$executeRaw`UPDATE payments SET status = 'FAILED' WHERE id = ${open}::uuid`;
    await expect(paymentIn("PENDING", r.id, r.organizationId)).resolves.toBeTruthy();
  });

  test("kind is FULL, PREPAYMENT or REMAINDER", async () => {
    const r = await registration();
    await expectDbRejects(
      db.$executeRaw`INSERT INTO payments (id, tenant_id, registration_id, provider, status, amount_cents, currency, idempotency_key, kind, updated_at)
        VALUES (gen_random_uuid(), ${r.organizationId}::uuid, ${r.id}::uuid, 'manual', 'COMPLETED', 1, 'RUB', gen_random_uuid(), 'TIP', now())`,
      "payments_kind_check",
    );
  });

  test("a webhook delivery is stored once per provider, organization and event key", async () => {
    const r = await registration();
    const row = { provider: "stripe", organizationId: r.organizationId, eventKey: "evt_1", type: "checkout.session.completed" };
    await db.paymentWebhookEvent.create({ data: row });
    await expectDbRejects(db.paymentWebhookEvent.create({ data: row }), "payment_webhook_events_provider_tenant_id_event_key_key");
    await expect(db.paymentWebhookEvent.create({ data: { ...row, provider: "yookassa" } })).resolves.toBeTruthy();
  });
});
