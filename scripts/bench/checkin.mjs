#!/usr/bin/env node
// npm run bench:checkin — the door at opening time (docs/check-in.md → "Performance"). A benchmark, not a
// test: it prints figures and fails only on a correctness breach (a CheckIn row count other than the
// number of tickets, a ticket that was not let in, a duplicate that was, a retried nonce that answered
// differently).
//
//   1. creates a fresh database aq_bench_checkin_<timestamp>_<pid> on BENCH_DATABASE_URL / TEST_DATABASE_URL
//      (default postgresql://postgres@127.0.0.1:5432/postgres) and migrates it (prisma migrate deploy);
//   2. creates an organization, a PUBLISHED event that has just started with --tickets (1,000) CONFIRMED
//      registrations, a small warm-up event, and a door-staff link for each (event_staff_access, only the
//      token's SHA-256 stored, as lib/check-in/staff-links.ts does);
//   3. builds the app when .next is missing or stale (scripts/lib/build.mjs) and starts the production
//      server (one scripts/server.mjs process) on --port (BENCH_PORT, default 3196; refused when something already listens
//      there: scripts/bench/kit.mjs) with a fixed TICKET_SIGNING_KEY, so this script
//      signs the QR payloads (AQ1 format, lib/tickets/ticket-token.ts) exactly as tickets are signed;
//   4. redeems the door links over HTTP (GET /api/check-in/staff/<token> → the door cookie), or with
//      --auth session uses the owner's Auth.js session cookie instead;
//   5. warms up on the warm-up event, then --scanners (10) concurrent scanners POST every ticket's signed
//      QR payload once to /api/check-in/<eventId>/scan (each with its own nonce and X-Device-Id);
//   6. prints check-ins/s, latency percentiles, then re-scans some tickets (must be "already checked in")
//      and retries some nonces (must answer the first result), and counts the CheckIn rows (must be
//      exactly --tickets); drops the database and stops the server.
//
// Options: --tickets N --scanners N --port N --auth door|session --embedded (the embedded PostgreSQL npm start
// runs, scripts/bench/database.mjs) --keep (keep the database) --no-build.
import { createHash, createPrivateKey, randomBytes, randomUUID, sign } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { createBench, httpClient, percentile, pool, positiveInt as positive, sessionCookie as cookieFor } from "./kit.mjs";

