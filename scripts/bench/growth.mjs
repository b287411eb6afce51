#!/usr/bin/env node
// npm run bench:growth — one event with many registrations (docs/check-in.md "The list: compact,
// compressed, incremental", docs/registrations.md "Search at scale"). A benchmark, not a test: it prints
// figures and fails only on a correctness breach (an incremental download that misses a change).
//
//   1. creates a fresh database aq_bench_growth_<timestamp>_<pid> on BENCH_DATABASE_URL / TEST_DATABASE_URL
//      (default postgresql://postgres@127.0.0.1:5432/postgres) and migrates it (prisma migrate deploy);
//   2. creates an organization, its owner (with a session), a PUBLISHED event that has started, three
//      ticket types and --registrations (100,000) registrations in one statement
//      (scripts/bench/bulk-registrations.mjs: every 20th CANCELLED), then ANALYZE;
//   3. the search: --queries (a name fragment, a Latin name, an email fragment, a code) through the app's
//      services (scripts/bench/growth-search.ts: the organizer's list page calls and the door's search),
//      p50/p95 over --iterations, with the plan; then the same without the trigram indexes (dropped)
//      — the "before" of the same run;
//   4. builds the app when .next is missing or stale and starts the production server (scripts/server.mjs,
//      as npm start, with its compression) on --port (BENCH_PORT, default 3195);
//   5. the scanner's list, as the owner: format 1 (the list before format 2) and format 2 in full —
//      bytes on the wire uncompressed, gzip and br, time to the last byte — and what each column costs;
//      then --changes (100) changes (check-ins through the scan API, cancellations, new registrations),
//      the incremental download since the cursor (bytes, time, rows; every change must be in it) and
//      the same request again with If-None-Match (304 once nothing changes);
//   6. drops the database and stops the server.
//
// Options: --registrations N --changes N --iterations N --port N --embedded (the embedded PostgreSQL npm
// start runs, scripts/bench/database.mjs) --keep (keep the database) --no-build --no-server (search only).
// A short smoke run: npm run bench:growth -- --registrations 5000 --iterations 5
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import { insertBulkRegistrations } from "./bulk-registrations.mjs";
import { createBench, httpClient, positiveInt as positive, runTs, sessionCookie as cookieFor } from "./kit.mjs";

const { values: args } = parseArgs({
  options: {
    registrations: { type: "string", default: "100000" },
    changes: { type: "string", default: "100" },
    iterations: { type: "string", default: "30" },
    port: { type: "string", default: process.env.BENCH_PORT || "3195" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "no-server": { type: "boolean", default: false },
  },
});
const positiveInt = (value, name) => positive("bench:growth", value, name);
const REGISTRATIONS = positiveInt(args.registrations, "--registrations");
const CHANGES = positiveInt(args.changes, "--changes");
const ITERATIONS = positiveInt(args.iterations, "--iterations");
const PORT = positiveInt(args.port, "--port");
const AUTH_SECRET = "aqstream-bench-growth-secret-0123456789abcdef";
const TARGETS = { searchP95Ms: 150 };
const TRIGRAM_INDEXES = ["registrations_search_text_trgm_idx", "registrations_confirmation_code_trgm_idx"];

const bench = createBench({ label: "bench:growth", prefix: "aq_bench_growth", keep: args.keep, embedded: args.embedded });
const log = bench.log;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (v) => `${v.toFixed(1)} ms`;

// ───────────────────────────── data ─────────────────────────────

async function seed(client) {
  const { rows: [owner] } = await client.query(
    `INSERT INTO users (id, email, first_name, last_name, email_verified, updated_at)
     VALUES (gen_random_uuid(), 'growth-owner@bench.aqstream.local', 'Организатор', 'Роста', true, now()) RETURNING id`,
  );
  await client.query("BEGIN");
  const { rows: [org] } = await client.query(
    `INSERT INTO organizations (id, owner_id, name, slug, updated_at) VALUES (gen_random_uuid(), $1, 'Growth bench', 'growth-bench', now()) RETURNING id, slug`,
    [owner.id],
  );
  await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'OWNER')`, [org.id, owner.id]);
  await client.query("COMMIT");
  const { rows: [event] } = await client.query(
    `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, timezone,
                         location_type, location_address, slug, published_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'Growth', 'Бенчмарк роста', 'PUBLISHED', now() - interval '30 minutes',
             now() + interval '3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', 'growth', now() - interval '30 days', now()) RETURNING id`,
    [org.id, owner.id],
  );
  const { rows: types } = await client.query(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, sort_order, updated_at)
     SELECT gen_random_uuid(), $1, n.name, 0, 'RUB', NULL, n.i, now()
       FROM unnest(ARRAY['Стандарт', 'VIP', 'Студенческий']) WITH ORDINALITY AS n(name, i)
     RETURNING id`,
    [event.id],
  );
  const started = performance.now();
  await insertBulkRegistrations(client, { organizationId: org.id, eventId: event.id, ticketTypeIds: types.map((t) => t.id), count: REGISTRATIONS });
  const insertMs = performance.now() - started;
  await client.query("ANALYZE");
  const { rows: [session] } = await client.query(
    `INSERT INTO user_sessions (id, user_id, user_agent, ip, created_at, last_seen_at, expires_at)
     VALUES (gen_random_uuid(), $1, 'bench:growth', '127.0.0.1', now(), now(), now() + interval '30 days') RETURNING id`,
    [owner.id],
  );
  const { rows: [sample] } = await client.query(
    `SELECT confirmation_code, email FROM registrations WHERE event_id = $1 ORDER BY created_at LIMIT 1 OFFSET $2`,
    [event.id, Math.floor(REGISTRATIONS / 2)],
  );
  return { ownerId: owner.id, organizationId: org.id, organizationSlug: org.slug, eventId: event.id, ticketTypeIds: types.map((t) => t.id), sessionId: session.id, sample, insertMs };
}

