// The page-view beacon's pure decisions (lib/analytics/beacon.ts): body limits and validation, source and
// utm_* normalisation, the bot / Do Not Track / GPC verdicts, the in-memory aggregator's bounds and its
// flush (one statement; counts kept after a failure, given up after too many), and the server's shutdown
// hooks (scripts/server.mjs) that flush it when the process stops. The database side is
// tests/integration/analytics-beacon.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BEACON_MAX_BODY_BYTES,
  COUNTED_EVENT_STATUSES,
  OTHER_SOURCE,
  PageViewAggregator,
  SHUTDOWN_HOOKS_KEY,
  UTM_MAX_CHARS,
  cleanValue,
  dropReason,
  ownHosts,
  pageViewKeyOf,
  pageViewsUpsert,
  parseBeaconBody,
  readBeaconText,
  sourceOf,
  utmOf,
  type PageViewKey,
} from "@/lib/analytics/beacon";
import type { Sql, SqlRunner } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { LIMITS } from "@/lib/http/limits";
import { PUBLIC_PAGE_STATUSES } from "@/lib/public/queries";
import { runShutdownHooks } from "@/scripts/server.mjs";

const EVENT = "6f1c2b9e-3d4a-4b5c-8d6e-7f8091a2b3c4";
const CHROME = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

function fieldErrors(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (error) {
    if (isAppError(error) && error.code === "VALIDATION") return error.fieldErrors ?? {};
    throw error;
  }
  throw new Error("expected a VALIDATION error");
}

async function fieldErrorsAsync(promise: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error) && error.code === "VALIDATION") return error.fieldErrors ?? {};
    throw error;
  }
  throw new Error("expected a VALIDATION error");
}

const headers = (init: Record<string, string>) => new Headers(init);

describe("the body", () => {
  it("accepts the client's body (text/plain JSON), lower-cases the event id, ignores other keys", () => {
    const body = parseBeaconBody(JSON.stringify({ e: EVENT.toUpperCase(), s: "VIEW", r: "https://t.me", u: "?utm_source=tg", x: 1 }));
    expect(body).toEqual({ e: EVENT, s: "VIEW", r: "https://t.me", u: "?utm_source=tg" });
    expect(parseBeaconBody(JSON.stringify({ e: EVENT, s: "FORM_OPEN" }))).toEqual({ e: EVENT, s: "FORM_OPEN" });
    // document.referrer is '' for a direct visit; null is taken as absent.
    expect(parseBeaconBody(JSON.stringify({ e: EVENT, s: "VIEW", r: "", u: null }))).toMatchObject({ r: "", u: null });
  });

  it("names the field that is wrong", () => {
    expect(fieldErrors(() => parseBeaconBody(JSON.stringify({ s: "VIEW" })))).toEqual({ e: "analyticsBeacon.errors.eventId" });
    expect(fieldErrors(() => parseBeaconBody(JSON.stringify({ e: "42", s: "VIEW" })))).toEqual({ e: "analyticsBeacon.errors.eventId" });
    expect(fieldErrors(() => parseBeaconBody(JSON.stringify({ e: EVENT, s: "CLICK" })))).toEqual({ s: "analyticsBeacon.errors.step" });
    expect(fieldErrors(() => parseBeaconBody(JSON.stringify({ e: EVENT, s: "VIEW", r: "not a url" })))).toEqual({ r: "analyticsBeacon.errors.referrer" });
    expect(fieldErrors(() => parseBeaconBody(JSON.stringify({ e: EVENT, s: "VIEW", r: 5 })))).toEqual({ r: "analyticsBeacon.errors.referrer" });
    expect(fieldErrors(() => parseBeaconBody(JSON.stringify({ e: EVENT, s: "VIEW", u: `?utm_source=${"a".repeat(1100)}` })))).toEqual({ u: "analyticsBeacon.errors.page" });
  });

  it("refuses what is not a JSON object, and bodies over 2 KiB counted in bytes", () => {
    expect(fieldErrors(() => parseBeaconBody("{nope"))).toEqual({ _form: "api.errors.invalidJson" });
    expect(fieldErrors(() => parseBeaconBody(""))).toEqual({ _form: "api.errors.invalidJson" });
    expect(fieldErrors(() => parseBeaconBody("[1]"))).toEqual({ _form: "api.errors.invalidJson" });
    expect(fieldErrors(() => parseBeaconBody("null"))).toEqual({ _form: "api.errors.invalidJson" });
    // 700 Cyrillic letters are 1,400 bytes (fine); 1,100 are 2,200 bytes, although only ~1,150 characters.
    const ok = JSON.stringify({ e: EVENT, s: "VIEW", u: `?utm_campaign=${"я".repeat(700)}` });
    expect(parseBeaconBody(ok).s).toBe("VIEW");
    const big = JSON.stringify({ e: EVENT, s: "VIEW", u: `?utm_campaign=${"я".repeat(1100)}` });
    expect(big.length).toBeLessThan(BEACON_MAX_BODY_BYTES);
    expect(fieldErrors(() => parseBeaconBody(big))).toEqual({ _form: "api.errors.bodyTooLarge" });
  });

  it("reads at most 2 KiB of a request: a large declared length or a longer stream is refused", async () => {
    const small = JSON.stringify({ e: EVENT, s: "VIEW" });
    expect(await readBeaconText(new Request("http://localhost/b", { method: "POST", body: small }))).toBe(small);
    const declared = new Request("http://localhost/b", { method: "POST", body: "{}", headers: { "content-length": "100000" } });
    expect(await fieldErrorsAsync(readBeaconText(declared))).toEqual({ _form: "api.errors.bodyTooLarge" });
    // A stream without a length that goes on and on: refused once the bytes pass the limit.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1000).fill(32));
      },
    });
    const streamed = new Request("http://localhost/b", { method: "POST", body: endless, duplex: "half" } as RequestInit);
    expect(await fieldErrorsAsync(readBeaconText(streamed))).toEqual({ _form: "api.errors.bodyTooLarge" });
    expect(pulled).toBeLessThan(10);
  });
});

