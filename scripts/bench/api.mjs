#!/usr/bin/env node
// npm run bench:api — the public REST API v1 with a token, and the outbound webhooks (issue 17, item 7;
// docs/api.md, docs/webhooks.md). A benchmark, not a test: it prints figures and fails only on a
// correctness breach (a listing that misses or repeats a row, a lost or duplicated webhook, a bad
// signature, a registration the API confirmed that is not there, an idempotent retry that ran twice).
//
//   1. creates a fresh database aq_bench_api_<ms>_<pid> on BENCH_DATABASE_URL / TEST_DATABASE_URL
//      (default postgresql://postgres@127.0.0.1:5432/postgres; --embedded for the embedded PostgreSQL npm
//      start runs) and migrates it — or --reuse <database> kept by an earlier --keep run;
//   2. generates the data in SQL: an organization and its owner, a PUBLISHED event with 100,000
//      registrations in one statement (scripts/bench/bulk-registrations.mjs; every 20th CANCELLED);
//   3. starts a webhook receiver (node:http on 127.0.0.1, a random port) that verifies every delivery with
//      the reference library (`standardwebhooks`) and counts them by webhook-id and by registration;
//   4. through the app's own services (scripts/bench/api-setup.ts, tsx): an organization token with
//      registrations:read / registrations:write (createOrganizationToken: shown once, stored hashed), and a
//      webhook endpoint subscribed to registration.created pointing at the receiver (createEndpoint);
//   5. builds the app when .next is missing or stale and starts the production server as npm start does
//      (the supervisor scripts/cluster.mjs: web processes + the worker with the job runner that delivers
//      the webhooks; BENCH_SERVER=single: one all-in-one process) on --port (BENCH_PORT, default 3193),
//      with the per-token limits raised (API_RATE_LIMIT_READ / API_RATE_LIMIT_WRITE), this machine's
//      address exempt from the per-address limits, and private webhook URLs allowed
//      (WEBHOOKS_ALLOW_PRIVATE_URLS=1, WEBHOOKS_ALLOW_HTTP=1: the receiver is http://127.0.0.1);
//   6. phase 1 — GET /api/v1/events/{id}/registrations?limit=100 page by page, following nextCursor to
//      the end, one request at a time as a sync client would: pages/s, rows/s, p50/p95/max per page, and
//      every row seen exactly once (rows seen = the event's registrations, no id twice);
//   7. phase 2 — --registrations (1,000) POST /api/v1/events/{id}/registrations on a second event with
//      enough seats, --clients (100) in parallel, each with its own Idempotency-Key (every 25th is sent
//      again with the same key: it must answer the same registration and create nothing); req/s, p50/p95,
//      answers by status; then waits (--webhook-timeout) until the receiver has a delivery for every
//      registration the database holds: deliveries/s, the delay from the API's answer to the delivery
//      (p50/p95), lost (registrations without a delivery), duplicated (a webhook-id received twice, or
//      two webhook-ids for one registration), bad signatures; the delivery rows' states and attempts;
//   8. prints the figures and the load average; drops the database (unless --keep) and stops the server.
//
// Options: --scale F (0.1 for a quick run: 10,000 rows listed, 100 registrations; default 1)
// --registrations N (default 1,000 × scale, at least 50) --clients N (100) --limit N (page size, 100)
// --webhook-timeout S (300) --port N --embedded --keep --reuse <database> --no-build (use .next as is)
// --no-webhooks (no endpoint: phase 2 measures the API alone).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { appProcesses, describePeaks, serverMode } from "./app-server.mjs";
import { insertBulkRegistrations } from "./bulk-registrations.mjs";
import { createBench, fmt, httpClient, loadAverage, percentile, pool, positiveInt as positive, runTs, withDatabase } from "./kit.mjs";

