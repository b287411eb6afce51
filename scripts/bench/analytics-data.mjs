// The data of bench:analytics (scripts/bench/analytics.mjs), generated in SQL: a few large
// INSERT … SELECT … generate_series statements, never a row per statement, so that 1,000,000
// registrations take minutes, not hours. The rollup triggers of the analytics migration are installed
// before any of this runs (the database is migrated first), so they fire on every statement below
// exactly as they do for the app's own writes: the rollups the views read are the triggers' work, not
// a backfill.
//
// Shape (scale 1; --scale multiplies every row count, never the number of events):
//   20 organizations (approved requests, one OWNER each), a platform admin, 50,000 users (every 5th
//   registration belongs to one; the rest are guests); 200 events from 150 days ago to 180 days ahead,
//   in four time zones and three currencies; event 1 ("the big event", organization 1, started 4 days
//   ago) has 100,000 registrations, the other 199 share 900,000 (uneven: weights, a few popular ones);
//   2–5 ticket types per event (free and paid, limited and unlimited, one sold out with a waitlist, one
//   hidden); two promo codes on paid events; 1,000,000 registrations over each event's sale (more near
//   the start, a launch spike) — CHECKED_IN / CONFIRMED, 7 % CANCELLED (with reasons; half of them had
//   been confirmed), 3 % EXPIRED (unpaid holds), RESERVED and PENDING on events still on sale; a
//   payment per paid confirmation, full refunds of cancelled paid ones, 2 % partial refunds, open
//   checkouts of PENDING ones; exactly 300,000 check-ins around the starts of past events (6 % manual,
//   some synced late from offline scanners); waitlists on the sold-out types; exactly 5,000,000 page
//   views and form opens as daily counts per source and utm_* in analytics_page_views.
//
// Every count that has a target (registrations, check-ins, page views) is exact: statuses are assigned
// by ranges of the row number (per-event counts computed here), the other draws use low-discrepancy
// sequences of the row number (i·φ mod 1, …) so the data is the same on every run.
import { CODE_ALPHABET, FIRST_NAMES, LAST_NAMES } from "./bulk-registrations.mjs";

export const EVENTS = 200;
export const ORGANIZATIONS = 20;
/** Events of organization 1 (the organization dashboards measure it): the big event and 40 others. */
const BIG_ORG_EVENTS = 41;

const CANCEL_REASONS = [
  "Не смогу прийти",
  "Изменились планы",
  "Заболел(а)",
  "Купил(а) билет по ошибке",
  "Can't make it",
  "Too expensive",
];

/** Largest-remainder rounding of `weights` to integers summing to `total`. */
function apportion(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (sum ? (w * total) / sum : 0));
  const out = raw.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k][1]]++;
  return out;
}

/** The sizes of one run. */
export function sizesFor(scale) {
  return {
    registrations: Math.round(1_000_000 * scale),
    bigEvent: Math.round(100_000 * scale),
    checkIns: Math.round(300_000 * scale),
    pageViews: Math.round(5_000_000 * scale),
    users: Math.max(1000, Math.round(50_000 * scale)),
  };
}

/**
 * The per-event plan: where each event sits in time, its currency and zone, how many registrations of
 * each status it gets and how many are checked in; and its ticket types with their draw ranges.
 */
