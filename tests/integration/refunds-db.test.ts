// The refunds table's rules in PostgreSQL (migration 20261206200100_refunds_execution): the status
// trigger against REFUND_TRANSITIONS for every pair, the origin CHECK, refunded_cents bounds, and the
// safety net "the refunds of a payment that have not FAILED never exceed it" for writers that skip
// the service — also under concurrency.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import type { RefundStatus } from "@/lib/generated/prisma/enums";
import { REFUND_TRANSITIONS } from "@/lib/payments/transitions";
import { createEvent, createOrganization, createRegistration, createTicketType, createUser, expectDbRejects } from "@/tests/helpers/factories";

const STATUSES = Object.keys(REFUND_TRANSITIONS) as RefundStatus[];

async function payment(amountCents = 10_000) {
  const { organization } = await createOrganization();
  const event = await createEvent(organization);
  const type = await createTicketType(event, { priceCents: amountCents, currency: "RUB" });
  const registration = await createRegistration(event, type, { user: await createUser() });
  return db.payment.create({
    data: { organizationId: organization.id, registrationId: registration.id, provider: "manual", status: "COMPLETED", amountCents, currency: "RUB", idempotencyKey: randomUUID() },
  });
}

async function refundIn(status: RefundStatus, paymentId: string, amountCents = 100) {
  // Created PENDING, then moved along the table to `status` (the only way to reach FAILED).
  const row = await db.refund.create({ data: { paymentId, amountCents, origin: "organizer" } });
  if (status !== "PENDING") await db.refund.update({ where: { id: row.id }, data: { status } });
  return row;
}

describe("refunds_status_transition", () => {
  test.each(STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from).map((to) => [from, to] as const)))(
    "%s → %s is allowed exactly when REFUND_TRANSITIONS says so",
    async (from, to) => {
      const p = await payment();
      const row = await refundIn(from, p.id);
      const write = db.refund.update({ where: { id: row.id }, data: { status: to } });
      if (REFUND_TRANSITIONS[from].includes(to)) {
        await write;
        expect((await db.refund.findUniqueOrThrow({ where: { id: row.id } })).status).toBe(to);
      } else {
        await expectDbRejects(write, "23514", "refunds_status_transition");
        expect((await db.refund.findUniqueOrThrow({ where: { id: row.id } })).status).toBe(from);
      }
    },
  );

  test("a refund is created PENDING (or COMPLETED, recorded after the fact), never FAILED", async () => {
    const p = await payment();
    await db.refund.create({ data: { paymentId: p.id, amountCents: 100, origin: "organizer", status: "PENDING" } });
    await db.refund.create({ data: { paymentId: p.id, amountCents: 100, origin: "organizer", status: "COMPLETED" } });
    await expectDbRejects(db.refund.create({ data: { paymentId: p.id, amountCents: 100, origin: "organizer", status: "FAILED" } }), "23514", "refunds_status_transition");
  });

  test("origin is one of the catalogue; each refund gets its own idempotency key", async () => {
    const p = await payment();
    await expectDbRejects(db.refund.create({ data: { paymentId: p.id, amountCents: 100, origin: "whim" } }), "23514", "refunds_origin_check");
    const a = await db.refund.create({ data: { paymentId: p.id, amountCents: 100, origin: "late_payment" } });
    const b = await db.refund.create({ data: { paymentId: p.id, amountCents: 100, origin: "event_cancelled" } });
    expect(a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
    await expectDbRejects(db.refund.create({ data: { paymentId: p.id, amountCents: 100, origin: "organizer", idempotencyKey: a.idempotencyKey } }), "P2002");
  });
});

describe("never more refunded than paid", () => {
  test("payments.refunded_cents stays within 0..amount_cents", async () => {
    const p = await payment(10_000);
    await expectDbRejects(db.payment.update({ where: { id: p.id }, data: { refundedCents: 10_001 } }), "23514", "payments_refunded_cents_check");
    await expectDbRejects(db.payment.update({ where: { id: p.id }, data: { refundedCents: -1 } }), "23514", "payments_refunded_cents_check");
    await db.payment.update({ where: { id: p.id }, data: { refundedCents: 10_000 } });
  });

  test("the refunds that have not FAILED never exceed the payment; a FAILED one frees its share", async () => {
    const p = await payment(10_000);
    const first = await refundIn("PENDING", p.id, 6_000);
    await expectDbRejects(db.refund.create({ data: { paymentId: p.id, amountCents: 4_001, origin: "organizer" } }), "23514", "refunds_within_payment");
    await db.refund.update({ where: { id: first.id }, data: { status: "FAILED" } });
    await db.refund.create({ data: { paymentId: p.id, amountCents: 10_000, origin: "organizer" } });
    await expectDbRejects(db.refund.create({ data: { paymentId: p.id, amountCents: 1, origin: "organizer" } }), "refunds_within_payment");
  });

  test("writers that skip the service still queue on the payment: 10 parallel inserts of 40 % → exactly 2 stay", async () => {
    const p = await payment(10_000);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => db.$transaction(async (tx) => tx.refund.create({ data: { paymentId: p.id, amountCents: 4_000, origin: "organizer" } }))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const sum = await db.refund.aggregate({ where: { paymentId: p.id }, _sum: { amountCents: true } });
    expect(sum._sum.amountCents).toBe(8_000);
  });
});

describe("registration.cancelled says what comes back (the migration's template update)", () => {
  test("a stored unedited text becomes the one in code; an admin's own text is kept", async () => {
    const { readFileSync } = await import("node:fs");
    const { SYSTEM_TEMPLATES } = await import("@/lib/notifications/system-templates");
    const { PREVIOUS_ICU_TEMPLATES } = await import("@/tests/fixtures/icu-template-history");
    const sql = readFileSync(`${process.cwd()}/prisma/migrations/20261206200100_refunds_execution/migration.sql`, "utf8");
    const update = sql.slice(sql.indexOf('UPDATE "notification_templates"'), sql.indexOf(";", sql.indexOf('"body_en" = \'❌ <b>Registration cancelled</b>', sql.indexOf("AND \"body\" = "))) + 1);
    const previous = PREVIOUS_ICU_TEMPLATES["registration.cancelled"];
    const current = SYSTEM_TEMPLATES.find((t) => t.code === "registration.cancelled")!;
    expect(current.body).not.toBe(previous.body);
    const rollback = new Error("rollback");
    const outcome = await db
      .$transaction(async (tx) => {
        await tx.notificationTemplate.upsert({
          where: { code: "registration.cancelled" },
          create: { code: "registration.cancelled", body: previous.body, bodyEn: previous.bodyEn, variables: [], isSystem: true },
          update: { body: previous.body, bodyEn: previous.bodyEn },
        });
        expect(await tx.$executeRawUnsafe(update)).toBe(1);
        const migrated = await tx.notificationTemplate.findUniqueOrThrow({ where: { code: "registration.cancelled" } });
        expect([migrated.body, migrated.bodyEn]).toEqual([current.body, current.bodyEn]);
        // Edited by an admin: not matched, kept.
        await tx.notificationTemplate.update({ where: { code: "registration.cancelled" }, data: { body: "Своё {firstName}", bodyEn: previous.bodyEn } });
        expect(await tx.$executeRawUnsafe(update)).toBe(0);
        throw rollback;
      })
      .catch((e: unknown) => e);
    expect(outcome).toBe(rollback);
  });
});
