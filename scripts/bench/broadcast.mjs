#!/usr/bin/env node
// npm run bench:broadcast — one organizer message to every confirmed participant of a big event, delivered
// by the real worker to a fake Telegram Bot API and a fake SMTP server (docs/messages.md → "Organizer
// messages", "bench:broadcast"). A benchmark, not a test: it prints figures and fails only on a
// correctness breach (someone received the message twice, someone was lost without a FAILED row).
//
//   1. creates a fresh database aq_bench_broadcast_<ms>_<pid> (scripts/bench/kit.mjs; --embedded for the
//      embedded PostgreSQL) and migrates it; seeds an organization, a PUBLISHED event, one ticket type and
//      --recipients users with a CONFIRMED registration each: half with a linked Telegram chat (distinct
//      chat ids, no email), half email-only;
//   2. starts the fake Bot API (tests/fakes/telegram-bot-api.ts) and the fake SMTP server
//      (tests/fakes/smtp-server.ts) in this process, and the worker in a child process
//      (scripts/bench/broadcast-worker.ts: lib/worker's background work, the embedded job runner with its
//      production settings) with TELEGRAM_API_ROOT / SMTP_URL pointing at the fakes,
//      TELEGRAM_MAX_PER_SECOND = --telegram-rate (default 30, Telegram's own limit);
//   3. measured: creates the message (ALL_CONFIRMED, now) through lib/messages createEventMessage
//      (scripts/bench/broadcast-message.ts) and waits until it is SENT (or --timeout seconds), sampling
//      the worker's RSS (/proc/<pid>/status VmRSS) every 200 ms;
//   4. prints recipients by channel, messages/s per channel (deliveries received by the fake / time from
//      its first to its last delivery), the time from the message's creation to the last delivery,
//      duplicates per channel (a chat id / an address that received it more than once: must be 0), lost
//      recipients (no delivery and no FAILED row: must be 0), FAILED rows and the worker's peak RSS;
//      stops the worker and the fakes and drops the database (also on failure or Ctrl-C).
// A smoke run: npm run bench:broadcast -- --recipients 1000
//
// Options: --recipients N (10000) --telegram-rate N (30) --timeout S (default: 3× the Telegram pace + 1 s per 5 emails + 120)
//          --embedded --keep.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { tsImport } from "tsx/esm/api";
import { root } from "../lib/log.mjs";
import { createBench, fmt, loadAverage, positiveInt as positive, runTs, serverEnv } from "./kit.mjs";

