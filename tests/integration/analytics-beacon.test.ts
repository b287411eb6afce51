// POST /api/analytics/beacon against a real PostgreSQL (lib/analytics/beacon.ts): many beacons in parallel
// write nothing per request and, after one flush (ONE statement), exactly the counts sent; two processes'
// aggregators add up; unknown, draft, deleted events (and a deleted organization's) write nothing; bots,
// Do Not Track / GPC and bad bodies write nothing (bad bodies: 400 with field errors; cross-site: 403);
// the per-address limit; the day in the event's time zone; a failed flush keeps the counts and the next
// one writes them once; the map's bound as it reaches the table.
import pg from "pg";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { POST } from "@/app/api/analytics/beacon/route";
import { OTHER_SOURCE, PageViewAggregator, flushPageViews, processPageViews, type PageViewKey } from "@/lib/analytics/beacon";
import { db, onPg, onPool, pgPool } from "@/lib/db";
import type { Event } from "@/lib/generated/prisma/client";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { createEvent, createOrganization } from "@/tests/helpers/factories";

const BASE = "http://localhost";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

type Body = { e: string; s: "VIEW" | "FORM_OPEN"; r?: string; u?: string };

/** A browser's beacon: sendBeacon's text/plain body, same-origin, a real user agent, from `ip`. */
function beacon(body: Body | string, { ip = uniqueIp(), headers = {} as Record<string, string> } = {}): Request {
  const h = fromClient(ip, {
    "content-type": "text/plain;charset=UTF-8",
    origin: BASE,
    "sec-fetch-site": "same-origin",
    "user-agent": CHROME,
    "accept-language": "en",
    ...headers,
  });
  return new Request(`${BASE}/api/analytics/beacon`, { method: "POST", headers: h, body: typeof body === "string" ? body : JSON.stringify(body) });
}

type Row = { eventId: string; day: string; step: string; source: string; utmSource: string; utmMedium: string; utmCampaign: string; count: number };

