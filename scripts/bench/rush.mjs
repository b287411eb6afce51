#!/usr/bin/env node
// npm run bench:rush — the registration rush (docs/registrations.md → "Performance"). A benchmark, not a
// test: it prints figures and fails only on a correctness breach (oversold seats, duplicate registrations,
// an idempotent retry that did not return the first result).
//
//   1. creates a fresh database aq_bench_rush_<timestamp>_<pid> on BENCH_DATABASE_URL / TEST_DATABASE_URL
//      (default postgresql://postgres@127.0.0.1:5432/postgres), or with --embedded on the embedded
//      PostgreSQL npm start runs (scripts/bench/database.mjs), and migrates it (prisma migrate deploy);
//   2. creates an organization, a PUBLISHED event with one free ticket type of --seats seats (1,000), and
//      --users users (3,000) with live session rows and Auth.js session cookies made the way lib/identity
//      does (the encrypted JWT carries { sub: userId, sid: sessionId }; the session row decides);
//   3. builds the app when .next is missing or stale (scripts/lib/build.mjs) and starts the production
//      server as npm start does — the supervisor scripts/cluster.mjs: WEB_CONCURRENCY web processes (default:
//      the cores) and the worker with the embedded job runner (BENCH_SERVER=single: one all-in-one
//      scripts/server.mjs instead) — on --port (BENCH_PORT, default 3199);
//   4. warms the server up on a separate event, then measures the database's ceiling: the transaction
//      register() runs (the same SQL statements, in the same order) over a plain `pg` pool at the same
//      concurrency, on a second event with the same seats and users;
//   5. fires the rush over HTTP: every user POSTs /api/v1/events/:id/registrations once (with an
//      Idempotency-Key); every 10th user also sends a concurrent second attempt with another key (must
//      not get a second seat) and every 25th user retries with the same key (must get the same result);
//   6. measures a trivial route on the same server with the same client and concurrency (GET
//      /api/health/live: no database) — the framework's own ceiling, so rush/trivial can be read;
//   7. prints confirmed, oversold, duplicates, registrations/s, latency percentiles, peak RSS of every
//      process (VmHWM) and of the whole tree, app/ceiling and rush/trivial; drops the database and stops
//      the server.
// A smoke run (does it work at all): --users 60 --seats 20 --concurrency 8.
//
// Options: --users N --seats N --concurrency N --port N --embedded --keep (keep the database) --no-build (use .next as is).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { appProcesses, describePeaks, serverMode } from "./app-server.mjs";
import { createBench, fmt, httpClient, loadAverage, percentile, pool, positiveInt as positive, runTs, sessionCookie } from "./kit.mjs";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "3000" },
    seats: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "50" },
    port: { type: "string", default: process.env.BENCH_PORT || "3199" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});
const positiveInt = (value, name) => positive("bench:rush", value, name);
const USERS = positiveInt(args.users, "--users");
const SEATS = positiveInt(args.seats, "--seats");
const CONCURRENCY = positiveInt(args.concurrency, "--concurrency");
const PORT = positiveInt(args.port, "--port");
const WARMUP = Math.min(200, USERS);
const AUTH_SECRET = "aqstream-bench-rush-secret-0123456789abcdef";
const bench = createBench({ label: "bench:rush", prefix: "aq_bench_rush", keep: args.keep, embedded: args.embedded });
const log = bench.log;
let server;

// ───────────────────────────── data ─────────────────────────────