const LABEL = "bench:api";
const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    registrations: { type: "string" },
    clients: { type: "string", default: "100" },
    limit: { type: "string", default: "100" },
    "webhook-timeout": { type: "string", default: "300" },
    port: { type: "string", default: process.env.BENCH_PORT || "3193" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
    "no-build": { type: "boolean", default: false },
    "no-webhooks": { type: "boolean", default: false },
  },
});
const SCALE = Number(args.scale);
if (!Number.isFinite(SCALE) || SCALE <= 0 || SCALE > 2) {
  console.error(`[${LABEL}] --scale must be a number in (0, 2]`);
  process.exit(2);
}
const positiveInt = (value, name) => positive(LABEL, value, name);
const LISTED = Math.round(100_000 * SCALE);
const REGISTRATIONS = args.registrations ? positiveInt(args.registrations, "--registrations") : Math.max(50, Math.round(1000 * SCALE));
const CLIENTS = Math.min(positiveInt(args.clients, "--clients"), REGISTRATIONS);
const PAGE = positiveInt(args.limit, "--limit");
const WEBHOOKS = !args["no-webhooks"];
const WEBHOOK_TIMEOUT_MS = positiveInt(args["webhook-timeout"], "--webhook-timeout") * 1000;
const PORT = positiveInt(args.port, "--port");
const WARMUP = 20;
const RETRY_EVERY = 25;
const AUTH_SECRET = "aqstream-bench-api-secret-0123456789abcdef";
// The webhook signing secrets are stored encrypted (lib/payments/secrets.ts): production needs a key.
const ENCRYPTION_KEYS = `bench:${Buffer.alloc(32, 7).toString("base64")}`;
const RUN = Date.now().toString(36);
const SCOPES = ["registrations:read", "registrations:write", "events:read"];

const bench = createBench({ label: LABEL, prefix: "aq_bench_api", keep: args.keep || Boolean(args.reuse), embedded: args.embedded });
const log = bench.log;
const n = (v) => Number(v).toLocaleString("en");
const ms = (v) => `${fmt(v)} ms`;
const http1 = httpClient(PORT, { maxSockets: 1024 });

// ───────────────────────────── data ─────────────────────────────

async function createEvent(client, { organizationId, ownerId, slug, title, quantity, startsInDays = 7 }) {
  const { rows: [e] } = await client.query(
    `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, timezone,
                         location_type, location_address, slug, settings, published_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, 'Бенчмарк API', 'PUBLISHED', now() + $5 * interval '1 day',
             now() + $5 * interval '1 day' + interval '3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', $4,
             '{"allowGuests": true}'::jsonb, now() - interval '1 day', now()) RETURNING id`,
    [organizationId, ownerId, title, slug, startsInDays],
  );
  const { rows: [t] } = await client.query(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, updated_at)
     VALUES (gen_random_uuid(), $1, 'Стандартный', 0, 'RUB', $2, now()) RETURNING id`,
    [e.id, quantity],
  );
  return { eventId: e.id, ticketTypeId: t.id, quantity };
}

async function seed(client) {
  const { rows: [owner] } = await client.query(
    `INSERT INTO users (id, email, first_name, last_name, email_verified, updated_at)
     VALUES (gen_random_uuid(), 'api-owner@bench.aqstream.local', 'Организатор', 'API', true, now()) RETURNING id`,
  );
  await client.query("BEGIN");
  const { rows: [org] } = await client.query(
    `INSERT INTO organizations (id, owner_id, name, slug, updated_at) VALUES (gen_random_uuid(), $1, 'API bench', 'api-bench', now()) RETURNING id`,
    [owner.id],
  );
  await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'OWNER')`, [org.id, owner.id]);
  await client.query("COMMIT");
  const big = await createEvent(client, { organizationId: org.id, ownerId: owner.id, slug: "api-big", title: "API big event", quantity: LISTED });
  const started = performance.now();
  await insertBulkRegistrations(client, { organizationId: org.id, eventId: big.eventId, ticketTypeIds: [big.ticketTypeId], count: LISTED });
  await client.query("ANALYZE registrations");
  log(`  ${n(LISTED)} registrations of the big event in ${fmt((performance.now() - started) / 1000, 1)} s`);
  return { ownerId: owner.id, organizationId: org.id, big };
}