const sessionCookie = (userId, sessionId) => cookieFor(AUTH_SECRET, userId, sessionId);

// ───────────────────────────── search ─────────────────────────────

async function measureSearch(databaseUrl, data, queries) {
  const input = path.join(os.tmpdir(), `aq-bench-growth-${process.pid}.json`);
  fs.writeFileSync(input, JSON.stringify({ databaseUrl, ownerId: data.ownerId, organizationSlug: data.organizationSlug, eventId: data.eventId, queries, iterations: ITERATIONS }));
  try {
    return (await runTs("growth-search.ts", [input], { ...process.env, NODE_ENV: "production" }, "growth-search.ts")).results;
  } finally {
    fs.rmSync(input, { force: true });
  }
}

function printSearch(label, results) {
  log(label);
  for (const r of results) {
    log(
      `  ${JSON.stringify(r.q).padEnd(26)} ${String(r.total).padStart(6)} rows  organizer p50 ${ms(r.organizer.p50).padStart(9)} p95 ${ms(r.organizer.p95).padStart(9)}` +
        `   door p50 ${ms(r.door.p50).padStart(9)} p95 ${ms(r.door.p95).padStart(9)}   plan: ${r.plan.join("; ")}`,
    );
  }
}

// ───────────────────────────── server + HTTP ─────────────────────────────

const { request: send } = httpClient(PORT, { maxSockets: 16 });

/** One request; `bytes` is what came over the wire (compressed when the server compressed); a failed connection throws. */
async function request(method, pathname, options = {}) {
  const r = await send(method, pathname, options);
  if (r.status === 0) throw new Error(`${method} ${pathname}: ${r.json?.error}`);
  return r;
}

async function median(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await fn());
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return { ...sorted[Math.floor(sorted.length / 2)], runs: runs.length };
}

function columnCosts(manifest) {
  const costs = [];
  for (const [key, value] of Object.entries(manifest.rows)) {
    const json = Buffer.from(JSON.stringify(value));
    costs.push({ field: `rows.${key}`, raw: json.length, gzip: zlib.gzipSync(json).length, br: zlib.brotliCompressSync(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }).length });
  }
  const { rows: _rows, ...head } = manifest;
  const json = Buffer.from(JSON.stringify(head));
  costs.push({ field: "(the rest: event, key, counters, tables)", raw: json.length, gzip: zlib.gzipSync(json).length, br: zlib.brotliCompressSync(json).length });
  return costs;
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const databaseUrl = await bench.createDatabase();
  const client = await bench.connect(databaseUrl);
  try {
    const data = await seed(client);
    log(`seeded one event with ${REGISTRATIONS.toLocaleString("en")} registrations in ${ms(data.insertMs)} (one INSERT … generate_series, with the indexes and triggers)`);

    // ── search ──
    const queries = ["иван", "smith", data.sample.email.slice(0, 9), data.sample.confirmation_code.slice(0, 6)];
    const after = await measureSearch(databaseUrl, data, queries);
    for (const name of TRIGRAM_INDEXES) await client.query(`DROP INDEX IF EXISTS "${name}"`);
    await client.query("ANALYZE registrations");
    const before = await measureSearch(databaseUrl, data, queries);
    for (const name of TRIGRAM_INDEXES) await client.query(`DROP INDEX IF EXISTS "${name}"`); // (already gone; the database is thrown away)

    if (!args["no-server"]) await measureManifest(client, databaseUrl, data);

    log("");
    log(`host ${os.hostname()} ${os.cpus().length} CPU, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, database: ${bench.databaseKind}`);
    printSearch(`search, ${ITERATIONS} runs per query — with the trigram indexes:`, after);
    printSearch("search — the same queries without the trigram indexes (before):", before);
    const worst = Math.max(...after.map((r) => Math.max(r.organizer.p95, r.door.p95)));
    log(`search target: p95 ≤ ${TARGETS.searchP95Ms} ms → worst p95 ${ms(worst)}: ${worst <= TARGETS.searchP95Ms ? "met" : "MISSED"}`);
  } finally {
    await client.end();
  }
}

