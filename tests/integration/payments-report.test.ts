// The organizer's payments view against a real PostgreSQL (lib/payments/report.ts): totals per currency
// (gross = COMPLETED + PARTIALLY_REFUNDED + REFUNDED, refunded = COMPLETED refunds, net), demo payments
// apart, the status filter and pages, who may see it, tenant scoping, and the CSV (refund lines, formula
// injection, the route handler's 401/404).
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { describe, expect, test } from "vitest";
import { GET as eventCsvRoute } from "@/app/api/events/[eventId]/payments.csv/route";
import { GET as organizationCsvRoute } from "@/app/api/organizations/[organizationId]/payments.csv/route";
import { db } from "@/lib/db";
import { authSecret } from "@/lib/env";
import { createSessionForUser } from "@/lib/identity/user-sessions";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { Event, PaymentStatus, RefundStatus, TicketType, User } from "@/lib/generated/prisma/client";
import { exportPaymentsCsv, listPayments, PAYMENTS_PAGE_SIZE, paymentTotals } from "@/lib/payments/report";
import { actorOf, type Actor } from "@/lib/permissions";
import { addMember, createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (user: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(user)!;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

// A payment reaches its status along the transition table (docs/payments.md), as the services move it.
const PATH: Record<PaymentStatus, PaymentStatus[]> = {
  PENDING: [],
  PROCESSING: ["PROCESSING"],
  COMPLETED: ["PROCESSING", "COMPLETED"],
  FAILED: ["PROCESSING", "FAILED"],
  PARTIALLY_REFUNDED: ["PROCESSING", "COMPLETED", "PARTIALLY_REFUNDED"],
  REFUNDED: ["PROCESSING", "COMPLETED", "REFUNDED"],
};

async function payment(
  event: Pick<Event, "id" | "organizationId">,
  type: Pick<TicketType, "id" | "priceCents" | "currency" | "reservationMinutes">,
  options: { status: PaymentStatus; amountCents: number; provider?: string; firstName?: string; email?: string; refunds?: [number, RefundStatus, string?][] },
) {
  const registration = await createRegistration(event, type, { status: "CONFIRMED", firstName: options.firstName ?? "Анна", email: options.email ?? `${randomUUID()}@example.com` });
  const row = await db.payment.create({
    data: {
      organizationId: event.organizationId,
      registrationId: registration.id,
      provider: options.provider ?? "yookassa",
      status: "PENDING",
      amountCents: options.amountCents,
      currency: type.currency,
      idempotencyKey: randomUUID(),
    },
  });
  for (const status of PATH[options.status]) {
    await db.payment.update({ where: { id: row.id }, data: { status, ...(status === "COMPLETED" ? { completedAt: new Date() } : {}) } });
  }
  for (const [amountCents, status, reason] of options.refunds ?? []) {
    const refund = await db.refund.create({ data: { paymentId: row.id, amountCents, reason: reason ?? null, status: "PENDING", origin: "organizer" } });
    if (status !== "PENDING") await db.refund.update({ where: { id: refund.id }, data: { status, completedAt: status === "COMPLETED" ? new Date() : null } });
  }
  return { registration, payment: row };
}

async function world() {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization);
  const rub = await createTicketType(event, { priceCents: 100_000, currency: "RUB", quantity: null });
  const usd = await createTicketType(event, { name: "USD", priceCents: 5_000, currency: "USD", quantity: null });
  return { organization, owner, actor: as(owner), event, rub, usd };
}

const COOKIE = "authjs.session-token";
async function cookieFor(user: User): Promise<string> {
  const session = await createSessionForUser(user.id);
  const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
  return `${COOKIE}=${token}`;
}

describe("payments view", () => {
  test("totals per currency: gross of taken payments, refunded of completed refunds, net; demo apart", async () => {
    const { organization, actor, event, rub, usd } = await world();
    await payment(event, rub, { status: "COMPLETED", amountCents: 100_000 });
    await payment(event, rub, { status: "PARTIALLY_REFUNDED", amountCents: 100_000, refunds: [[30_000, "COMPLETED"], [10_000, "FAILED"], [5_000, "PENDING"]] });
    await payment(event, rub, { status: "REFUNDED", amountCents: 100_000, refunds: [[100_000, "COMPLETED"]] });
    await payment(event, rub, { status: "FAILED", amountCents: 100_000 });
    await payment(event, rub, { status: "PROCESSING", amountCents: 100_000 });
    await payment(event, rub, { status: "PENDING", amountCents: 100_000 });
    await payment(event, usd, { status: "COMPLETED", amountCents: 5_000, provider: "stripe" });
    await payment(event, usd, { status: "COMPLETED", amountCents: 5_000, provider: "demo", refunds: [[1_000, "COMPLETED"]] });
    // another event of the same organization counts in the organization's totals only
    const other = await createEvent(organization);
    const otherType = await createTicketType(other, { priceCents: 7_000, currency: "EUR" });
    await payment(other, otherType, { status: "COMPLETED", amountCents: 7_000, provider: "manual" });

    const eventTotals = await paymentTotals({ actor, eventId: event.id });
    expect(eventTotals).toEqual([
      { currency: "RUB", test: false, payments: 3, grossCents: 300_000, refundedCents: 130_000, netCents: 170_000 },
      { currency: "USD", test: false, payments: 1, grossCents: 5_000, refundedCents: 0, netCents: 5_000 },
      { currency: "USD", test: true, payments: 1, grossCents: 5_000, refundedCents: 1_000, netCents: 4_000 },
    ]);
    const orgTotals = await paymentTotals({ actor, organizationId: organization.id });
    expect(orgTotals.map((x) => [x.currency, x.test, x.grossCents])).toEqual([
      ["EUR", false, 7_000],
      ["RUB", false, 300_000],
      ["USD", false, 5_000],
      ["USD", true, 5_000],
    ]);

    const all = await listPayments({ actor, eventId: event.id });
    expect(all.total).toBe(8);
    const partial = all.rows.find((r) => r.status === "PARTIALLY_REFUNDED")!;
    expect(partial.refundedCents).toBe(30_000);
    expect(partial.refunds.map((f) => [f.amountCents, f.status])).toEqual([
      [30_000, "COMPLETED"],
      [10_000, "FAILED"],
      [5_000, "PENDING"],
    ]);
    expect(all.rows.find((r) => r.provider === "demo")?.isTest).toBe(true);
    expect(all.rows.every((r) => r.event.id === event.id)).toBe(true);
    const filtered = await listPayments({ actor, eventId: event.id, status: "COMPLETED" });
    expect(filtered.rows.map((r) => r.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);
    expect(filtered.status).toBe("COMPLETED");
    const invalid = await expectAppError(listPayments({ actor, eventId: event.id, status: "PAID" }), "VALIDATION");
    expect(invalid.fieldErrors).toEqual({ status: "paymentsAdmin.validation.statusInvalid" });
    expect((await listPayments({ actor, organizationId: organization.id })).total).toBe(9);
  });

  test("a flagged payment (the provider took another amount) and a failed one say so in the row; a deposit says what it was for", async () => {
    const { actor, event, rub: type } = await world();
    const flagged = await payment(event, type, { status: "PROCESSING", amountCents: 150_000 });
    await db.$executeRaw`UPDATE payments SET flag_reason = 'amount_mismatch: provider 100 RUB, expected 150000 RUB' WHERE id = ${flagged.payment.id}::uuid`;
    const failed = await payment(event, type, { status: "FAILED", amountCents: 150_000 });
    await db.$executeRaw`UPDATE payments SET failure_reason = 'card_declined' WHERE id = ${failed.payment.id}::uuid`;
    const deposit = await payment(event, type, { status: "COMPLETED", amountCents: 50_000 });
    await db.$executeRaw`UPDATE payments SET kind = 'PREPAYMENT' WHERE id = ${deposit.payment.id}::uuid`;
    const rows = (await listPayments({ actor, eventId: event.id })).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(flagged.payment.id)).toMatchObject({ status: "PROCESSING", flagReason: expect.stringContaining("amount_mismatch"), kind: "FULL" });
    expect(byId.get(failed.payment.id)).toMatchObject({ status: "FAILED", failureReason: "card_declined", flagReason: null });
    expect(byId.get(deposit.payment.id)).toMatchObject({ kind: "PREPAYMENT", flagReason: null, failureReason: null });
  });

  test("pages of 50, newest first, no row twice", async () => {
    const { actor, event, rub } = await world();
    for (let i = 0; i < PAYMENTS_PAGE_SIZE + 3; i++) await payment(event, rub, { status: "COMPLETED", amountCents: 100 + i });
    const first = await listPayments({ actor, eventId: event.id });
    const second = await listPayments({ actor, eventId: event.id, page: 2 });
    expect(first.rows).toHaveLength(PAYMENTS_PAGE_SIZE);
    expect(second.rows).toHaveLength(3);
    expect([first.pageCount, second.page]).toEqual([2, 2]);
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(PAYMENTS_PAGE_SIZE + 3);
    expect(first.rows[0].amountCents).toBe(100 + PAYMENTS_PAGE_SIZE + 2);
    expect((await listPayments({ actor, eventId: event.id, page: 99 })).page).toBe(2);
  });

  test("owner and moderators see it; participants and other tenants do not", async () => {
    const a = await world();
    const b = await world();
    await payment(b.event, b.rub, { status: "COMPLETED", amountCents: 100_000 });
    const moderator = await createUser();
    await addMember(a.organization, moderator);
    const participant = await createUser();
    expect((await listPayments({ actor: as(moderator), eventId: a.event.id })).total).toBe(0);
    await expectAppError(listPayments({ actor: as(participant), organizationId: a.organization.id }), "NOT_FOUND");
    // the owner of A asking for B's event or organization: it does not exist for them
    await expectAppError(listPayments({ actor: a.actor, eventId: b.event.id }), "NOT_FOUND");
    await expectAppError(paymentTotals({ actor: a.actor, organizationId: b.organization.id }), "NOT_FOUND");
    await expectAppError(exportPaymentsCsv({ actor: a.actor, eventId: b.event.id }), "NOT_FOUND");
    await expectAppError(listPayments({ actor: null, eventId: a.event.id }), "UNAUTHENTICATED");
    // A's own view never shows B's payment
    expect((await listPayments({ actor: a.actor, organizationId: a.organization.id })).total).toBe(0);
    expect(await paymentTotals({ actor: a.actor, organizationId: a.organization.id })).toEqual([]);
  });
});

describe("payments CSV", () => {
  test("a line per payment and per refund, test payments marked, formula injection defused, audited", async () => {
    const { organization, actor, event, rub, usd } = await world();
    await payment(event, rub, {
      status: "PARTIALLY_REFUNDED",
      amountCents: 100_000,
      firstName: "=HYPERLINK(\"http://evil\")",
      email: "+cmd@example.com",
      refunds: [[25_000, "COMPLETED", "@SUM(A1:A9)"]],
    });
    await payment(event, usd, { status: "COMPLETED", amountCents: 5_000, provider: "demo", firstName: "-2+3" });

    const { csv, rows, filename } = await exportPaymentsCsv({ actor, eventId: event.id, locale: "en" });
    expect(rows).toBe(2);
    expect(filename).toMatch(/^payments-event-.*\.csv$/);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toBe("Kind,Date (event time zone),Status,Payment method,Test,Amount,Refunded,Currency,Registration code,First name,Last name,Email,Event,Provider / payment reference,Refund reason");
    expect(lines).toHaveLength(4); // header, 2 payments, 1 refund
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain("'+cmd@example.com");
    expect(csv).toContain("'@SUM(A1:A9)");
    expect(csv).toContain("'-2+3");
    expect(csv).not.toMatch(/(^|,)[=+@-]/m);
    const refundLine = lines.find((l) => l.startsWith("refund,"))!;
    expect(refundLine).toContain(",250.00,");
    const demoLine = lines.find((l) => l.includes("Demo"))!;
    expect(demoLine.split(",")[4]).toBe("yes");

    const filtered = await exportPaymentsCsv({ actor, eventId: event.id, status: "COMPLETED", locale: "ru" });
    expect(filtered.rows).toBe(1);
    expect(filtered.csv).toContain("Тип,Дата");
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: organization.id, action: "payments.exported" }, orderBy: { createdAt: "asc" } });
    expect(audit).toMatchObject({ entityType: "organization", entityId: organization.id });
    expect(audit.changes).toMatchObject({ eventId: event.id, rows: 2 });
  });

  test("the organization's CSV holds only its own payments", async () => {
    const a = await world();
    const b = await world();
    await payment(a.event, a.rub, { status: "COMPLETED", amountCents: 100_000, email: "mine@example.com" });
    await payment(b.event, b.rub, { status: "COMPLETED", amountCents: 100_000, email: "theirs@example.com" });
    const { csv, rows } = await exportPaymentsCsv({ actor: a.actor, organizationId: a.organization.id });
    expect(rows).toBe(1);
    expect(csv).toContain("mine@example.com");
    expect(csv).not.toContain("theirs@example.com");
  });

  test("the route handlers: session → the attachment in the UI language; no session → 401; another tenant → 404", async () => {
    const a = await world();
    const b = await world();
    await payment(a.event, a.rub, { status: "COMPLETED", amountCents: 100_000, email: "a@example.com" });
    const eventCsv = (eventId: string, headers: Record<string, string> = {}, query = "") =>
      eventCsvRoute(new Request(`http://localhost/api/events/${eventId}/payments.csv${query}`, { headers }), { params: Promise.resolve({ eventId }) });
    const orgCsv = (organizationId: string, headers: Record<string, string> = {}) =>
      organizationCsvRoute(new Request(`http://localhost/api/organizations/${organizationId}/payments.csv`, { headers }), { params: Promise.resolve({ organizationId }) });

    const ok = await eventCsv(a.event.id, { cookie: `${await cookieFor(a.owner)}; locale=en` }, "?status=COMPLETED");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(ok.headers.get("content-disposition")).toMatch(/^attachment; filename="payments-event-/);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const text = await ok.text();
    expect(text).toContain("Kind,");
    expect(text).toContain("a@example.com");
    const org = await orgCsv(a.organization.id, { cookie: await cookieFor(a.owner) });
    expect(org.status).toBe(200);
    expect(await org.text()).toContain("a@example.com");

    expect((await eventCsv(a.event.id)).status).toBe(401);
    expect((await orgCsv(a.organization.id)).status).toBe(401);
    const foreign = await cookieFor(b.owner);
    expect((await eventCsv(a.event.id, { cookie: foreign })).status).toBe(404);
    expect((await orgCsv(a.organization.id, { cookie: foreign })).status).toBe(404);
    expect((await eventCsv(a.event.id, { cookie: foreign }, "?status=BOGUS")).status).toBe(404);
    expect(await db.auditLog.count({ where: { action: "payments.exported", organizationId: b.organization.id } })).toBe(0);
  });
});
