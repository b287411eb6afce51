// npm start serves on every core (issue 13): the supervisor (scripts/cluster.mjs) runs two web processes
// (WEB_CONCURRENCY=2, set by scripts/test-embedded.mjs) and one worker against the embedded PostgreSQL.
// Over HTTP only — no browser — this proves, against the real server:
//   1. the cluster: /api/health names every process; registrations answered by both web processes sell
//      exactly the seats; a job a web process enqueues is run once, by the worker; only the worker runs
//      the job runner and the crons;
//   2. the shared cache: an event page cached by both web processes shows a change on both after ONE
//      revalidation reaches one of them (lib/cache/cache-handler.mjs over PostgreSQL NOTIFY);
//   3. fault tolerance: kill -9 of a web process in the middle of a rush loses no answered registration
//      and oversells nothing, the other keeps serving, the supervisor starts a new one; kill -9 of the
//      worker delays jobs, loses none, and after its restart each runs once.
// scripts/test-embedded.mjs also fails the layer when the server logs any error line.
import { createHmac, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import bcrypt from "bcryptjs";
import { encode } from "next-auth/jwt";
import { expect, test } from "@playwright/test";
import pg from "pg";

type State = { baseUrl: string; databaseUrl: string; authSecret: string; logFile: string };
const state = JSON.parse(fs.readFileSync(process.env.E2E_EMBEDDED_STATE_FILE!, "utf8")) as State;
const DEMO_ORG = "aqstream-demo";
const COOKIE = "authjs.session-token";

type Proc = { name: string; role: "web" | "worker"; pid: number | null; restarts: number; ready: boolean };
type Health = { ok: boolean; role: string; pid: number; instance: string; database: string; cluster: { supervisorPid: number; processes: Proc[] } | null };
type Answer = { status: number; instance: string | null; body: string };

/** One request on a connection of its own, so the supervisor hands each to the next web process in turn. */
function call(
  method: string,
  path: string,
  { headers = {}, body, timeoutMs = 30_000 }: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  const url = new URL(path, state.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent: false, headers: { ...headers, ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, instance: (res.headers["x-aq-instance"] as string) ?? null, body: text }));
        res.on("error", reject);
      },
    );
    // A connection handed to a process at the moment it is killed gets no answer at all: give up on it.
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

