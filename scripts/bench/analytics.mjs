#!/usr/bin/env node
// npm run bench:analytics — the analytics views and exports on a big platform (issue 16,
// docs/analytics.md → "Benchmark"). A benchmark, not a test: it prints figures and fails only on a
// correctness breach (generated counts off target, a view that disagrees with the tables, an export
// with the wrong number of rows).
//
//   1. creates a fresh database aq_bench_analytics_<ms>_<pid> (scripts/bench/kit.mjs; --embedded for the
//      embedded PostgreSQL) and migrates it — the analytics rollup triggers are installed before any row;
//   2. generates the data in SQL (scripts/bench/analytics-data.mjs: a few large INSERT … SELECT …
//      generate_series statements; the rollup triggers fire on every one of them, no backfill):
//      200 events, 1,000,000 registrations (one event with 100,000), 300,000 check-ins, payments and
//      refunds, waitlists, promo codes, 5,000,000 page views as daily counts; prints each step's time;
//   3. the views, through the app's services (scripts/bench/analytics-measure.ts, one process):
//      eventAnalytics on the 100k event and on a typical (median-sized) event, organizationAnalytics of the
//      big organization over 30 and 365 days, platformAnalytics over 30 and 365 days — `--warmup` calls,
//      then `--iterations` timed calls each, one at a time: p50 / p95 / max; the big event's figures are
//      compared with counts taken straight from the tables;
//   4. the exports of the 100k event, each in a fresh process (so its memory is the export's own):
//      exportEventXlsx and the four CSVs read to the end as a client would — time, bytes, peak RSS;
//   5. a summary against the targets (every view p95 ≤ 300 ms; the XLSX ≤ 15 s, streamed), drops the database.
//
// Options: --scale F (0.1 for a quick run; default 1 = the issue's sizes) --iterations N (30) --warmup N (3)
// --embedded --keep (keep the database) --no-exports --data-only (generate and check the counts, measure nothing)
// --reuse <database> (measure again on a database kept by an earlier --keep run of the same --scale).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { EVENTS, generate, idsFor, sizesFor } from "./analytics-data.mjs";
import { createBench, fmt, loadAverage, positiveInt as positive, runTs, withDatabase } from "./kit.mjs";