const LABEL = "bench:broadcast";
const { values: args } = parseArgs({
  options: {
    recipients: { type: "string", default: "10000" },
    "telegram-rate": { type: "string", default: "30" },
    timeout: { type: "string" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const positiveInt = (value, name) => positive(LABEL, value, name);
const RECIPIENTS = positiveInt(args.recipients, "--recipients");
const TELEGRAM_RATE = positiveInt(args["telegram-rate"], "--telegram-rate");
if (TELEGRAM_RATE > 1000) {
  console.error(`[${LABEL}] --telegram-rate is at most 1000 (TELEGRAM_MAX_PER_SECOND)`);
  process.exit(2);
}
const TELEGRAM_RECIPIENTS = Math.ceil(RECIPIENTS / 2);
const EMAIL_RECIPIENTS = RECIPIENTS - TELEGRAM_RECIPIENTS;
const TIMEOUT_S = args.timeout ? positiveInt(args.timeout, "--timeout") : Math.ceil((3 * TELEGRAM_RECIPIENTS) / TELEGRAM_RATE + EMAIL_RECIPIENTS / 5) + 120;
const AUTH_SECRET = "aqstream-bench-broadcast-secret-0123456789abcdef";
const EMAIL_CONCURRENCY = process.env.MESSAGES_EMAIL_CONCURRENCY || "4";
// The worker's APP_URL (links in the messages); nothing listens there and nothing is started on it.
const APP_PORT = 3196;

// The worker child: stopped by cleanup, and killed at once on Ctrl-C (these handlers run before the kit's).
let worker = null;
const killWorker = () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, killWorker);
process.on("exit", killWorker);

const bench = createBench({ label: LABEL, prefix: "aq_bench_broadcast", keep: args.keep, embedded: args.embedded });
const log = bench.log;

// ───────────────────────────── data ─────────────────────────────

async function seed(client) {
  const { rows: [owner] } = await client.query(
    `INSERT INTO users (id, email, first_name, last_name, email_verified, updated_at)
     VALUES (gen_random_uuid(), 'broadcast-owner@bench.aqstream.local', 'Организатор', 'Бенчмарка', true, now()) RETURNING id`,
  );
  await client.query("BEGIN");
  const { rows: [org] } = await client.query(
    `INSERT INTO organizations (id, owner_id, name, slug, updated_at) VALUES (gen_random_uuid(), $1, 'Broadcast bench', 'broadcast-bench', now()) RETURNING id`,
    [owner.id],
  );
  await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'OWNER')`, [org.id, owner.id]);
  await client.query("COMMIT");
  const { rows: [event] } = await client.query(
    `INSERT INTO events (id, tenant_id, organizer_id, title, description, status, starts_at, ends_at, timezone,
                         location_type, location_address, slug, published_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'Broadcast bench', 'Бенчмарк рассылки', 'PUBLISHED', now() + interval '7 days',
             now() + interval '7 days 3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', 'broadcast-bench', now(), now()) RETURNING id`,
    [org.id, owner.id],
  );
  const { rows: [type] } = await client.query(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, updated_at)
     VALUES (gen_random_uuid(), $1, 'Стандартный', 0, 'RUB', NULL, now()) RETURNING id`,
    [event.id],
  );
  // Telegram users: a linked chat (distinct ids), no email. Email users: an address, no Telegram.
  await client.query(
    `INSERT INTO users (id, first_name, last_name, telegram_id, telegram_chat_id, locale, updated_at)
     SELECT gen_random_uuid(), 'Телеграм', 'Номер ' || i, 'bench-tg-' || i, (700000000 + i)::text,
            (CASE WHEN i % 2 = 0 THEN 'EN' ELSE 'RU' END)::"Locale", now()
       FROM generate_series(1, $1::int) AS i`,
    [TELEGRAM_RECIPIENTS],
  );
  await client.query(
    `INSERT INTO users (id, first_name, last_name, email, email_verified, locale, updated_at)
     SELECT gen_random_uuid(), 'Почта', 'Номер ' || i, 'reader-' || i || '@bench.aqstream.local', true,
            (CASE WHEN i % 2 = 0 THEN 'EN' ELSE 'RU' END)::"Locale", now()
       FROM generate_series(1, $1::int) AS i`,
    [EMAIL_RECIPIENTS],
  );
  // One CONFIRMED registration each; the confirmation code is the row number in base 31 (8 characters of the alphabet).
  await client.query(
    `WITH u AS (
       SELECT id, email, first_name, row_number() OVER (ORDER BY id) AS n FROM users
        WHERE telegram_id LIKE 'bench-tg-%' OR email LIKE 'reader-%@bench.aqstream.local')
     INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, email, confirmed_at, updated_at)
     SELECT gen_random_uuid(), $1, $2, $3, u.id, 'CONFIRMED',
            (SELECT string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', ((u.n / (31::bigint ^ k)::bigint) % 31)::int + 1, 1), '' ORDER BY k)
               FROM generate_series(0, 7) AS k),
            u.first_name, u.email, now(), now()
       FROM u`,
    [org.id, event.id, type.id],
  );
  const { rows: [counts] } = await client.query(
    `SELECT count(*)::int AS n FROM registrations WHERE event_id = $1 AND status = 'CONFIRMED'`,
    [event.id],
  );
  if (counts.n !== RECIPIENTS) throw new Error(`seeded ${counts.n} registrations, expected ${RECIPIENTS}`);
  return { ownerId: owner.id, organizationId: org.id, eventId: event.id };
}

// ───────────────────────────── the worker ─────────────────────────────

function startWorker(databaseUrl, telegramUrl, smtpUrl) {
  const env = serverEnv({
    port: APP_PORT,
    databaseUrl,
    authSecret: AUTH_SECRET,
    extra: {
      SERVER_ROLE: "worker",
      TELEGRAM_BOT_TOKEN: "123456:BENCH-broadcast-token",
      TELEGRAM_API_ROOT: telegramUrl,
      TELEGRAM_MAX_PER_SECOND: String(TELEGRAM_RATE),
      MESSAGES_EMAIL_CONCURRENCY: EMAIL_CONCURRENCY,
      SMTP_URL: smtpUrl,
    },
  });
  // node itself with tsx's loader (not the tsx CLI, whose script runs in a grandchild): its pid is the worker's.
  const child = spawn(process.execPath, ["--import", "./tests/helpers/server-only-register.mjs", "--import", "tsx", "scripts/bench/broadcast-worker.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker = child;
  let output = "";
  const keep = (d) => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start within 120 s:\n${output}`)), 120_000);
    child.stdout.on("data", (d) => {
      const m = /ready (\w+)/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

async function stopWorker() {
  const child = worker;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Samples VmRSS of `pid` every 200 ms: { stop() → peak MB }. */
function sampleRss(pid) {
  let peakKb = 0;
  const read = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      if (kb > peakKb) peakKb = kb;
    } catch {
      // the process is gone
    }
  };
  read();
  const timer = setInterval(read, 200);
  return {
    stop() {
      clearInterval(timer);
      read();
      return peakKb / 1024;
    },
  };
}

// ───────────────────────────── measurement ─────────────────────────────

/** Deliveries per recipient at a fake, the first and last delivery time (ms since the epoch). */
function tally(keys) {
  const per = new Map();
  let first = Infinity;
  let last = -Infinity;
  for (const { key, at } of keys) {
    per.set(key, (per.get(key) ?? 0) + 1);
    if (at < first) first = at;
    if (at > last) last = at;
  }
  const duplicates = [...per.values()].filter((n) => n > 1).length;
  return { per, delivered: keys.length, distinct: per.size, duplicates, first, last };
}

async function waitUntilSent(client, messageId, child) {
  const deadline = Date.now() + TIMEOUT_S * 1000;
  let lastLog = Date.now();
  for (;;) {
    const { rows: [m] } = await client.query(`SELECT status FROM event_messages WHERE id = $1`, [messageId]);
    if (m.status === "SENT") return true;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("the worker exited during the run");
    if (Date.now() > deadline) return false;
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      const { rows } = await client.query(
        `SELECT channel, status, count(*)::int AS n FROM notification_logs WHERE message_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
        [messageId],
      );
      log(`${m.status}: ${rows.map((r) => `${r.channel ?? "none"} ${r.status} ${r.n}`).join(", ") || "no rows yet"}`);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const { startFakeTelegram } = await tsImport("../../tests/fakes/telegram-bot-api.ts", import.meta.url);
  const { startFakeSmtp } = await tsImport("../../tests/fakes/smtp-server.ts", import.meta.url);
  let telegram;
  let smtp;
  let rss;
  try {
    const databaseUrl = await bench.createDatabase();
    log(`recipients ${RECIPIENTS} (${TELEGRAM_RECIPIENTS} Telegram, ${EMAIL_RECIPIENTS} email), TELEGRAM_MAX_PER_SECOND ${TELEGRAM_RATE}, MESSAGES_EMAIL_CONCURRENCY ${EMAIL_CONCURRENCY}, cpus ${os.cpus().length}, load ${loadAverage()}`);
    const client = await bench.connect(databaseUrl);
    const data = await seed(client);
    log(`seeded ${RECIPIENTS} confirmed registrations; event ${data.eventId}`);

    telegram = await startFakeTelegram();
    smtp = await startFakeSmtp();
    log(`fake Bot API ${telegram.url}, fake SMTP ${smtp.url}`);
    const w = startWorker(databaseUrl, telegram.url, smtp.url);
    const mode = await w.ready;
    rss = sampleRss(w.child.pid);
    log(`worker pid ${w.child.pid} ready (${mode} runner); creating the message`);

    const created = await runTs("broadcast-message.ts", [data.ownerId, data.eventId], { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, AUTH_SECRET, APP_URL: `http://localhost:${APP_PORT}` }, "broadcast-message.ts");
    const createdAt = Date.parse(created.createdAt);
    log(`message ${created.id} created; waiting until it is SENT (timeout ${TIMEOUT_S} s)`);
    const sent = await waitUntilSent(client, created.id, w.child);
    const sentSeenAt = Date.now();
    const peakRssMb = rss.stop();

    // What the fakes received.
    const tg = tally(telegram.calls.filter((c) => c.method === "sendMessage" || c.method === "sendPhoto").map((c) => ({ key: String(c.params.chat_id), at: c.time.getTime() })));
    const mail = tally(smtp.messages.flatMap((m) => (m.envelopeTo.length ? m.envelopeTo : m.to).map((to) => ({ key: to, at: m.time.getTime() }))));

    // The rows, and every recipient: delivered at the fake, or a FAILED row — else lost.
    const { rows: byStatus } = await client.query(
      `SELECT channel, status, count(*)::int AS n FROM notification_logs WHERE message_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [created.id],
    );
    const { rows: recipients } = await client.query(
      `SELECT r.user_id, u.telegram_chat_id, lower(u.email) AS email,
              bool_or(n.status = 'FAILED') AS failed, array_agg(DISTINCT n.channel) FILTER (WHERE n.channel IS NOT NULL) AS channels
         FROM registrations r JOIN users u ON u.id = r.user_id
         LEFT JOIN notification_logs n ON n.message_id = $2 AND n.user_id = r.user_id
        WHERE r.event_id = $1 AND r.status = 'CONFIRMED'
        GROUP BY 1, 2, 3`,
      [data.eventId, created.id],
    );
    const { rows: [message] } = await client.query(`SELECT status, recipients_total, no_channel_count FROM event_messages WHERE id = $1`, [created.id]);
    await client.end();

    let lost = 0;
    for (const r of recipients) {
      const got = (r.telegram_chat_id && tg.per.has(r.telegram_chat_id)) || (r.email && mail.per.has(r.email));
      if (!got && !r.failed) lost++;
    }
    const rowsOf = (channel, status) => byStatus.filter((r) => (channel === undefined || r.channel === channel) && (status === undefined || r.status === status)).reduce((s, r) => s + r.n, 0);
    const failedRows = rowsOf(undefined, "FAILED");
    const pendingRows = rowsOf(undefined, "PENDING");
    const rate = (t) => (t.delivered > 1 ? t.delivered / ((t.last - t.first) / 1000) : NaN);
    const lastDelivery = Math.max(tg.last, mail.last);
    const lines = [
      "",
      "── broadcast benchmark ────────────────────────────────────────",
      `machine           ${os.cpus().length} CPUs, load average after the run ${loadAverage()}`,
      `database          ${bench.databaseKind === "embedded" ? "the embedded PostgreSQL (--embedded)" : "PostgreSQL server " + bench.adminUrl.replace(/^.*@/, "").replace(/\/[^/]*$/, "")}`,
      `worker            lib/worker background work in a child process (${mode} runner, production settings), SERVER_ROLE=worker`,
      `limits            TELEGRAM_MAX_PER_SECOND ${TELEGRAM_RATE}, MESSAGES_EMAIL_CONCURRENCY ${EMAIL_CONCURRENCY}`,
      `message           ALL_CONFIRMED, ${message.recipients_total} recipients, status ${message.status}${sent ? "" : ` (NOT SENT within ${TIMEOUT_S} s)`}`,
      `recipients        Telegram ${rowsOf("TELEGRAM")} rows, email ${rowsOf("EMAIL")} rows, no channel ${message.no_channel_count}`,
      `Telegram          ${tg.delivered} received (${tg.distinct} chats) in ${fmt((tg.last - tg.first) / 1000, 2)} s: ${fmt(rate(tg))} messages/s`,
      `email             ${mail.delivered} received (${mail.distinct} addresses) in ${fmt((mail.last - mail.first) / 1000, 2)} s: ${fmt(rate(mail))} messages/s`,
      `last delivery     ${fmt((lastDelivery - createdAt) / 1000, 2)} s after the message was created (SENT seen after ${fmt((sentSeenAt - createdAt) / 1000, 2)} s)`,
      `duplicates        Telegram ${tg.duplicates}, email ${mail.duplicates}`,
      `lost              ${lost}`,
      `FAILED rows       ${failedRows}${pendingRows ? `; PENDING rows ${pendingRows}` : ""}  ${JSON.stringify(byStatus.map((r) => `${r.channel ?? "none"} ${r.status} ${r.n}`))}`,
      `worker peak RSS   ${fmt(peakRssMb)} MB (VmRSS every 200 ms)`,
      "───────────────────────────────────────────────────────────────",
    ];
    console.log(lines.join("\n"));

    const failures = [];
    if (tg.duplicates + mail.duplicates !== 0) failures.push(`${tg.duplicates + mail.duplicates} duplicate deliveries`);
    if (lost !== 0) failures.push(`${lost} lost recipients`);
    if (!sent) failures.push(`the message was not SENT within ${TIMEOUT_S} s`);
    if (message.recipients_total !== RECIPIENTS) failures.push(`${message.recipients_total} recipients instead of ${RECIPIENTS}`);
    return failures;
  } finally {
    rss?.stop();
    await stopWorker();
    await telegram?.stop();
    await smtp?.stop();
  }
}

// Fakes and the worker are stopped by main's finally; the database is dropped by the kit.
bench.finish(main);