async function seed(client) {
  const { rows: [owner] } = await client.query(
    `INSERT INTO users (id, email, first_name, last_name, email_verified, updated_at)
     VALUES (gen_random_uuid(), 'rush-owner@bench.aqstream.local', 'Организатор', 'Бенчмарка', true, now()) RETURNING id`,
  );
  await client.query("BEGIN");
  const { rows: [org] } = await client.query(
    `INSERT INTO organizations (id, owner_id, name, slug, updated_at) VALUES (gen_random_uuid(), $1, 'Rush bench', 'rush-bench', now()) RETURNING id`,
    [owner.id],
  );
  await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'OWNER')`, [org.id, owner.id]);
  await client.query("COMMIT");

  const event = async (slug, quantity) => {
    const { rows: [e] } = await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, timezone,
                           location_type, location_address, slug, published_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'Бенчмарк регистрации', 'PUBLISHED', now() + interval '7 days',
               now() + interval '7 days 3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', $4, now(), now()) RETURNING id`,
      [org.id, owner.id, `Rush ${slug}`, slug],
    );
    const { rows: [t] } = await client.query(
      `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, updated_at)
       VALUES (gen_random_uuid(), $1, 'Стандартный', 0, 'RUB', $2, now()) RETURNING id`,
      [e.id, quantity],
    );
    return { eventId: e.id, ticketTypeId: t.id, quantity };
  };

  const warmup = await event("rush-warmup", WARMUP);
  const main = await event("rush-main", SEATS);
  const ceiling = await event("rush-ceiling", SEATS);

  const { rows: users } = await client.query(
    `WITH u AS (
       INSERT INTO users (id, email, first_name, last_name, email_verified, locale, updated_at)
       SELECT gen_random_uuid(), 'rush-' || i || '@bench.aqstream.local', 'Участник', 'Номер ' || i, true,
              (CASE WHEN i % 2 = 0 THEN 'EN' ELSE 'RU' END)::"Locale", now()
         FROM generate_series(1, $1::int) AS i
       RETURNING id, email
     ), s AS (
       INSERT INTO user_sessions (id, user_id, user_agent, ip, created_at, last_seen_at, expires_at)
       SELECT gen_random_uuid(), u.id, 'bench:rush', '127.0.0.1', now(), now(), now() + interval '30 days' FROM u
       RETURNING id, user_id
     )
     SELECT u.id AS user_id, s.id AS session_id FROM u JOIN s ON s.user_id = u.id
      ORDER BY split_part(split_part(u.email, '@', 1), '-', 2)::int`,
    [USERS],
  );
  return { warmup, main, ceiling, users };
}

async function sessionCookies(users) {
  const out = [];
  for (const u of users) out.push(await sessionCookie(AUTH_SECRET, u.user_id, u.session_id, 30 * 24 * 60 * 60));
  return out;
}

// ───────────────────────────── server ─────────────────────────────

function processTree(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  const out = [];
  const visit = (pid) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(rootPid);
  return out;
}

function rssKb(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]);
    } catch {
      // gone
    }
  }
  return total;
}

function rssSampler(pid) {
  let peak = 0;
  let pids = processTree(pid);
  let ticks = 0;
  const timer = setInterval(() => {
    if (++ticks % 10 === 0) pids = processTree(pid); // re-read the tree once a second
    peak = Math.max(peak, rssKb(pids));
  }, 100);
  peak = rssKb(pids);
  return { stop: () => (clearInterval(timer), peak), peak: () => peak };
}

async function startServer(databaseUrl) {
  server = await bench.startServer({ port: PORT, databaseUrl, authSecret: AUTH_SECRET });
  return server.pid;
}

// ───────────────────────────── HTTP load ─────────────────────────────

const http = httpClient(PORT, { maxSockets: 1024 });
const post = (pathname, cookie, body, key) => http.request("POST", pathname, { cookie, body, headers: { "idempotency-key": key } });