describe("normalisation", () => {
  it("the source is the referrer's host: lower case, without www., own hosts and none are ''", () => {
    expect(sourceOf("https://www.Google.com/search?q=концерт")).toBe("google.com");
    expect(sourceOf("https://WWW.T.ME")).toBe("t.me");
    expect(sourceOf("https://vk.com./feed")).toBe("vk.com");
    expect(sourceOf("https://l.instagram.com/?u=x")).toBe("l.instagram.com");
    // The Telegram app on Android sends its package as the referrer.
    expect(sourceOf("android-app://org.telegram.messenger/")).toBe("org.telegram.messenger");
    expect(sourceOf("https://xn--80ak6aa92e.com/")).toBe("xn--80ak6aa92e.com");
    expect(sourceOf("https://пример.рф/")).toBe("xn--e1afmkfd.xn--p1ai");
    expect(sourceOf("")).toBe("");
    expect(sourceOf(undefined)).toBe("");
    expect(sourceOf("about:blank")).toBe("");
    expect(sourceOf("garbage")).toBe("");
    // Our own pages (the catalogue, the register page) are not a source: '' like a direct visit.
    expect(sourceOf("https://www.aqstream.example/events", ["aqstream.example"])).toBe("");
    expect(sourceOf("https://aqstream.example.evil.test/", ["aqstream.example"])).toBe("aqstream.example.evil.test");
  });

  it("own hosts are APP_URL's and the request's, written like sources", ({ onTestFinished }) => {
    // env() validates the whole environment; the unit project has no database. Unstubbed even when an
    // expectation fails, so the next test sees the real environment.
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    vi.stubEnv("DATABASE_URL", process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
    expect(ownHosts("https://WWW.Events.example:8443/api/analytics/beacon")).toEqual(expect.arrayContaining(["events.example", new URL(process.env.APP_URL ?? "http://localhost:3000").hostname]));
    expect(ownHosts("not a url")).toHaveLength(1);
  });

  it("utm_* come from the page URL's query: lower case, control characters removed, at most 100 characters", () => {
    expect(utmOf("https://x.test/e/o/e?utm_source=Telegram&utm_medium=Post&utm_campaign=Spring%20Sale&utm_term=x")).toEqual({
      utmSource: "telegram",
      utmMedium: "post",
      utmCampaign: "spring sale",
    });
    expect(utmOf("?utm_source=%00VK%0A")).toEqual({ utmSource: "vk", utmMedium: "", utmCampaign: "" });
    expect(utmOf(undefined)).toEqual({ utmSource: "", utmMedium: "", utmCampaign: "" });
    expect(utmOf("/e/o/e")).toEqual({ utmSource: "", utmMedium: "", utmCampaign: "" });
    // Cut by characters (code points), never in the middle of one.
    const long = utmOf(`?utm_campaign=${encodeURIComponent("🎉".repeat(150))}`).utmCampaign;
    expect(Array.from(long)).toHaveLength(UTM_MAX_CHARS);
    expect(long).toBe("🎉".repeat(UTM_MAX_CHARS));
    expect(cleanValue(" ÄBC ", 2)).toBe("äb");
  });

  it("a body becomes the counter's key", () => {
    const key = pageViewKeyOf(parseBeaconBody(JSON.stringify({ e: EVENT, s: "FORM_OPEN", r: "https://www.vk.com/wall", u: "?utm_source=VK" })), ["aqstream.example"]);
    expect(key).toEqual({ eventId: EVENT, step: "FORM_OPEN", source: "vk.com", utmSource: "vk", utmMedium: "", utmCampaign: "" });
  });
});

describe("who is not counted", () => {
  it("Do Not Track and Global Privacy Control", () => {
    expect(dropReason(headers({ "user-agent": CHROME, dnt: "1" }))).toBe("dnt");
    expect(dropReason(headers({ "user-agent": CHROME, "sec-gpc": "1" }))).toBe("gpc");
    expect(dropReason(headers({ "user-agent": CHROME, dnt: "0" }))).toBeNull();
    expect(dropReason(headers({ "user-agent": CHROME }))).toBeNull();
  });

  it("bots, scripts and requests without a user agent", () => {
    for (const agent of [
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
      "TelegramBot (like TwitterBot)",
      "curl/8.5.0",
      "python-requests/2.32.3",
    ]) {
      expect(dropReason(headers({ "user-agent": agent })), agent).toBe("bot");
    }
    expect(dropReason(headers({}))).toBe("bot");
    expect(dropReason(headers({ "user-agent": "  " }))).toBe("bot");
    expect(dropReason(headers({ "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1" }))).toBeNull();
  });

  it("the counted events are exactly those the public page shows", () => {
    expect([...COUNTED_EVENT_STATUSES].sort()).toEqual([...PUBLIC_PAGE_STATUSES].sort());
  });

  it("the per-address limit is kept in process memory (a shared row would be a write per view)", () => {
    expect(LIMITS["analytics.beacon"].rules.ip).toMatchObject({ store: "process" });
  });
});

const view = (over: Partial<PageViewKey> = {}): PageViewKey => ({ eventId: EVENT, step: "VIEW", source: "", utmSource: "", utmMedium: "", utmCampaign: "", ...over });

/** A runner that records the statements it is given, failing the first `failures` of them. */
function recordingRunner(failures = 0) {
  const statements: Sql[] = [];
  let left = failures;
  const runner: SqlRunner = {
    async rows() {
      throw new Error("not used");
    },
    async execute(query: Sql) {
      statements.push(query);
      if (left > 0) {
        left -= 1;
        throw new Error("connection refused");
      }
      return (query.values[0] as unknown[]).length;
    },
  };
  return { statements, runner: () => runner };
}

describe("the aggregator", () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts repeated keys in one entry; the flush is one statement with every key, then the map is empty", async () => {
    const { statements, runner } = recordingRunner();
    const a = new PageViewAggregator({ runner });
    for (let i = 0; i < 500; i++) a.add(view({ source: `site${i % 7}.test`, step: i % 2 ? "VIEW" : "FORM_OPEN" }));
    expect(a.size).toBe(14);
    expect(a.pending).toBe(500);
    const result = await a.flush();
    expect(result).toMatchObject({ ok: true, keys: 14, views: 500, written: 14 });
    expect(statements).toHaveLength(1);
    const { text, values } = statements[0].compile();
    expect(text).toMatch(/^INSERT INTO "analytics_page_views"/);
    expect(text).toContain("FROM unnest(");
    expect(text).toContain('ON CONFLICT ("event_id", "day", "step", "source", "utm_source", "utm_medium", "utm_campaign")');
    expect((values[6] as number[]).reduce((n, c) => n + c, 0)).toBe(500);
    expect(a.size).toBe(0);
    // Nothing pending: no statement at all.
    expect(await a.flush()).toMatchObject({ ok: true, keys: 0 });
    expect(statements).toHaveLength(1);
  });

  it("is bounded: beyond maxKeys new keys count under 'other' for their event and step; beyond twice that they are dropped", () => {
    const a = new PageViewAggregator({ maxKeys: 3, runner: recordingRunner().runner });
    for (let i = 0; i < 6; i++) expect(a.add(view({ source: `s${i}.test` }))).toBe(true);
    expect(a.size).toBe(4);
    const entries = a.snapshot();
    expect(entries.filter((e) => e.source === OTHER_SOURCE)).toEqual([{ ...view({ source: OTHER_SOURCE }), count: 3 }]);
    // A key already held still counts as itself.
    a.add(view({ source: "s0.test" }));
    expect(a.snapshot().find((e) => e.source === "s0.test")?.count).toBe(2);
    // Other events and steps get their own "other" key until the hard bound (2 × 3 keys) …
    expect(a.add(view({ eventId: "00000000-0000-4000-8000-000000000001", source: "x.test" }))).toBe(true);
    expect(a.add(view({ step: "FORM_OPEN", source: "y.test" }))).toBe(true);
    expect(a.size).toBe(6);
    // … then a view of yet another key is dropped and counted as such; held keys still count.
    expect(a.add(view({ eventId: "00000000-0000-4000-8000-000000000002" }))).toBe(false);
    expect(a.dropped).toBe(1);
    expect(a.add(view({ source: "zzz.test" }))).toBe(true);
    expect(a.size).toBe(6);
    expect(a.pending).toBe(6 + 1 + 1 + 1 + 1);
  });

  it("a failed flush keeps the counts (views that arrived meanwhile too) and the next flush writes them all", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { statements, runner } = recordingRunner(1);
    const a = new PageViewAggregator({ runner });
    a.add(view({ source: "a.test" }), 5);
    a.add(view({ source: "b.test" }), 2);
    const failed = await a.flush();
    expect(failed).toMatchObject({ ok: false, keys: 2, views: 7, written: 0 });
    expect(a.pending).toBe(7);
    a.add(view({ source: "a.test" }));
    const ok = await a.flush();
    expect(ok).toMatchObject({ ok: true, keys: 2, views: 8 });
    expect(statements).toHaveLength(2);
    expect(a.pending).toBe(0);
  });

  it("gives the counts up after maxFailedFlushes failures in a row (a statement that can never succeed)", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { runner } = recordingRunner(1_000);
    const a = new PageViewAggregator({ maxFailedFlushes: 3, runner });
    a.add(view(), 4);
    expect((await a.flush()).ok).toBe(false);
    expect((await a.flush()).ok).toBe(false);
    expect(a.pending).toBe(4);
    expect(await a.flush()).toMatchObject({ ok: false, gaveUp: true, views: 4 });
    expect(a.pending).toBe(0);
    expect(a.dropped).toBe(4);
    expect(logged.mock.calls.at(-1)?.[0]).toMatch(/dropping 4 view/);
  });

  it("flushes run one at a time: a second call waits and writes what came since", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sizes: number[] = [];
    const runner: SqlRunner = {
      rows: async () => [],
      async execute(query: Sql) {
        sizes.push((query.values[6] as number[]).reduce((n, c) => n + c, 0));
        if (sizes.length === 1) await gate;
        return 1;
      },
    };
    const a = new PageViewAggregator({ runner: () => runner });
    a.add(view(), 3);
    const first = a.flush();
    // The first statement is running (held at the gate); views arriving now belong to the next flush.
    await vi.waitFor(() => expect(sizes).toHaveLength(1));
    a.add(view(), 2);
    const second = a.flush();
    release();
    expect(await first).toMatchObject({ ok: true, views: 3 });
    expect(await second).toMatchObject({ ok: true, views: 2 });
    expect(sizes).toEqual([3, 2]);
  });

  it("the statement joins the counted events and inserts in key order", () => {
    const { text, values } = pageViewsUpsert([{ ...view(), count: 1 }]).compile();
    expect(text).toContain('JOIN "events" e ON e."id" = b.event_id AND e."deleted_at" IS NULL');
    expect(text).toContain('JOIN "organizations" o ON o."id" = e."tenant_id" AND o."deleted_at" IS NULL');
    expect(text).toContain("ORDER BY b.event_id, b.step, b.source");
    expect(values).toContainEqual([...COUNTED_EVENT_STATUSES]);
  });
});

