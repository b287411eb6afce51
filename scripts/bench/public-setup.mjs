// The shared setup of the public-side benchmarks (npm run bench:pages, npm run bench:lighthouse):
// a production build, a fresh benchmark database with a realistic data set, and the production server as
// npm start runs it (the supervisor scripts/cluster.mjs: web processes + worker; BENCH_SERVER=single → one
// all-in-one scripts/server.mjs; scripts/bench/app-server.mjs).
//
//   const bench = await setupPublicBench({ label: "bench:pages", port, orgs, events, registrations, keep, build });
//   … bench.base, bench.target ({ id, slug, org }), bench.counts, bench.get(path) …
//   await bench.cleanup();
//
// The database is aq_bench_pages_<timestamp>_<pid> on BENCH_DATABASE_URL / TEST_DATABASE_URL (default
// postgresql://postgres@127.0.0.1:5432/postgres; `embedded: true` (--embedded): on the embedded PostgreSQL
// npm start runs, scripts/bench/database.mjs), migrated with prisma migrate deploy and filled with SQL
// (generate_series): organizations, events (mostly public and PUBLISHED over the next months, some
// private, drafts, completed), 1–3 ticket types each, guest registrations spread over them (a tenth on the
// measured event), counters consistent with the rows. Dropped by cleanup() unless `keep`.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ensureBuild } from "../lib/build.mjs";
import { ensureDependencies, ensurePrismaClient } from "../lib/deps.mjs";
import { root } from "../lib/log.mjs";
import { startAppServer } from "./app-server.mjs";
import { benchDatabaseServer } from "./database.mjs";
import { serverEnv } from "./kit.mjs";

const AUTH_SECRET = "aqstream-bench-pages-secret-0123456789abcdef";

