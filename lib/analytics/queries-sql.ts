// The SQL the analytics services read with (docs/analytics.md → "Where each number comes from"), one
// fragment per figure so the event view, the organization dashboard, the platform view and the tests'
// recount share one definition. Every fragment is tenant-scoped: it takes the organization id taken
// from the authorized scope (never from the request) and puts it in its WHERE.
import "server-only";
import { join, raw, sql, type Sql, type SqlRunner } from "@/lib/db";
import { DEFAULT_PERIOD_TIMEZONE } from "./period";
import type { Currency, MoneyTotals } from "./types";

/** The payment statuses whose amount was taken (the payments view's GROSS_STATUSES, lib/payments/report.ts). */
export const GROSS_STATUSES_SQL = sql`('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')`;

/** Registrations that hold a seat now (a promo code's discounts count over these). */
export const ACTIVE_STATUSES_SQL = sql`('RESERVED', 'PENDING', 'CONFIRMED', 'CHECKED_IN')`;

export function uuidList(ids: readonly string[]): Sql {
  return join(ids.map((id) => sql`${id}::uuid`));
}

export type EventScope = { eventId: string; tenantId: string };

/** The event, only when it is the tenant's: every rollup read joins it, so another tenant's id reads nothing. */
function ofEvent(alias: string, s: EventScope): Sql {
  return sql`JOIN events e ON e.id = ${raw(alias)}.event_id AND e.tenant_id = ${s.tenantId}::uuid WHERE ${raw(alias)}.event_id = ${s.eventId}::uuid`;
}

/**
 * The counted figures of one event, read from the rollups (migration 20261208001000_analytics_rollups),
 * each a statement (or a CTE body):
 * - hours: (local_hour in the event's zone, created, confirmed, cancelled) — registrations by
 *   created_at / confirmed_at / cancelled_at;
 * - statuses: (ticket_type_id, status, count) — registrations by current status;
 * - money: (currency, gross, payments, refunded, refunds);
 * - checkedIn: (checked_in) — rows of check_ins;
 * - arrivals: (start, count) — check-ins per 15 minutes of checked_in_at, only buckets with arrivals.
 */
export function eventCounts(s: EventScope): { hours: Sql; statuses: Sql; money: Sql; checkedIn: Sql; arrivals: Sql } {
  return {
    hours: sql`
      SELECT h.local_hour, sum(h.created)::int AS created, sum(h.confirmed)::int AS confirmed, sum(h.cancelled)::int AS cancelled
        FROM analytics_registration_hours h ${ofEvent("h", s)}
       GROUP BY h.local_hour`,
    statuses: sql`
      SELECT x.ticket_type_id, x.status::text AS status, x.count
        FROM analytics_registration_statuses x ${ofEvent("x", s)} AND x.count <> 0`,
    money: sql`
      SELECT m.currency::text AS currency, sum(m.gross_cents)::float8 AS gross, sum(m.payments)::int AS payments,
             sum(m.refunded_cents)::float8 AS refunded, sum(m.refunds)::int AS refunds
        FROM analytics_money_days m ${ofEvent("m", s)} AND m.tenant_id = ${s.tenantId}::uuid
       GROUP BY 1 HAVING sum(m.payments) <> 0 OR sum(m.refunds) <> 0 ORDER BY 1`,
    checkedIn: sql`SELECT coalesce(sum(q.count), 0)::int AS checked_in FROM analytics_check_in_quarters q ${ofEvent("q", s)} AND q.tenant_id = ${s.tenantId}::uuid`,
    arrivals: sql`
      SELECT q.bucket AS start, q.count FROM analytics_check_in_quarters q ${ofEvent("q", s)} AND q.tenant_id = ${s.tenantId}::uuid AND q.count <> 0
       ORDER BY q.bucket`,
  };
}

/**
 * Days [from, to] (YYYY-MM-DD, both included) of an organization in its zone, or of every organization
 * (tenantId null: the platform view — each organization's rows are days of its own zone).
 */
export type DaysScope = { tenantId: string | null; timezone: string; from: string; to: string };

function tenantIs(column: Sql, tenantId: string | null): Sql {
  return tenantId === null ? sql`TRUE` : sql`${column} = ${tenantId}::uuid`;
}

/** The period's first and last instants [lo, hi) in the scope's zone. */
export function periodBounds(s: DaysScope): { lo: Sql; hi: Sql } {
  return {
    lo: sql`(${s.from}::date::timestamp AT TIME ZONE ${s.timezone})`,
    hi: sql`((${s.to}::date + 1)::timestamp AT TIME ZONE ${s.timezone})`,
  };
}

/**
 * Registrations per event and day over the period: (event_id, day, created, confirmed, cancelled).
 * Days are the organization's (analytics_registration_days).
 */
export function registrationDays(s: DaysScope): Sql {
  return sql`
    SELECT d.event_id, d.day, sum(d.created)::int AS created, sum(d.confirmed)::int AS confirmed, sum(d.cancelled)::int AS cancelled
      FROM analytics_registration_days d
     WHERE ${tenantIs(sql`d.tenant_id`, s.tenantId)} AND d.day BETWEEN ${s.from}::date AND ${s.to}::date
     GROUP BY 1, 2`;
}

/** Check-ins per event and day (the scope's zone) over the period: (event_id, day, checked_in). */
export function checkInDays(s: DaysScope): Sql {
  const { lo, hi } = periodBounds(s);
  return sql`
    SELECT q.event_id, (q.bucket AT TIME ZONE ${s.timezone})::date AS day, sum(q.count)::int AS checked_in
      FROM analytics_check_in_quarters q
     WHERE ${tenantIs(sql`q.tenant_id`, s.tenantId)} AND q.bucket >= ${lo} AND q.bucket < ${hi}
     GROUP BY 1, 2`;
}

/**
 * Money per event, currency and day over the period: (event_id, currency, day, gross, payments, refunded,
 * refunds) — a payment counts on the day it was taken, a refund on the day it completed.
 */
export function moneyDays(s: DaysScope): Sql {
  return sql`
    SELECT m.event_id, m.currency::text AS currency, m.day, sum(m.gross_cents)::float8 AS gross, sum(m.payments)::int AS payments,
           sum(m.refunded_cents)::float8 AS refunded, sum(m.refunds)::int AS refunds
      FROM analytics_money_days m
     WHERE ${tenantIs(sql`m.tenant_id`, s.tenantId)} AND m.day BETWEEN ${s.from}::date AND ${s.to}::date
     GROUP BY 1, 2, 3
    HAVING sum(m.payments) <> 0 OR sum(m.refunds) <> 0`;
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

/**
 * The organization's time zone: settings.defaultTimezone, Europe/Moscow unless it says otherwise — read
 * through the same SQL function the rollup triggers bucket days with (analytics_org_zone), so the
 * dashboard's days are the rollups' days.
 */
export async function organizationTimezone(q: SqlRunner, tenantId: string): Promise<string> {
  const [row] = await q.rows<{ tz: string }>(sql`SELECT analytics_org_zone(settings) AS tz FROM organizations WHERE id = ${tenantId}::uuid`);
  return row?.tz ?? DEFAULT_PERIOD_TIMEZONE;
}