describe("shutdown hooks (scripts/server.mjs)", () => {
  const g = globalThis as Record<symbol, unknown>;
  afterEach(() => {
    delete g[SHUTDOWN_HOOKS_KEY];
    vi.restoreAllMocks();
  });

  it("awaits every hook the app registered (an aggregator's stop() flushes it); a failing hook is logged, the others run", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { statements, runner } = recordingRunner();
    const a = new PageViewAggregator({ runner });
    a.start(60_000);
    a.add(view(), 9);
    const hooks = new Set<() => Promise<unknown>>([() => a.stop(), async () => Promise.reject(new Error("boom"))]);
    g[SHUTDOWN_HOOKS_KEY] = hooks;
    await runShutdownHooks(5_000);
    expect(statements).toHaveLength(1);
    expect(a.pending).toBe(0);
    expect(logged).toHaveBeenCalledWith("[server] a shutdown hook failed:", expect.any(Error));
  });

  it("does not wait longer than its timeout for a hook that hangs", async () => {
    g[SHUTDOWN_HOOKS_KEY] = new Set([() => new Promise(() => {})]);
    await expect(runShutdownHooks(20)).resolves.toBeUndefined();
    delete g[SHUTDOWN_HOOKS_KEY];
    await expect(runShutdownHooks(20)).resolves.toBeUndefined();
  });
});
