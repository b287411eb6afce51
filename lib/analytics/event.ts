// The event's analytics (docs/analytics.md): sales over time, statuses per ticket type, money per
// currency, promo codes, waitlist, cancellations, check-in and the funnel. `analytics.view` on the
// event's organization; another organization's event → NOT_FOUND. Read-only; every statement carries
// the tenant taken from the authorization.
import "server-only";
import { db, onPrisma, sql } from "@/lib/db";
import { authorizeEvent, type Actor } from "@/lib/permissions";
import { ACTIVE_STATUSES_SQL, eventCounts } from "./queries-sql";
import {
  REGISTRATION_STATUSES,
  type Currency,
  type EventAnalytics,
  type EventStatus,
  type RegistrationStatus,
  type RegistrationsPoint,
} from "./types";

/** Hours of the hourly series before the start. */
export const HOURLY_WINDOW_HOURS = 72;
/** Sources and utm rows shown. */
export const TOP_SOURCES = 20;
/** Cancellation reasons shown. */
export const TOP_REASONS = 10;

export function zeroStatuses(): Record<RegistrationStatus, number> {
  return Object.fromEntries(REGISTRATION_STATUSES.map((s) => [s, 0])) as Record<RegistrationStatus, number>;
}

type EventRow = {
  id: string;
  title: string;
  slug: string;
  status: EventStatus;
  timezone: string;
  starts_at: Date;
  ends_at: Date | null;
  sale_start: Date;
};

type PointRow = { start: Date; created: number; confirmed: number; cancelled: number };

function point(r: PointRow): RegistrationsPoint {
  return { start: r.start.toISOString(), created: r.created, confirmed: r.confirmed, cancelled: r.cancelled };
}