const LOREM =
  "Открытая встреча для всех, кому интересна тема. **Программа**: доклады, ответы на вопросы и нетворкинг.\n\n" +
  "- вход по регистрации\n- места ограничены\n- [подробнее о площадке](https://example.org)\n\n" +
  "Приходите заранее: регистрация гостей начинается за полчаса до начала.";

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function run(command, argv, env, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** GET on the benchmark server, body buffered (no compression unless asked). */
export function httpGet(base, pathname, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${pathname}`, { headers: { "accept-encoding": "identity", ...headers }, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`GET ${pathname} timed out`)));
  });
}

export async function setupPublicBench({ label, port, orgs: ORGS, events: EVENTS, registrations: REGISTRATIONS, keep = false, build = true, embedded = false }) {
  const log = (...a) => console.log(`[${label}]`, ...a);
  const PORT = port;
  const base = `http://127.0.0.1:${PORT}`;
  const get = (pathname, headers) => httpGet(base, pathname, headers);
  let databaseName;
  let server;
  let stopping = false;

  await ensureDependencies();
  await ensurePrismaClient();
  const pg = (await import("pg")).default;
  const databaseServer = await benchDatabaseServer({ label, embedded });
  const adminUrl = databaseServer.adminUrl;

  async function admin(fn) {
    const client = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  async function cleanup() {
    if (stopping) return;
    stopping = true;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (databaseName && !keep) {
      try {
        await admin((c) => c.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
        log(`dropped database ${databaseName}`);
      } catch (error) {
        console.error(`[${label}] could not drop database ${databaseName}: ${error.message}`);
      }
    } else if (databaseName) {
      log(`kept database ${databaseName}`);
    }
    await databaseServer.stop({ keep });
  }
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => void cleanup().then(() => process.exit(130)));
  }

  try {
    if (build) {
      // The build renders no page that reads the database (docs/public-pages.md), so any URL does here.
      await ensureBuild({ ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: adminUrl, AUTH_SECRET, DATABASE_POOL_SIZE: "3" });
    }
    // Benchmark databases left behind by a killed run (over 6 hours old) are dropped.
    await admin(async (c) => {
      const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'aq_bench_pages_%'");
      for (const { datname } of rows) {
        const ts = Number(/^aq_bench_pages_(\d+)/.exec(datname)?.[1]);
        if (ts && Date.now() - ts > 6 * 3600_000) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    });
    databaseName = `aq_bench_pages_${Date.now()}_${process.pid}`;
    await admin((c) => c.query(`CREATE DATABASE "${databaseName}"`));
    const databaseUrl = withDatabase(adminUrl, databaseName);
    log(`created database ${databaseName}; migrating`);
    await run(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], { ...process.env, DATABASE_URL: databaseUrl }, "prisma migrate deploy");

    const client = new pg.Client({ connectionString: databaseUrl });
    client.on("error", (error) => console.error(`[${label}] database connection: ${error.message}`));
    await client.connect();
    const seededAt = Date.now();
    const { target, counts } = await seed(client);
    await client.end();
    log(`seeded in ${((Date.now() - seededAt) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    if (counts.events < 200 || counts.registrations < 20_000) log("warning: the data set is smaller than the targets assume (≥ 200 events, ≥ 20,000 registrations)");

    // Pages cached on disk by an earlier run belong to a database that is gone (their event ids too).
    fs.rmSync(path.join(root, ".next", "server", "route-cache"), { recursive: true, force: true });
    const pid = await startServer(databaseUrl);
    log(`the server (pid ${pid}) answers on ${base}`);
    return { base, get, target, counts, pid, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }

  /** The realistic data set, all in SQL (seconds, not minutes). Returns the benchmarked event. */
  async function seed(client) {
    await client.query("BEGIN");
    // Owners and organizations.
    await client.query(
      `INSERT INTO users (id, email, first_name, last_name, email_verified, updated_at)
       SELECT gen_random_uuid(), 'pages-owner-' || i || '@bench.aqstream.local', 'Организатор', 'Номер ' || i, true, now()
         FROM generate_series(1, $1::int) AS i`,
      [ORGS],
    );
    await client.query(
      `INSERT INTO organizations (id, owner_id, name, slug, description, updated_at)
       SELECT gen_random_uuid(), u.id, 'Сообщество ' || n, 'bench-org-' || n, 'Организатор открытых встреч номер ' || n, now()
         FROM (SELECT id, split_part(split_part(email, '@', 1), '-', 3)::int AS n FROM users WHERE email LIKE 'pages-owner-%') u`,
    );
    await client.query(
      `INSERT INTO organization_members (id, organization_id, user_id, role)
       SELECT gen_random_uuid(), o.id, o.owner_id, 'OWNER' FROM organizations o WHERE o.slug LIKE 'bench-org-%'`,
    );
    // One group per organization (private events).
    await client.query(
      `INSERT INTO groups (id, organization_id, name, invite_code, created_by, updated_at)
       SELECT gen_random_uuid(), o.id, 'Клуб ' || o.slug,
              (SELECT string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + ((row_number * 7 + k * 13 + 3) % 31)::int, 1), '' ORDER BY k)
                 FROM generate_series(0, 7) AS k),
              o.owner_id, now()
         FROM (SELECT o.*, row_number() OVER (ORDER BY o.slug) AS row_number FROM organizations o WHERE o.slug LIKE 'bench-org-%') o`,
    );
    // Events: i = 1..EVENTS round-robin over organizations; every 12th private, every 20th a draft,
    // every 25th in the past (COMPLETED); a third online, a sixth hybrid.
    await client.query(
      `WITH orgs AS (SELECT id, owner_id, slug, row_number() OVER (ORDER BY slug) - 1 AS k FROM organizations WHERE slug LIKE 'bench-org-%'),
            grp AS (SELECT g.id, g.organization_id FROM groups g JOIN orgs ON orgs.id = g.organization_id)
       INSERT INTO events (id, tenant_id, organizer_id, group_id, title, description, status, participants_visibility,
                           starts_at, ends_at, timezone, location_type, location_address, location_url, slug, published_at, completed_at, updated_at)
       SELECT gen_random_uuid(), orgs.id, orgs.owner_id,
              CASE WHEN i % 12 = 0 THEN (SELECT grp.id FROM grp WHERE grp.organization_id = orgs.id) END,
              'Встреча номер ' || i || CASE WHEN i % 3 = 0 THEN ': онлайн-лекция' ELSE ': лекция и нетворкинг' END,
              $2,
              (CASE WHEN i % 20 = 0 THEN 'DRAFT' WHEN i % 25 = 0 THEN 'COMPLETED' ELSE 'PUBLISHED' END)::"EventStatus",
              (CASE WHEN i % 2 = 1 THEN 'OPEN' ELSE 'CLOSED' END)::"ParticipantsVisibility",
              starts, starts + interval '3 hours', 'Europe/Moscow',
              (CASE WHEN i % 3 = 0 THEN 'ONLINE' WHEN i % 6 = 1 THEN 'HYBRID' ELSE 'OFFLINE' END)::"LocationType",
              CASE WHEN i % 3 = 0 THEN NULL ELSE 'Москва, ул. Тверская, ' || i END,
              CASE WHEN i % 3 = 0 OR i % 6 = 1 THEN 'https://meet.example.org/room-' || i END,
              'bench-event-' || i,
              CASE WHEN i % 20 = 0 THEN NULL ELSE now() - interval '10 days' END,
              CASE WHEN i % 25 = 0 AND i % 20 <> 0 THEN now() - interval '1 day' END,
              now()
         FROM generate_series(1, $1::int) AS i
         JOIN orgs ON orgs.k = (i - 1) % (SELECT count(*) FROM orgs)
         CROSS JOIN LATERAL (SELECT CASE WHEN i % 25 = 0 AND i % 20 <> 0 THEN now() - interval '5 days'
                                         ELSE date_trunc('hour', now()) + (i * interval '11 hours') + interval '1 day' END AS starts) s`,
      [EVENTS, LOREM],
    );
    // Ticket types: every event a free one; two of three a paid one; every fifth a VIP with few seats.
    await client.query(
      `INSERT INTO ticket_types (id, event_id, name, description, price_cents, currency, quantity, sort_order, updated_at)
       SELECT gen_random_uuid(), e.id, t.name, t.description, t.price, 'RUB', t.quantity, t.sort, now()
         FROM events e
         JOIN LATERAL (SELECT split_part(e.slug, '-', 3)::int AS i) n ON true
         JOIN LATERAL (VALUES ('Стандартный', 'Вход на все доклады', 0, NULL::int, 0, true),
                              ('Поддержать', 'Помогает оплатить площадку', 50000 + (n.i % 5) * 25000, 300, 1, n.i % 3 <> 0),
                              ('VIP', 'Первый ряд и ужин со спикерами', 500000, 20, 2, n.i % 5 = 0)) AS t(name, description, price, quantity, sort, wanted)
           ON t.wanted
        WHERE e.slug LIKE 'bench-event-%'`,
    );
    // The benchmarked event: the first public, PUBLISHED, OPEN one; it gets a tenth of the registrations.
    const {
      rows: [target],
    } = await client.query(
      `SELECT e.id, e.slug, o.slug AS org FROM events e JOIN organizations o ON o.id = e.tenant_id
        WHERE e.status = 'PUBLISHED' AND e.group_id IS NULL AND e.participants_visibility = 'OPEN' AND e.slug LIKE 'bench-event-%'
        ORDER BY split_part(e.slug, '-', 3)::int LIMIT 1`,
    );
    // Registrations (guests): 10% on the target's free type, the rest round-robin over the other types of
    // non-draft events. Codes are 8 characters of the ticket alphabet, unique by construction (base 31 of i).
    await client.query(
      `WITH types AS (
          SELECT t.id, t.event_id, e.tenant_id, t.price_cents, row_number() OVER (ORDER BY t.event_id, t.sort_order) - 1 AS k
            FROM ticket_types t JOIN events e ON e.id = t.event_id
           WHERE e.slug LIKE 'bench-event-%' AND e.status <> 'DRAFT' AND (t.quantity IS NULL) AND e.id <> $2::uuid
       ), target AS (
          SELECT t.id, t.event_id, e.tenant_id, t.price_cents FROM ticket_types t JOIN events e ON e.id = t.event_id
           WHERE e.id = $2::uuid AND t.quantity IS NULL LIMIT 1
       ), n AS (SELECT count(*) AS c FROM types)
       INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, status, confirmation_code, first_name, last_name, email,
                                  price_cents, currency, confirmed_at, created_at, updated_at)
       SELECT gen_random_uuid(), tt.tenant_id, tt.event_id, tt.id,
              (CASE WHEN i % 17 = 0 THEN 'CHECKED_IN' ELSE 'CONFIRMED' END)::"RegistrationStatus",
              (SELECT string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + ((i / (31 ^ k)::bigint) % 31)::int, 1), '' ORDER BY k) FROM generate_series(0, 7) AS k),
              (ARRAY['Анна','Борис','Вера','Глеб','Дарья','Егор','Жанна','Илья','Ксения','Лев','Мария','Никита'])[1 + i % 12],
              (ARRAY['Петрова','Смирнов','Иванова','Орлов','Соколова','Волков','Зайцева','Морозов'])[1 + i % 8],
              'guest-' || i || '@bench.aqstream.local', tt.price_cents, 'RUB', now(), now(), now()
         FROM generate_series(1, $1::int) AS i
         CROSS JOIN n
         JOIN LATERAL (
           SELECT * FROM target WHERE i % 10 = 0
           UNION ALL
           SELECT id, event_id, tenant_id, price_cents FROM types WHERE i % 10 <> 0 AND types.k = i % n.c
         ) tt ON true`,
      [REGISTRATIONS, target.id],
    );
    await client.query(
      `UPDATE ticket_types t SET sold_count = c.n
         FROM (SELECT ticket_type_id, count(*)::int AS n FROM registrations WHERE status IN ('CONFIRMED', 'CHECKED_IN') GROUP BY ticket_type_id) c
        WHERE c.ticket_type_id = t.id`,
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
    const {
      rows: [counts],
    } = await client.query(
      `SELECT (SELECT count(*) FROM organizations)::int AS orgs, (SELECT count(*) FROM events)::int AS events,
              (SELECT count(*) FROM events WHERE status = 'PUBLISHED' AND group_id IS NULL AND starts_at > now())::int AS listed,
              (SELECT count(*) FROM ticket_types)::int AS types, (SELECT count(*) FROM registrations)::int AS registrations,
              (SELECT count(*) FROM registrations WHERE event_id = $1::uuid)::int AS on_target`,
      [target.id],
    );
    return { target, counts };
  }

  async function startServer(databaseUrl) {
    // The benchmarks' server settings (scripts/bench/kit.mjs): production, this machine exempt from per-IP limits, nothing external.
    const env = serverEnv({ port: PORT, databaseUrl, authSecret: AUTH_SECRET });
    server = await startAppServer({
      port: PORT,
      env,
      label,
      onExit: (code, signal) => {
        if (!stopping) {
          console.error(`[${label}] the server exited (${signal ?? `exit ${code}`})`);
          void cleanup().then(() => process.exit(1));
        }
      },
    });
    return server.pid;
  }
}
