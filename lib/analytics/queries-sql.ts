// The SQL the analytics services read with (docs/analytics.md → "Where each number comes from"), one
// fragment per figure so the event view, the organization dashboard, the platform view and the tests'
// recount share one definition. Every fragment is tenant-scoped: it takes the organization id taken
// from the authorized scope (never from the request) and puts it in its WHERE.
import "server-only";
import { join, sql, type Sql, type SqlRunner } from "@/lib/db";
import { isValidTimeZone } from "@/lib/events/time";
import { DEFAULT_PERIOD_TIMEZONE } from "./period";
import type { Currency, MoneyTotals } from "./types";

/** The payment statuses whose amount was taken (the payments view's GROSS_STATUSES, lib/payments/report.ts). */
export const GROSS_STATUSES_SQL = sql`('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')`;

/** Registrations that hold a seat now (a promo code's discounts count over these). */
export const ACTIVE_STATUSES_SQL = sql`('RESERVED', 'PENDING', 'CONFIRMED', 'CHECKED_IN')`;

export function uuidList(ids: readonly string[]): Sql {
  return join(ids.map((id) => sql`${id}::uuid`));
}

export type EventScope = { eventId: string; tenantId: string; timezone: string };

/**
 * The counted figures of one event, each a statement (or a CTE body):
 * - hours: (local_hour timestamp in the event's zone, created, confirmed, cancelled) — registrations by
 *   created_at / confirmed_at / cancelled_at;
 * - statuses: (ticket_type_id, status, count) — registrations by current status;
 * - money: (currency, gross, payments, refunded, refunds);
 * - checkedIn: (checked_in) — rows of check_ins;
 * - arrivals: (start, count) — check-ins per 15 minutes of checked_in_at, only buckets with arrivals.
 */
export function eventCounts(s: EventScope): { hours: Sql; statuses: Sql; money: Sql; checkedIn: Sql; arrivals: Sql } {
  const reg = sql`registrations r WHERE r.event_id = ${s.eventId}::uuid AND r.tenant_id = ${s.tenantId}::uuid`;
  return {
    hours: sql`
      SELECT local_hour, sum(c)::int AS created, sum(f)::int AS confirmed, sum(x)::int AS cancelled FROM (
        SELECT date_trunc('hour', r.created_at AT TIME ZONE ${s.timezone}) AS local_hour, 1 AS c, 0 AS f, 0 AS x FROM ${reg}
        UNION ALL SELECT date_trunc('hour', r.confirmed_at AT TIME ZONE ${s.timezone}), 0, 1, 0 FROM ${reg} AND r.confirmed_at IS NOT NULL
        UNION ALL SELECT date_trunc('hour', r.cancelled_at AT TIME ZONE ${s.timezone}), 0, 0, 1 FROM ${reg} AND r.cancelled_at IS NOT NULL
      ) u GROUP BY local_hour`,
    statuses: sql`SELECT r.ticket_type_id, r.status::text AS status, count(*)::int AS count FROM ${reg} GROUP BY 1, 2`,
    money: sql`
      SELECT p.currency::text AS currency,
             coalesce(sum(p.amount_cents) FILTER (WHERE p.status::text IN ${GROSS_STATUSES_SQL}), 0)::bigint::float8 AS gross,
             (count(*) FILTER (WHERE p.status::text IN ${GROSS_STATUSES_SQL}))::int AS payments,
             coalesce(sum((SELECT sum(f.amount_cents) FROM refunds f WHERE f.payment_id = p.id AND f.status = 'COMPLETED')), 0)::bigint::float8 AS refunded,
             coalesce(sum((SELECT count(*) FROM refunds f WHERE f.payment_id = p.id AND f.status = 'COMPLETED')), 0)::int AS refunds
        FROM payments p JOIN registrations r ON r.id = p.registration_id AND r.tenant_id = p.tenant_id
       WHERE r.event_id = ${s.eventId}::uuid AND p.tenant_id = ${s.tenantId}::uuid
       GROUP BY 1 HAVING count(*) FILTER (WHERE p.status::text IN ${GROSS_STATUSES_SQL}) > 0 ORDER BY 1`,
    checkedIn: sql`
      SELECT count(*)::int AS checked_in FROM check_ins c JOIN events e ON e.id = c.event_id AND e.tenant_id = ${s.tenantId}::uuid
       WHERE c.event_id = ${s.eventId}::uuid`,
    arrivals: sql`
      SELECT date_bin(interval '15 minutes', c.checked_in_at, timestamptz '2000-01-01 00:00:00+00') AS start, count(*)::int AS count
        FROM check_ins c JOIN events e ON e.id = c.event_id AND e.tenant_id = ${s.tenantId}::uuid
       WHERE c.event_id = ${s.eventId}::uuid GROUP BY 1 ORDER BY 1`,
  };
}

/** Days [from, to] (YYYY-MM-DD, both included) of an organization, or of every organization (tenantId null: the platform view). */
export type DaysScope = { tenantId: string | null; timezone: string; from: string; to: string };

function tenantIs(column: Sql, tenantId: string | null): Sql {
  return tenantId === null ? sql`TRUE` : sql`${column} = ${tenantId}::uuid`;
}

/**
 * Activity per event and day (in the scope's time zone) over the period:
 * (tenant_id, event_id, day, created, confirmed, cancelled, checked_in).
 */
