// The platform admin's view over a period (docs/analytics.md): organizations approved, events
// published, registrations created and payments taken per day, money per currency. Platform admins
// only: anyone else gets FORBIDDEN before anything is read, as the admin request queue does
// (lib/organizations requirePlatformAdmin; the page shows a 404).
import "server-only";
import { db, onPrisma, raw, sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requireActor, type Actor } from "@/lib/permissions";
import { periodDays } from "./period";
import { addMoney, moneyDays, periodBounds, registrationDays, sortMoney, type MoneyRow } from "./queries-sql";
import type { Currency, MoneyTotals, Period, PlatformAnalytics } from "./types";

export async function platformAnalytics(options: { actor: Actor | null | undefined; period: Period; now?: Date }): Promise<PlatformAnalytics> {
  const actor = requireActor(options.actor);
  if (!actor.isPlatformAdmin) throw new AppError("FORBIDDEN", "errors.forbidden");
  const now = options.now ?? new Date();
  const period = options.period;
  const q = onPrisma(db);
  // every organization: tenantId null is the platform's own scope. Registrations and money are counted on
  // each organization's own days (the rollups' days, in its zone); organizations and events in the period's zone.
  const scope = { tenantId: null, timezone: period.timezone, from: period.from, to: period.to };
  const { lo, hi } = periodBounds(scope);
  const day = (col: string) => sql`(${raw(col)} AT TIME ZONE ${period.timezone})::date`;

  const [activity, money, organizations, events] = await Promise.all([
    q.rows<{ day: Date; created: number }>(sql`SELECT day, sum(created)::int AS created FROM (${registrationDays(scope)}) a GROUP BY day`),
    q.rows<MoneyRow & { day: Date }>(moneyDays(scope)),
    // an organization exists from its approval (organizations are created by approving a request)
    q.rows<{ day: Date; count: number }>(sql`
      SELECT ${day("o.created_at")} AS day, count(*)::int AS count FROM organizations o
       WHERE o.deleted_at IS NULL AND o.created_at >= ${lo} AND o.created_at < ${hi} GROUP BY 1`),
    q.rows<{ day: Date; count: number }>(sql`
      SELECT ${day("e.published_at")} AS day, count(*)::int AS count FROM events e
       WHERE e.deleted_at IS NULL AND e.published_at >= ${lo} AND e.published_at < ${hi} GROUP BY 1`),
  ]);

  const key = (d: Date) => d.toISOString().slice(0, 10);
  const byDay = new Map(periodDays(period).map((d) => [d, { day: d, organizations: 0, events: 0, registrations: 0, payments: 0 }]));
  for (const a of activity) {
    const d = byDay.get(key(a.day));
    if (d) d.registrations += a.created;
  }
  for (const o of organizations) {
    const d = byDay.get(key(o.day));
    if (d) d.organizations += o.count;
  }
  for (const e of events) {
    const d = byDay.get(key(e.day));
    if (d) d.events += e.count;
  }
  const revenue = new Map<Currency, MoneyTotals>();
  for (const m of money) {
    addMoney(revenue, m);
    const d = byDay.get(key(m.day));
    if (d) d.payments += m.payments;
  }
  const days = [...byDay.values()];
  const totals = days.reduce(
    (t, d) => ({ organizations: t.organizations + d.organizations, events: t.events + d.events, registrations: t.registrations + d.registrations, payments: t.payments + d.payments }),
    { organizations: 0, events: 0, registrations: 0, payments: 0 },
  );
  const money2 = sortMoney(revenue);
  return {
    period,
    generatedAt: now.toISOString(),
    isEmpty: totals.organizations + totals.events + totals.registrations + totals.payments === 0 && money2.length === 0,
    totals: { ...totals, revenue: money2 },
    days,
  };
}