export function planEvents(sizes) {
  const events = [];
  for (let e = 1; e <= EVENTS; e++) {
    const big = e === 1;
    const org = e <= BIG_ORG_EVENTS ? 1 : 2 + ((e - BIG_ORG_EVENTS - 1) % (ORGANIZATIONS - 1));
    const [tz, currency] = e % 11 === 0 ? ["Europe/Berlin", "EUR"] : e % 13 === 0 ? ["America/New_York", "USD"] : e % 7 === 0 ? ["Asia/Yekaterinburg", "RUB"] : ["Europe/Moscow", "RUB"];
    // Starts: the big event 4 days ago (10:00 local, 10 hours); the rest evenly from 150 days ago to
    // 180 days ahead at 19:00 local, never today (so "started" is known here: startDays < 0).
    let startDays = big ? -4 : Math.round(-150 + ((e - 2) * 330) / (EVENTS - 2));
    if (startDays === 0) startDays = 1;
    // A future event is on sale already (its sale opened at least a week ago).
    const saleDays = big ? 90 : Math.max(21 + ((e * 17) % 50), startDays + 7 + (e % 20));
    const freeOnly = !big && e % 5 === 0;
    const weight = big ? 0 : (0.2 + ((e * 37) % 100) / 50) * (e % 17 === 0 ? 4 : 1);
    events.push({ e, org, tz, currency, startDays, startHour: big ? 10 : 19, durationHours: big ? 10 : 3, saleDays, freeOnly, weight, started: startDays < 0 });
  }
  const shares = apportion(sizes.registrations - sizes.bigEvent, events.slice(1).map((ev) => ev.weight));
  events[0].n = sizes.bigEvent;
  events.slice(1).forEach((ev, k) => (ev.n = shares[k]));

  for (const ev of events) {
    const paid = !ev.freeOnly;
    ev.cancelled = Math.round(ev.n * 0.07);
    ev.expired = paid ? Math.round(ev.n * 0.03) : 0;
    ev.reserved = paid && !ev.started ? Math.round(ev.n * 0.004) : 0;
    ev.pending = paid && !ev.started ? Math.round(ev.n * 0.006) : 0;
    ev.active = ev.n - ev.cancelled - ev.expired - ev.reserved - ev.pending;
    ev.checkedIn = 0;
  }
  // Check-ins: 78 % of the big event's expected guests came; the rest of the 300,000 spread over the
  // other started events by their size (at most 95 % of an event's guests).
  const big = events[0];
  big.checkedIn = Math.min(big.active, Math.round(big.active * 0.78), sizes.checkIns);
  const started = events.slice(1).filter((ev) => ev.started);
  let rest = sizes.checkIns - big.checkedIn;
  const cap = started.reduce((a, ev) => a + Math.floor(ev.active * 0.95), 0);
  if (rest > cap) throw new Error(`cannot place ${rest} check-ins on started events (room for ${cap})`);
  const alloc = apportion(rest, started.map((ev) => ev.active));
  started.forEach((ev, k) => (ev.checkedIn = Math.min(alloc[k], Math.floor(ev.active * 0.95))));
  rest -= started.reduce((a, ev) => a + ev.checkedIn, 0);
  for (const ev of started) {
    if (rest <= 0) break;
    const more = Math.min(rest, Math.floor(ev.active * 0.95) - ev.checkedIn);
    ev.checkedIn += more;
    rest -= more;
  }
  let offset = 0;
  for (const ev of events) {
    ev.confirmed = ev.active - ev.checkedIn;
    ev.regOffset = offset;
    offset += ev.n;
    ev.userOffset = (ev.e * 7919) % sizes.users;
  }

  // Ticket types: a weight for the draw of every registration, and a second draw among paid types
  // only (unpaid holds — EXPIRED, RESERVED, PENDING — exist only on paid types). slack = spare seats of
  // a limited type over what was taken (0 = sold out, with a waitlist); null = unlimited.
  const types = [];
  for (const ev of events) {
    const price = ev.currency === "RUB" ? 300_000 : 4_500;
    const list = ev.freeOnly
      ? [
          { name: "Входной", price: 0, w: 0.75, slack: null },
          { name: "Онлайн", price: 0, w: 0.17, slack: null },
          { name: "Мастер-класс", price: 0, w: 0.08, slack: 0, waitlist: true },
        ]
      : [
          { name: "Стандарт", price, w: 0.58, slack: 0.1 },
          { name: "VIP", price: price * 3, w: 0.1, slack: 0, waitlist: true },
          { name: "Студенческий", price: price / 2, w: 0.15, slack: 0.2 },
          { name: "Онлайн", price: 0, w: 0.15, slack: null },
          { name: "Партнёр", price: 0, w: 0.02, slack: null, hidden: true },
        ];
    const total = list.reduce((a, t) => a + t.w, 0);
    const paidTotal = list.filter((t) => t.price > 0).reduce((a, t) => a + t.w, 0);
    let lo = 0;
    let plo = 0;
    list.forEach((t, k) => {
      const hi = k === list.length - 1 ? 1.0000001 : lo + t.w / total;
      const phi = t.price > 0 ? plo + t.w / paidTotal : plo;
      types.push({ e: ev.e, k: k + 1, name: t.name, price: t.price, currency: ev.currency, slack: t.slack, hidden: !!t.hidden, waitlist: !!t.waitlist, lo, hi, plo, phi: t.price > 0 && phi > 0.9999999 ? 1.0000001 : phi });
      lo = hi;
      plo = phi;
    });
  }
  return { events, types };
}

/** Statement-sized helper: a temporary table filled from column arrays (one INSERT … SELECT unnest). */
async function tempTable(client, name, columns, rows) {
  const defs = columns.map(([col, type]) => `${col} ${type}`).join(", ");
  await client.query(`CREATE TEMP TABLE ${name} (${defs})`);
  const values = columns.map(([col]) => rows.map((r) => r[col] ?? null));
  const unnest = columns.map(([, type], k) => `$${k + 1}::${type}[]`).join(", ");
  await client.query(`INSERT INTO ${name} SELECT * FROM unnest(${unnest})`, values);
}

/** The eight-character confirmation code of the number `g` (base 31 over the code alphabet), inline SQL. */
function codeSql(g) {
  return Array.from({ length: 8 }, (_, k) => `substr('${CODE_ALPHABET}', ((${g}) / ${31 ** k}::bigint % 31)::int + 1, 1)`).join(" || ");
}