/** The data of an earlier --keep run (the same --scale): the organization, its owner and the big event. */
async function found(client) {
  const { rows: [r] } = await client.query(
    `SELECT o.id AS organization_id, o.owner_id, e.id AS event_id, t.id AS ticket_type_id, t.quantity
       FROM organizations o JOIN events e ON e.tenant_id = o.id AND e.slug = 'api-big' JOIN ticket_types t ON t.event_id = e.id
      WHERE o.slug = 'api-bench'`,
  );
  if (!r) throw new Error("--reuse: this database has no data of bench:api (organization api-bench)");
  // The endpoints of earlier runs point at receivers that are gone: switched off, as an owner would.
  await client.query(
    `UPDATE webhook_endpoints SET enabled = false, disabled_at = now(), disabled_reason = 'MANUAL', updated_at = now()
      WHERE organization_id = $1 AND enabled`,
    [r.organization_id],
  );
  return { ownerId: r.owner_id, organizationId: r.organization_id, big: { eventId: r.event_id, ticketTypeId: r.ticket_type_id, quantity: r.quantity } };
}

// ───────────────────────────── the webhook receiver ─────────────────────────────

/**
 * A receiver on 127.0.0.1 that verifies every delivery with `standardwebhooks` (the reference library,
 * as an integrator would) and keeps: how many times each webhook-id came, the webhook-ids of each
 * registration (payload data.id), when each registration's first delivery came; bad signatures.
 */
async function startReceiver() {
  const require = createRequire(import.meta.url);
  const { Webhook } = require("standardwebhooks");
  const state = {
    verifier: null,
    received: 0,
    badSignatures: 0,
    badSignatureSample: null,
    otherTypes: 0,
    byWebhookId: new Map(),
    byRegistration: new Map(), // registrationId → { eventId, ids: Set<webhookId>, at }
    firstAt: Infinity,
    lastAt: 0,
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = { "webhook-id": req.headers["webhook-id"], "webhook-timestamp": req.headers["webhook-timestamp"], "webhook-signature": req.headers["webhook-signature"] };
      let payload;
      try {
        if (!state.verifier) throw new Error("no secret yet");
        payload = state.verifier.verify(body, headers);
      } catch (error) {
        state.badSignatures++;
        state.badSignatureSample ??= `${error.message} (webhook-id ${headers["webhook-id"]})`;
        res.writeHead(400).end("bad signature");
        return;
      }
      state.received++;
      const id = String(headers["webhook-id"]);
      state.byWebhookId.set(id, (state.byWebhookId.get(id) ?? 0) + 1);
      if (payload?.type !== "registration.created") {
        state.otherTypes++;
      } else {
        const data = payload.data ?? {};
        const registrationId = data.id ?? data.registrationId ?? data.registration?.id;
        const eventId = data.eventId ?? data.event?.id ?? data.registration?.eventId;
        let entry = state.byRegistration.get(registrationId);
        if (!entry) state.byRegistration.set(registrationId, (entry = { eventId, ids: new Set(), at }));
        entry.ids.add(id);
      }
      state.firstAt = Math.min(state.firstAt, at);
      state.lastAt = Math.max(state.lastAt, at);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/webhooks/aqstream`,
    state,
    setSecret: (secret) => (state.verifier = new Webhook(secret)),
    close: () => new Promise((resolve) => (server.closeAllConnections?.(), server.close(() => resolve()))),
  };
}

// ───────────────────────────── setup through the services ─────────────────────────────

async function setup({ databaseUrl, ownerId, organizationId, receiverUrl }) {
  const file = path.join(os.tmpdir(), `aq-bench-api-${process.pid}-setup.json`);
  fs.writeFileSync(file, JSON.stringify({ databaseUrl, ownerId, organizationId, receiverUrl, scopes: SCOPES }));
  try {
    return await runTs("api-setup.ts", [file], { ...process.env, ...appEnv(databaseUrl), NODE_ENV: "production" }, "api-setup.ts");
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** What both the server and the setup helper need: the same encryption key, the receiver on 127.0.0.1 allowed. */
function appEnv(databaseUrl) {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET,
    APP_URL: `http://localhost:${PORT}`,
    PAYMENTS_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
    WEBHOOKS_ALLOW_PRIVATE_URLS: "1",
    WEBHOOKS_ALLOW_HTTP: "1",
  };
}