const { values: args } = parseArgs({
  options: {
    tickets: { type: "string", default: "1000" },
    scanners: { type: "string", default: "10" },
    // Not 3198: bench:pages uses it (a run of both at once made this script talk to the other server).
    port: { type: "string", default: process.env.BENCH_PORT || "3196" },
    auth: { type: "string", default: "door" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});
const positiveInt = (value, name) => positive("bench:checkin", value, name);
const TICKETS = positiveInt(args.tickets, "--tickets");
const SCANNERS = positiveInt(args.scanners, "--scanners");
const PORT = positiveInt(args.port, "--port");
const AUTH = args.auth;
if (AUTH !== "door" && AUTH !== "session") {
  console.error("[bench:checkin] --auth must be door or session");
  process.exit(2);
}
const WARMUP_TICKETS = 150;
const AUTH_SECRET = "aqstream-bench-checkin-secret-0123456789abcdef";
const SIGNING_SEED = randomBytes(32);
const TARGETS = { p95Ms: 100, perSecond: 300 };

const bench = createBench({ label: "bench:checkin", prefix: "aq_bench_checkin", keep: args.keep, embedded: args.embedded });
const log = bench.log;
let server;

// ───────────────────────────── tickets (AQ1, lib/tickets/ticket-token.ts) ─────────────────────────────

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, SIGNING_SEED]), format: "der", type: "pkcs8" });
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function uuidBytes(uuid) {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

/** AQ1.<base64url(event 16 B ‖ registration 16 B ‖ code)>.<base64url(Ed25519 over "AQ1.<body>")> */
function signTicket(eventId, registrationId, code) {
  const body = Buffer.concat([uuidBytes(eventId), uuidBytes(registrationId), Buffer.from(code, "ascii")]);
  const signed = `AQ1.${body.toString("base64url")}`;
  return `${signed}.${sign(null, Buffer.from(signed, "ascii"), privateKey).toString("base64url")}`;
}

function uniqueCodes(n) {
  const codes = new Set();
  while (codes.size < n) {
    const bytes = randomBytes(8);
    codes.add(Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join(""));
  }
  return [...codes];
}

// ───────────────────────────── data ─────────────────────────────

async function seed(client) {
  const { rows: [owner] } = await client.query(
    `INSERT INTO users (id, email, first_name, last_name, email_verified, updated_at)
     VALUES (gen_random_uuid(), 'checkin-owner@bench.aqstream.local', 'Организатор', 'Бенчмарка', true, now()) RETURNING id`,
  );
  await client.query("BEGIN");
  const { rows: [org] } = await client.query(
    `INSERT INTO organizations (id, owner_id, name, slug, updated_at) VALUES (gen_random_uuid(), $1, 'Check-in bench', 'checkin-bench', now()) RETURNING id`,
    [owner.id],
  );
  await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'OWNER')`, [org.id, owner.id]);
  await client.query("COMMIT");

  const event = async (slug, tickets) => {
    const { rows: [e] } = await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, timezone,
                           location_type, location_address, slug, published_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'Бенчмарк входа', 'PUBLISHED', now() - interval '30 minutes',
               now() + interval '3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', $4, now() - interval '30 days', now()) RETURNING id`,
      [org.id, owner.id, `Check-in ${slug}`, slug],
    );
    const { rows: [t] } = await client.query(
      `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, sold_count, updated_at)
       VALUES (gen_random_uuid(), $1, 'Стандартный', 0, 'RUB', $2, $2, now()) RETURNING id`,
      [e.id, tickets],
    );
    const codes = uniqueCodes(tickets);
    const { rows: regs } = await client.query(
      `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, status, confirmation_code, first_name, last_name,
                                  email, price_cents, currency, confirmed_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, $3, 'CONFIRMED', c.code, 'Гость', 'Номер ' || c.i, 'guest-' || c.i || '-' || $5 || '@bench.aqstream.local',
              0, 'RUB', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
         FROM unnest($4::text[]) WITH ORDINALITY AS c(code, i)
       RETURNING id, confirmation_code`,
      [org.id, e.id, t.id, codes, slug],
    );
    const token = randomBytes(32).toString("base64url");
    await client.query(
      `INSERT INTO event_staff_access (id, event_id, label, token_hash, created_by, expires_at)
       VALUES (gen_random_uuid(), $1, 'Вход (бенчмарк)', $2, $3, now() + interval '1 day')`,
      [e.id, createHash("sha256").update(token, "utf8").digest("hex"), owner.id],
    );
    return { eventId: e.id, token, tickets: regs.map((r) => ({ id: r.id, code: r.confirmation_code, payload: signTicket(e.id, r.id, r.confirmation_code) })) };
  };

  const warmup = await event("checkin-warmup", WARMUP_TICKETS);
  const main = await event("checkin-main", TICKETS);
  const { rows: [session] } = await client.query(
    `INSERT INTO user_sessions (id, user_id, user_agent, ip, created_at, last_seen_at, expires_at)
     VALUES (gen_random_uuid(), $1, 'bench:checkin', '127.0.0.1', now(), now(), now() + interval '30 days') RETURNING id`,
    [owner.id],
  );
  return { warmup, main, owner, sessionId: session.id };
}

const sessionCookie = (userId, sessionId) => cookieFor(AUTH_SECRET, userId, sessionId);

/** CPU time (user + system, ms) used so far by a process and its children (Linux /proc; 0 elsewhere). */
function cpuMs(pid) {
  let ticks = 0;
  const visit = (p) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      for (const child of fs.readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) visit(Number(child));
    } catch {
      // gone, or not Linux
    }
  };
  visit(pid);
  return ticks * 10; // USER_HZ = 100
}

// ───────────────────────────── HTTP ─────────────────────────────

const { request: send } = httpClient(PORT, { maxSockets: 64 });
const request = (method, pathname, { cookie, body, device } = {}) => send(method, pathname, { cookie, body, headers: device ? { "x-device-id": device } : {} });

/** Redeems a door link like a phone would: GET the link, keep the cookie it sets. */
async function redeem(event) {
  const r = await request("GET", `/api/check-in/staff/${event.token}`);
  const setCookie = [r.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith(`aq_door_${event.eventId}=`));
  if (r.status !== 303 || !setCookie) throw new Error(`redeeming the door link failed: HTTP ${r.status} → ${r.headers.location ?? "(no redirect)"} ${JSON.stringify(r.json)}`);
  return setCookie.split(";")[0];
}