const frac = (expr) => `((${expr}) - floor(${expr}))`;

/**
 * Generates everything into the (migrated, empty) database of `client`. `onStep(label, ms, rows)` is
 * called after each step. Returns the ids the measurement needs.
 */
export async function generate(client, sizes, onStep) {
  const { events, types } = planEvents(sizes);
  const step = async (label, fn) => {
    const started = performance.now();
    const rows = await fn();
    onStep(label, performance.now() - started, rows);
  };

  await tempTable(client, "bench_plan", [
    ["e", "int"], ["org", "int"], ["tz", "text"], ["currency", "text"], ["start_days", "int"], ["start_hour", "int"],
    ["duration_hours", "int"], ["sale_days", "int"], ["free_only", "boolean"], ["n", "int"], ["checked_in", "int"],
    ["confirmed", "int"], ["cancelled", "int"], ["expired", "int"], ["reserved", "int"], ["pending", "int"],
    ["reg_offset", "bigint"], ["user_offset", "int"],
  ], events.map((ev) => ({ ...ev, start_days: ev.startDays, start_hour: ev.startHour, duration_hours: ev.durationHours, sale_days: ev.saleDays, free_only: ev.freeOnly, checked_in: ev.checkedIn, reg_offset: ev.regOffset, user_offset: ev.userOffset })));
  await tempTable(client, "bench_types", [
    ["e", "int"], ["k", "int"], ["name", "text"], ["price", "int"], ["currency", "text"], ["slack", "float8"],
    ["hidden", "boolean"], ["waitlist", "boolean"], ["lo", "float8"], ["hi", "float8"], ["plo", "float8"], ["phi", "float8"],
  ], types);

  // ── people and organizations ──
  await step("users, organizations, owners, approved requests", async () => {
    await client.query("BEGIN");
    const { rows: [admin] } = await client.query(
      `INSERT INTO users (id, email, first_name, last_name, email_verified, is_platform_admin, created_at, updated_at)
       VALUES (gen_random_uuid(), 'admin@bench.aqstream.local', 'Админ', 'Платформы', true, true, now() - interval '800 days', now()) RETURNING id`,
    );
    await client.query(
      `INSERT INTO users (id, email, first_name, last_name, email_verified, locale, created_at, updated_at)
       SELECT md5('bench-user-' || k)::uuid, 'u' || k || '@bench.aqstream.local', ($2::text[])[1 + k % cardinality($2::text[])],
              ($3::text[])[1 + (k / 7) % cardinality($3::text[])], true, (CASE WHEN k % 3 = 0 THEN 'EN' ELSE 'RU' END)::"Locale",
              now() - (k % 700) * interval '1 day', now()
         FROM generate_series(0, $1::int - 1) k`,
      [sizes.users, FIRST_NAMES, LAST_NAMES],
    );
    await client.query(
      `INSERT INTO users (id, email, first_name, last_name, email_verified, created_at, updated_at)
       SELECT md5('bench-owner-' || k)::uuid, 'owner' || k || '@bench.aqstream.local', 'Организатор', 'Номер ' || k, true,
              now() - (740 - k * 30) * interval '1 day', now()
         FROM generate_series(1, $1::int) k`,
      [ORGANIZATIONS],
    );
    // Organizations approved over the last two years (the platform view counts them by day).
    await client.query(
      `INSERT INTO organizations (id, owner_id, name, slug, created_at, updated_at)
       SELECT md5('bench-org-' || k)::uuid, md5('bench-owner-' || k)::uuid, 'Bench organization ' || k, 'bench-org-' || k,
              now() - (730 - k * 30) * interval '1 day', now()
         FROM generate_series(1, $1::int) k`,
      [ORGANIZATIONS],
    );
    await client.query(
      `INSERT INTO organization_members (id, organization_id, user_id, role, joined_at, created_at)
       SELECT gen_random_uuid(), o.id, o.owner_id, 'OWNER', o.created_at, o.created_at FROM organizations o`,
    );
    await client.query(
      `INSERT INTO organization_requests (id, user_id, name, slug, status, reviewed_by, reviewed_at, organization_id, created_at, updated_at)
       SELECT gen_random_uuid(), o.owner_id, o.name, o.slug, 'APPROVED', $1, o.created_at, o.id, o.created_at - interval '1 day', o.created_at
         FROM organizations o`,
      [admin.id],
    );
    await client.query("COMMIT");
    return ORGANIZATIONS;
  });

  // ── events, ticket types, promo codes ──
  await step("events, ticket types, promo codes", async () => {
    await client.query(`ALTER TABLE bench_plan ADD COLUMN event_id uuid, ADD COLUMN tenant_id uuid, ADD COLUMN owner_id uuid,
                          ADD COLUMN starts_at timestamptz, ADD COLUMN ends_at timestamptz, ADD COLUMN sale_start timestamptz, ADD COLUMN sale_end timestamptz`);
    await client.query(
      `UPDATE bench_plan p SET event_id = md5('bench-event-' || p.e)::uuid, tenant_id = md5('bench-org-' || p.org)::uuid,
              owner_id = md5('bench-owner-' || p.org)::uuid,
              starts_at = ((current_date + p.start_days) + make_time(p.start_hour, 0, 0)) AT TIME ZONE p.tz`,
    );
    await client.query(
      `UPDATE bench_plan p SET ends_at = p.starts_at + p.duration_hours * interval '1 hour',
              sale_start = p.starts_at - p.sale_days * interval '1 day',
              -- a started event's sale closed an hour before the doors opened; one on sale runs until now
              sale_end = CASE WHEN p.start_days < 0 THEN p.starts_at - interval '1 hour' ELSE now() - interval '30 minutes' END`,
    );
    await client.query("CREATE INDEX ON bench_plan (e)");
    await client.query("CREATE UNIQUE INDEX ON bench_plan (event_id)");
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, timezone, location_type,
                           location_address, slug, published_at, completed_at, created_at, updated_at)
       SELECT p.event_id, p.tenant_id, p.owner_id,
              CASE WHEN p.e = 1 THEN 'Большая конференция' ELSE 'Событие ' || p.e END, 'Бенчмарк аналитики',
              (CASE WHEN p.ends_at < now() - interval '7 days' THEN 'COMPLETED' ELSE 'PUBLISHED' END)::"EventStatus",
              p.starts_at, p.ends_at, p.tz, 'OFFLINE', 'Москва', 'bench-event-' || p.e, p.sale_start,
              CASE WHEN p.ends_at < now() - interval '7 days' THEN p.ends_at + interval '1 day' END,
              p.sale_start - interval '3 days', now()
         FROM bench_plan p ORDER BY p.e`,
    );
    await client.query(`ALTER TABLE bench_types ADD COLUMN id uuid`);
    await client.query(`UPDATE bench_types SET id = md5('bench-type-' || e || '-' || k)::uuid`);
    await client.query("CREATE INDEX ON bench_types (e)");
    await client.query(
      `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, reservation_minutes, sort_order, is_hidden, created_at, updated_at)
       SELECT t.id, p.event_id, t.name, t.price, t.currency::"Currency", NULL, CASE WHEN t.price > 0 THEN 30 END, t.k, t.hidden,
              p.sale_start - interval '3 days', now()
         FROM bench_types t JOIN bench_plan p ON p.e = t.e ORDER BY t.e, t.k`,
    );
    // Two codes per paid event: EARLY10 (10 %, unlimited) and FRIENDS25 (25 %, limited).
    await client.query(
      `INSERT INTO promo_codes (id, tenant_id, event_id, code, discount_kind, discount_value, usage_limit, created_by, created_at, updated_at)
       SELECT md5('bench-promo-' || p.e || '-' || c.k)::uuid, p.tenant_id, p.event_id, c.code, 'PERCENT', c.pct, NULL, p.owner_id,
              p.sale_start - interval '1 day', now()
         FROM bench_plan p CROSS JOIN (VALUES (1, 'EARLY10', 10), (2, 'FRIENDS25', 25)) c(k, code, pct)
        WHERE NOT p.free_only ORDER BY p.e, c.k`,
    );
    return EVENTS;
  });

  // ── registrations + check-ins, a few large statements ──
  // Check-ins go in the same transaction as their registrations: the check_ins trigger stamps the
  // registration's change_xid, which an insert of this transaction already carries (no row rewritten).
  // The two trigram (GIN) search indexes of registrations cost more per inserted row than everything
  // else together; as any bulk load does, they are dropped for the load and built again after it (the
  // same definitions, read from the catalogue). Every other index, constraint and trigger stays.
  const { rows: gin } = await client.query(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
      WHERE x.indrelid = 'registrations'::regclass AND a.amname = 'gin' AND NOT x.indisunique ORDER BY 1`,
  );
  for (const { name } of gin) await client.query(`DROP INDEX "${name}"`);
  const batches = [[1, 1]];
  for (let lo = 2; lo <= EVENTS; lo += 50) batches.push([lo, Math.min(EVENTS, lo + 49)]);
  for (const [lo, hi] of batches) {
    const label = lo === 1 ? "registrations + check-ins of the big event" : `registrations + check-ins of events ${lo}–${hi}`;
    await step(label, async () => {
      await client.query("BEGIN");
      const { rowCount } = await client.query(registrationsSql(), [lo, hi, FIRST_NAMES, LAST_NAMES, CANCEL_REASONS, sizes.users]);
      const { rowCount: checkIns } = await client.query(checkInsSql(), [lo, hi]);
      await client.query("COMMIT");
      return `${rowCount.toLocaleString("en")} registrations, ${checkIns.toLocaleString("en")} check-ins`;
    });
  }

  await step(`search indexes built again (${gin.map((g) => g.name).join(", ") || "none"})`, async () => {
    await client.query("SET maintenance_work_mem = '256MB'");
    for (const { def } of gin) await client.query(def);
    await client.query("RESET maintenance_work_mem");
    return gin.length;
  });

  // ── money ──
  await step("payments (taken and open checkouts)", async () => {
    const { rowCount } = await client.query(
      `INSERT INTO payments (id, tenant_id, registration_id, provider, provider_payment_id, status, amount_cents, currency,
                             idempotency_key, completed_at, checkout_expires_at, created_at, updated_at)
       SELECT gen_random_uuid(), r.tenant_id, r.id, 'yookassa', 'bench-' || r.confirmation_code,
              (CASE WHEN r.status = 'PENDING' THEN 'PENDING' ELSE 'COMPLETED' END)::"PaymentStatus",
              r.price_cents, r.currency, gen_random_uuid(),
              CASE WHEN r.status <> 'PENDING' THEN r.confirmed_at END,
              CASE WHEN r.status = 'PENDING' THEN r.created_at + interval '30 minutes' END,
              coalesce(r.confirmed_at, r.created_at) - interval '2 minutes', coalesce(r.confirmed_at, r.created_at)
         FROM registrations r
        WHERE r.price_cents > 0 AND (r.confirmed_at IS NOT NULL OR r.status = 'PENDING')`,
    );
    return `${rowCount.toLocaleString("en")} payments`;
  });
  await step("refunds (full for paid cancellations, 2 % partial) and the payments' refunded status", async () => {
    await client.query("BEGIN");
    // A refund is completed, then its payment says so (the order of lib/payments' refund execution).
    const { rowCount } = await client.query(
      `WITH chosen AS (
         SELECT p.id AS payment_id, p.amount_cents, r.status, r.cancelled_at, r.cancellation_reason, r.confirmed_at,
                CASE WHEN r.status = 'CANCELLED' THEN p.amount_cents ELSE (p.amount_cents * 3 / 10) END AS refund
           FROM payments p JOIN registrations r ON r.id = p.registration_id
          WHERE p.status = 'COMPLETED'
            AND (r.status = 'CANCELLED' OR get_byte(decode(md5(r.confirmation_code), 'hex'), 5) < 5)
       )
       INSERT INTO refunds (id, payment_id, amount_cents, reason, status, provider_refund_id, origin, attempts, created_at, completed_at, updated_at)
       SELECT gen_random_uuid(), c.payment_id, c.refund,
              CASE WHEN c.status = 'CANCELLED' THEN c.cancellation_reason ELSE 'Компенсация за перенос' END,
              'COMPLETED', 'bench-refund-' || c.payment_id,
              CASE WHEN c.status = 'CANCELLED' THEN 'participant_cancel' ELSE 'organizer' END, 1,
              coalesce(c.cancelled_at, c.confirmed_at + interval '1 day'), coalesce(c.cancelled_at, c.confirmed_at + interval '1 day') + interval '1 minute',
              coalesce(c.cancelled_at, c.confirmed_at + interval '1 day') + interval '1 minute'
         FROM chosen c WHERE c.refund > 0`,
    );
    await client.query(
      `UPDATE payments p SET refunded_cents = f.total,
              status = (CASE WHEN f.total >= p.amount_cents THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END)::"PaymentStatus",
              updated_at = f.at
         FROM (SELECT payment_id, sum(amount_cents)::int AS total, max(completed_at) AS at FROM refunds GROUP BY payment_id) f
        WHERE f.payment_id = p.id`,
    );
    await client.query("COMMIT");
    return `${rowCount.toLocaleString("en")} refunds`;
  });

  // ── waitlists on the sold-out types ──
  await step("waitlist entries", async () => {
    const { rowCount } = await client.query(
      `WITH wl AS (
         SELECT p.e, p.event_id, p.start_days, t.id AS ticket_type_id, g.q AS k,
                -- the head of the list was offered seats first: 20 % converted, 10 % holding an offer now
                -- (an event still on sale) or let it lapse, 20 % lapsed, the rest still waiting
                CASE WHEN g.q <= l.size * 0.2 THEN 'CONVERTED'
                     WHEN g.q <= l.size * 0.3 AND p.start_days > 0 THEN 'NOTIFIED'
                     WHEN g.q <= l.size * 0.5 THEN 'EXPIRED'
                     ELSE 'WAITING' END AS status,
                row_number() OVER (PARTITION BY p.e, (g.q <= l.size * 0.2) ORDER BY g.q) AS conv_rank,
                p.sale_start + (least(p.sale_end, now()) - p.sale_start) * (0.3 + 0.7 * g.q / l.size) AS created_at
           FROM bench_plan p JOIN bench_types t ON t.e = p.e AND t.waitlist
           CROSS JOIN LATERAL (SELECT greatest(3, (p.n * 0.02)::int) AS size) l
           CROSS JOIN LATERAL generate_series(1, l.size) g(q)
       ), seats AS (
         SELECT r.id, r.event_id, r.confirmed_at, row_number() OVER (PARTITION BY r.event_id ORDER BY r.confirmed_at DESC, r.id) AS rank
           FROM registrations r JOIN bench_types t ON t.id = r.ticket_type_id AND t.waitlist
          WHERE r.status IN ('CONFIRMED', 'CHECKED_IN')
       )
       INSERT INTO waitlist_entries (id, event_id, ticket_type_id, user_id, email, first_name, last_name, position, status,
                                     notified_at, expires_at, offered_ticket_type_id, converted_registration_id, created_at, updated_at)
       SELECT gen_random_uuid(), w.event_id, w.ticket_type_id, NULL, 'w' || w.e || '-' || w.k || '@example.test',
              ($1::text[])[1 + (w.k * 3) % cardinality($1::text[])], ($2::text[])[1 + (w.k * 5) % cardinality($2::text[])],
              w.k, w.status::"WaitlistStatus",
              CASE WHEN w.status IN ('NOTIFIED', 'CONVERTED', 'EXPIRED') THEN w.created_at + interval '1 day' END,
              CASE WHEN w.status = 'NOTIFIED' THEN now() + interval '1 day' WHEN w.status = 'EXPIRED' THEN w.created_at + interval '2 days' END,
              CASE WHEN w.status IN ('NOTIFIED', 'CONVERTED') THEN w.ticket_type_id END,
              CASE WHEN w.status = 'CONVERTED' THEN s.id END,
              w.created_at, w.created_at + interval '1 day'
         FROM wl w LEFT JOIN seats s ON w.status = 'CONVERTED' AND s.event_id = w.event_id AND s.rank = w.conv_rank`,
      [FIRST_NAMES, LAST_NAMES],
    );
    return `${rowCount.toLocaleString("en")} entries`;
  });

  // ── seat counters and promo-code uses equal the rows ──
  await step("ticket-type counters, capacities, promo-code uses", async () => {
    await client.query(
      `UPDATE ticket_types tt SET sold_count = c.sold, reserved_count = c.held,
              quantity = CASE WHEN bt.slack IS NULL THEN NULL ELSE c.sold + c.held + ceil(bt.slack * (c.sold + c.held))::int END
         FROM bench_types bt,
              LATERAL (SELECT count(*) FILTER (WHERE r.status IN ('CONFIRMED', 'CHECKED_IN'))::int AS sold,
                              (count(*) FILTER (WHERE r.status IN ('RESERVED', 'PENDING'))
                                 + (SELECT count(*) FROM waitlist_entries w WHERE w.offered_ticket_type_id = bt.id AND w.status = 'NOTIFIED'))::int AS held
                         FROM registrations r WHERE r.ticket_type_id = bt.id) c
        WHERE tt.id = bt.id`,
    );
    await client.query(
      `UPDATE promo_codes pc SET used_count = u.n, usage_limit = CASE WHEN pc.code = 'FRIENDS25' THEN u.n + 50 END
         FROM (SELECT promo_code_id, count(*) FILTER (WHERE status NOT IN ('CANCELLED', 'EXPIRED'))::int AS n
                 FROM registrations WHERE promo_code_id IS NOT NULL GROUP BY promo_code_id) u
        WHERE u.promo_code_id = pc.id`,
    );
    return types.length;
  });

  // ── page views: exactly sizes.pageViews views + form opens ──
  await step("page views and form opens (daily counts per source and utm_*)", async () => {
    const { rowCount } = await client.query(pageViewsSql(), [sizes.pageViews]);
    return `${rowCount.toLocaleString("en")} rows`;
  });

  await step("ANALYZE", async () => {
    await client.query("ANALYZE");
    return "";
  });

  return idsFor(client, sizes);
}

