#!/usr/bin/env node
// npm run bench:payments — many participants paying at once on the demo provider, every webhook delivered
// twice and out of order (docs/payments.md → "Performance"). A benchmark, not a test: it prints figures
// and fails only on a correctness breach (a payment confirmed twice, a payment lost, counters that do not
// match the rows).
//
//   1. creates a fresh database aq_bench_payments_<ms>_<pid> (scripts/bench/kit.mjs; --embedded for the
//      embedded PostgreSQL), migrates it, and seeds an organization with the demo provider connected, a
//      PUBLISHED event with one paid ticket type (1,500.00 RUB, --checkouts seats, a 30-minute hold) and
//      --checkouts users with sessions (cookies made as lib/identity does);
//   2. builds the app when needed and starts the production server as npm start does (web processes +
//      the worker, which runs the webhook jobs; BENCH_SERVER=single for one process) with PAYMENTS_DEMO=1;
//   3. every user registers (POST /api/v1/events/:id/registrations → RESERVED) and starts the checkout
//      (POST /api/v1/registrations/:id/payments → the demo checkout), --concurrency at a time (not timed);
//   4. measured: every user pays with the success test card (POST /api/payments/demo/:id/pay), the
//      demo provider sends its webhook (the worker's job, copy 1), and this script delivers every webhook
//      a second time itself, signed as the demo provider signs, in the reverse order of the payments and
//      interleaved with the first copies (copy 2): each webhook twice, out of order, at --concurrency;
//   5. waits until every payment the provider took is COMPLETED on our side (or --timeout seconds) and
//      prints confirmations/s (payments completed per second, from the first payment to the last
//      confirmation), the webhook route's p50/p95 (copy 2, timed here), double confirmations (a payment
//      or a registration confirmed twice, a second receipt: must be 0) and lost payments (taken by the
//      provider, not COMPLETED here: must be 0); drops the database and stops the server.
// A smoke run: npm run bench:payments -- --checkouts 60 --concurrency 8
//
// Options: --checkouts N --concurrency N --port N --timeout S --embedded --keep --no-build.
import { createHmac, hkdfSync } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { serverMode } from "./app-server.mjs";
import { createBench, fmt, httpClient, loadAverage, percentile, pool, positiveInt as positive, sessionCookie } from "./kit.mjs";

const { values: args } = parseArgs({
  options: {
    checkouts: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "50" },
    port: { type: "string", default: process.env.BENCH_PORT || "3194" },
    timeout: { type: "string", default: "300" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});
const positiveInt = (value, name) => positive("bench:payments", value, name);
const CHECKOUTS = positiveInt(args.checkouts, "--checkouts");
const CONCURRENCY = positiveInt(args.concurrency, "--concurrency");
const PORT = positiveInt(args.port, "--port");
const TIMEOUT_S = positiveInt(args.timeout, "--timeout");
const AUTH_SECRET = "aqstream-bench-payments-secret-0123456789abcdef";
const PRICE_CENTS = 150_000;
const SUCCESS_CARD = "4242 4242 4242 4242";

const bench = createBench({ label: "bench:payments", prefix: "aq_bench_payments", keep: args.keep, embedded: args.embedded });
const log = bench.log;
const http = httpClient(PORT, { maxSockets: 256 });

// ───────────────────────────── data ─────────────────────────────

async function seed(client) {
  const { rows: [owner] } = await client.query(
    `INSERT INTO users (id, email, first_name, last_name, email_verified, updated_at)
     VALUES (gen_random_uuid(), 'payments-owner@bench.aqstream.local', 'Организатор', 'Бенчмарка', true, now()) RETURNING id`,
  );
  await client.query("BEGIN");
  const { rows: [org] } = await client.query(
    `INSERT INTO organizations (id, owner_id, name, slug, updated_at) VALUES (gen_random_uuid(), $1, 'Payments bench', 'payments-bench', now()) RETURNING id`,
    [owner.id],
  );
  await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'OWNER')`, [org.id, owner.id]);
  // The demo provider connected, as the owner would in settings → Payments.
  await client.query(`INSERT INTO payment_accounts (id, tenant_id, provider, connected_by, updated_at) VALUES (gen_random_uuid(), $1, 'demo', $2, now())`, [org.id, owner.id]);
  await client.query("COMMIT");
  const { rows: [event] } = await client.query(
    `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, timezone,
                         location_type, location_address, slug, published_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'Payments bench', 'Бенчмарк оплаты', 'PUBLISHED', now() + interval '7 days',
             now() + interval '7 days 3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', 'payments-bench', now(), now()) RETURNING id`,
    [org.id, owner.id],
  );
  const { rows: [type] } = await client.query(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, reservation_minutes, updated_at)
     VALUES (gen_random_uuid(), $1, 'Стандартный', $2, 'RUB', $3, 30, now()) RETURNING id`,
    [event.id, PRICE_CENTS, CHECKOUTS],
  );
  const { rows: users } = await client.query(
    `WITH u AS (
       INSERT INTO users (id, email, first_name, last_name, email_verified, locale, updated_at)
       SELECT gen_random_uuid(), 'payer-' || i || '@bench.aqstream.local', 'Участник', 'Номер ' || i, true,
              (CASE WHEN i % 2 = 0 THEN 'EN' ELSE 'RU' END)::"Locale", now()
         FROM generate_series(1, $1::int) AS i
       RETURNING id, email
     ), s AS (
       INSERT INTO user_sessions (id, user_id, user_agent, ip, created_at, last_seen_at, expires_at)
       SELECT gen_random_uuid(), u.id, 'bench:payments', '127.0.0.1', now(), now(), now() + interval '30 days' FROM u
       RETURNING id, user_id
     )
     SELECT u.id AS user_id, s.id AS session_id FROM u JOIN s ON s.user_id = u.id
      ORDER BY split_part(split_part(u.email, '@', 1), '-', 2)::int`,
    [CHECKOUTS],
  );
  return { organizationId: org.id, eventId: event.id, ticketTypeId: type.id, users };
}