async function rush({ event, cookies, concurrency, label }) {
  const url = `/api/v1/events/${event.eventId}/registrations`;
  const body = { ticketTypeId: event.ticketTypeId };
  const results = [];
  const statuses = new Map();
  const codes = new Map();
  let idempotencyFailures = 0;
  let firstConfirmedAt = Infinity;
  let lastConfirmedAt = 0;
  const record = (r) => {
    results.push(r);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const code = r.json?.ok ? r.json.registration.status : (r.json?.messageKey ?? r.json?.code ?? `HTTP ${r.status}`);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (r.status === 201 && !r.json?.registration?.replayed) {
      firstConfirmedAt = Math.min(firstConfirmedAt, r.at);
      lastConfirmedAt = Math.max(lastConfirmedAt, r.at);
    }
  };
  const tasks = [];
  cookies.forEach((cookie, i) => {
    const key = randomUUID();
    tasks.push(async () => {
      const r = await post(url, cookie, body, key);
      record(r);
      if ((i + 1) % 25 === 0) {
        // A retry of the same request (a lost response): must return the very same result.
        const again = await post(url, cookie, body, key);
        record(again);
        const same =
          r.status === 201
            ? again.status === 201 && again.json?.registration?.replayed === true && again.json.registration.registrationId === r.json.registration.registrationId
            : again.status === r.status || again.status === 201; // an error is not stored: a retry may decide anew
        if (!same) idempotencyFailures++;
      }
    });
    // Every 10th user double-submits (two tabs): another key, at the same moment.
    if ((i + 1) % 10 === 0) tasks.push(async () => record(await post(url, cookie, body, randomUUID())));
  });
  const started = performance.now();
  await pool(tasks, concurrency);
  const elapsed = (performance.now() - started) / 1000;
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  const won = results.filter((r) => r.status === 201 && !r.json?.registration?.replayed).map((r) => r.ms).sort((a, b) => a - b);
  const saleSeconds = won.length ? (lastConfirmedAt - started) / 1000 : NaN;
  return {
    label,
    requests: results.length,
    elapsed,
    confirmedResponses: won.length,
    registrationsPerSecond: won.length / saleSeconds,
    requestsPerSecond: results.length / elapsed,
    saleSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    wonP50: percentile(won, 50),
    wonP95: percentile(won, 95),
    statuses: Object.fromEntries([...statuses].sort()),
    outcomes: Object.fromEntries([...codes].sort()),
    idempotencyFailures,
    errors: results.filter((r) => r.status === 0 || r.status >= 500).length,
  };
}

/** GET `pathname` `requests` times, `concurrency` at a time, with the rush's client: req/s and latency. */
async function trivialRoute({ pathname, requests, concurrency }) {
  const results = [];
  const once = () => http.request("GET", pathname);
  const tasks = Array.from({ length: requests }, () => async () => results.push(await once()));
  const started = performance.now();
  await pool(tasks, concurrency);
  const elapsed = (performance.now() - started) / 1000;
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    requests: results.length,
    requestsPerSecond: results.length / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    errors: results.filter((r) => r.status !== 200).length,
  };
}

// ───────────────────────────── the database's ceiling ─────────────────────────────
// The transaction register() runs on its hot path for a signed-in user with an Idempotency-Key, built by
// the app's own code and sent straight over pg (scripts/bench/sale-ceiling.ts, run with tsx): so this
// measures exactly the SQL the app sends, without HTTP and request handling around it.

async function ceiling({ databaseUrl, event, users, concurrency }) {
  const input = path.join(os.tmpdir(), `aqstream-ceiling-${process.pid}.json`);
  fs.writeFileSync(input, JSON.stringify({ databaseUrl, eventId: event.eventId, ticketTypeId: event.ticketTypeId, userIds: users.map((u) => u.user_id), concurrency }));
  try {
    return await runTs("sale-ceiling.ts", [input], { ...process.env, NODE_ENV: "production", AUTH_SECRET, APP_URL: `http://localhost:${PORT}` }, "sale-ceiling.ts");
  } finally {
    fs.rmSync(input, { force: true });
  }
}

// ───────────────────────────── checks ─────────────────────────────