/** The ids the measurement needs, on a database generated by `generate` with the same sizes. */
export async function idsFor(client, sizes) {
  const { events } = planEvents(sizes);
  const { rows: [ids] } = await client.query(
    `SELECT (SELECT id FROM users WHERE is_platform_admin) AS admin_id,
            md5('bench-owner-1')::uuid AS owner_id, md5('bench-org-1')::uuid AS organization_id,
            md5('bench-event-1')::uuid AS big_event_id`,
  );
  // "A typical event": the median size among the others.
  const typical = [...events.slice(1)].sort((a, b) => a.n - b.n || a.e - b.e)[Math.floor((events.length - 1) / 2)];
  const { rows: [t] } = await client.query(
    `SELECT e.id, o.owner_id FROM events e JOIN organizations o ON o.id = e.tenant_id WHERE e.id = md5('bench-event-' || $1::int)::uuid`,
    [typical.e],
  );
  return {
    adminId: ids.admin_id,
    ownerId: ids.owner_id,
    organizationId: ids.organization_id,
    bigEventId: ids.big_event_id,
    typicalEventId: t.id,
    typicalOwnerId: t.owner_id,
    typical: { e: typical.e, registrations: typical.n, started: typical.started },
    bigEvent: { registrations: events[0].n, checkedIn: events[0].checkedIn },
  };
}

