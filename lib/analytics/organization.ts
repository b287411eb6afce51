// The organization's dashboard over a period (docs/analytics.md): totals, every day of the period,
// upcoming events and a comparison of events. `analytics.view`; days in the organization's time zone
// (settings.defaultTimezone, Europe/Moscow unless it says otherwise) — the returned period names it.
import "server-only";
import { db, onPrisma, sql } from "@/lib/db";
import { authorizeOrganization, type Actor } from "@/lib/permissions";
import { periodDays } from "./period";
import { addMoney, checkInDays, moneyDays, organizationTimezone, periodBounds, registrationDays, sortMoney, viewDays, type MoneyRow } from "./queries-sql";
import type { Currency, EventStatus, MoneyTotals, OrganizationAnalytics, Period } from "./types";

export const UPCOMING_LIMIT = 10;
export const COMPARISON_LIMIT = 50;

export async function organizationAnalytics(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  period: Period;
  now?: Date;
}): Promise<OrganizationAnalytics> {
  const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "analytics.view" });
  const tenantId = access.organization.id;
  const now = options.now ?? new Date();
  const q = onPrisma(db);
  const timezone = await organizationTimezone(q, tenantId);
  const period: Period = { from: options.period.from, to: options.period.to, timezone };
  const days = periodDays(period);
  const scope = { tenantId, timezone, from: period.from, to: period.to };

  const [registrations, checkIns, money, views, upcoming] = await Promise.all([
    q.rows<{ event_id: string; day: Date; created: number; confirmed: number; cancelled: number }>(registrationDays(scope)),
    q.rows<{ event_id: string; day: Date; checked_in: number }>(checkInDays(scope)),
    q.rows<MoneyRow & { event_id: string }>(moneyDays(scope)),
    q.rows<{ event_id: string; day: Date; views: number }>(viewDays(scope)),
    q.rows<{ id: string; title: string; starts_at: Date; capacity: number | null; unlimited: boolean; taken: number }>(sql`
      SELECT e.id, e.title, e.starts_at,
             (SELECT sum(t.quantity)::int FROM ticket_types t WHERE t.event_id = e.id) AS capacity,
             EXISTS (SELECT 1 FROM ticket_types t WHERE t.event_id = e.id AND t.quantity IS NULL) AS unlimited,
             coalesce((SELECT sum(t.sold_count + t.reserved_count)::int FROM ticket_types t WHERE t.event_id = e.id), 0) AS taken
        FROM events e
       WHERE e.tenant_id = ${tenantId}::uuid AND e.deleted_at IS NULL AND e.status = 'PUBLISHED' AND e.starts_at >= ${now}::timestamptz
       ORDER BY e.starts_at, e.id LIMIT ${UPCOMING_LIMIT}::int`),
  ]);

  const dayKey = (d: Date) => d.toISOString().slice(0, 10);
  const byDay = new Map(days.map((d) => [d, { day: d, registrations: 0, confirmed: 0, cancelled: 0, checkedIn: 0, views: 0 }]));
  type Cmp = { registrations: number; confirmed: number; checkedIn: number; views: number; money: Map<Currency, MoneyTotals> };
  const perEvent = new Map<string, Cmp>();
  const cmp = (id: string): Cmp => {
    let c = perEvent.get(id);
    if (!c) perEvent.set(id, (c = { registrations: 0, confirmed: 0, checkedIn: 0, views: 0, money: new Map() }));
    return c;
  };
  for (const a of registrations) {
    const d = byDay.get(dayKey(a.day));
    if (d) {
      d.registrations += a.created;
      d.confirmed += a.confirmed;
      d.cancelled += a.cancelled;
    }
    const c = cmp(a.event_id);
    c.registrations += a.created;
    c.confirmed += a.confirmed;
  }
  for (const a of checkIns) {
    const d = byDay.get(dayKey(a.day));
    if (d) d.checkedIn += a.checked_in;
    cmp(a.event_id).checkedIn += a.checked_in;
  }
  for (const v of views) {
    const d = byDay.get(dayKey(v.day));
    if (d) d.views += v.views;
    cmp(v.event_id).views += v.views;
  }
  const totalMoney = new Map<Currency, MoneyTotals>();
  for (const m of money) {
    addMoney(totalMoney, m);
    addMoney(cmp(m.event_id).money, m);
  }

  // Events with activity in the period, or starting in it.
  const { lo, hi } = periodBounds(scope);
  const ids = [...perEvent.keys()];
  const events = await q.rows<{ id: string; title: string; status: EventStatus; starts_at: Date; capacity: number | null; unlimited: boolean; expected: number }>(sql`
    SELECT e.id, e.title, e.status::text AS status, e.starts_at,
           (SELECT sum(t.quantity)::int FROM ticket_types t WHERE t.event_id = e.id) AS capacity,
           EXISTS (SELECT 1 FROM ticket_types t WHERE t.event_id = e.id AND t.quantity IS NULL) AS unlimited,
           coalesce((SELECT sum(x.count)::int FROM analytics_registration_statuses x WHERE x.event_id = e.id AND x.status IN ('CONFIRMED', 'CHECKED_IN')), 0) AS expected
      FROM events e
     WHERE e.tenant_id = ${tenantId}::uuid AND e.deleted_at IS NULL
       AND (e.id = ANY(${ids}::uuid[]) OR (e.starts_at >= ${lo} AND e.starts_at < ${hi}))`);

  const dayList = [...byDay.values()];
  const totals = dayList.reduce(
    (t, d) => ({
      registrations: t.registrations + d.registrations,
      confirmed: t.confirmed + d.confirmed,
      cancelled: t.cancelled + d.cancelled,
      checkedIn: t.checkedIn + d.checkedIn,
      views: t.views + d.views,
    }),
    { registrations: 0, confirmed: 0, cancelled: 0, checkedIn: 0, views: 0 },
  );
  const revenue = sortMoney(totalMoney);
  const comparison = events
    .map((e) => {
      const c = perEvent.get(e.id) ?? { registrations: 0, confirmed: 0, checkedIn: 0, views: 0, money: new Map() };
      const fillRate = e.unlimited || !e.capacity ? null : e.expected / e.capacity;
      return {
        eventId: e.id,
        title: e.title,
        status: e.status,
        startsAt: e.starts_at.toISOString(),
        registrations: c.registrations,
        confirmed: c.confirmed,
        checkedIn: c.checkedIn,
        views: c.views,
        conversion: c.views === 0 ? null : c.confirmed / c.views,
        fillRate,
        revenue: sortMoney(c.money),
      };
    })
    .sort((a, b) => b.registrations - a.registrations || a.startsAt.localeCompare(b.startsAt) || a.eventId.localeCompare(b.eventId))
    .slice(0, COMPARISON_LIMIT);

  return {
    period,
    generatedAt: now.toISOString(),
    isEmpty: totals.registrations + totals.confirmed + totals.cancelled + totals.checkedIn + totals.views === 0 && revenue.length === 0 && comparison.length === 0,
    totals: { ...totals, revenue },
    days: dayList,
    upcoming: upcoming.map((u) => {
      const capacity = u.unlimited || u.capacity === null ? null : u.capacity;
      return { eventId: u.id, title: u.title, startsAt: u.starts_at.toISOString(), capacity, taken: u.taken, fillRate: capacity ? u.taken / capacity : null };
    }),
    events: comparison,
  };
}