async function health(): Promise<Health> {
  const answer = await call("GET", "/api/health");
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as Health;
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: state.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A published event of the demo organization with `seats` free seats; guests allowed. */
async function makeEvent(seats: number, title = `Кластер ${randomUUID().slice(0, 8)}`) {
  const [org] = await query<{ id: string; owner_id: string }>("SELECT id, owner_id FROM organizations WHERE slug = $1", [DEMO_ORG]);
  const eventId = randomUUID();
  const ticketTypeId = randomUUID();
  const slug = `cluster-${randomUUID().slice(0, 8)}`;
  const startsAt = new Date(Date.now() + 7 * 24 * 3600_000);
  await query(
    `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, slug, location_address, published_at, settings)
     VALUES ($1, $2, $3, $4, 'PUBLISHED', $5, $6, $7, 'Москва', now(), '{"allowGuests": true}')`,
    [eventId, org!.id, org!.owner_id, title, startsAt, new Date(startsAt.getTime() + 2 * 3600_000), slug],
  );
  await query(`INSERT INTO ticket_types (id, event_id, name, price_cents, quantity) VALUES ($1, $2, 'Вход', 0, $3)`, [ticketTypeId, eventId, seats]);
  return { eventId, ticketTypeId, slug, title };
}

/** `count` participants with live sessions; returns their ids and session cookies (as Auth.js makes them). */
async function makePeople(count: number) {
  const hash = bcrypt.hashSync(randomUUID(), 4);
  const suffix = randomUUID().slice(0, 8);
  const people: { id: string; cookie: string }[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const sid = randomUUID();
    await query(
      `WITH u AS (INSERT INTO users (id, email, email_verified, email_verified_at, password_hash, first_name, last_name)
                  VALUES ($1, $2, true, now(), $3, 'Участник', $4) RETURNING id)
       INSERT INTO user_sessions (id, user_id, user_agent, ip, expires_at) SELECT $5, id, 'cluster spec', '127.0.0.1', now() + interval '1 day' FROM u`,
      [id, `cluster-${suffix}-${i}@example.com`, hash, `Кластеров${i}`, sid],
    );
    const cookie = await encode({ token: { sub: id, sid }, secret: state.authSecret, salt: COOKIE, maxAge: 24 * 3600 });
    people.push({ id, cookie });
  }
  return people;
}

function register(eventId: string, ticketTypeId: string, who: { cookie?: string; guest?: { email: string } }, timeoutMs?: number) {
  const body = JSON.stringify({
    ticketTypeId,
    ...(who.guest ? { firstName: "Гость", lastName: "Кластера", email: who.guest.email } : {}),
  });
  return call("POST", `/api/v1/events/${eventId}/registrations`, {
    headers: { "idempotency-key": randomUUID(), "accept-language": "ru", ...(who.cookie ? { cookie: `${COOKIE}=${who.cookie}` } : {}) },
    body,
    timeoutMs,
  });
}

const byName = (h: Health, name: string) => h.cluster!.processes.find((p) => p.name === name)!;

async function waitForRestart(name: string, oldPid: number): Promise<Proc> {
  let found: Proc | undefined;
  await expect
    .poll(
      async () => {
        found = byName(await health(), name);
        return found.ready && found.pid !== oldPid;
      },
      { timeout: 60_000, intervals: [250] },
    )
    .toBe(true);
  return found!;
}

test.describe.configure({ mode: "serial" });

test("the supervisor runs two web processes and one worker; only the worker runs jobs and crons", async () => {
  const h = await health();
  expect(h.ok).toBe(true);
  expect(h.database).toBe("ok");
  const processes = h.cluster!.processes;
  expect(processes.map((p) => [p.name, p.role, p.ready])).toEqual([
    ["web-1", "web", true],
    ["web-2", "web", true],
    ["worker", "worker", true],
  ]);
  expect(new Set(processes.map((p) => p.pid)).size).toBe(3);
  // The pages are served by both web processes, never by the worker.
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) seen.add((await call("GET", "/api/health/live")).instance ?? "none");
  expect([...seen].sort()).toEqual(["web-1", "web-2"]);
  // Background work started in the worker only (its output lines carry its name).
  const log = fs.readFileSync(state.logFile, "utf8");
  expect(log).toMatch(/^\[worker \d+\] .*\[jobs\] embedded runner started/m);
  expect(log).not.toMatch(/^\[web-\d+ \d+\] .*\[jobs\] embedded runner started/m);
  // Cron ticks are claimed (by the worker: nobody else runs a runner) and each tick's job ran once.
  await expect
    .poll(async () => (await query<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE event_name = 'cron' AND status = 'SUCCEEDED'"))[0]!.n, {
      timeout: 90_000,
      intervals: [1000],
    })
    .toBeGreaterThan(0);
  const [cron] = await query<{ runs: number; extra: number }>(
    "SELECT count(*)::int AS runs, count(*) FILTER (WHERE attempts <> 1)::int AS extra FROM jobs WHERE event_name = 'cron' AND status = 'SUCCEEDED'",
  );
  expect(cron!.extra).toBe(0);
});

test("registrations through both web processes sell exactly the seats; their jobs run once, in the worker", async () => {
  const seats = 6;
  const event = await makeEvent(seats);
  const people = await makePeople(8);
  // Two guests first (their seats are certain, so are their ticket-email jobs), then eight participants
  // rush the four seats left, on connections the supervisor hands to both web processes in turn.
  const guests = [0, 1].map((i) => `guest-${randomUUID().slice(0, 8)}-${i}@example.com`);
  const guestAnswers = [];
  for (const email of guests) guestAnswers.push(await register(event.eventId, event.ticketTypeId, { guest: { email } }));
  expect(guestAnswers.map((a) => a.status)).toEqual([201, 201]);
  const answers = await Promise.all(people.map((p) => register(event.eventId, event.ticketTypeId, { cookie: p.cookie })));
  expect(answers.filter((a) => a.status === 201)).toHaveLength(seats - guests.length);
  expect(answers.filter((a) => a.status === 409)).toHaveLength(people.length - (seats - guests.length));
  expect(new Set([...guestAnswers, ...answers].map((a) => a.instance))).toEqual(new Set(["web-1", "web-2"]));
  const [row] = await query<{ sold: number; confirmed: number }>(
    `SELECT t.sold_count AS sold, (SELECT count(*)::int FROM registrations r WHERE r.ticket_type_id = t.id AND r.status = 'CONFIRMED') AS confirmed
     FROM ticket_types t WHERE t.id = $1`,
    [event.ticketTypeId],
  );
  expect(row).toEqual({ sold: seats, confirmed: seats });
  // The guests' tickets: the email notice is written by a web process with the sale, its job run by the
  // worker, once each (no SMTP here: it lands in the dev mailbox).
  const ids = guestAnswers.map((a) => (JSON.parse(a.body) as { registration: { registrationId: string } }).registration.registrationId);
  await expect
    .poll(
      async () =>
        (
          await query<{ state: string }>(
            `SELECT j.status || '/' || j.attempts || '/' || n.status AS state
               FROM notification_logs n JOIN jobs j ON j.name = 'deliver-notification' AND j.payload->>'notificationId' = n.id::text
              WHERE n.registration_id = ANY($1::uuid[]) AND n.template_code = 'registration.confirmed' AND n.channel = 'EMAIL'`,
            [ids],
          )
        ).map((r) => r.state),
      { timeout: 30_000 },
    )
    .toEqual(["SUCCEEDED/1/SENT", "SUCCEEDED/1/SENT"]);
  const mails = await query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox WHERE "to" = ANY($1)', [guests]);
  expect(mails[0]!.n).toBe(2);
});

