// The analytics rollups (migration 20261208001000_analytics_rollups; docs/analytics.md → "Rollups")
// against a real PostgreSQL: after many PARALLEL real operations through the services (sales of several
// ticket types, cancellations by participants and the organizer, reservation expiry, check-ins, manual
// and demo payments, refunds), every rollup row equals a recount from the base tables, and every figure
// of eventAnalytics / organizationAnalytics / platformAnalytics equals counts taken straight from the
// tables here; a bulk statement (an event cancellation) keeps them equal; the backfill (rebuild) equals a
// recount; a time-zone change rebuilds the rows.
import { describe, expect, test } from "vitest";
import { eventAnalytics, organizationAnalytics, parsePeriod, platformAnalytics } from "@/lib/analytics";
import { checkIn } from "@/lib/check-in";
import { db } from "@/lib/db";
import { cancelEvent } from "@/lib/events/lifecycle";
import type { TicketType, User } from "@/lib/generated/prisma/client";
import { startCheckout } from "@/lib/payments/checkout";
import { markPaid } from "@/lib/payments/manual";
import { payDemoCheckout } from "@/lib/payments/providers/demo";
import { reconcilePayments } from "@/lib/payments/reconcile";
import { executeRefund, markManualRefundDone, refundPaymentAsOrganizer } from "@/lib/payments/refunds";
import { actorOf, type Actor } from "@/lib/permissions";
import { cancelMyRegistration, cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import { expireReservations } from "@/lib/registrations/expiry";
import { register } from "@/lib/registrations/register";
import { addMember, connectPayments, createEvent, createOrganization, createTicketType, createUser, uniqueEmail, uniqueIdempotencyKey } from "@/tests/helpers/factories";
import { randomUUID } from "node:crypto";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const HOUR = 60 * 60 * 1000;
const nonce = () => `n-${randomUUID()}`;

async function manyUsers(n: number): Promise<User[]> {
  return db.user.createManyAndReturn({
    data: Array.from({ length: n }, (_, i) => ({ firstName: `Участник${i}`, lastName: `Фамилия${i}`, email: uniqueEmail("an") })),
  });
}

/** Settled promises must be either ok or one of the expected refusals. */
function expectOnly(results: PromiseSettledResult<unknown>[], allowed: string[]): number {
  let ok = 0;
  for (const r of results) {
    if (r.status === "fulfilled") ok++;
    else expect(allowed, String(r.reason?.stack ?? r.reason)).toContain(r.reason?.message);
  }
  return ok;
}

// ───────────────────────────── the recount (straight from the base tables) ─────────────────────────────

/**
 * Each rollup table against the same figures recounted from the base tables, over the whole database
 * (this file's own): rows present on one side only. Zero rows of a rollup (a key whose count went back
 * to 0) are not differences.
 */
async function rollupDiff(): Promise<Record<string, unknown[]>> {
  const checks: Record<string, string> = {
    hours: `
      WITH want AS (
        SELECT event_id, ticket_type_id, local_hour, sum(c)::int AS created, sum(f)::int AS confirmed, sum(x)::int AS cancelled FROM (
          SELECT r.event_id, r.ticket_type_id, date_trunc('hour', r.created_at AT TIME ZONE e.timezone) AS local_hour, 1 AS c, 0 AS f, 0 AS x
            FROM registrations r JOIN events e ON e.id = r.event_id
          UNION ALL SELECT r.event_id, r.ticket_type_id, date_trunc('hour', r.confirmed_at AT TIME ZONE e.timezone), 0, 1, 0
            FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.confirmed_at IS NOT NULL
          UNION ALL SELECT r.event_id, r.ticket_type_id, date_trunc('hour', r.cancelled_at AT TIME ZONE e.timezone), 0, 0, 1
            FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.cancelled_at IS NOT NULL) u GROUP BY 1, 2, 3),
      have AS (SELECT event_id, ticket_type_id, local_hour, created, confirmed, cancelled FROM analytics_registration_hours
                WHERE (created, confirmed, cancelled) <> (0, 0, 0))
      (SELECT 'missing' AS side, * FROM (SELECT * FROM want EXCEPT SELECT * FROM have) a)
      UNION ALL (SELECT 'extra', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want) b)`,
    statuses: `
      WITH want AS (SELECT event_id, ticket_type_id, status, count(*)::int AS count FROM registrations GROUP BY 1, 2, 3),
           have AS (SELECT event_id, ticket_type_id, status, count FROM analytics_registration_statuses WHERE count <> 0)
      (SELECT 'missing' AS side, * FROM (SELECT * FROM want EXCEPT SELECT * FROM have) a)
      UNION ALL (SELECT 'extra', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want) b)`,
    days: `
      WITH want AS (
        SELECT tenant_id, day, event_id, ticket_type_id, sum(c)::int AS created, sum(f)::int AS confirmed, sum(x)::int AS cancelled FROM (
          SELECT r.tenant_id, (r.created_at AT TIME ZONE analytics_org_zone(o.settings))::date AS day, r.event_id, r.ticket_type_id, 1 AS c, 0 AS f, 0 AS x
            FROM registrations r JOIN organizations o ON o.id = r.tenant_id
          UNION ALL SELECT r.tenant_id, (r.confirmed_at AT TIME ZONE analytics_org_zone(o.settings))::date, r.event_id, r.ticket_type_id, 0, 1, 0
            FROM registrations r JOIN organizations o ON o.id = r.tenant_id WHERE r.confirmed_at IS NOT NULL
          UNION ALL SELECT r.tenant_id, (r.cancelled_at AT TIME ZONE analytics_org_zone(o.settings))::date, r.event_id, r.ticket_type_id, 0, 0, 1
            FROM registrations r JOIN organizations o ON o.id = r.tenant_id WHERE r.cancelled_at IS NOT NULL) u GROUP BY 1, 2, 3, 4),
      have AS (SELECT tenant_id, day, event_id, ticket_type_id, created, confirmed, cancelled FROM analytics_registration_days
                WHERE (created, confirmed, cancelled) <> (0, 0, 0))
      (SELECT 'missing' AS side, * FROM (SELECT * FROM want EXCEPT SELECT * FROM have) a)
      UNION ALL (SELECT 'extra', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want) b)`,
    arrivals: `
      WITH want AS (
        SELECT c.event_id, date_bin(interval '15 minutes', c.checked_in_at, timestamptz '2000-01-01 00:00:00+00') AS bucket, e.tenant_id, count(*)::int AS count
          FROM check_ins c JOIN events e ON e.id = c.event_id GROUP BY 1, 2, 3),
      have AS (SELECT event_id, bucket, tenant_id, count FROM analytics_check_in_quarters WHERE count <> 0)
      (SELECT 'missing' AS side, * FROM (SELECT * FROM want EXCEPT SELECT * FROM have) a)
      UNION ALL (SELECT 'extra', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want) b)`,
    money: `
      WITH want AS (
        SELECT tenant_id, day, event_id, currency, sum(g)::bigint AS gross_cents, sum(n)::int AS payments, sum(rf)::bigint AS refunded_cents, sum(rn)::int AS refunds FROM (
          SELECT p.tenant_id, (coalesce(p.completed_at, p.created_at) AT TIME ZONE analytics_org_zone(o.settings))::date AS day, r.event_id, p.currency,
                 p.amount_cents AS g, 1 AS n, 0 AS rf, 0 AS rn
            FROM payments p JOIN registrations r ON r.id = p.registration_id JOIN organizations o ON o.id = p.tenant_id
           WHERE p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')
          UNION ALL
          SELECT p.tenant_id, (coalesce(f.completed_at, f.updated_at) AT TIME ZONE analytics_org_zone(o.settings))::date, r.event_id, p.currency, 0, 0, f.amount_cents, 1
            FROM refunds f JOIN payments p ON p.id = f.payment_id JOIN registrations r ON r.id = p.registration_id JOIN organizations o ON o.id = p.tenant_id
           WHERE f.status = 'COMPLETED') u GROUP BY 1, 2, 3, 4),
      have AS (SELECT tenant_id, day, event_id, currency, gross_cents, payments, refunded_cents, refunds FROM analytics_money_days
                WHERE (gross_cents, payments, refunded_cents, refunds) <> (0, 0, 0, 0))
      (SELECT 'missing' AS side, * FROM (SELECT * FROM want EXCEPT SELECT * FROM have) a)
      UNION ALL (SELECT 'extra', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want) b)`,
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(checks)) out[name] = await db.$queryRawUnsafe<unknown[]>(query);
  return out;
}

const NO_DIFF = { hours: [], statuses: [], days: [], arrivals: [], money: [] };

/** The event's figures counted straight from the base tables (the definitions of docs/analytics.md). */
async function recountEvent(eventId: string) {
  const statuses = await db.$queryRaw<{ ticket_type_id: string; status: string; count: number }[]>`
    SELECT ticket_type_id, status::text AS status, count(*)::int AS count FROM registrations WHERE event_id = ${eventId}::uuid GROUP BY 1, 2`;
  const [funnel] = await db.$queryRaw<{ started: number; confirmed: number; cancelled: number; checked_in: number }[]>`
    SELECT count(*)::int AS started, count(confirmed_at)::int AS confirmed, count(cancelled_at)::int AS cancelled,
           (SELECT count(*)::int FROM check_ins c WHERE c.event_id = ${eventId}::uuid) AS checked_in
      FROM registrations WHERE event_id = ${eventId}::uuid`;
  const daily = await db.$queryRaw<{ start: Date; created: number; confirmed: number; cancelled: number }[]>`
    SELECT (day::timestamp AT TIME ZONE tz) AS start, sum(c)::int AS created, sum(f)::int AS confirmed, sum(x)::int AS cancelled FROM (
      SELECT e.timezone AS tz, (r.created_at AT TIME ZONE e.timezone)::date AS day, 1 AS c, 0 AS f, 0 AS x FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.event_id = ${eventId}::uuid
      UNION ALL SELECT e.timezone, (r.confirmed_at AT TIME ZONE e.timezone)::date, 0, 1, 0 FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.event_id = ${eventId}::uuid AND r.confirmed_at IS NOT NULL
      UNION ALL SELECT e.timezone, (r.cancelled_at AT TIME ZONE e.timezone)::date, 0, 0, 1 FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.event_id = ${eventId}::uuid AND r.cancelled_at IS NOT NULL
    ) u GROUP BY 1 ORDER BY 1`;
  // the payments view's rule (lib/payments/report.ts): gross = the gross statuses, refunded = refunds COMPLETED
  const money = await db.$queryRaw<{ currency: string; gross: number; payments: number; refunded: number; refunds: number }[]>`
    SELECT p.currency::text AS currency, sum(p.amount_cents)::int AS gross, count(*)::int AS payments,
           coalesce(sum((SELECT sum(f.amount_cents) FROM refunds f WHERE f.payment_id = p.id AND f.status = 'COMPLETED')), 0)::int AS refunded,
           coalesce(sum((SELECT count(*) FROM refunds f WHERE f.payment_id = p.id AND f.status = 'COMPLETED')), 0)::int AS refunds
      FROM payments p JOIN registrations r ON r.id = p.registration_id
     WHERE r.event_id = ${eventId}::uuid AND p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')
     GROUP BY 1 ORDER BY 1`;
  const reasons = await db.$queryRaw<{ reason: string | null; count: number }[]>`
    SELECT nullif(btrim(cancellation_reason), '') AS reason, count(*)::int AS count FROM registrations
     WHERE event_id = ${eventId}::uuid AND status = 'CANCELLED' GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST`;
  const arrivals = await db.$queryRaw<{ start: Date; count: number }[]>`
    SELECT date_bin(interval '15 minutes', checked_in_at, timestamptz '2000-01-01 00:00:00+00') AS start, count(*)::int AS count
      FROM check_ins WHERE event_id = ${eventId}::uuid GROUP BY 1 ORDER BY 1`;
  return { statuses, funnel, daily, money, reasons, arrivals };
}

async function expectEventEqualsRecount(actor: Actor, eventId: string) {
  const view = await eventAnalytics({ actor, eventId });
  const base = await recountEvent(eventId);

  const totals: Record<string, number> = { RESERVED: 0, PENDING: 0, CONFIRMED: 0, CHECKED_IN: 0, CANCELLED: 0, EXPIRED: 0 };
  for (const s of base.statuses) totals[s.status] += s.count;
  expect(view.statusTotals).toEqual(totals);
  for (const t of view.ticketTypes) {
    const mine = Object.fromEntries(Object.keys(totals).map((k) => [k, 0]));
    for (const s of base.statuses.filter((x) => x.ticket_type_id === t.ticketTypeId)) mine[s.status] = s.count;
    expect(t.byStatus, t.name).toEqual(mine);
    const type = await db.ticketType.findUniqueOrThrow({ where: { id: t.ticketTypeId } });
    expect({ sold: t.sold, reserved: t.reserved }).toEqual({ sold: type.soldCount, reserved: type.reservedCount });
  }
  expect(view.funnel).toMatchObject({ started: base.funnel.started, confirmed: base.funnel.confirmed, checkedIn: base.funnel.checked_in });
  // the daily series: every day with activity has exactly the recount, every other day is zero
  const byStart = new Map(base.daily.map((d) => [d.start.toISOString(), d]));
  for (const p of view.daily) {
    const d = byStart.get(p.start);
    expect(p, p.start).toEqual({ start: p.start, created: d?.created ?? 0, confirmed: d?.confirmed ?? 0, cancelled: d?.cancelled ?? 0 });
    byStart.delete(p.start);
  }
  expect([...byStart.keys()], "days with activity missing from the series").toEqual([]);
  expect(view.daily.reduce((n, p) => n + p.cancelled, 0)).toBe(base.funnel.cancelled);
  expect(view.revenue).toEqual(
    base.money.map((m) => ({ currency: m.currency, grossCents: m.gross, refundedCents: m.refunded, netCents: m.gross - m.refunded, payments: m.payments, refunds: m.refunds })),
  );
  expect(view.cancellations).toEqual({ total: totals.CANCELLED, byReason: base.reasons.slice(0, 10) });
  expect(view.checkIn.checkedIn).toBe(base.funnel.checked_in);
  expect(view.checkIn.expected).toBe(totals.CONFIRMED + totals.CHECKED_IN);
  expect(view.checkIn.arrivals).toEqual(base.arrivals.map((a) => ({ start: a.start.toISOString(), count: a.count })));
  return { view, base, totals };
}

// ───────────────────────────── the world ─────────────────────────────

async function world(name = "A") {
  const { organization, owner } = await createOrganization({ name: `Организация ${name}` });
  const moderator = await createUser();
  await addMember(organization, moderator, "MODERATOR");
  await connectPayments(organization, ["manual", "demo"]);
  // published 2 days ago, starts in 5 days: sales and check-ins both open (the door opens with the sale here)
  const event = await createEvent(organization, { publishedAt: new Date(Date.now() - 48 * HOUR), startsAt: new Date(Date.now() + 5 * 24 * HOUR) });
  const free = await createTicketType(event, { name: "Бесплатный", quantity: 20, sortOrder: 1 });
  const unlimited = await createTicketType(event, { name: "Без лимита", quantity: null, sortOrder: 2 });
  const reserved = await createTicketType(event, { name: "Платный", priceCents: 150_000, currency: "RUB", quantity: 15, reservationMinutes: 30, sortOrder: 3 });
  const dollars = await createTicketType(event, { name: "USD", priceCents: 5_000, currency: "USD", quantity: 10, sortOrder: 4 });
  return { organization, owner, moderator, event, free, unlimited, reserved, dollars };
}

async function buy(users: User[], eventId: string, type: TicketType) {
  const results = await Promise.allSettled(users.map((u) => register({ actor: as(u), eventId, ticketTypeId: type.id })));
  expectOnly(results, ["errors.soldOut"]);
  return results.flatMap((r, i) => (r.status === "fulfilled" ? [{ user: users[i], registrationId: r.value.registrationId, status: r.value.status }] : []));
}

describe("rollups after parallel real operations", () => {
  test("sales, cancellations, expiry, check-ins, payments and refunds in parallel → every rollup equals a recount, every figure equals the tables", async () => {
    const w = await world();
    const users = await manyUsers(80);

    // 1. sales on four types at once (the free type sells out: 30 buyers for 20 seats)
    const [freeSales, unlimitedSales, reservedSales, dollarSales] = await Promise.all([
      buy(users.slice(0, 30), w.event.id, w.free),
      buy(users.slice(30, 45), w.event.id, w.unlimited),
      buy(users.slice(45, 65), w.event.id, w.reserved),
      buy(users.slice(65, 75), w.event.id, w.dollars),
    ]);
    expect(freeSales).toHaveLength(20);
    expect(reservedSales).toHaveLength(15);
    expect(await rollupDiff()).toEqual(NO_DIFF);

    // 2. at once: participants cancel, the organizer cancels with reasons, payments recorded by hand, check-ins
    const cancelledByParticipant = freeSales.slice(0, 4);
    const cancelledByOrganizer = unlimitedSales.slice(0, 3);
    const paidByHand = reservedSales.slice(0, 8);
    const scanned = [...freeSales.slice(4, 14), ...unlimitedSales.slice(3, 8)];
    const outcomes = await Promise.allSettled([
      ...cancelledByParticipant.map((s) => cancelMyRegistration({ actor: as(s.user), registrationId: s.registrationId })),
      ...cancelledByOrganizer.map((s, i) =>
        cancelRegistrationAsOrganizer({ actor: as(w.moderator), registrationId: s.registrationId, reason: i === 0 ? "Дубль" : "Попросили отменить" }),
      ),
      ...paidByHand.map((s) => markPaid({ actor: as(w.owner), registrationId: s.registrationId, idempotencyKey: uniqueIdempotencyKey() })),
      ...scanned.map((s) => checkIn({ actor: as(w.moderator), eventId: w.event.id, scan: { nonce: nonce(), method: "MANUAL", registrationId: s.registrationId } })),
    ]);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    expect(await rollupDiff()).toEqual(NO_DIFF);

    // 3. expiry: three reservations lapse (their time moved back), the sweep expires them
    const lapsing = reservedSales.slice(8, 11).map((s) => s.registrationId);
    await db.registration.updateMany({ where: { id: { in: lapsing } }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await expireReservations({ eventId: w.event.id });
    expect(await db.registration.count({ where: { id: { in: lapsing }, status: "EXPIRED" } })).toBe(3);

    // 4. demo payments (USD, PENDING registrations): checkout, the success card, the reconciliation settles them
    const demoPaid = dollarSales.slice(0, 3);
    const checkouts = await Promise.all(demoPaid.map((s) => startCheckout({ actor: as(s.user), registrationId: s.registrationId, purpose: "full", locale: "ru" })));
    for (const c of checkouts) {
      expect(c.kind).toBe("redirect");
      if (c.kind !== "redirect") continue;
      const demoId = /\/pay\/demo\/([0-9a-f-]{36})$/.exec(c.redirectUrl)![1];
      expect((await payDemoCheckout(demoId, "4242 4242 4242 4242"))?.outcome).toBe("paid");
      await db.$executeRaw`UPDATE payments SET updated_at = now() - interval '1 minute' WHERE id = ${c.paymentId}::uuid`;
    }
    await reconcilePayments({ processingAgeMs: 0, pendingAgeMs: 0 });
    expect(await db.payment.count({ where: { registration: { eventId: w.event.id }, provider: "demo", status: "COMPLETED" } })).toBe(3);

    // 5. refunds in parallel: two manual ones (one partial) marked returned, one demo refund executed
    const manualPayments = await db.payment.findMany({ where: { registration: { eventId: w.event.id }, provider: "manual" }, orderBy: { id: "asc" }, take: 2 });
    const demoPayment = await db.payment.findFirstOrThrow({ where: { registration: { eventId: w.event.id }, provider: "demo" } });
    const refunds = await Promise.all([
      refundPaymentAsOrganizer({ actor: as(w.owner), paymentId: manualPayments[0].id, amountCents: 50_000, idempotencyKey: uniqueIdempotencyKey() }),
      refundPaymentAsOrganizer({ actor: as(w.owner), paymentId: manualPayments[1].id, idempotencyKey: uniqueIdempotencyKey() }),
      refundPaymentAsOrganizer({ actor: as(w.owner), paymentId: demoPayment.id, amountCents: 2_000, idempotencyKey: uniqueIdempotencyKey() }),
    ]);
    await Promise.all([
      markManualRefundDone({ actor: as(w.owner), refundId: refunds[0].refundId }),
      markManualRefundDone({ actor: as(w.owner), refundId: refunds[1].refundId }),
      executeRefund(refunds[2].refundId),
    ]);
    expect(await db.refund.count({ where: { id: { in: refunds.map((r) => r.refundId) }, status: "COMPLETED" } })).toBe(3);
    expect(await rollupDiff()).toEqual(NO_DIFF);

    // the event view equals the tables
    const { view, totals } = await expectEventEqualsRecount(as(w.moderator), w.event.id);
    expect(totals.CHECKED_IN).toBe(15);
    expect(totals.EXPIRED).toBe(3);
    expect(view.revenue.map((m) => m.currency)).toEqual(["RUB", "USD"]);
    expect(view.revenue.find((m) => m.currency === "RUB")).toMatchObject({ grossCents: 8 * 150_000, refundedCents: 50_000 + 150_000, payments: 8, refunds: 2 });
    expect(view.revenue.find((m) => m.currency === "USD")).toMatchObject({ grossCents: 3 * 5_000, refundedCents: 2_000, payments: 3, refunds: 1 });
    expect(view.cancellations.byReason).toEqual(
      expect.arrayContaining([
        { reason: "Попросили отменить", count: 2 },
        { reason: "Дубль", count: 1 },
      ]),
    );
    expect(view.checkIn.rate).toBeCloseTo(15 / (totals.CONFIRMED + 15));
    expect(view.ticketTypes.find((t) => t.ticketTypeId === w.free.id)?.sellThrough).toBeCloseTo((20 - 4) / 20);
    expect(view.ticketTypes.find((t) => t.ticketTypeId === w.unlimited.id)?.sellThrough).toBeNull();
    expect(view.isEmpty).toBe(false);

    // the organization dashboard over today equals the tables
    const { period } = parsePeriod({ from: null, to: null });
    const org = await organizationAnalytics({ actor: as(w.owner), organizationId: w.organization.id, period });
    const [orgBase] = await db.$queryRaw<{ created: number; confirmed: number; cancelled: number; checked_in: number }[]>`
      SELECT count(*)::int AS created, count(confirmed_at)::int AS confirmed, count(cancelled_at)::int AS cancelled,
             (SELECT count(*)::int FROM check_ins c JOIN events e ON e.id = c.event_id WHERE e.tenant_id = ${w.organization.id}::uuid) AS checked_in
        FROM registrations WHERE tenant_id = ${w.organization.id}::uuid`;
    expect(org.totals).toMatchObject({ registrations: orgBase.created, confirmed: orgBase.confirmed, cancelled: orgBase.cancelled, checkedIn: orgBase.checked_in });
    expect(org.totals.revenue).toEqual(view.revenue);
    expect(org.days).toHaveLength(30);
    expect(org.days.reduce((n, d) => n + d.registrations, 0)).toBe(orgBase.created);
    const row = org.events.find((e) => e.eventId === w.event.id)!;
    expect(row).toMatchObject({ registrations: orgBase.created, confirmed: orgBase.confirmed, checkedIn: orgBase.checked_in, revenue: view.revenue });
    expect(org.upcoming.map((u) => u.eventId)).toContain(w.event.id);
    const up = org.upcoming.find((u) => u.eventId === w.event.id)!;
    expect(up.capacity).toBeNull(); // one type is unlimited
    const types = await db.ticketType.findMany({ where: { eventId: w.event.id } });
    expect(up.taken).toBe(types.reduce((n, t) => n + t.soldCount + t.reservedCount, 0));

    // the platform view equals the tables (every organization of this database)
    const admin = await createUser({ isPlatformAdmin: true });
    const platform = await platformAnalytics({ actor: as(admin), period });
    const [all] = await db.$queryRaw<{ registrations: number; payments: number }[]>`
      SELECT (SELECT count(*)::int FROM registrations) AS registrations,
             (SELECT count(*)::int FROM payments WHERE status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')) AS payments`;
    expect(platform.totals).toMatchObject({ registrations: all.registrations, payments: all.payments });
    expect(platform.totals.events).toBeGreaterThanOrEqual(1);
    expect(platform.totals.organizations).toBeGreaterThanOrEqual(1);
    expect(platform.days).toHaveLength(30);

    // 6. a bulk statement: the event is cancelled, every registration with it
    await cancelEvent({ actor: as(w.owner), eventId: w.event.id, reason: "Площадка закрыта" });
    expect(await rollupDiff()).toEqual(NO_DIFF);
    const after = await expectEventEqualsRecount(as(w.owner), w.event.id);
    expect(after.totals.RESERVED + after.totals.PENDING + after.totals.CONFIRMED).toBe(0);

    // 7. the backfill equals a recount: rebuilding everything from the base tables changes nothing
    const snapshot = async () =>
      db.$queryRawUnsafe<unknown[]>(`
        SELECT 'h' AS t, event_id::text, ticket_type_id::text, local_hour::text AS k, created, confirmed, cancelled, 0 AS z FROM analytics_registration_hours WHERE (created, confirmed, cancelled) <> (0, 0, 0)
        UNION ALL SELECT 's', event_id::text, ticket_type_id::text, status::text, count, 0, 0, 0 FROM analytics_registration_statuses WHERE count <> 0
        UNION ALL SELECT 'd', event_id::text, ticket_type_id::text, day::text, created, confirmed, cancelled, 0 FROM analytics_registration_days WHERE (created, confirmed, cancelled) <> (0, 0, 0)
        UNION ALL SELECT 'q', event_id::text, tenant_id::text, bucket::text, count, 0, 0, 0 FROM analytics_check_in_quarters WHERE count <> 0
        UNION ALL SELECT 'm', event_id::text, currency::text, day::text, gross_cents::int, payments, refunded_cents::int, refunds FROM analytics_money_days
        ORDER BY 1, 2, 3, 4`);
    const before = await snapshot();
    await db.$executeRawUnsafe("SELECT analytics_rebuild(NULL)");
    expect(await snapshot()).toEqual(before);
    expect(await rollupDiff()).toEqual(NO_DIFF);
  });

  test("sales, cancellations and check-ins of the SAME ticket type at once: no deadlock, no error, rollups exact", async () => {
    const w = await world("Same");
    const users = await manyUsers(40);
    const first = await buy(users.slice(0, 15), w.event.id, w.unlimited);
    expect(first).toHaveLength(15);
    const results = await Promise.allSettled([
      ...users.slice(15, 40).map((u) => register({ actor: as(u), eventId: w.event.id, ticketTypeId: w.unlimited.id })),
      ...first.slice(0, 8).map((s) => cancelMyRegistration({ actor: as(s.user), registrationId: s.registrationId })),
      ...first.slice(8, 15).map((s) => checkIn({ actor: as(w.moderator), eventId: w.event.id, scan: { nonce: nonce(), method: "MANUAL", registrationId: s.registrationId } })),
    ]);
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    expect(await rollupDiff()).toEqual(NO_DIFF);
    const { totals } = await expectEventEqualsRecount(as(w.owner), w.event.id);
    expect(totals).toMatchObject({ CONFIRMED: 25, CANCELLED: 8, CHECKED_IN: 7 });
  });

  test("a time-zone change of the event or the organization rebuilds its rows (hours in the event's zone, days in the organization's)", async () => {
    const w = await world("TZ");
    const users = await manyUsers(6);
    await buy(users.slice(0, 3), w.event.id, w.free);
    await buy(users.slice(3, 6), w.event.id, w.unlimited);
    await db.event.update({ where: { id: w.event.id }, data: { timezone: "Asia/Kolkata" } });
    expect(await rollupDiff()).toEqual(NO_DIFF);
    await db.organization.update({ where: { id: w.organization.id }, data: { settings: { defaultTimezone: "America/St_Johns" } } });
    expect(await rollupDiff()).toEqual(NO_DIFF);
    const { period } = parsePeriod({}, { timezone: "America/St_Johns" });
    const org = await organizationAnalytics({ actor: as(w.owner), organizationId: w.organization.id, period });
    expect(org.period.timezone).toBe("America/St_Johns");
    expect(org.totals.registrations).toBe(6);
    await expectEventEqualsRecount(as(w.owner), w.event.id);
  });

  test("an UPDATE that changes nothing counted (contact details) writes no rollup row; a ticket-type change moves the counts", async () => {
    const w = await world("Upd");
    const [user] = await manyUsers(1);
    const [sale] = await buy([user], w.event.id, w.free);
    const rows = async () => db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM analytics_registration_hours WHERE event_id = ${w.event.id}::uuid`;
    const before = await rows();
    await db.registration.update({ where: { id: sale.registrationId }, data: { firstName: "Другое имя" } });
    expect(await rows()).toEqual(before);
    // moving a registration to another type (the organizer's correction) keeps the rollups exact
    await db.$transaction([
      db.registration.update({ where: { id: sale.registrationId }, data: { ticketTypeId: w.unlimited.id } }),
      db.ticketType.update({ where: { id: w.free.id }, data: { soldCount: { decrement: 1 } } }),
      db.ticketType.update({ where: { id: w.unlimited.id }, data: { soldCount: { increment: 1 } } }),
    ]);
    expect(await rollupDiff()).toEqual(NO_DIFF);
    const { view } = await expectEventEqualsRecount(as(w.owner), w.event.id);
    expect(view.ticketTypes.find((t) => t.ticketTypeId === w.unlimited.id)?.byStatus.CONFIRMED).toBe(1);
    expect(view.ticketTypes.find((t) => t.ticketTypeId === w.free.id)?.byStatus.CONFIRMED).toBe(0);
  });
});