const LABEL = "bench:analytics";
const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    iterations: { type: "string", default: "30" },
    warmup: { type: "string", default: "3" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-exports": { type: "boolean", default: false },
    "data-only": { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const SCALE = Number(args.scale);
if (!Number.isFinite(SCALE) || SCALE <= 0 || SCALE > 2) {
  console.error(`[${LABEL}] --scale must be a number in (0, 2]`);
  process.exit(2);
}
const ITERATIONS = positive(LABEL, args.iterations, "--iterations");
const WARMUP = positive(LABEL, args.warmup, "--warmup");
const SIZES = sizesFor(SCALE);
const TARGETS = { viewP95Ms: 300, xlsxMs: 15_000 };
const EXPORTS = [
  { format: "xlsx", dataset: "registrations", name: "event.xlsx (4 sheets)" },
  { format: "csv", dataset: "registrations", name: "registrations.csv" },
  { format: "csv", dataset: "payments", name: "payments.csv" },
  { format: "csv", dataset: "check-ins", name: "check-ins.csv" },
  { format: "csv", dataset: "waitlist", name: "waitlist.csv" },
];

const bench = createBench({ label: LABEL, prefix: "aq_bench_analytics", keep: args.keep, embedded: args.embedded });
const log = bench.log;
const ms = (v) => `${fmt(v)} ms`;
const mb = (bytes) => (bytes == null ? "n/a" : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const n = (v) => Number(v).toLocaleString("en");

async function measure(input) {
  const file = path.join(os.tmpdir(), `aq-bench-analytics-${process.pid}-${input.mode}.json`);
  fs.writeFileSync(file, JSON.stringify(input));
  // An export's process may force collections (its live-heap probe); the views' process never does.
  const nodeOptions = input.mode === "export" ? `${process.env.NODE_OPTIONS ?? ""} --expose-gc`.trim() : process.env.NODE_OPTIONS;
  try {
    return await runTs("analytics-measure.ts", [file], { ...process.env, NODE_ENV: "production", NODE_OPTIONS: nodeOptions }, `analytics-measure.ts (${input.mode})`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** What the tables say about one event, by the definitions of docs/analytics.md. */
async function tableFigures(client, eventId) {
  const { rows: statuses } = await client.query(`SELECT status::text, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY status`, [eventId]);
  const { rows: [counts] } = await client.query(
    `SELECT (SELECT count(*)::int FROM registrations WHERE event_id = $1) AS started,
            (SELECT count(*)::int FROM registrations WHERE event_id = $1 AND confirmed_at IS NOT NULL) AS confirmed,
            (SELECT count(*)::int FROM check_ins WHERE event_id = $1) AS checked_in,
            (SELECT coalesce(sum(count), 0)::int FROM analytics_page_views WHERE event_id = $1 AND step = 'VIEW') AS views,
            (SELECT coalesce(sum(count), 0)::int FROM analytics_page_views WHERE event_id = $1 AND step = 'FORM_OPEN') AS form_opens,
            (SELECT count(*)::int FROM waitlist_entries WHERE event_id = $1) AS waitlist`,
    [eventId],
  );
  const { rows: money } = await client.query(
    `SELECT p.currency::text,
            sum(p.amount_cents) FILTER (WHERE p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED'))::bigint AS gross,
            count(*) FILTER (WHERE p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED'))::int AS payments,
            coalesce((SELECT sum(f.amount_cents) FROM refunds f JOIN payments q ON q.id = f.payment_id JOIN registrations s ON s.id = q.registration_id
                       WHERE s.event_id = $1 AND q.currency = p.currency AND f.status = 'COMPLETED'), 0)::bigint AS refunded
       FROM payments p JOIN registrations r ON r.id = p.registration_id
      WHERE r.event_id = $1 GROUP BY p.currency`,
    [eventId],
  );
  return { statuses: Object.fromEntries(statuses.map((r) => [r.status, r.n])), ...counts, money };
}

/** The view's figures against the tables' (exact by design; page views are exact here: nothing is in flight). */
function compare(view, table) {
  const problems = [];
  const eq = (what, a, b) => {
    if (Number(a) !== Number(b)) problems.push(`${what}: view ${a}, tables ${b}`);
  };
  for (const status of ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN", "CANCELLED", "EXPIRED"]) eq(`status ${status}`, view.statusTotals?.[status] ?? 0, table.statuses[status] ?? 0);
  eq("funnel.started", view.funnel?.started, table.started);
  eq("funnel.confirmed", view.funnel?.confirmed, table.confirmed);
  eq("funnel.checkedIn", view.funnel?.checkedIn, table.checked_in);
  eq("checkIn.checkedIn", view.checkIn?.checkedIn, table.checked_in);
  eq("funnel.views", view.funnel?.views, table.views);
  eq("funnel.formOpens", view.funnel?.formOpens, table.form_opens);
  eq("waitlist.total", view.waitlist?.total, table.waitlist);
  for (const m of table.money) {
    const v = view.revenue?.find((r) => r.currency === m.currency);
    eq(`revenue ${m.currency} gross`, v?.grossCents ?? 0, m.gross ?? 0);
    eq(`revenue ${m.currency} refunded`, v?.refundedCents ?? 0, m.refunded);
    eq(`revenue ${m.currency} payments`, v?.payments ?? 0, m.payments);
  }
  return problems;
}

async function main() {
  const failures = [];
  log(`scale ${SCALE}: ${EVENTS} events, ${n(SIZES.registrations)} registrations (one event with ${n(SIZES.bigEvent)}), ${n(SIZES.checkIns)} check-ins, ${n(SIZES.pageViews)} page views, ${n(SIZES.users)} users`);
  log(`host ${os.hostname()}, ${os.cpus().length} CPU, load avg ${loadAverage()} (1/5/15 min) at the start`);
  let databaseUrl;
  let client;
  if (args.reuse) {
    // A database kept by an earlier run (--keep) of the same --scale: measured again, not generated
    // (e.g. after merging a faster export); it is kept again afterwards.
    const pg = (await import("pg")).default;
    databaseUrl = withDatabase(process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres", args.reuse);
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    log(`reusing database ${args.reuse} (generated by an earlier run; nothing generated now)`);
  } else {
    databaseUrl = await bench.createDatabase();
    client = await bench.connect(databaseUrl);
  }
  let ids;
  let generationMs = NaN;
  try {
    // The rollups are kept by statement-level triggers with transition tables (docs/analytics.md):
    // installed by the migration, they fire on every statement of the generator below.
    const { rows: triggers } = await client.query(
      `SELECT tgrelid::regclass::text AS tbl, count(*)::int AS n FROM pg_trigger
        WHERE NOT tgisinternal AND (tgnewtable IS NOT NULL OR tgoldtable IS NOT NULL) GROUP BY 1 ORDER BY 1`,
    );
    const { rows: migration } = await client.query(`SELECT migration_name FROM _prisma_migrations WHERE migration_name LIKE '%analytics_rollups%'`);
    log(`rollup migration: ${migration[0]?.migration_name ?? "none (the rollups branch has no migration yet: the views read the base tables)"}; ` +
      `statement-level triggers with transition tables: ${triggers.map((t) => `${t.tbl} ${t.n}`).join(", ") || "none"}`);
    if (args.reuse) {
      ids = await idsFor(client, SIZES);
    } else {
      const started = performance.now();
      ids = await generate(client, SIZES, (label, stepMs, rows) => log(`  ${label}: ${(stepMs / 1000).toFixed(1)} s${rows !== "" && rows !== undefined ? ` (${typeof rows === "number" ? n(rows) : rows})` : ""}`));
      generationMs = performance.now() - started;
      log(`generated in ${(generationMs / 1000).toFixed(1)} s${triggers.length ? " (the rollup triggers fired on every statement; no backfill)" : ""}`);
    }

    const { rows: [totals] } = await client.query(
      `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM registrations)::int AS registrations,
              (SELECT count(*) FROM check_ins)::int AS check_ins, (SELECT coalesce(sum(count), 0) FROM analytics_page_views)::bigint AS page_views,
              (SELECT count(*) FROM analytics_page_views)::int AS page_view_rows, (SELECT count(*) FROM payments)::int AS payments,
              (SELECT count(*) FROM refunds)::int AS refunds, (SELECT count(*) FROM waitlist_entries)::int AS waitlist,
              (SELECT count(*) FROM registrations WHERE event_id = $1)::int AS big_event,
              pg_size_pretty(pg_database_size(current_database())) AS size`,
      [ids.bigEventId],
    );
    log(`rows: ${n(totals.events)} events, ${n(totals.registrations)} registrations (the big event ${n(totals.big_event)}), ${n(totals.check_ins)} check-ins, ` +
      `${n(totals.payments)} payments, ${n(totals.refunds)} refunds, ${n(totals.waitlist)} waitlist entries, ${n(totals.page_views)} page views in ${n(totals.page_view_rows)} rows; database ${totals.size}`);
    const want = { events: EVENTS, registrations: SIZES.registrations, check_ins: SIZES.checkIns, page_views: SIZES.pageViews, big_event: SIZES.bigEvent };
    for (const [key, value] of Object.entries(want)) if (Number(totals[key]) !== value) failures.push(`generated ${key} ${totals[key]} ≠ ${value}`);
  } catch (error) {
    await client.end();
    throw error;
  }
  if (failures.length || args["data-only"]) {
    await client.end();
    return failures;
  }

  // ── views ──
  const loadBefore = loadAverage();
  const viewsStarted = performance.now();
  const viewsOut = await measure({ mode: "views", databaseUrl, ...ids, iterations: ITERATIONS, warmup: WARMUP });
  const loadAfterViews = loadAverage();
  log(`views measured in ${((performance.now() - viewsStarted) / 1000).toFixed(1)} s`);
  const big = viewsOut.firsts["eventAnalytics, the big event"];
  const problems = compare(big, await tableFigures(client, ids.bigEventId));
  const typical = viewsOut.firsts["eventAnalytics, a typical event"];
  problems.push(...compare(typical, await tableFigures(client, ids.typicalEventId)).map((p) => `typical event ${p}`));
  await client.end();
  if (problems.length) failures.push(`views disagree with the tables: ${problems.join("; ")}`);

  // ── exports ──
  const exports = [];
  if (!args["no-exports"]) {
    for (const e of EXPORTS) {
      const out = await measure({ mode: "export", databaseUrl, ownerId: ids.ownerId, eventId: ids.bigEventId, format: e.format, dataset: e.dataset });
      exports.push({ ...e, ...out });
      log(`  export ${e.name}: ${(out.ms / 1000).toFixed(2)} s, ${mb(out.bytes)}`);
    }
  }
  const loadAfter = loadAverage();

  // ── report ──
  const rowsOf = { registrations: SIZES.bigEvent };
  log("");
  log(`bench:analytics — scale ${SCALE}; host ${os.cpus().length} CPU; database: ${args.reuse ? `${args.reuse} (reused)` : bench.databaseKind}; generation ${args.reuse ? "(earlier run)" : `${(generationMs / 1000).toFixed(1)} s`}`);
  log(`load avg (1/5/15 min): before the views ${loadBefore}; after the views ${loadAfterViews}; after the exports ${loadAfter}`);
  log(`the big event: ${n(big.funnel.started)} registrations, ${n(big.checkIn.checkedIn)} checked in, ${n(big.funnel.views)} views; typical event: ` +
    `${n(ids.typical.registrations)} registrations (event ${ids.typical.e}, ${ids.typical.started ? "past" : "on sale"})`);
  log("");
  log(`views (${WARMUP} warm-up calls, then ${ITERATIONS} timed calls each, one at a time):`);
  log(`  ${"view".padEnd(36)} ${"p50".padStart(10)} ${"p95".padStart(10)} ${"max".padStart(10)}`);
  for (const r of viewsOut.results) log(`  ${r.name.padEnd(36)} ${ms(r.p50).padStart(10)} ${ms(r.p95).padStart(10)} ${ms(r.max).padStart(10)}`);
  if (exports.length) {
    log("");
    log(`exports of the ${n(rowsOf.registrations)}-registration event, each in a fresh process, read to the end as a client would (RSS: before the export, peak while`);
    log("each quarter of the file was written, growth = peak − before; VmHWM = the process's own high-water mark; live heap = heapUsed");
    log("after a full GC at the start, every 5 s and at the end — the memory the export really holds):");
    log(`  ${"file".padEnd(22)} ${"time".padStart(8)} ${"1st byte".padStart(10)} ${"size".padStart(8)} ${"lines".padStart(8)} ${"RSS before".padStart(10)}  ${"RSS peak by quarter of the file".padEnd(35)} ${"growth".padStart(8)} ${"VmHWM".padStart(9)}`);
    for (const e of exports) {
      log(`  ${e.name.padEnd(22)} ${`${(e.ms / 1000).toFixed(2)} s`.padStart(8)} ${ms(e.firstByteMs ?? NaN).padStart(10)} ${mb(e.bytes).padStart(8)} ${(e.format === "csv" ? n(e.lines) : "-").padStart(8)} ` +
        `${mb(e.baselineRss).padStart(10)}  ${e.quarters.map((q) => (q ? mb(q) : "-").padStart(8)).join(" ").padEnd(35)} ${mb(e.peakRss - e.baselineRss).padStart(8)} ${mb(e.hwm).padStart(9)}`);
      log(`  ${"".padEnd(22)} this process's CPU time ${(e.cpuMs / 1000).toFixed(2)} s of ${(e.ms / 1000).toFixed(2)} s (the rest: waiting on PostgreSQL or the machine)`);
      log(`  ${"".padEnd(22)} live heap every 5 s: ${e.live.map((v) => (v / 1024 / 1024).toFixed(1)).join(" → ")} MB (start ${mb(e.liveStart)}, max ${mb(e.liveMax)}, end ${mb(e.liveEnd)})`);
      if (e.format === "xlsx" && e.signature !== "504b0304") failures.push(`${e.name} is not a zip (starts ${e.signature})`);
      if (e.format === "csv" && e.dataset === "registrations" && e.lines !== SIZES.bigEvent + 1) failures.push(`${e.name}: ${e.lines} lines for ${SIZES.bigEvent} registrations + a header`);
    }
  }
  log("");
  log("summary:");
  for (const r of viewsOut.results) {
    log(`  ${`${r.name} p95`.padEnd(52)} ${ms(r.p95).padStart(10)}    target ≤ ${TARGETS.viewP95Ms} ms  ${r.p95 <= TARGETS.viewP95Ms ? "PASS" : "MISS"}`);
  }
  const xlsx = exports.find((e) => e.format === "xlsx");
  if (xlsx) {
    log(`  ${`XLSX of ${n(SIZES.bigEvent)} registrations (4 sheets)`.padEnd(52)} ${`${(xlsx.ms / 1000).toFixed(2)} s`.padStart(10)}    target ≤ ${TARGETS.xlsxMs / 1000} s    ${xlsx.ms <= TARGETS.xlsxMs ? "PASS" : "MISS"}`);
    // Streamed = (1) the output is not held: the first bytes leave within the first tenth of the time
    // (a writer that zips into memory sends nothing until the end); (2) the rows are not held: the live
    // heap (after a full GC) never grows by as much as the data's plain text — the four CSVs of the same
    // datasets, measured just above — which any in-memory copy of the rows would take at least.
    // RSS alone cannot say it: V8 lets garbage pile up before it collects.
    const plainBytes = exports.filter((e) => e.format === "csv").reduce((sum, e) => sum + e.bytes, 0);
    const liveGrowth = xlsx.liveMax - xlsx.liveStart;
    const early = xlsx.firstByteMs <= xlsx.ms / 10;
    const flat = xlsx.gcProbes > 0 && plainBytes > 0 && liveGrowth < plainBytes;
    log(`  ${"XLSX streamed: first byte within 10 % of the time".padEnd(52)} ${ms(xlsx.firstByteMs).padStart(10)} of ${`${(xlsx.ms / 1000).toFixed(2)} s`.padEnd(9)} ${early ? "PASS" : "MISS"}`);
    log(`  ${"XLSX streamed: live-heap growth < the data as CSV".padEnd(52)} ${mb(liveGrowth).padStart(10)} < ${mb(plainBytes).padEnd(12)} ${flat ? "PASS" : "MISS"}`);
  }
  if (SCALE !== 1) log(`  (scale ${SCALE}: the targets are for scale 1)`);
  return failures;
}

bench.finish(main);