test("a revalidation in one web process reaches the other: both serve the changed event page", async () => {
  const event = await makeEvent(5, `Страница до ${randomUUID().slice(0, 6)}`);
  const page = `/e/${DEMO_ORG}/${event.slug}`;
  // Both processes cache the page (the first renders it, the other reads it and keeps it in memory).
  const cached = new Set<string>();
  for (let i = 0; i < 12 && cached.size < 2; i++) {
    const answer = await call("GET", page, { headers: { "accept-language": "ru" } });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(event.title);
    if (i > 0) cached.add(answer.instance!);
  }
  expect(cached.size).toBe(2);

  const changed = `Страница после ${randomUUID().slice(0, 6)}`;
  await query("UPDATE events SET title = $1 WHERE id = $2", [changed, event.eventId]);
  // What the worker does after a change outside a request (lib/public/revalidate.ts): one signed POST,
  // which lands on ONE web process.
  const body = JSON.stringify({ paths: [`/ru/e/${DEMO_ORG}/${event.slug}`, `/en/e/${DEMO_ORG}/${event.slug}`] });
  const signature = createHmac("sha256", `aq-public-revalidate:${state.authSecret}`).update(body).digest("hex");
  const posted = await call("POST", "/api/events/revalidate", { headers: { "x-aq-signature": signature }, body });
  expect(posted.status).toBe(200);

  const fresh = new Set<string>();
  await expect
    .poll(
      async () => {
        const answer = await call("GET", page, { headers: { "accept-language": "ru" } });
        if (answer.body.includes(changed)) fresh.add(answer.instance!);
        else fresh.clear(); // a stale answer after a fresh one would be the bug
        return fresh.size;
      },
      { timeout: 15_000, intervals: [100] },
    )
    .toBe(2);
  // Once fresh everywhere, it stays so: nobody serves the old title any more.
  for (let i = 0; i < 6; i++) expect((await call("GET", page, { headers: { "accept-language": "ru" } })).body).toContain(changed);
});