export async function eventAnalytics(options: { actor: Actor | null | undefined; eventId: string; now?: Date }): Promise<EventAnalytics> {
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "analytics.view" });
  const tenantId = access.event.organizationId;
  const eventId = access.event.id;
  const now = options.now ?? new Date();
  const q = onPrisma(db);

  const [event] = await q.rows<EventRow>(sql`
    SELECT e.id, e.title, e.slug, e.status::text AS status, e.timezone, e.starts_at, e.ends_at,
           coalesce(e.published_at, e.created_at) AS sale_start
      FROM events e WHERE e.id = ${eventId}::uuid AND e.tenant_id = ${tenantId}::uuid`);
  const tz = event.timezone;
  const counts = eventCounts({ eventId, tenantId });

  // The sale's days: from its start (publication, or the first registration if earlier) to the
  // event's end or today, whichever is earlier — and any later activity (cancellations after the event).
  const saleEnd = new Date(Math.min(now.getTime(), (event.ends_at ?? event.starts_at).getTime()));
  // The hourly window ends at the start (or now, if earlier): its last bucket is the hour before that instant.
  const hourEnd = new Date(Math.min(now.getTime(), event.starts_at.getTime()) - 1);

  const [daily, hourly, statusRows, ticketTypes, money, promoCodes, waitlist, reasons, checkIn, arrivals, views, sources, utm] = await Promise.all([
    q.rows<PointRow>(sql`
      WITH h AS (${counts.hours}),
           d AS (SELECT local_hour::date AS day, sum(created)::int AS created, sum(confirmed)::int AS confirmed, sum(cancelled)::int AS cancelled
                   FROM h GROUP BY 1),
           bounds AS (SELECT least((${event.sale_start}::timestamptz AT TIME ZONE ${tz})::date, (SELECT min(day) FROM d)) AS lo,
                             greatest((${saleEnd}::timestamptz AT TIME ZONE ${tz})::date, (SELECT max(day) FROM d)) AS hi),
           days AS (SELECT g::date AS day FROM bounds, generate_series(bounds.lo, greatest(bounds.lo, bounds.hi), interval '1 day') AS g)
      SELECT (days.day::timestamp AT TIME ZONE ${tz}) AS start, coalesce(d.created, 0) AS created,
             coalesce(d.confirmed, 0) AS confirmed, coalesce(d.cancelled, 0) AS cancelled
        FROM days LEFT JOIN d ON d.day = days.day
       ORDER BY days.day`),
    q.rows<PointRow>(sql`
      WITH h AS (${counts.hours}),
           last AS (SELECT date_trunc('hour', ${hourEnd}::timestamptz AT TIME ZONE ${tz}) AS hour),
           hours AS (SELECT g AS hour FROM last, generate_series(last.hour - ${HOURLY_WINDOW_HOURS - 1}::int * interval '1 hour', last.hour, interval '1 hour') AS g)
      SELECT (hours.hour AT TIME ZONE ${tz}) AS start, coalesce(sum(h.created), 0)::int AS created,
             coalesce(sum(h.confirmed), 0)::int AS confirmed, coalesce(sum(h.cancelled), 0)::int AS cancelled
        FROM hours LEFT JOIN h ON h.local_hour = hours.hour
       GROUP BY hours.hour ORDER BY hours.hour`),
    q.rows<{ ticket_type_id: string; status: RegistrationStatus; count: number }>(counts.statuses),
    q.rows<{ id: string; name: string; price_cents: number; currency: Currency; is_hidden: boolean; quantity: number | null; sold_count: number; reserved_count: number }>(sql`
      SELECT t.id, t.name, t.price_cents, t.currency::text AS currency, t.is_hidden, t.quantity, t.sold_count, t.reserved_count
        FROM ticket_types t JOIN events e ON e.id = t.event_id AND e.tenant_id = ${tenantId}::uuid
       WHERE t.event_id = ${eventId}::uuid
       ORDER BY t.sort_order, t.created_at, t.id`),
    q.rows<{ currency: Currency; gross: number; payments: number; refunded: number; refunds: number }>(counts.money),
    q.rows<{ id: string; code: string; is_active: boolean; used_count: number; usage_limit: number | null; discounts: { currency: Currency; discountCents: number }[] }>(sql`
      SELECT c.id, c.code, c.is_active, c.used_count, c.usage_limit,
             coalesce((SELECT json_agg(json_build_object('currency', x.currency, 'discountCents', x.cents) ORDER BY x.currency)
                         FROM (SELECT r.currency::text AS currency, sum(r.discount_cents)::bigint::float8 AS cents
                                 FROM registrations r
                                WHERE r.promo_code_id = c.id AND r.tenant_id = ${tenantId}::uuid AND r.status::text IN ${ACTIVE_STATUSES_SQL}
                                GROUP BY r.currency) x), '[]'::json) AS discounts
        FROM promo_codes c
       WHERE c.event_id = ${eventId}::uuid AND c.tenant_id = ${tenantId}::uuid
       ORDER BY c.used_count DESC, c.code`),
    q.rows<{ status: string; count: number }>(sql`
      SELECT w.status::text AS status, count(*)::int AS count
        FROM waitlist_entries w JOIN events e ON e.id = w.event_id AND e.tenant_id = ${tenantId}::uuid
       WHERE w.event_id = ${eventId}::uuid GROUP BY 1`),
    // registrations (event_id, status): the cancelled rows of this event only
    q.rows<{ reason: string | null; count: number }>(sql`
      SELECT nullif(btrim(r.cancellation_reason), '') AS reason, count(*)::int AS count
        FROM registrations r
       WHERE r.event_id = ${eventId}::uuid AND r.status = 'CANCELLED' AND r.tenant_id = ${tenantId}::uuid
       GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST LIMIT ${TOP_REASONS}::int`),
    q.rows<{ checked_in: number }>(counts.checkedIn),
    q.rows<{ start: Date; count: number }>(counts.arrivals),
    q.rows<{ views: number; form_opens: number }>(sql`
      SELECT coalesce(sum(v.count) FILTER (WHERE v.step = 'VIEW'), 0)::float8 AS views,
             coalesce(sum(v.count) FILTER (WHERE v.step = 'FORM_OPEN'), 0)::float8 AS form_opens
        FROM analytics_page_views v JOIN events e ON e.id = v.event_id AND e.tenant_id = ${tenantId}::uuid
       WHERE v.event_id = ${eventId}::uuid`),
    q.rows<{ source: string; views: number; form_opens: number }>(sql`
      SELECT v.source, coalesce(sum(v.count) FILTER (WHERE v.step = 'VIEW'), 0)::float8 AS views,
             coalesce(sum(v.count) FILTER (WHERE v.step = 'FORM_OPEN'), 0)::float8 AS form_opens
        FROM analytics_page_views v JOIN events e ON e.id = v.event_id AND e.tenant_id = ${tenantId}::uuid
       WHERE v.event_id = ${eventId}::uuid
       GROUP BY v.source ORDER BY 2 DESC, 3 DESC, 1 LIMIT ${TOP_SOURCES}::int`),
    q.rows<{ utm_source: string; utm_medium: string; utm_campaign: string; views: number; form_opens: number }>(sql`
      SELECT v.utm_source, v.utm_medium, v.utm_campaign,
             coalesce(sum(v.count) FILTER (WHERE v.step = 'VIEW'), 0)::float8 AS views,
             coalesce(sum(v.count) FILTER (WHERE v.step = 'FORM_OPEN'), 0)::float8 AS form_opens
        FROM analytics_page_views v JOIN events e ON e.id = v.event_id AND e.tenant_id = ${tenantId}::uuid
       WHERE v.event_id = ${eventId}::uuid AND (v.utm_source <> '' OR v.utm_medium <> '' OR v.utm_campaign <> '')
       GROUP BY 1, 2, 3 ORDER BY 4 DESC, 5 DESC, 1, 2, 3 LIMIT ${TOP_SOURCES}::int`),
  ]);

  const statusTotals = zeroStatuses();
  const byType = new Map<string, Record<RegistrationStatus, number>>();
  for (const r of statusRows) {
    statusTotals[r.status] += r.count;
    const s = byType.get(r.ticket_type_id) ?? zeroStatuses();
    s[r.status] += r.count;
    byType.set(r.ticket_type_id, s);
  }
  const w = Object.fromEntries(waitlist.map((r) => [r.status, r.count])) as Record<string, number>;
  const wl = { waiting: w.WAITING ?? 0, notified: w.NOTIFIED ?? 0, converted: w.CONVERTED ?? 0, expired: w.EXPIRED ?? 0 };
  const wlTotal = wl.waiting + wl.notified + wl.converted + wl.expired;
  const checkedIn = checkIn[0]?.checked_in ?? 0;
  const expected = statusTotals.CONFIRMED + statusTotals.CHECKED_IN;
  const over = now.getTime() > (event.ends_at ?? new Date(event.starts_at.getTime() + 86_400_000)).getTime();
  const started = daily.reduce((n, p) => n + p.created, 0);
  const confirmed = daily.reduce((n, p) => n + p.confirmed, 0);
  const totalRegistrations = REGISTRATION_STATUSES.reduce((n, s) => n + statusTotals[s], 0);
  const view = views[0] ?? { views: 0, form_opens: 0 };

  return {
    event: {
      id: event.id,
      title: event.title,
      slug: event.slug,
      status: event.status,
      timezone: tz,
      startsAt: event.starts_at.toISOString(),
      endsAt: event.ends_at?.toISOString() ?? null,
    },
    generatedAt: now.toISOString(),
    isEmpty: totalRegistrations === 0 && view.views === 0 && view.form_opens === 0 && wlTotal === 0,
    daily: daily.map(point),
    hourly: hourly.map(point),
    statusTotals,
    ticketTypes: ticketTypes.map((t) => ({
      ticketTypeId: t.id,
      name: t.name,
      priceCents: t.price_cents,
      currency: t.currency,
      isHidden: t.is_hidden,
      quantity: t.quantity,
      sold: t.sold_count,
      reserved: t.reserved_count,
      byStatus: byType.get(t.id) ?? zeroStatuses(),
      sellThrough: t.quantity === null ? null : t.quantity === 0 ? 0 : t.sold_count / t.quantity,
    })),
    revenue: money.map((m) => ({ currency: m.currency, grossCents: m.gross, refundedCents: m.refunded, netCents: m.gross - m.refunded, payments: m.payments, refunds: m.refunds })),
    promoCodes: promoCodes.map((c) => ({ promoCodeId: c.id, code: c.code, isActive: c.is_active, uses: c.used_count, usageLimit: c.usage_limit, discounts: c.discounts })),
    waitlist: { ...wl, total: wlTotal, conversionRate: wlTotal === 0 ? null : wl.converted / wlTotal },
    cancellations: { total: statusTotals.CANCELLED, byReason: reasons },
    checkIn: {
      checkedIn,
      expected,
      rate: expected === 0 ? null : checkedIn / expected,
      noShows: over ? statusTotals.CONFIRMED : null,
      arrivals: arrivals.map((a) => ({ start: a.start.toISOString(), count: a.count })),
    },
    funnel: { views: view.views, formOpens: view.form_opens, started, confirmed, checkedIn },
    sources: sources.map((s) => ({ source: s.source, views: s.views, formOpens: s.form_opens })),
    utm: utm.map((u) => ({ utmSource: u.utm_source, utmMedium: u.utm_medium, utmCampaign: u.utm_campaign, views: u.views, formOpens: u.form_opens })),
  };
}