function shuffle(list) {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE(0) % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

async function scanAll({ event, cookie, tickets, concurrency, runId }) {
  const results = [];
  const outcomes = new Map();
  const tasks = tickets.map((ticket) => async (worker) => {
    const nonce = `bench-${runId}-${randomUUID()}`;
    const device = `scanner-${runId}-${worker + 1}`;
    const r = await request("POST", `/api/check-in/${event.eventId}/scan`, {
      cookie,
      device,
      body: { nonce, method: "QR_SCAN", payload: ticket.payload, deviceId: device, scannedAt: new Date().toISOString() },
    });
    const outcome = r.status === 200 ? r.json?.result : `HTTP ${r.status} ${r.json?.code ?? ""}`.trim();
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    results.push({ ...r, ticket, nonce, device });
  });
  const started = performance.now();
  await pool(tasks, concurrency);
  const elapsed = (performance.now() - started) / 1000;
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    results,
    elapsed,
    outcomes: Object.fromEntries([...outcomes].sort()),
    perSecond: results.filter((r) => r.json?.result === "valid").length / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
  };
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const databaseUrl = await bench.createDatabase();
  const client = await bench.connect(databaseUrl);
  let data;
  try {
    data = await seed(client);
  } finally {
    await client.end();
  }
  log(`seeded ${TICKETS} confirmed tickets (+${WARMUP_TICKETS} on a warm-up event), ${SCANNERS} scanners, auth: ${AUTH}`);

  if (!args["no-build"]) await bench.build(databaseUrl, AUTH_SECRET);
  log(`starting scripts/server.mjs on port ${PORT}`);
  server = await bench.startServer({ port: PORT, databaseUrl, authSecret: AUTH_SECRET, mode: "single", extraEnv: { TICKET_SIGNING_KEY: SIGNING_SEED.toString("base64") } });

  let warmCookie;
  let mainCookie;
  if (AUTH === "door") {
    warmCookie = await redeem(data.warmup);
    mainCookie = await redeem(data.main);
  } else {
    warmCookie = mainCookie = await sessionCookie(data.owner.id, data.sessionId);
  }

  // Warm-up: the route's code paths (refusals, check-ins, counters) on the warm-up event.
  for (let i = 0; i < 20; i++) await request("GET", `/api/check-in/${data.warmup.eventId}/counters`, { cookie: warmCookie, device: "warmup" });
  await request("GET", `/api/check-in/${data.warmup.eventId}/manifest`, { cookie: warmCookie, device: "warmup" });
  const warm = await scanAll({ event: data.warmup, cookie: warmCookie, tickets: data.warmup.tickets, concurrency: SCANNERS, runId: "warmup" });
  log(`warm-up: ${warm.results.length} scans, ${JSON.stringify(warm.outcomes)}, p50 ${warm.p50.toFixed(1)} ms`);

  // The measured run: every ticket once, in random order, by SCANNERS concurrent scanners.
  const cpuBefore = cpuMs(server.pid);
  const run1 = await scanAll({ event: data.main, cookie: mainCookie, tickets: shuffle(data.main.tickets), concurrency: SCANNERS, runId: "main" });
  const serverCpuPerScan = (cpuMs(server.pid) - cpuBefore) / run1.results.length;

  // Correctness after the run: duplicates are refused as "already checked in", retried nonces answer the first result.
  const dupTickets = data.main.tickets.slice(0, Math.min(100, TICKETS));
  const dup = await scanAll({ event: data.main, cookie: mainCookie, tickets: dupTickets, concurrency: SCANNERS, runId: "dup" });
  const retried = run1.results.filter((r) => r.json?.result === "valid").slice(0, 50);
  let retryMismatches = 0;
  await pool(
    retried.map((first) => async () => {
      const again = await request("POST", `/api/check-in/${data.main.eventId}/scan`, {
        cookie: mainCookie,
        device: first.device,
        body: { nonce: first.nonce, method: "QR_SCAN", payload: first.ticket.payload, deviceId: first.device },
      });
      if (JSON.stringify(again.json) !== JSON.stringify(first.json)) retryMismatches++;
    }),
    SCANNERS,
  );

  // The framework's floor, for scale: the same route answering 401 before any database work.
  const floorCount = Math.min(1000, TICKETS);
  const floorBefore = cpuMs(server.pid);
  await pool(
    Array.from({ length: floorCount }, () => () => request("POST", `/api/check-in/${data.main.eventId}/scan`, { body: { nonce: `floor-${randomUUID()}`, method: "QR_SCAN", payload: "x" } })),
    SCANNERS,
  );
  const floorCpu = (cpuMs(server.pid) - floorBefore) / floorCount;

  const check = await bench.connect(databaseUrl);
  let rows;
  try {
    ({ rows: [rows] } = await check.query(
      `SELECT (SELECT count(*)::int FROM check_ins WHERE event_id = $1) AS check_ins,
              (SELECT count(DISTINCT registration_id)::int FROM check_ins WHERE event_id = $1) AS distinct_registrations,
              (SELECT count(*)::int FROM registrations WHERE event_id = $1 AND status = 'CHECKED_IN') AS checked_in,
              (SELECT count(*)::int FROM audit_logs a JOIN registrations r ON r.id = a.entity_id
                WHERE r.event_id = $1 AND a.action = 'registration.checked_in') AS audit_rows,
              (SELECT sold_count FROM ticket_types WHERE event_id = $1) AS sold_count`,
      [data.main.eventId],
    ));
  } finally {
    await check.end();
  }

  const validCount = run1.outcomes.valid ?? 0;
  const dupAlready = dup.outcomes.already_checked_in ?? 0;
  const lines = [
    "",
    `check-in benchmark — ${TICKETS} confirmed tickets, ${SCANNERS} concurrent scanners over HTTP (scripts/server.mjs, auth: ${AUTH})`,
    `  host               ${process.env.HOSTNAME ?? ""} ${os.cpus().length} CPU, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `  elapsed            ${run1.elapsed.toFixed(2)} s`,
    `  check-ins/s        ${run1.perSecond.toFixed(0)}   (target ≥ ${TARGETS.perSecond}: ${run1.perSecond >= TARGETS.perSecond ? "met" : "NOT met"})`,
    `  latency p50        ${run1.p50.toFixed(1)} ms`,
    `  latency p95        ${run1.p95.toFixed(1)} ms   (target ≤ ${TARGETS.p95Ms}: ${run1.p95 <= TARGETS.p95Ms ? "met" : "NOT met"})`,
    `  latency p99 / max  ${run1.p99.toFixed(1)} / ${run1.max.toFixed(1)} ms`,
    `  app server CPU     ${serverCpuPerScan.toFixed(2)} ms per scan (one Node.js thread: ≈ ${(1000 / serverCpuPerScan).toFixed(0)} scans/s if it had a core to itself)`,
    `                     ${floorCpu.toFixed(2)} ms per request of the same route refused before any database work (the framework's floor)`,
    `  answers            ${JSON.stringify(run1.outcomes)}`,
    `  duplicate scans    ${dupTickets.length} → ${JSON.stringify(dup.outcomes)}`,
    `  retried nonces     ${retried.length} → ${retried.length - retryMismatches} identical to the first answer`,
    `  CheckIn rows       ${rows.check_ins} (distinct registrations ${rows.distinct_registrations}; registrations CHECKED_IN ${rows.checked_in}; audit rows ${rows.audit_rows}; sold_count ${rows.sold_count})`,
    "",
  ];
  console.log(lines.join("\n"));

  const failures = [];
  if (rows.check_ins !== TICKETS) failures.push(`CheckIn rows ${rows.check_ins} ≠ ${TICKETS}`);
  if (rows.distinct_registrations !== TICKETS || rows.checked_in !== TICKETS) failures.push("registrations checked in ≠ tickets");
  if (rows.audit_rows !== TICKETS) failures.push(`audit rows ${rows.audit_rows} ≠ ${TICKETS}`);
  if (validCount !== TICKETS) failures.push(`${TICKETS - validCount} tickets were not let in`);
  if (dupAlready !== dupTickets.length) failures.push("a duplicate scan was not answered 'already_checked_in'");
  if (retryMismatches) failures.push(`${retryMismatches} retried nonces answered differently`);
  if (rows.sold_count !== TICKETS) failures.push("sold_count changed");
  if (!failures.length) log("correct: exactly one CheckIn per ticket");
  return failures;
}

bench.finish(main);