test("kill -9 of a web process mid-rush: no answered registration lost, nothing oversold, a new process serves", async () => {
  const seats = 12;
  const event = await makeEvent(seats);
  const people = await makePeople(30);
  const before = await health();
  const victim = byName(before, "web-1");
  const survivor = byName(before, "web-2");

  const settled: Promise<{ person: string; afterKill: boolean; answer?: Answer; error?: unknown }>[] = [];
  const fire = (p: { id: string; cookie: string }, afterKill: boolean) =>
    settled.push(
      register(event.eventId, event.ticketTypeId, { cookie: p.cookie }, 8_000).then(
        (answer) => ({ person: p.id, afterKill, answer }),
        (error: unknown) => ({ person: p.id, afterKill, error }),
      ),
    );
  for (const p of people.slice(0, 10)) fire(p, false);
  await new Promise((r) => setTimeout(r, 30));
  process.kill(victim.pid!, "SIGKILL");
  for (const p of people.slice(10, 20)) fire(p, true);
  await new Promise((r) => setTimeout(r, 100));
  for (const p of people.slice(20)) fire(p, true);
  const results = await Promise.all(settled);

  // The other process kept serving: answers arrived after the kill, all from web-2 or the new web-1.
  const answered = results.filter((r) => r.answer);
  expect(answered.length).toBeGreaterThan(0);
  expect(answered.every((r) => r.answer!.status === 201 || r.answer!.status === 409)).toBe(true);
  // Requests sent after the kill were answered (by the survivor: web-1 needs more than a second to come back).
  expect(answered.filter((r) => r.afterKill && r.answer!.instance === "web-2").length).toBeGreaterThan(0);
  const live = await call("GET", "/api/health/live");
  expect(live.status).toBe(200);

  // Every 2xx has its registration; nothing beyond the seats was sold.
  const won = answered.filter((r) => r.answer!.status === 201);
  console.log(
    `[cluster spec] rush with kill -9 of web-1 (pid ${victim.pid}): ${won.length} × 201, ${answered.length - won.length} × 409, ${results.length - answered.length} connections cut or unanswered`,
  );
  const confirmed = await query<{ user_id: string }>("SELECT user_id FROM registrations WHERE ticket_type_id = $1 AND status = 'CONFIRMED'", [event.ticketTypeId]);
  const holders = new Set(confirmed.map((c) => c.user_id));
  for (const r of won) expect(holders.has(r.person), `the answered registration of ${r.person} is in the database`).toBe(true);
  expect(confirmed.length).toBeLessThanOrEqual(seats);
  const [tt] = await query<{ sold: number }>("SELECT sold_count AS sold FROM ticket_types WHERE id = $1", [event.ticketTypeId]);
  expect(tt!.sold).toBe(confirmed.length);
  // Those whose request died with the process lost nothing either: a retry (new key) settles it.
  // The supervisor started web-1 again; the new process serves.
  const restarted = await waitForRestart("web-1", victim.pid!);
  expect(restarted.restarts).toBeGreaterThanOrEqual(1);
  expect(byName(await health(), "web-2").pid).toBe(survivor.pid);
  await expect
    .poll(async () => {
      const answer = await call("GET", "/api/health/live");
      return answer.instance === "web-1" ? (JSON.parse(answer.body) as { pid: number }).pid : null;
    }, { timeout: 20_000 })
    .toBe(restarted.pid);
});

test("kill -9 of the worker: jobs wait, none is lost, after the restart each runs once", async () => {
  const event = await makeEvent(10);
  const before = await health();
  const worker = byName(before, "worker");
  process.kill(worker.pid!, "SIGKILL");
  // While it is down, web processes keep taking registrations and enqueue the guests' ticket emails.
  const emails = [0, 1, 2, 3].map((i) => `worker-kill-${randomUUID().slice(0, 8)}-${i}@example.com`);
  const answers = await Promise.all(emails.map((email) => register(event.eventId, event.ticketTypeId, { guest: { email } })));
  expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
  const ids = answers.map((a) => (JSON.parse(a.body) as { registration: { registrationId: string } }).registration.registrationId);
  // Each guest's ticket is an email notice written with the sale; its delivery job waits for the worker.
  const jobs = () =>
    query<{ status: string; attempts: number }>(
      `SELECT j.status, j.attempts
         FROM notification_logs n JOIN jobs j ON j.name = 'deliver-notification' AND j.payload->>'notificationId' = n.id::text
        WHERE n.registration_id = ANY($1::uuid[]) AND n.template_code = 'registration.confirmed' AND n.channel = 'EMAIL'`,
      [ids],
    );
  const waiting = await jobs();
  expect(waiting).toHaveLength(4);
  const workerNow = byName(await health(), "worker");
  if (!workerNow.ready) expect(waiting.every((j) => j.status === "PENDING")).toBe(true); // delayed, not run

  await waitForRestart("worker", worker.pid!);
  await expect.poll(async () => (await jobs()).map((j) => `${j.status}/${j.attempts}`).sort(), { timeout: 30_000 }).toEqual(Array(4).fill("SUCCEEDED/1"));
  // Each guest got exactly one ticket email (in the dev mailbox: no SMTP here).
  await expect
    .poll(async () => (await query<{ to: string; n: number }>('SELECT "to", count(*)::int AS n FROM mail_outbox WHERE "to" = ANY($1) GROUP BY "to"', [emails])).map((r) => r.n), {
      timeout: 30_000,
    })
    .toEqual([1, 1, 1, 1]);
});