async function measureManifest(client, databaseUrl, data) {
  if (!args["no-build"]) await bench.build(databaseUrl, AUTH_SECRET);
  log(`starting scripts/server.mjs on port ${PORT}`);
  await bench.startServer({ port: PORT, databaseUrl, authSecret: AUTH_SECRET, mode: "single" });
  const cookie = await sessionCookie(data.ownerId, data.sessionId);
  const base = `/api/check-in/${data.eventId}/manifest`;
  const v2 = `${base}?format=2`;

  const warm = await request("GET", v2, { cookie, encoding: "br" });
  if (warm.status !== 200 || warm.json?.rows?.id?.length !== REGISTRATIONS) throw new Error(`the list: HTTP ${warm.status}, ${warm.json?.rows?.id?.length} rows`);
  const v1 = await median(3, () => request("GET", base, { cookie }));
  const v1gzip = await median(3, () => request("GET", base, { cookie, encoding: "gzip" }));
  const identity = await median(3, () => request("GET", v2, { cookie }));
  const gzip = await median(3, () => request("GET", v2, { cookie, encoding: "gzip" }));
  const br = await median(3, () => request("GET", v2, { cookie, encoding: "br" }));
  const cursor = br.json.cursor;
  const costs = columnCosts(br.json);

  // ── changes: check-ins through the API, cancellations and new registrations in SQL ──
  const checkIns = Math.round(CHANGES * 0.8);
  const cancels = Math.round(CHANGES * 0.1);
  const added = CHANGES - checkIns - cancels;
  const { rows: confirmed } = await client.query(
    `SELECT id FROM registrations WHERE event_id = $1 AND status = 'CONFIRMED' ORDER BY random() LIMIT $2`,
    [data.eventId, checkIns + cancels],
  );
  const changed = new Set();
  for (const { id } of confirmed.slice(0, checkIns)) {
    const r = await request("POST", `/api/check-in/${data.eventId}/scan`, { cookie, body: { nonce: `growth-${randomUUID()}`, method: "MANUAL", registrationId: id } });
    if (r.json?.result !== "valid") throw new Error(`check-in of ${id}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    changed.add(id);
  }
  const cancelIds = confirmed.slice(checkIns).map((r) => r.id);
  await client.query(`UPDATE registrations SET status = 'CANCELLED', cancelled_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`, [cancelIds]);
  cancelIds.forEach((id) => changed.add(id));
  if (added > 0) {
    await insertBulkRegistrations(client, { organizationId: data.organizationId, eventId: data.eventId, ticketTypeIds: data.ticketTypeIds, count: added, offset: 10_000_000 });
    const emails = Array.from({ length: added }, (_, i) => `guest${10_000_000 + i + 1}@example.test`);
    const { rows } = await client.query(`SELECT id FROM registrations WHERE event_id = $1 AND email = ANY($2::text[])`, [data.eventId, emails]);
    if (rows.length !== added) throw new Error(`expected ${added} new registrations, found ${rows.length}`);
    rows.forEach((r) => changed.add(r.id));
  }

  const since = await median(3, () => request("GET", `${v2}&since=${cursor}`, { cookie, encoding: "br" }));
  const missing = [...changed].filter((id) => !since.json.rows.id.includes(id));
  if (missing.length) throw new Error(`the incremental list misses ${missing.length} of ${changed.size} changed registrations`);
  // Until nothing changes: the first answer after a change still differs from the one before.
  const settle = await request("GET", `${v2}&since=${since.json.cursor}`, { cookie, encoding: "br" });
  const notModified = await median(5, () =>
    request("GET", `${v2}&since=${since.json.cursor}`, { cookie, encoding: "br", headers: { "if-none-match": settle.headers.etag } }),
  );
  if (notModified.status !== 304) throw new Error(`If-None-Match with an unchanged list answered HTTP ${notModified.status}`);

  log("");
  log(`the scanner's list, one event with ${REGISTRATIONS.toLocaleString("en")} registrations (median of 3, time to the last byte):`);
  log(`  format 1 (before)       ${kb(v1.bytes).padStart(12)} uncompressed ${ms(v1.ms).padStart(10)}   gzip ${kb(v1gzip.bytes).padStart(10)} ${ms(v1gzip.ms).padStart(10)}`);
  log(`  format 2, full          ${kb(identity.bytes).padStart(12)} uncompressed ${ms(identity.ms).padStart(10)}   gzip ${kb(gzip.bytes).padStart(10)} ${ms(gzip.ms).padStart(10)}   br ${kb(br.bytes).padStart(10)} ${ms(br.ms).padStart(10)}`);
  log(`  format 2, since cursor after ${CHANGES} changes (${checkIns} check-ins, ${cancels} cancellations, ${added} new): ${since.json.rows.id.length} rows, br ${kb(since.bytes)} (${kb(since.decodedBytes)} uncompressed), ${ms(since.ms)}`);
  log(`  format 2, If-None-Match, nothing changed: HTTP ${notModified.status}, ${notModified.bytes} B, ${ms(notModified.ms)}`);
  log("  what each field of the full list costs (JSON bytes; compressed alone):");
  for (const c of costs) log(`    ${c.field.padEnd(42)} ${kb(c.raw).padStart(12)}   gzip ${kb(c.gzip).padStart(10)}   br(4) ${kb(c.br).padStart(10)}`);
}

bench.finish(main);