// ───────────────────────────── phase 1: the listing ─────────────────────────────

async function listAll({ token, eventId }) {
  const auth = { authorization: `Bearer ${token}` };
  const base = `/api/v1/events/${eventId}/registrations?limit=${PAGE}`;
  // Warm-up: the route's modules, the pool's connections, the token's row.
  for (let i = 0; i < 5; i++) {
    const r = await http1.request("GET", base, { headers: auth });
    if (r.status !== 200) throw new Error(`GET ${base}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  const seen = new Set();
  let rows = 0;
  let duplicates = 0;
  const pageMs = [];
  let cursor = null;
  let bytes = 0;
  const started = performance.now();
  for (;;) {
    const url = cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;
    const r = await http1.request("GET", url, { headers: auth });
    if (r.status !== 200 || !Array.isArray(r.json?.data)) throw new Error(`page ${pageMs.length + 1}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    pageMs.push(r.ms);
    bytes += r.bytes;
    for (const row of r.json.data) {
      rows++;
      if (seen.has(row.id)) duplicates++;
      else seen.add(row.id);
    }
    cursor = r.json.nextCursor ?? null;
    if (!cursor) break;
    if (r.json.data.length === 0) throw new Error(`page ${pageMs.length}: no rows but a nextCursor`);
  }
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...pageMs].sort((a, b) => a - b);
  return {
    pages: pageMs.length,
    rows,
    distinct: seen.size,
    duplicates,
    seen,
    elapsed,
    bytes,
    pagesPerSecond: pageMs.length / elapsed,
    rowsPerSecond: rows / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1),
    firstPages: pageMs.slice(0, 10).reduce((a, b) => a + b, 0) / Math.min(10, pageMs.length),
    lastPages: pageMs.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, pageMs.length),
  };
}

// ───────────────────────────── phase 2: registrations + webhooks ─────────────────────────────

const registrationIdOf = (json) => json?.data?.id ?? json?.data?.registrationId ?? json?.registration?.registrationId ?? json?.registration?.id ?? null;

async function registerMany({ token, event, count, clients, tag }) {
  const url = `/api/v1/events/${event.eventId}/registrations`;
  const results = [];
  const statuses = new Map();
  const codes = new Map();
  const answeredAt = new Map(); // registrationId → when the API answered 201
  let idempotencyFailures = 0;
  let replays = 0;
  let replayHeaders = 0;
  const record = (r) => {
    results.push(r);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    if (r.status !== 201) {
      const code = r.json?.code ?? r.json?.messageKey ?? `HTTP ${r.status}`;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  };
  const send = (body, key) => http1.request("POST", url, { body, headers: { authorization: `Bearer ${token}`, "idempotency-key": key } });
  const tasks = Array.from({ length: count }, (_, i) => async () => {
    const key = `bench-${tag}-${i}-${randomUUID()}`;
    const body = { ticketTypeId: event.ticketTypeId, firstName: "Участник", lastName: `Номер ${i + 1}`, email: `api-${tag}-${i + 1}@example.test` };
    const r = await send(body, key);
    record(r);
    const id = r.status === 201 ? registrationIdOf(r.json) : null;
    if (id && !answeredAt.has(id)) answeredAt.set(id, r.at);
    if ((i + 1) % RETRY_EVERY === 0) {
      // The same request again (a lost answer): the first answer, replayed; nothing created.
      const again = await send(body, key);
      record(again);
      replays++;
      const same = r.status === 201 ? again.status === 201 && registrationIdOf(again.json) === id : again.status === r.status;
      if (!same) idempotencyFailures++;
      if (again.headers["idempotent-replayed"] === "true") replayHeaders++;
    }
  });
  const started = performance.now();
  await pool(tasks, clients);
  const elapsed = (performance.now() - started) / 1000;
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    started,
    endedAt: performance.now(),
    requests: results.length,
    replays,
    replayHeaders,
    elapsed,
    requestsPerSecond: results.length / elapsed,
    created: answeredAt.size,
    answeredAt,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    statuses: Object.fromEntries([...statuses].sort()),
    errors: Object.fromEntries([...codes].sort()),
    idempotencyFailures,
    sample: results.find((r) => r.status !== 201)?.text?.slice(0, 300) ?? null,
  };
}