export function activityDays(s: DaysScope): Sql {
  const lo = sql`(${s.from}::date::timestamp AT TIME ZONE ${s.timezone})`;
  const hi = sql`((${s.to}::date + 1)::timestamp AT TIME ZONE ${s.timezone})`;
  const day = (col: Sql) => sql`(${col} AT TIME ZONE ${s.timezone})::date`;
  return sql`
    SELECT tenant_id, event_id, day, sum(c)::int AS created, sum(f)::int AS confirmed, sum(x)::int AS cancelled, sum(k)::int AS checked_in FROM (
      SELECT r.tenant_id, r.event_id, ${day(sql`r.created_at`)} AS day, 1 AS c, 0 AS f, 0 AS x, 0 AS k FROM registrations r
       WHERE ${tenantIs(sql`r.tenant_id`, s.tenantId)} AND r.created_at >= ${lo} AND r.created_at < ${hi}
      UNION ALL SELECT r.tenant_id, r.event_id, ${day(sql`r.confirmed_at`)}, 0, 1, 0, 0 FROM registrations r
       WHERE ${tenantIs(sql`r.tenant_id`, s.tenantId)} AND r.confirmed_at >= ${lo} AND r.confirmed_at < ${hi}
      UNION ALL SELECT r.tenant_id, r.event_id, ${day(sql`r.cancelled_at`)}, 0, 0, 1, 0 FROM registrations r
       WHERE ${tenantIs(sql`r.tenant_id`, s.tenantId)} AND r.cancelled_at >= ${lo} AND r.cancelled_at < ${hi}
      UNION ALL SELECT e.tenant_id, c.event_id, ${day(sql`c.checked_in_at`)}, 0, 0, 0, 1 FROM check_ins c JOIN events e ON e.id = c.event_id
       WHERE ${tenantIs(sql`e.tenant_id`, s.tenantId)} AND c.checked_in_at >= ${lo} AND c.checked_in_at < ${hi}
    ) u GROUP BY 1, 2, 3`;
}

/**
 * Money per event, currency and day over the period: (tenant_id, event_id, currency, day, gross, payments,
 * refunded, refunds) — a payment counts on the day it was taken (completed_at), a refund on the day it completed.
 */
export function moneyDays(s: DaysScope): Sql {
  const lo = sql`(${s.from}::date::timestamp AT TIME ZONE ${s.timezone})`;
  const hi = sql`((${s.to}::date + 1)::timestamp AT TIME ZONE ${s.timezone})`;
  const day = (col: Sql) => sql`(${col} AT TIME ZONE ${s.timezone})::date`;
  return sql`
    SELECT tenant_id, event_id, currency, day, sum(g)::bigint::float8 AS gross, sum(n)::int AS payments,
           sum(rf)::bigint::float8 AS refunded, sum(rn)::int AS refunds FROM (
      SELECT p.tenant_id, r.event_id, p.currency::text AS currency, ${day(sql`coalesce(p.completed_at, p.created_at)`)} AS day,
             p.amount_cents AS g, 1 AS n, 0 AS rf, 0 AS rn
        FROM payments p JOIN registrations r ON r.id = p.registration_id AND r.tenant_id = p.tenant_id
       WHERE ${tenantIs(sql`p.tenant_id`, s.tenantId)} AND p.status::text IN ${GROSS_STATUSES_SQL}
         AND coalesce(p.completed_at, p.created_at) >= ${lo} AND coalesce(p.completed_at, p.created_at) < ${hi}
      UNION ALL
      SELECT p.tenant_id, r.event_id, p.currency::text, ${day(sql`coalesce(f.completed_at, f.updated_at)`)}, 0, 0, f.amount_cents, 1
        FROM refunds f JOIN payments p ON p.id = f.payment_id JOIN registrations r ON r.id = p.registration_id AND r.tenant_id = p.tenant_id
       WHERE ${tenantIs(sql`p.tenant_id`, s.tenantId)} AND f.status = 'COMPLETED'
         AND coalesce(f.completed_at, f.updated_at) >= ${lo} AND coalesce(f.completed_at, f.updated_at) < ${hi}
    ) u GROUP BY 1, 2, 3, 4`;
}

/** Page views per event and day (analytics_page_views' own day, in the event's zone): (event_id, day, views). */
export function viewDays(s: DaysScope): Sql {
  return sql`
    SELECT v.event_id, v.day, sum(v.count)::float8 AS views
      FROM analytics_page_views v JOIN events e ON e.id = v.event_id AND ${tenantIs(sql`e.tenant_id`, s.tenantId)}
     WHERE v.day BETWEEN ${s.from}::date AND ${s.to}::date AND v.step = 'VIEW'
     GROUP BY 1, 2`;
}

// ───────────────────────────── money per currency, the organization's zone ─────────────────────────────

export type MoneyRow = { currency: Currency; gross: number; payments: number; refunded: number; refunds: number };

export function addMoney(into: Map<Currency, MoneyTotals>, m: MoneyRow): void {
  const t = into.get(m.currency) ?? { currency: m.currency, grossCents: 0, refundedCents: 0, netCents: 0, payments: 0, refunds: 0 };
  t.grossCents += m.gross;
  t.refundedCents += m.refunded;
  t.netCents = t.grossCents - t.refundedCents;
  t.payments += m.payments;
  t.refunds += m.refunds;
  into.set(m.currency, t);
}

export function sortMoney(m: Map<Currency, MoneyTotals>): MoneyTotals[] {
  return [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** The organization's time zone: settings.defaultTimezone, Europe/Moscow unless it says otherwise. */
export async function organizationTimezone(q: SqlRunner, tenantId: string): Promise<string> {
  const [row] = await q.rows<{ tz: string | null }>(sql`SELECT settings->>'defaultTimezone' AS tz FROM organizations WHERE id = ${tenantId}::uuid`);
  return row?.tz && isValidTimeZone(row.tz) ? row.tz : DEFAULT_PERIOD_TIMEZONE;
}