// ───────────────────────────── the demo provider's webhook signature (lib/payments/providers/demo.ts) ─────────────────────────────

const demoKey = Buffer.from(hkdfSync("sha256", AUTH_SECRET, "", "aqstream demo webhooks", 32));

function demoSignature(body) {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac("sha256", demoKey).update(`${t}.${body}`, "utf8").digest("hex")}`;
}

// ───────────────────────────── phases ─────────────────────────────

/** Registers and starts the checkout for every user: the demo checkout id of each. */
async function prepareCheckouts(data, cookies) {
  const failures = new Map();
  const checkouts = [];
  const fail = (what) => failures.set(what, (failures.get(what) ?? 0) + 1);
  await pool(
    cookies.map((cookie) => async () => {
      const reg = await http.request("POST", `/api/v1/events/${data.eventId}/registrations`, { cookie, body: { ticketTypeId: data.ticketTypeId } });
      if (reg.status !== 201) return fail(`register HTTP ${reg.status} ${reg.json?.messageKey ?? ""}`.trim());
      const registrationId = reg.json.registration.registrationId;
      const pay = await http.request("POST", `/api/v1/registrations/${registrationId}/payments`, { cookie, body: { purpose: "full" } });
      const url = pay.json?.checkout?.redirectUrl;
      const demoId = url ? /\/pay\/demo\/([0-9a-f-]{36})/.exec(url)?.[1] : null;
      if (pay.status !== 200 || !demoId) return fail(`checkout HTTP ${pay.status} ${pay.json?.messageKey ?? pay.json?.checkout?.kind ?? ""}`.trim());
      checkouts.push({ registrationId, paymentId: pay.json.checkout.paymentId, demoId, cookie });
    }),
    CONCURRENCY,
  );
  return { checkouts, failures: Object.fromEntries(failures) };
}

/** Polls our payments until every one the provider took is COMPLETED (or the timeout): when each was confirmed. */
async function watchConfirmations(client, paymentIds, started) {
  const deadline = started + TIMEOUT_S * 1000;
  let lastCount = -1;
  let lastAt = started;
  for (;;) {
    const { rows: [r] } = await client.query(`SELECT count(*)::int AS n FROM payments WHERE id = ANY($1::uuid[]) AND status = 'COMPLETED'`, [paymentIds]);
    const now = performance.now();
    if (r.n !== lastCount) {
      lastCount = r.n;
      lastAt = now;
    }
    if (r.n >= paymentIds.length || now > deadline) return { completed: r.n, lastAt };
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function pay(data, checkouts, client) {
  const paid = [];
  const payOutcomes = new Map();
  const webhookMs = [];
  const webhookStatuses = new Map();
  let delivered = 0;
  // The second copies go out while the first ones (the worker's jobs) are still arriving: in the reverse
  // order of the payments, as soon as the provider has the event (demo_events), a batch at a time.
  const seen = new Set();
  let paying = true;
  const redeliver = async () => {
    while (paying || seen.size < paid.length) {
      const { rows } = await client.query(
        `SELECT id, type, object FROM demo_events WHERE organization_id = $1 AND type = 'payment.succeeded' AND NOT (id = ANY($2::uuid[]))
          ORDER BY created_at DESC LIMIT 200`,
        [data.organizationId, [...seen]],
      );
      if (!rows.length) {
        if (!paying && seen.size >= paid.length) break;
        await new Promise((res) => setTimeout(res, 50));
        continue;
      }
      for (const row of rows) seen.add(row.id);
      await pool(
        rows.map((row) => async () => {
          const body = JSON.stringify({ id: row.id, type: row.type, object: row.object });
          const r = await http.request("POST", `/api/payments/webhooks/demo/${data.organizationId}`, {
            body,
            headers: { "x-demo-signature": demoSignature(body) },
          });
          webhookMs.push(r.ms);
          webhookStatuses.set(r.status, (webhookStatuses.get(r.status) ?? 0) + 1);
          delivered++;
        }),
        Math.max(1, Math.floor(CONCURRENCY / 2)),
      );
    }
  };
  const started = performance.now();
  const second = redeliver();
  await pool(
    checkouts.map((c) => async () => {
      const r = await http.request("POST", `/api/payments/demo/${c.demoId}/pay`, { body: { card: SUCCESS_CARD } });
      const outcome = r.status === 200 ? r.json.outcome : `HTTP ${r.status} ${r.json?.messageKey ?? ""}`.trim();
      payOutcomes.set(outcome, (payOutcomes.get(outcome) ?? 0) + 1);
      if (outcome === "paid") paid.push(c);
    }),
    Math.max(1, Math.ceil(CONCURRENCY / 2)),
  );
  const paidIn = (performance.now() - started) / 1000;
  paying = false;
  const watch = watchConfirmations(client, paid.map((c) => c.paymentId), started);
  await second;
  const { completed, lastAt } = await watch;
  webhookMs.sort((a, b) => a - b);
  return {
    paid,
    paidIn,
    payOutcomes: Object.fromEntries(payOutcomes),
    completed,
    confirmSeconds: (lastAt - started) / 1000,
    webhook: {
      delivered,
      statuses: Object.fromEntries([...webhookStatuses].sort()),
      p50: percentile(webhookMs, 50),
      p95: percentile(webhookMs, 95),
      max: webhookMs.at(-1),
    },
  };
}

async function verify(client, data, paymentIds) {
  const { rows: [r] } = await client.query(
    `SELECT t.quantity, t.sold_count, t.reserved_count,
            (SELECT count(*)::int FROM registrations x WHERE x.ticket_type_id = t.id AND x.status IN ('CONFIRMED', 'CHECKED_IN')) AS confirmed,
            (SELECT count(*)::int FROM registrations x WHERE x.ticket_type_id = t.id AND x.status IN ('RESERVED', 'PENDING')) AS held,
            (SELECT count(*)::int FROM (SELECT p.registration_id FROM payments p JOIN registrations x ON x.id = p.registration_id
                                         WHERE x.ticket_type_id = t.id AND p.status = 'COMPLETED'
                                         GROUP BY p.registration_id HAVING count(*) > 1) d) AS registrations_paid_twice,
            (SELECT count(*)::int FROM (SELECT n.dedupe_key FROM notification_logs n
                                         WHERE n.dedupe_key = ANY(SELECT 'payment.receipt:' || id FROM unnest($2::uuid[]) AS id)
                                         GROUP BY n.dedupe_key HAVING count(*) > 1) d) AS second_receipts,
            (SELECT count(*)::int FROM notification_logs n
              WHERE n.dedupe_key = ANY(SELECT 'payment.receipt:' || id FROM unnest($2::uuid[]) AS id)) AS receipts,
            (SELECT count(*)::int FROM demo_payments d LEFT JOIN payments p ON p.id = d.payment_id
              WHERE d.organization_id = $3 AND d.status = 'SUCCEEDED' AND (p.id IS NULL OR p.status <> 'COMPLETED')) AS lost,
            (SELECT count(*)::int FROM payment_webhook_events w WHERE w.tenant_id = $3) AS webhook_rows,
            (SELECT count(*)::int FROM demo_events d WHERE d.organization_id = $3 AND d.type = 'payment.succeeded') AS provider_events,
            (SELECT count(*)::int FROM refunds f JOIN payments p ON p.id = f.payment_id WHERE p.tenant_id = $3) AS refunds
       FROM ticket_types t WHERE t.id = $1`,
    [data.ticketTypeId, paymentIds, data.organizationId],
  );
  return r;
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const databaseUrl = await bench.createDatabase();
  log(`checkouts ${CHECKOUTS}, concurrency ${CONCURRENCY}, cpus ${os.cpus().length}, load ${loadAverage()}`);
  if (!args["no-build"]) await bench.build(databaseUrl, AUTH_SECRET);
  const client = await bench.connect(databaseUrl);
  const data = await seed(client);
  const cookies = [];
  for (const u of data.users) cookies.push(await sessionCookie(AUTH_SECRET, u.user_id, u.session_id, 30 * 24 * 60 * 60));
  log(`seeded ${cookies.length} users with sessions; event ${data.eventId}`);

  await bench.startServer({ port: PORT, databaseUrl, authSecret: AUTH_SECRET, extraEnv: { PAYMENTS_DEMO: "1" } });
  log(`the server answers on http://localhost:${PORT} (${serverMode()})`);

  const prepared = await prepareCheckouts(data, cookies);
  log(`registered and started ${prepared.checkouts.length} checkouts${Object.keys(prepared.failures).length ? `; refused: ${JSON.stringify(prepared.failures)}` : ""}`);

  log(`paying (concurrency ${CONCURRENCY}, load ${loadAverage()})`);
  const run = await pay(data, prepared.checkouts, client);
  const paymentIds = run.paid.map((c) => c.paymentId);
  // Late duplicates may still be in flight: a moment for them, then count.
  await new Promise((res) => setTimeout(res, 2000));
  const check = await verify(client, data, paymentIds);
  await client.end();

  const confirmationsPerSecond = run.completed / run.confirmSeconds;
  const doubleConfirmations = check.registrations_paid_twice + check.second_receipts + Math.max(0, check.sold_count - check.confirmed);
  const lines = [
    "",
    "── payments benchmark ─────────────────────────────────────────",
    `machine           ${os.cpus().length} CPUs, load average after the run ${loadAverage()}`,
    `database          ${bench.databaseKind === "embedded" ? "the embedded PostgreSQL (--embedded)" : "PostgreSQL server " + bench.adminUrl.replace(/^.*@/, "").replace(/\/[^/]*$/, "")}`,
    `server            ${serverMode() === "single" ? "one all-in-one process (BENCH_SERVER=single)" : "npm start's supervisor: web processes + worker (webhook jobs run on the worker)"}`,
    `workload          ${prepared.checkouts.length} checkouts on the demo provider (1,500.00 RUB each), concurrency ${CONCURRENCY};`,
    `                  every webhook twice: the provider's own delivery (a job) + this script's, newest first, interleaved`,
    `paid at provider  ${run.paid.length} in ${fmt(run.paidIn, 2)} s  ${JSON.stringify(run.payOutcomes)}`,
    `confirmed         ${run.completed} of ${run.paid.length} COMPLETED, the last ${fmt(run.confirmSeconds, 2)} s after the first payment`,
    `confirmations/s   ${fmt(confirmationsPerSecond)}`,
    `webhooks          ${run.webhook.delivered} second copies: p50 ${fmt(run.webhook.p50)} ms, p95 ${fmt(run.webhook.p95)} ms, max ${fmt(run.webhook.max)} ms  HTTP ${JSON.stringify(run.webhook.statuses)}`,
    `                  stored deliveries ${check.webhook_rows} for ${check.provider_events} provider events (each stored once)`,
    `double confirm.   ${doubleConfirmations}  (registrations paid twice ${check.registrations_paid_twice}, second receipts ${check.second_receipts}; receipts ${check.receipts})`,
    `lost payments     ${check.lost}`,
    `seats             sold_count ${check.sold_count} = confirmed rows ${check.confirmed}; reserved_count ${check.reserved_count} = held rows ${check.held}; refunds ${check.refunds}`,
    "───────────────────────────────────────────────────────────────",
  ];
  console.log(lines.join("\n"));

  const failures = [];
  if (doubleConfirmations !== 0) failures.push(`${doubleConfirmations} double confirmations`);
  if (check.lost !== 0) failures.push(`${check.lost} lost payments`);
  if (check.sold_count !== check.confirmed || check.reserved_count !== check.held) failures.push("counters do not match the rows");
  if (check.webhook_rows > check.provider_events) failures.push("a webhook delivery was stored twice");
  if (run.completed !== run.paid.length) failures.push(`${run.paid.length - run.completed} payments not confirmed within ${TIMEOUT_S} s`);
  if (prepared.checkouts.length !== CHECKOUTS) failures.push(`${CHECKOUTS - prepared.checkouts.length} checkouts could not start`);
  return failures;
}

bench.finish(main);