/** One INSERT of every registration of events lo..hi ($1, $2). */
function registrationsSql() {
  const i = "g.i";
  return `
    WITH src AS (
      SELECT p.*, ${i} AS i,
             ${frac(`${i} * 0.6180339887498949`)} AS u_time,
             ${frac(`${i} * 0.7548776662466927`)} AS u_type,
             ${frac(`${i} * 0.4142135623730951`)} AS u_spike,
             ${frac(`${i} * 0.5698402909980532`)} AS u_later,
             CASE WHEN ${i} <= p.checked_in THEN 'CHECKED_IN'
                  WHEN ${i} <= p.checked_in + p.confirmed THEN 'CONFIRMED'
                  WHEN ${i} <= p.checked_in + p.confirmed + p.cancelled THEN 'CANCELLED'
                  WHEN ${i} <= p.checked_in + p.confirmed + p.cancelled + p.expired THEN 'EXPIRED'
                  WHEN ${i} <= p.checked_in + p.confirmed + p.cancelled + p.expired + p.reserved THEN 'RESERVED'
                  ELSE 'PENDING' END AS status
        FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n) g(i)
       WHERE p.e BETWEEN $1 AND $2
    ), timed AS (
      SELECT s.*, t.id AS ticket_type_id, t.price, t.currency AS type_currency,
             CASE WHEN t.price > 0 AND s.i % 10 = 3 THEN 1 WHEN t.price > 0 AND s.i % 25 = 7 THEN 2 END AS promo_k,
             -- Unpaid holds are recent on an event on sale; otherwise sales come in over the window,
             -- denser towards the start (x^0.55), with a launch spike in its first 5 % (12 % of sales).
             CASE WHEN s.status IN ('RESERVED', 'PENDING') THEN now() - (s.i % 20) * interval '1 minute'
                  ELSE s.sale_start + (s.sale_end - s.sale_start)
                       * CASE WHEN s.u_spike < 0.12 THEN s.u_time * 0.05 ELSE power(s.u_time, 0.55) END END AS created_at
        FROM src s JOIN bench_types t ON t.e = s.e
         AND CASE WHEN s.status IN ('EXPIRED', 'RESERVED', 'PENDING') THEN s.u_type >= t.plo AND s.u_type < t.phi
                  ELSE s.u_type >= t.lo AND s.u_type < t.hi END
    ), priced AS (
      SELECT x.*, CASE x.promo_k WHEN 1 THEN x.price / 10 WHEN 2 THEN x.price / 4 ELSE 0 END AS discount,
             CASE WHEN x.status IN ('CONFIRMED', 'CHECKED_IN')
                    OR (x.status = 'CANCELLED' AND (x.price = 0 OR x.i % 2 = 0))
                  THEN x.created_at + CASE WHEN x.price > 0 THEN interval '3 minutes' ELSE interval '0' END END AS confirmed_at
        FROM timed x
    ), final AS (
      -- a hold is let go within minutes; a confirmed guest cancels some time before the sale ends
      SELECT y.*, CASE WHEN y.status = 'CANCELLED' THEN
                    CASE WHEN y.confirmed_at IS NULL THEN y.created_at + interval '10 minutes'
                         ELSE y.confirmed_at + greatest(y.sale_end - y.confirmed_at, interval '0') * y.u_later END END AS cancelled_at
        FROM priced y
    )
    INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, last_name,
                               email, price_cents, currency, expires_at, confirmed_at, cancelled_at, cancellation_reason,
                               promo_code_id, discount_cents, locale, created_at, updated_at)
    SELECT gen_random_uuid(), r.tenant_id, r.event_id, r.ticket_type_id,
           CASE WHEN r.i % 5 = 0 THEN md5('bench-user-' || ((r.user_offset + r.i / 5) % $6::int))::uuid END,
           r.status::"RegistrationStatus",
           ${codeSql("r.reg_offset + r.i")},
           ($3::text[])[1 + (r.i * 7) % cardinality($3::text[])],
           ($4::text[])[1 + (r.i / 3) % cardinality($4::text[])],
           'g' || r.e || '-' || r.i || '@example.test',
           r.price - r.discount, r.type_currency::"Currency",
           CASE WHEN r.status = 'RESERVED' THEN now() + interval '15 minutes' WHEN r.status IN ('EXPIRED', 'PENDING') THEN r.created_at + interval '30 minutes' END,
           r.confirmed_at, r.cancelled_at,
           -- one in seven gives no reason
           CASE WHEN r.status = 'CANCELLED' AND r.i % 7 < cardinality($5::text[]) THEN ($5::text[])[1 + r.i % 7] END,
           CASE WHEN r.promo_k IS NOT NULL THEN md5('bench-promo-' || r.e || '-' || r.promo_k)::uuid END,
           r.discount,
           (CASE WHEN r.i % 3 = 0 THEN 'EN' ELSE 'RU' END)::"Locale",
           r.created_at,
           greatest(r.created_at, r.confirmed_at, r.cancelled_at)
      FROM final r`;
}