async function verify(client, event) {
  const { rows: [r] } = await client.query(
    `SELECT t.quantity, t.sold_count, t.reserved_count,
            (SELECT count(*)::int FROM registrations x WHERE x.ticket_type_id = t.id AND x.status IN ('CONFIRMED', 'CHECKED_IN')) AS confirmed_rows,
            (SELECT count(*)::int FROM registrations x WHERE x.ticket_type_id = t.id AND x.status IN ('RESERVED', 'PENDING')) AS held_rows,
            (SELECT count(*)::int FROM (
               SELECT user_id FROM registrations x
                WHERE x.event_id = t.event_id AND x.status IN ('RESERVED', 'PENDING', 'CONFIRMED', 'CHECKED_IN')
                GROUP BY user_id HAVING count(*) > 1) d) AS duplicates,
            (SELECT count(*)::int FROM notification_logs n JOIN registrations x ON n.dedupe_key = 'registration.confirmed:' || x.id
              WHERE x.ticket_type_id = t.id) AS tickets_queued
       FROM ticket_types t WHERE t.id = $1`,
    [event.ticketTypeId],
  );
  const active = r.confirmed_rows + r.held_rows;
  return {
    quantity: r.quantity,
    confirmed: r.confirmed_rows,
    soldCount: r.sold_count,
    oversold: Math.max(0, active - r.quantity, r.sold_count + r.reserved_count - r.quantity),
    countersMatch: r.sold_count === r.confirmed_rows && r.reserved_count === r.held_rows,
    duplicates: r.duplicates,
    ticketsQueued: r.tickets_queued,
  };
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const load = loadAverage;
  const databaseUrl = await bench.createDatabase();
  log(`users ${USERS}, seats ${SEATS}, concurrency ${CONCURRENCY}, cpus ${os.cpus().length}, load ${load()}`);
  if (!args["no-build"]) await bench.build(databaseUrl, AUTH_SECRET);

  const client = await bench.connect(databaseUrl);
  const data = await seed(client);
  const cookies = await sessionCookies(data.users);
  log(`seeded ${data.users.length} users with sessions; events: main ${data.main.eventId}, ceiling ${data.ceiling.eventId}`);

  const pid = await startServer(databaseUrl);
  log(`the server (pid ${pid}) answers on http://localhost:${PORT}`);

  // Warm-up: the first requests load the route's modules and open the pool's connections.
  const warm = await rush({ event: data.warmup, cookies: cookies.slice(0, WARMUP), concurrency: Math.min(10, CONCURRENCY), label: "warm-up" });
  log(`warm-up: ${warm.requests} requests, ${JSON.stringify(warm.outcomes)}`);
  await new Promise((r) => setTimeout(r, 1500));

  log(`measuring the database ceiling (plain pg, ${CONCURRENCY} connections, load ${load()})`);
  const ceil = await ceiling({ databaseUrl, event: data.ceiling, users: data.users, concurrency: CONCURRENCY });
  await new Promise((r) => setTimeout(r, 1500));

  const idleRssMb = rssKb(processTree(pid)) / 1024;
  log(`rush over HTTP (concurrency ${CONCURRENCY}, load ${load()}, server RSS before ${idleRssMb.toFixed(1)} MB)`);
  const sampler = rssSampler(pid);
  const app = await rush({ event: data.main, cookies, concurrency: CONCURRENCY, label: "app" });
  const peakRssMb = sampler.stop() / 1024;
  const peaks = describePeaks(await appProcesses(PORT, pid));
  await new Promise((r) => setTimeout(r, 1000));
  log(`trivial route GET /api/health/live on the same server (${app.requests} requests, concurrency ${CONCURRENCY}, load ${load()})`);
  const trivial = await trivialRoute({ pathname: "/api/health/live", requests: app.requests, concurrency: CONCURRENCY });
  const loadAfter = load();

  const check = await verify(client, data.main);
  const ceilCheck = await verify(client, data.ceiling);
  await client.end();

  const ratio = app.registrationsPerSecond / ceil.registrationsPerSecond;
  const lines = [
    "",
    "── rush benchmark ─────────────────────────────────────────────",
    `machine           ${os.cpus().length} CPUs, load average after the run ${loadAfter}`,
    `database          ${bench.databaseKind === "embedded" ? "the embedded PostgreSQL (npm start's, --embedded)" : "PostgreSQL server " + bench.adminUrl.replace(/^.*@/, "").replace(/\/[^/]*$/, "")}`,
    `workload          ${USERS} users, ${SEATS} seats (free), concurrency ${CONCURRENCY}; ${app.requests} requests`,
    `                  (every 10th user double-submits with another key, every 25th retries with the same key)`,
    `confirmed         ${check.confirmed} of ${check.quantity} seats (sold_count ${check.soldCount}, counters ${check.countersMatch ? "match rows" : "DO NOT MATCH rows"}, tickets queued ${check.ticketsQueued})`,
    `oversold          ${check.oversold}`,
    `duplicates        ${check.duplicates}`,
    `idempotency       ${app.idempotencyFailures === 0 ? "every retry returned the first result" : `${app.idempotencyFailures} retries did NOT return the first result`}`,
    `outcomes          ${JSON.stringify(app.outcomes)}  HTTP ${JSON.stringify(app.statuses)}`,
    `registrations/s   ${fmt(app.registrationsPerSecond)}  (${app.confirmedResponses} confirmed in ${fmt(app.saleSeconds, 2)} s, until the last seat)`,
    `requests/s        ${fmt(app.requestsPerSecond)}  (${app.requests} answered in ${fmt(app.elapsed, 2)} s)`,
    `latency (all)     p50 ${fmt(app.p50)} ms, p95 ${fmt(app.p95)} ms, p99 ${fmt(app.p99)} ms, max ${fmt(app.max)} ms`,
    `latency (sales)   p50 ${fmt(app.wonP50)} ms, p95 ${fmt(app.wonP95)} ms`,
    `server            ${serverMode() === "single" ? "one all-in-one process (BENCH_SERVER=single)" : "npm start's supervisor: web processes + worker (scripts/cluster.mjs)"}`,
    `peak RSS          ${peaks.text}`,
    `                  largest web process ${fmt(peaks.maxWebPeakMb)} MB; whole tree ${fmt(peakRssMb)} MB during the rush (${fmt(idleRssMb)} MB before)`,
    `trivial route     GET /api/health/live: ${fmt(trivial.requestsPerSecond)} requests/s, p50 ${fmt(trivial.p50)} ms, p95 ${fmt(trivial.p95)} ms (${trivial.requests} requests, ${trivial.errors} not 200)`,
    `rush/trivial      ${fmt(app.requestsPerSecond / trivial.requestsPerSecond, 2)} (requests/s of the rush ÷ requests/s of the trivial route, same server, client and concurrency)`,
    `db ceiling        ${fmt(ceil.registrationsPerSecond)} registrations/s (${ceil.confirmed} confirmed in ${fmt(ceil.saleSeconds, 2)} s; ${ceil.soldOut} sold out; p50 ${fmt(ceil.p50)} ms, p95 ${fmt(ceil.p95)} ms; oversold ${ceilCheck.oversold})`,
    `app/ceiling       ${fmt(ratio, 2)}`,
    `targets           app/ceiling ≥ 0.8: ${ratio >= 0.8 ? "met" : "NOT met"}; p95 ≤ 300 ms: ${app.p95 <= 300 ? "met" : "NOT met"}; peak RSS per web process ≤ 350 MB: ${peaks.maxWebPeakMb <= 350 ? "met" : "NOT met"}`,
    "───────────────────────────────────────────────────────────────",
  ];
  console.log(lines.join("\n"));

  const failures = [];
  if (check.oversold !== 0 || ceilCheck.oversold !== 0) failures.push("oversold");
  if (check.duplicates !== 0) failures.push("duplicates");
  if (!check.countersMatch) failures.push("counters do not match the rows");
  if (app.idempotencyFailures !== 0) failures.push("idempotent retries");
  if (app.errors !== 0) failures.push(`${app.errors} server errors / failed connections`);
  if (trivial.errors !== 0) failures.push(`${trivial.errors} trivial-route requests not answered 200`);
  if (check.confirmed !== Math.min(SEATS, USERS)) failures.push(`expected ${Math.min(SEATS, USERS)} confirmed, got ${check.confirmed}`);
  return failures;
}

bench.finish(main);