async function rowsOf(...events: Event[]): Promise<Row[]> {
  const rows = await db.analyticsPageView.findMany({ where: { eventId: { in: events.map((e) => e.id) } } });
  return rows
    .map((r) => ({ ...r, day: r.day.toISOString().slice(0, 10), count: Number(r.count) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Today in a time zone, by the database's clock (as the flush decides it). */
async function todayIn(timezone: string): Promise<string> {
  const [row] = await db.$queryRaw<{ day: string }[]>`SELECT (now() AT TIME ZONE ${timezone})::date::text AS day`;
  return row.day;
}

function expectedRows(counts: Map<string, number>, days: Record<string, string>): Row[] {
  return [...counts]
    .map(([key, count]) => {
      const [eventId, step, source, utmSource, utmMedium, utmCampaign] = JSON.parse(key) as string[];
      return { eventId, day: days[eventId], step, source, utmSource, utmMedium, utmCampaign, count };
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const key = (k: PageViewKey) => JSON.stringify([k.eventId, k.step, k.source, k.utmSource, k.utmMedium, k.utmCampaign]);
const view = (eventId: string, over: Partial<PageViewKey> = {}): PageViewKey => ({ eventId, step: "VIEW", source: "", utmSource: "", utmMedium: "", utmCampaign: "", ...over });

async function organizationWith(...overrides: Parameters<typeof createEvent>[1][]): Promise<Event[]> {
  const { organization } = await createOrganization();
  return Promise.all(overrides.map((o) => createEvent(organization, o)));
}

beforeAll(async () => {
  // The process's aggregator without its timer: nothing is written unless a test flushes (so "nothing
  // written before the flush" is a fact, not a race with the 5-second timer).
  await processPageViews().stop();
});

describe("POST /api/analytics/beacon", () => {
  test("300 beacons in parallel: 204 each, no cookie, nothing written per request; one flush = one statement with exactly the counts", async () => {
    const [a, b] = await organizationWith({ timezone: "Europe/Moscow" }, { timezone: "Asia/Vladivostok" });
    const referrers: [string | undefined, string][] = [
      [undefined, ""],
      ["", ""],
      ["https://www.google.com", "google.com"],
      ["https://t.me", "t.me"],
      ["android-app://org.telegram.messenger", "org.telegram.messenger"],
      // Our own pages are not a source.
      [`${BASE}/events`, ""],
    ];
    const pages: [string | undefined, [string, string, string]][] = [
      [undefined, ["", "", ""]],
      ["?utm_source=Telegram&utm_campaign=Spring", ["telegram", "", "spring"]],
      [`${BASE}/e/org/event?utm_source=vk&utm_medium=POST&other=1`, ["vk", "post", ""]],
    ];
    const expected = new Map<string, number>();
    const requests: Request[] = [];
    for (let i = 0; i < 300; i++) {
      const event = i % 3 === 0 ? b : a;
      const step = i % 4 === 0 ? "FORM_OPEN" : "VIEW";
      const [r, source] = referrers[i % referrers.length];
      const [u, [utmSource, utmMedium, utmCampaign]] = pages[i % pages.length];
      const k = key({ eventId: event.id, step, source, utmSource, utmMedium, utmCampaign });
      expected.set(k, (expected.get(k) ?? 0) + 1);
      requests.push(beacon({ e: event.id, s: step, ...(r === undefined ? {} : { r }), ...(u === undefined ? {} : { u }) }));
    }
    const responses = await Promise.all(requests.map((request) => POST(request)));
    expect(responses.map((r) => r.status)).toEqual(Array(300).fill(204));
    expect(responses.every((r) => r.headers.get("set-cookie") === null)).toBe(true);
    expect(await rowsOf(a, b)).toEqual([]);
    expect(processPageViews().pending).toBe(300);

    const query = vi.spyOn(pgPool(), "query");
    const result = await flushPageViews();
    const statements = query.mock.calls.length;
    query.mockRestore();
    expect(statements).toBe(1);
    expect(result).toMatchObject({ ok: true, views: 300, keys: expected.size, written: expected.size });

    const days = { [a.id]: await todayIn("Europe/Moscow"), [b.id]: await todayIn("Asia/Vladivostok") };
    expect(await rowsOf(a, b)).toEqual(expectedRows(expected, days));
    expect((await rowsOf(a, b)).reduce((n, r) => n + r.count, 0)).toBe(300);
  });

  test("unknown, draft, deleted events and a deleted organization's write nothing; cancelled and completed events count", async () => {
    const [counted, draft, deleted, cancelled, completed] = await organizationWith(
      {},
      { status: "DRAFT" },
      { deletedAt: new Date() },
      { status: "CANCELLED", cancelledAt: new Date() },
      { status: "COMPLETED", startsAt: new Date(Date.now() - 86_400_000) },
    );
    const [ofDeletedOrg] = await organizationWith({});
    await db.organization.update({ where: { id: ofDeletedOrg.organizationId }, data: { deletedAt: new Date() } });
    const unknown = "9b2f6c1e-0a4d-4e8f-9c3b-5d7e1f2a4b6c";

    const ids = [counted.id, draft.id, deleted.id, cancelled.id, completed.id, ofDeletedOrg.id, unknown];
    const responses = await Promise.all(ids.flatMap((e) => [POST(beacon({ e, s: "VIEW" })), POST(beacon({ e, s: "FORM_OPEN" }))]));
    expect(responses.map((r) => r.status)).toEqual(Array(14).fill(204));

    const result = await flushPageViews();
    // One statement for all 14 keys; the join keeps the three counted events' six.
    expect(result).toMatchObject({ ok: true, keys: 14, views: 14, written: 6 });
    const rows = await rowsOf(counted, draft, deleted, cancelled, completed, ofDeletedOrg);
    expect(rows.map((r) => [r.eventId, r.step, r.count]).sort()).toEqual(
      [
        [counted.id, "FORM_OPEN", 1],
        [counted.id, "VIEW", 1],
        [cancelled.id, "FORM_OPEN", 1],
        [cancelled.id, "VIEW", 1],
        [completed.id, "FORM_OPEN", 1],
        [completed.id, "VIEW", 1],
      ].sort(),
    );
    expect(await db.analyticsPageView.count({ where: { eventId: { in: [draft.id, deleted.id, ofDeletedOrg.id, unknown] } } })).toBe(0);
  });

  test("bots, Do Not Track, GPC and requests without a user agent: 204 and counted nowhere", async () => {
    const [event] = await organizationWith({});
    const dropped: Record<string, string>[] = [
      { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
      { "user-agent": "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)" },
      { "user-agent": "TelegramBot (like TwitterBot)" },
      { "user-agent": "curl/8.5.0" },
      { "user-agent": "" },
      { dnt: "1" },
      { "sec-gpc": "1" },
    ];
    for (const headers of dropped) {
      const res = await POST(beacon({ e: event.id, s: "VIEW", r: "https://t.me" }, { headers }));
      expect(res.status, JSON.stringify(headers)).toBe(204);
    }
    expect(processPageViews().pending).toBe(0);
    await flushPageViews();
    expect(await rowsOf(event)).toEqual([]);
  });

  test("bad bodies are 400 with field errors, cross-site requests 403; nothing is counted", async () => {
    const [event] = await organizationWith({});
    const bad = async (body: string, field: string, text?: RegExp) => {
      const res = await POST(beacon(body));
      expect(res.status, body.slice(0, 80)).toBe(400);
      const json = await res.json();
      expect(json).toMatchObject({ ok: false, code: "VALIDATION" });
      expect(Object.keys(json.fieldErrors)).toEqual([field]);
      if (text) expect(json.fieldErrors[field]).toMatch(text);
    };
    await bad("{not json", "_form", /JSON object/);
    await bad("", "_form");
    await bad(JSON.stringify([event.id]), "_form");
    await bad(JSON.stringify({ s: "VIEW" }), "e", /event id/);
    await bad(JSON.stringify({ e: "1; DROP TABLE events", s: "VIEW" }), "e");
    await bad(JSON.stringify({ e: event.id, s: "PURCHASE" }), "s", /VIEW or FORM_OPEN/);
    await bad(JSON.stringify({ e: event.id, s: "VIEW", r: "no url" }), "r");
    await bad(JSON.stringify({ e: event.id, s: "VIEW", u: `?utm_source=${"x".repeat(3000)}` }), "_form", /too large/);

    const evil = await POST(beacon({ e: event.id, s: "VIEW" }, { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } }));
    expect(evil.status).toBe(403);
    // A browser that says cross-site is refused even when the Origin header looks like ours.
    expect((await POST(beacon({ e: event.id, s: "VIEW" }, { headers: { "sec-fetch-site": "cross-site" } }))).status).toBe(403);

    expect(processPageViews().pending).toBe(0);
    await flushPageViews();
    expect(await rowsOf(event)).toEqual([]);
  });

  test("the per-address limit: 120 a minute from one address; the 121st is 429 and not counted; another address is not affected", async () => {
    const [event] = await organizationWith({});
    const ip = uniqueIp();
    const responses = await Promise.all(Array.from({ length: 121 }, () => POST(beacon({ e: event.id, s: "VIEW" }, { ip }))));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(120);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(responses.find((r) => r.status === 429)?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await POST(beacon({ e: event.id, s: "VIEW" }))).status).toBe(204);
    await flushPageViews();
    expect((await rowsOf(event)).map((r) => r.count)).toEqual([121]);
  });
});

describe("the flush", () => {
  test("two processes' aggregators add up, flushing the same keys at the same time; later flushes add to the rows", async () => {
    const [event] = await organizationWith({});
    const one = new PageViewAggregator();
    const two = new PageViewAggregator();
    for (let i = 0; i < 40; i++) {
      one.add(view(event.id, { source: `s${i % 5}.test` }));
      two.add(view(event.id, { source: `s${i % 4}.test` }), 2);
    }
    const [r1, r2] = await Promise.all([one.flush(), two.flush()]);
    expect(r1).toMatchObject({ ok: true, views: 40, written: 5 });
    expect(r2).toMatchObject({ ok: true, views: 80, written: 4 });
    expect((await rowsOf(event)).map((r) => [r.source, r.count])).toEqual([
      ["s0.test", 8 + 20],
      ["s1.test", 8 + 20],
      ["s2.test", 8 + 20],
      ["s3.test", 8 + 20],
      ["s4.test", 8],
    ]);
    one.add(view(event.id, { source: "s4.test" }), 7);
    await one.flush();
    expect((await rowsOf(event)).find((r) => r.source === "s4.test")?.count).toBe(15);
    expect((await rowsOf(event)).reduce((n, r) => n + r.count, 0)).toBe(40 + 80 + 7);
  });

  test("one statement however many views: 5,000 views of 200 keys", async () => {
    const [event, other] = await organizationWith({}, {});
    const aggregator = new PageViewAggregator();
    for (let i = 0; i < 5_000; i++) {
      // 2 events × 2 steps × 50 campaigns, 25 views each.
      aggregator.add(view(i % 2 ? event.id : other.id, { step: Math.floor(i / 2) % 2 ? "VIEW" : "FORM_OPEN", utmCampaign: `c${Math.floor(i / 4) % 50}` }));
    }
    expect(aggregator.size).toBe(200);
    const query = vi.spyOn(pgPool(), "query");
    const result = await aggregator.flush();
    const statements = query.mock.calls.length;
    query.mockRestore();
    expect(statements).toBe(1);
    expect(result).toMatchObject({ ok: true, keys: 200, views: 5_000, written: 200 });
    const rows = await rowsOf(event, other);
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.count === 25)).toBe(true);
  });

  test("a failed flush (the database unreachable) keeps the counts; the next one writes them exactly once", async () => {
    const [event] = await organizationWith({});
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // The first flush runs on a pool that is already closed: its statement fails like a lost database.
    const dead = new pg.Pool({ connectionString: process.env.DATABASE_URL });
    await dead.end();
    let calls = 0;
    const aggregator = new PageViewAggregator({ runner: () => (++calls === 1 ? onPg(dead) : onPool()) });
    aggregator.add(view(event.id, { source: "t.me" }), 3);
    aggregator.add(view(event.id, { step: "FORM_OPEN" }), 2);

    const failed = await aggregator.flush();
    expect(failed).toMatchObject({ ok: false, keys: 2, views: 5, written: 0 });
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/flush failed \(1 in a row\); 5 view\(s\) kept/), expect.any(String));
    expect(await rowsOf(event)).toEqual([]);
    expect(aggregator.pending).toBe(5);

    aggregator.add(view(event.id, { source: "t.me" }));
    expect(await aggregator.flush()).toMatchObject({ ok: true, keys: 2, views: 6, written: 2 });
    expect((await rowsOf(event)).map((r) => [r.step, r.source, r.count])).toEqual([
      ["FORM_OPEN", "", 2],
      ["VIEW", "t.me", 4],
    ]);
    // Nothing is left to write twice.
    expect(await aggregator.flush()).toMatchObject({ ok: true, keys: 0 });
    expect((await rowsOf(event)).reduce((n, r) => n + r.count, 0)).toBe(6);
    logged.mockRestore();
  });

  test("the day is today in the event's time zone (UTC+14 and UTC−11 are always different days)", async () => {
    const [east, west] = await organizationWith({ timezone: "Pacific/Kiritimati" }, { timezone: "Pacific/Pago_Pago" });
    const aggregator = new PageViewAggregator();
    aggregator.add(view(east.id));
    aggregator.add(view(west.id));
    const before = { east: await todayIn("Pacific/Kiritimati"), west: await todayIn("Pacific/Pago_Pago") };
    await aggregator.flush();
    const after = { east: await todayIn("Pacific/Kiritimati"), west: await todayIn("Pacific/Pago_Pago") };
    const [eastRow] = await rowsOf(east);
    const [westRow] = await rowsOf(west);
    expect([before.east, after.east]).toContain(eastRow.day);
    expect([before.west, after.west]).toContain(westRow.day);
    expect(eastRow.day).not.toBe(westRow.day);
  });

  test("the map's bound reaches the table: keys beyond it are counted under 'other' for their event and step", async () => {
    const [event] = await organizationWith({});
    const aggregator = new PageViewAggregator({ maxKeys: 4 });
    for (let i = 0; i < 7; i++) aggregator.add(view(event.id, { source: `site${i}.test`, utmSource: "mail" }));
    await aggregator.flush();
    expect((await rowsOf(event)).map((r) => [r.source, r.utmSource, r.count])).toEqual([
      [OTHER_SOURCE, "", 3],
      ["site0.test", "mail", 1],
      ["site1.test", "mail", 1],
      ["site2.test", "mail", 1],
      ["site3.test", "mail", 1],
    ]);
  });
});