/** The check-ins of events $1..$2: every CHECKED_IN registration, around the doors' opening. */
function checkInsSql() {
  return `
    INSERT INTO check_ins (id, registration_id, event_id, checked_in_by, check_in_method, checked_in_at, created_at)
    SELECT gen_random_uuid(), r.id, r.event_id, p.owner_id,
           (CASE WHEN get_byte(decode(md5(r.confirmation_code), 'hex'), 1) < 16 THEN 'MANUAL' ELSE 'QR_SCAN' END)::"CheckInMethod",
           -- from 45 minutes before the start, most in the first hour, a tail over the next two
           a.at,
           -- an offline scanner syncs later: the row is written after the scan it records
           a.at + CASE WHEN get_byte(decode(md5(r.confirmation_code), 'hex'), 2) < 13 THEN interval '20 minutes' ELSE interval '0' END
      FROM registrations r JOIN bench_plan p ON p.event_id = r.event_id
     CROSS JOIN LATERAL (SELECT p.starts_at - interval '45 minutes'
                                + interval '180 minutes' * power(get_byte(decode(md5(r.confirmation_code), 'hex'), 3) / 256.0 + get_byte(decode(md5(r.confirmation_code), 'hex'), 4) / 65536.0, 1.8) AS at) a
     WHERE p.e BETWEEN $1 AND $2 AND r.status = 'CHECKED_IN'`;
}