/** Waits until every registration of `eventIds` in the database has a delivery at the receiver (or the timeout). */
async function waitForDeliveries(client, receiver, eventId, timeoutMs) {
  const started = performance.now();
  let expected = [];
  for (;;) {
    ({ rows: expected } = await client.query(`SELECT id FROM registrations WHERE event_id = $1`, [eventId]));
    const missing = expected.filter((r) => !receiver.state.byRegistration.has(r.id)).length;
    if (missing === 0) break;
    if (performance.now() - started > timeoutMs) {
      log(`  the webhook wait timed out after ${fmt(timeoutMs / 1000, 0)} s: ${missing} registrations without a delivery`);
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return expected.map((r) => r.id);
}

function deliveryFigures({ receiver, ids, rush }) {
  const { state } = receiver;
  const lost = ids.filter((id) => !state.byRegistration.has(id));
  const duplicatedIds = [...state.byWebhookId.values()].filter((c) => c > 1).length;
  let perRegistration = 0;
  const arrivals = [];
  const lags = [];
  for (const id of ids) {
    const entry = state.byRegistration.get(id);
    if (!entry) continue;
    if (entry.ids.size > 1) perRegistration++;
    arrivals.push(entry.at);
    const answered = rush.answeredAt.get(id);
    if (answered !== undefined) lags.push(Math.max(0, entry.at - answered));
  }
  arrivals.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const delivered = arrivals.length;
  const last = arrivals.at(-1) ?? NaN;
  const first = arrivals[0] ?? NaN;
  return {
    expected: ids.length,
    delivered,
    lost: lost.length,
    lostSample: lost.slice(0, 3),
    duplicatedWebhookIds: duplicatedIds,
    duplicatedRegistrations: perRegistration,
    badSignatures: state.badSignatures,
    badSignatureSample: state.badSignatureSample,
    // From the first API request of the phase to the last delivery: what the whole pipeline sustained.
    endToEndSeconds: (last - rush.started) / 1000,
    deliveriesPerSecond: delivered / ((last - rush.started) / 1000),
    // From the first delivery to the last: the sender's own pace.
    drainSeconds: (last - first) / 1000,
    drainPerSecond: delivered > 1 ? (delivered - 1) / ((last - first) / 1000) : NaN,
    // After the last API answer, how long until the last delivery came.
    tailSeconds: (last - rush.endedAt) / 1000,
    lagP50: percentile(lags, 50),
    lagP95: percentile(lags, 95),
    lagMax: lags.at(-1),
  };
}

async function deliveryRows(client, endpointId) {
  const { rows } = await client.query(
    `SELECT d.status, count(*)::int AS n, sum(d.attempts)::int AS attempts, max(d.attempts)::int AS max_attempts
       FROM webhook_deliveries d WHERE d.endpoint_id = $1 GROUP BY d.status ORDER BY d.status`,
    [endpointId],
  );
  const { rows: [a] } = await client.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE x.status_code BETWEEN 200 AND 299)::int AS ok
       FROM webhook_delivery_attempts x JOIN webhook_deliveries d ON d.id = x.delivery_id WHERE d.endpoint_id = $1`,
    [endpointId],
  );
  return { byStatus: rows, attemptRows: a.n, attemptsOk: a.ok };
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const failures = [];
  log(`scale ${SCALE}: list ${n(LISTED)} registrations in pages of ${PAGE}; ${n(REGISTRATIONS)} API registrations by ${CLIENTS} clients in parallel`);
  log(`host ${os.cpus().length} CPU, load avg ${loadAverage()} (1/5/15 min) at the start`);
  let databaseUrl;
  let client;
  let data;
  if (args.reuse) {
    const pg = (await import("pg")).default;
    databaseUrl = withDatabase(process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres", args.reuse);
    client = new pg.Client({ connectionString: databaseUrl });
    client.on("error", () => {});
    await client.connect();
    data = await found(client);
    log(`reusing database ${args.reuse} (the big event ${data.big.eventId}; nothing generated now; it is kept afterwards)`);
  } else {
    databaseUrl = await bench.createDatabase();
    client = await bench.connect(databaseUrl);
    data = await seed(client);
  }
  const { rows: [{ count: expectedListed }] } = await client.query(`SELECT count(*)::int AS count FROM registrations WHERE event_id = $1`, [data.big.eventId]);
  const warmEvent = await createEvent(client, { organizationId: data.organizationId, ownerId: data.ownerId, slug: `api-warm-${RUN}`, title: "API warm-up", quantity: WARMUP * 2 });
  const rushEvent = await createEvent(client, { organizationId: data.organizationId, ownerId: data.ownerId, slug: `api-rush-${RUN}`, title: "API rush", quantity: REGISTRATIONS + 100 });

  const receiver = await startReceiver();
  const started = performance.now();
  const creds = await setup({ databaseUrl, ownerId: data.ownerId, organizationId: data.organizationId, receiverUrl: WEBHOOKS ? receiver.url : null });
  if (WEBHOOKS) receiver.setSecret(creds.secret);
  log(`token ${creds.token.slice(0, 12)}… (id ${creds.tokenId}, scopes ${SCOPES.join(" ")})${WEBHOOKS ? ` and webhook endpoint ${creds.endpointId} → ${receiver.url}` : ", no webhook endpoint (--no-webhooks)"}, ` +
    `through the services in ${fmt((performance.now() - started) / 1000, 1)} s`);

  if (!args["no-build"]) await bench.build(databaseUrl, AUTH_SECRET);
  const rateLimits = { API_RATE_LIMIT_READ: "1000000", API_RATE_LIMIT_WRITE: "1000000" };
  const server = await bench.startServer({ port: PORT, databaseUrl, authSecret: AUTH_SECRET, extraEnv: { ...appEnv(databaseUrl), ...rateLimits } });
  log(`the server (pid ${server.pid}, ${serverMode()}) answers on http://localhost:${PORT}`);

  // ── phase 1 ──
  const loadBeforeList = loadAverage();
  log(`phase 1: listing the big event page by page (load ${loadBeforeList})`);
  const list = await listAll({ token: creds.token, eventId: data.big.eventId });
  const loadAfterList = loadAverage();
  log(`  ${n(list.rows)} rows in ${n(list.pages)} pages, ${fmt(list.elapsed, 1)} s`);
  if (list.rows !== expectedListed) failures.push(`listed ${list.rows} rows, the event has ${expectedListed}`);
  if (list.duplicates !== 0) failures.push(`${list.duplicates} rows listed twice`);
  const { rows: [{ n: foreign }] } = await client.query(`SELECT count(*)::int AS n FROM registrations WHERE id = ANY($1::uuid[]) AND event_id <> $2`, [[...list.seen], data.big.eventId]);
  if (foreign !== 0) failures.push(`${foreign} listed rows belong to another event`);

  // ── phase 2 ──
  log(`phase 2: warm-up (${WARMUP} registrations on another event${WEBHOOKS ? ", their webhooks delivered" : ""})`);
  const warm = await registerMany({ token: creds.token, event: warmEvent, count: WARMUP, clients: 5, tag: `warm-${RUN}` });
  if (warm.created === 0) throw new Error(`the warm-up registered nobody: ${JSON.stringify(warm.statuses)} ${warm.sample}`);
  if (WEBHOOKS) await waitForDeliveries(client, receiver, warmEvent.eventId, 60_000);
  const loadBeforeRush = loadAverage();
  log(`  warm-up: ${JSON.stringify(warm.statuses)}; rush: ${n(REGISTRATIONS)} registrations, ${CLIENTS} clients (load ${loadBeforeRush})`);
  const rush = await registerMany({ token: creds.token, event: rushEvent, count: REGISTRATIONS, clients: CLIENTS, tag: RUN });
  log(`  answered in ${fmt(rush.elapsed, 2)} s: ${JSON.stringify(rush.statuses)}${rush.sample ? `; e.g. ${rush.sample}` : ""}${WEBHOOKS ? "; waiting for the webhooks" : ""}`);
  let ids;
  if (WEBHOOKS) {
    ids = await waitForDeliveries(client, receiver, rushEvent.eventId, WEBHOOK_TIMEOUT_MS);
    // A short settle: a duplicate (a retry of something already delivered) would come now.
    await new Promise((r) => setTimeout(r, 3000));
  } else {
    ids = (await client.query(`SELECT id FROM registrations WHERE event_id = $1`, [rushEvent.eventId])).rows.map((r) => r.id);
  }
  const loadAfterRush = loadAverage();
  const hooks = deliveryFigures({ receiver, ids, rush });
  const rows = WEBHOOKS ? await deliveryRows(client, creds.endpointId) : null;
  const peaks = describePeaks(await appProcesses(PORT, server.pid));
  const { rows: [seats] } = await client.query(`SELECT quantity, sold_count, reserved_count FROM ticket_types WHERE id = $1`, [rushEvent.ticketTypeId]);
  await client.end();
  await receiver.close();

  if (ids.length !== REGISTRATIONS) failures.push(`${ids.length} registrations in the database for ${REGISTRATIONS} distinct requests`);
  if (rush.created !== ids.length) failures.push(`the API confirmed ${rush.created} registrations, the database holds ${ids.length}`);
  if (rush.idempotencyFailures) failures.push(`${rush.idempotencyFailures} idempotent retries did not replay the first answer`);
  if (WEBHOOKS && hooks.lost) failures.push(`${hooks.lost} webhooks lost (e.g. ${hooks.lostSample.join(", ")})`);
  if (hooks.duplicatedWebhookIds || hooks.duplicatedRegistrations) failures.push(`duplicated webhooks: ${hooks.duplicatedWebhookIds} webhook-ids twice, ${hooks.duplicatedRegistrations} registrations with two webhook-ids`);
  if (hooks.badSignatures) failures.push(`${hooks.badSignatures} deliveries with a bad signature (${hooks.badSignatureSample})`);

  // ── report ──
  const lines = [
    "",
    "── API benchmark ──────────────────────────────────────────────",
    `machine            ${os.cpus().length} CPUs; load average (1/5/15 min) before listing ${loadBeforeList}, after ${loadAfterList}; before the rush ${loadBeforeRush}, after ${WEBHOOKS ? "the webhooks" : "it"} ${loadAfterRush}`,
    `database           ${args.reuse ? `${args.reuse} (reused)` : bench.databaseKind === "embedded" ? "the embedded PostgreSQL (npm start's, --embedded)" : "PostgreSQL server " + bench.adminUrl.replace(/^.*@/, "").replace(/\/[^/]*$/, "")}`,
    `server             ${serverMode() === "single" ? "one all-in-one process (BENCH_SERVER=single)" : "npm start's supervisor: web processes + worker (scripts/cluster.mjs)"}; per-token limits raised to 1,000,000/min`,
    `job runner         delivers the webhooks: JOBS_CONCURRENCY ${process.env.JOBS_CONCURRENCY ?? "4 (default)"}, JOBS_POLL_MS ${process.env.JOBS_POLL_MS ?? "1000 (default)"}`,
    "",
    `phase 1: GET /api/v1/events/{id}/registrations?limit=${PAGE}, page by page with nextCursor, one request at a time (token)`,
    `  rows seen        ${n(list.rows)} of ${n(expectedListed)} (${n(list.distinct)} distinct, ${list.duplicates} duplicates)  ${list.rows === expectedListed && !list.duplicates ? "exact" : "WRONG"}`,
    `  pages            ${n(list.pages)} in ${fmt(list.elapsed, 2)} s: ${fmt(list.pagesPerSecond)} pages/s (= req/s), ${n(Math.round(list.rowsPerSecond))} rows/s, ${fmt(list.bytes / 1024 / 1024, 1)} MB on the wire`,
    `  per page         p50 ${ms(list.p50)}, p95 ${ms(list.p95)}, max ${ms(list.max)}; first 10 pages avg ${ms(list.firstPages)}, last 10 avg ${ms(list.lastPages)}`,
    "",
    `phase 2: POST /api/v1/events/{id}/registrations, ${n(REGISTRATIONS)} registrations, ${CLIENTS} clients in parallel, each with an Idempotency-Key`,
    `  requests         ${n(rush.requests)} (${rush.replays} of them the same key again) in ${fmt(rush.elapsed, 2)} s: ${fmt(rush.requestsPerSecond)} req/s`,
    `  latency          p50 ${ms(rush.p50)}, p95 ${ms(rush.p95)}, p99 ${ms(rush.p99)}, max ${ms(rush.max)}`,
    `  answers          ${JSON.stringify(rush.statuses)}${Object.keys(rush.errors).length ? `  errors ${JSON.stringify(rush.errors)}` : ""}`,
    `  created          ${n(rush.created)} confirmed by the API, ${n(ids.length)} in the database (seats ${seats.quantity}, sold ${seats.sold_count}, reserved ${seats.reserved_count})`,
    `  idempotency      ${rush.idempotencyFailures === 0 ? `every retry (${rush.replays}) answered the first registration again` : `${rush.idempotencyFailures} retries did NOT answer the first registration`}; header Idempotent-Replayed on ${rush.replayHeaders} of ${rush.replays}`,
    ...(!WEBHOOKS ? [`  webhooks         none (--no-webhooks)`] : [`  webhooks         ${n(hooks.delivered)} of ${n(hooks.expected)} registration.created delivered, verified with standardwebhooks`,
    `                   lost ${hooks.lost}, duplicated ${hooks.duplicatedWebhookIds} (webhook-ids twice) / ${hooks.duplicatedRegistrations} (registrations with two ids), bad signatures ${hooks.badSignatures}`,
    `  deliveries/s     ${fmt(hooks.deliveriesPerSecond)} end to end (first request → last delivery, ${fmt(hooks.endToEndSeconds, 2)} s); ${fmt(hooks.drainPerSecond)} between the first and the last delivery (${fmt(hooks.drainSeconds, 2)} s)`,
    `  delivery delay   API answer → delivery p50 ${ms(hooks.lagP50)}, p95 ${ms(hooks.lagP95)}, max ${ms(hooks.lagMax)}; last delivery ${fmt(hooks.tailSeconds, 2)} s after the last answer`,
    `  delivery rows    ${rows.byStatus.map((r) => `${r.status} ${r.n} (attempts ${r.attempts}, max ${r.max_attempts})`).join(", ") || "none"}; ${rows.attemptRows} attempt rows, ${rows.attemptsOk} answered 2xx (warm-up included)`]),
    "",
    `peak RSS           ${peaks.text}`,
    `checks             every row listed exactly once: ${list.rows === expectedListed && !list.duplicates ? "yes" : "NO"}; every registration confirmed once (retries included): ${ids.length === REGISTRATIONS && rush.created === ids.length && !rush.idempotencyFailures ? "yes" : "NO"}; ` +
      `webhooks 0 lost / 0 duplicated / 0 bad signatures: ${!WEBHOOKS ? "not measured" : !hooks.lost && !hooks.duplicatedWebhookIds && !hooks.duplicatedRegistrations && !hooks.badSignatures ? "yes" : "NO"}`,
    SCALE !== 1 ? `                   (scale ${SCALE}: the issue's sizes are scale 1)` : null,
    "───────────────────────────────────────────────────────────────",
  ].filter((l) => l !== null);
  console.log(lines.join("\n"));
  return failures;
}

bench.finish(main);