/** Page views and form opens summing to exactly $1, by largest remainder over weighted rows. */
function pageViewsSql() {
  return `
    WITH days AS (
      SELECT p.event_id, p.n, d::date AS day,
             (d::date - (p.sale_start AT TIME ZONE p.tz)::date)::float8
               / greatest(1, ((least(p.ends_at, now()) AT TIME ZONE p.tz)::date - (p.sale_start AT TIME ZONE p.tz)::date))::float8 AS x
        FROM bench_plan p
       CROSS JOIN LATERAL generate_series((p.sale_start AT TIME ZONE p.tz)::date, (least(p.ends_at, now()) AT TIME ZONE p.tz)::date, interval '1 day') d
    ), combos (source, utm_source, utm_medium, utm_campaign, w) AS (
      VALUES ('', '', '', '', 0.24), ('', 'telegram', 'social', 'launch', 0.06), ('', 'newsletter', 'email', 'weekly', 0.05),
             ('t.me', '', '', '', 0.16), ('t.me', 'telegram', 'social', 'launch', 0.08),
             ('vk.com', '', '', '', 0.09), ('vk.com', 'vk', 'cpc', 'autumn-sale', 0.05),
             ('google.com', '', '', '', 0.1), ('yandex.ru', '', '', '', 0.12), ('instagram.com', '', '', '', 0.03),
             ('news.ycombinator.com', '', '', '', 0.02)
    ), steps (step, w) AS (VALUES ('VIEW', 1.0), ('FORM_OPEN', 0.3)),
    weighted AS (
      SELECT d.event_id, d.day, s.step, c.source, c.utm_source, c.utm_medium, c.utm_campaign,
             (d.n + 50) * (0.3 + 2 * power(d.x, 1.5)) * s.w * c.w AS w
        FROM days d CROSS JOIN steps s CROSS JOIN combos c
    ), shared AS (
      SELECT w.*, w.w * $1::float8 / sum(w.w) OVER () AS raw FROM weighted w
    ), floored AS (
      SELECT s.*, floor(s.raw)::bigint AS base, row_number() OVER (ORDER BY s.raw - floor(s.raw) DESC, s.event_id, s.day, s.step, s.source, s.utm_source) AS rank
        FROM shared s
    ), allotted AS (
      SELECT f.*, f.base + CASE WHEN f.rank <= $1::bigint - sum(f.base) OVER () THEN 1 ELSE 0 END AS count FROM floored f
    )
    INSERT INTO analytics_page_views (event_id, day, step, source, utm_source, utm_medium, utm_campaign, count)
    SELECT event_id, day, step, source, utm_source, utm_medium, utm_campaign, count FROM allotted WHERE count > 0`;
}
