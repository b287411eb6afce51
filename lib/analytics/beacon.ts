// The page-view beacon (issue 16; docs/analytics.md → "Counting views without breaking the cache" and
// "Beacon"). The public event page stays a static, cached page: a tiny client script
// (components/public/analytics-beacon.tsx) posts { e: eventId, s: "VIEW" | "FORM_OPEN", r?: referrer,
// u?: page URL } to POST /api/analytics/beacon, and this module turns it into counts:
//   1. the body (at most 2 KiB, JSON, any Content-Type: sendBeacon sends text/plain) is validated;
//   2. requests saying Do Not Track / Global Privacy Control (`DNT: 1`, `Sec-GPC: 1`) and bots (no user
//      agent, or one `isbot` recognises) are dropped — answered like any other, counted nowhere;
//   3. what is kept is reduced to the counter's key: the event, the step, the referrer's host (lower case,
//      "www." stripped; our own host — APP_URL's or the request's — counts as '' like a direct visit, so
//      moving between our own pages is never a "source") and the page's utm_source / utm_medium /
//      utm_campaign (lower case, control characters removed, at most 100 characters). Nothing else of
//      the request is kept or logged: no address, no cookie, no full URL;
//   4. the view is added to this process's in-memory map (key → count). No database write per request:
//      every PAGE_VIEW_FLUSH_INTERVAL_MS the map is flushed with ONE multi-row upsert (pageViewsUpsert),
//      adding to analytics_page_views; several processes add up.
// The map is bounded: beyond PAGE_VIEW_MAX_KEYS keys a new key is counted under (event, step, source
// "other", no utm); beyond twice that the view is dropped (and counted in `dropped`). A failed flush puts
// its counts back (under the same bounds) for the next try; after PAGE_VIEW_MAX_FAILED_FLUSHES failures in
// a row the retained counts are dropped with an error in the log, so a statement that can never succeed
// cannot pin memory or spam the database forever. A process stopped by SIGTERM / SIGINT flushes on the
// way out (scripts/server.mjs runs the shutdown hooks this module registers); one that is killed loses
// at most its last few seconds of counts — views are an estimate; registrations and money never pass here.
import "server-only";
import { isbot } from "isbot";
import { z } from "zod";
import { onPool, sql, type Sql, type SqlRunner } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { EventStatus } from "@/lib/generated/prisma/enums";
import { parseWith } from "@/lib/http/parse";
import type { MessageKey } from "@/lib/i18n/translate";

/** The largest beacon body, in bytes (the real ones are ~150). */
export const BEACON_MAX_BODY_BYTES = 2048;
/** The longest referrer / page URL accepted in a body. */
export const BEACON_URL_MAX_CHARS = 1024;
export const BEACON_STEPS = ["VIEW", "FORM_OPEN"] as const;
export type BeaconStep = (typeof BEACON_STEPS)[number];

/** utm_* values are cut to this many characters (the table's CHECK). */
export const UTM_MAX_CHARS = 100;
/** A host name is at most 253 characters (the table's CHECK; longer opaque hosts are cut). */
export const SOURCE_MAX_CHARS = 253;
/** The source of views counted once the map is full (their own source and utm_* are not kept). */
export const OTHER_SOURCE = "other";

/** Keys a process holds before new keys are counted under OTHER_SOURCE (and twice that before views are dropped). */
export const PAGE_VIEW_MAX_KEYS = 10_000;
export const PAGE_VIEW_FLUSH_INTERVAL_MS = 5_000;
/** Failed flushes in a row after which the retained counts are given up (~5 minutes at the interval above). */
export const PAGE_VIEW_MAX_FAILED_FLUSHES = 60;

/**
 * Events whose views count: the statuses the public event page shows (lib/public/queries.ts
 * PUBLIC_PAGE_STATUSES; tests/unit/analytics-beacon.test.ts keeps the two equal), not deleted, of an
 * organization that is not deleted. Any other id (unknown, a draft, deleted) is dropped by the flush's join.
 */
export const COUNTED_EVENT_STATUSES = ["PUBLISHED", "CANCELLED", "COMPLETED"] as const satisfies readonly EventStatus[];

const ERR = {
  eventId: "analyticsBeacon.errors.eventId",
  step: "analyticsBeacon.errors.step",
  referrer: "analyticsBeacon.errors.referrer",
  page: "analyticsBeacon.errors.page",
  tooLarge: "api.errors.bodyTooLarge",
  invalidJson: "api.errors.invalidJson",
} as const satisfies Record<string, MessageKey>;

// A relative page URL ("?utm_source=…", "/e/org/event?…") is read against this base: only its query matters.
const RELATIVE_BASE = "http://page.invalid";

const urlField = (error: MessageKey, canParse: (value: string) => boolean) =>
  z
    .string({ error })
    .max(BEACON_URL_MAX_CHARS, { error })
    .refine((value) => value === "" || canParse(value), { error })
    .nullish();

/** The body: { e: event id, s: step, r?: referrer (absolute URL or ''), u?: the page URL (absolute or relative) }. Other keys are ignored. */
export const beaconBodySchema = z.object({
  // Lower case: the same event written in two cases must be one key of the map (two rows with the same
  // conflict key in one upsert would fail the whole statement).
  e: z.uuid({ error: ERR.eventId }).transform((id) => id.toLowerCase()),
  s: z.enum(BEACON_STEPS, { error: ERR.step }),
  r: urlField(ERR.referrer, (value) => URL.canParse(value)),
  u: urlField(ERR.page, (value) => URL.canParse(value, RELATIVE_BASE)),
});
export type BeaconBody = z.output<typeof beaconBodySchema>;

const tooLarge = () => new AppError("VALIDATION", "errors.validation", { _form: ERR.tooLarge });
const invalidJson = () => new AppError("VALIDATION", "errors.validation", { _form: ERR.invalidJson });

/**
 * The request's body as text, reading at most `maxBytes` (VALIDATION, `_form`: too large, as soon as the
 * declared length or the bytes read say so: a public endpoint never buffers an arbitrary body).
 */
export async function readBeaconText(request: Request, maxBytes = BEACON_MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A beacon body from its text: at most BEACON_MAX_BODY_BYTES, a JSON object, the schema (VALIDATION with field errors). */
export function parseBeaconBody(text: string): BeaconBody {
  if (Buffer.byteLength(text, "utf8") > BEACON_MAX_BODY_BYTES) throw tooLarge();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalidJson();
  return parseWith(beaconBodySchema, value);
}

type HeaderSource = { get(name: string): string | null };

export type DropReason = "dnt" | "gpc" | "bot";

/**
 * Why a beacon is not counted, or null to count it: the browser says Do Not Track or Global Privacy
 * Control (the client script already stays silent then; this catches other clients), or the user agent
 * is a bot — a request without a user agent counts as one (every browser sends it).
 */
export function dropReason(headers: HeaderSource): DropReason | null {
  if (headers.get("dnt")?.trim() === "1") return "dnt";
  if (headers.get("sec-gpc")?.trim() === "1") return "gpc";
  const agent = headers.get("user-agent")?.trim() ?? "";
  if (agent === "" || isbot(agent)) return "bot";
  return null;
}

// Control characters (NUL among them: PostgreSQL text cannot hold it) never reach a key or the table.
const CONTROL = /\p{Cc}/gu;

/** Lower case, control characters removed, trimmed, at most `max` characters (code points, as char_length counts). */
export function cleanValue(value: string | null | undefined, max: number): string {
  if (!value) return "";
  const text = value.replace(CONTROL, "").trim().toLowerCase();
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join("").trim();
}

/** A host name as a source: lower case, no trailing dot, no leading "www.". */
function hostKey(host: string): string {
  let h = host.toLowerCase();
  if (h.endsWith(".")) h = h.slice(0, -1);
  return h.startsWith("www.") ? h.slice(4) : h;
}

/** The host names that are "us" (APP_URL's, plus the request's own): a referrer from them is not a source. */
export function ownHosts(requestUrl?: string | null): string[] {
  const hosts = new Set<string>();
  for (const url of [env().APP_URL, requestUrl]) {
    if (!url) continue;
    try {
      hosts.add(hostKey(new URL(url).hostname));
    } catch {
      // an unparsable request URL names no host of ours
    }
  }
  return [...hosts];
}

/**
 * The source of a view: the referrer's host ("https://www.Google.com/search?q=…" → "google.com",
 * "android-app://org.telegram.messenger/" → "org.telegram.messenger"); '' for none, one without a host,
 * an unparsable one, or one of `own` hosts (internal navigation counts as direct).
 */
export function sourceOf(referrer: string | null | undefined, own: readonly string[] = []): string {
  if (!referrer) return "";
  let host: string;
  try {
    host = new URL(referrer).hostname;
  } catch {
    return "";
  }
  if (!host) return "";
  const key = cleanValue(hostKey(host), SOURCE_MAX_CHARS);
  return own.includes(key) ? "" : key;
}

export type Utm = { utmSource: string; utmMedium: string; utmCampaign: string };

/** utm_source / utm_medium / utm_campaign of a page URL (absolute or relative), cleaned; '' when absent. */
export function utmOf(page: string | null | undefined): Utm {
  const none: Utm = { utmSource: "", utmMedium: "", utmCampaign: "" };
  if (!page) return none;
  let query: URLSearchParams;
  try {
    query = new URL(page, RELATIVE_BASE).searchParams;
  } catch {
    return none;
  }
  return {
    utmSource: cleanValue(query.get("utm_source"), UTM_MAX_CHARS),
    utmMedium: cleanValue(query.get("utm_medium"), UTM_MAX_CHARS),
    utmCampaign: cleanValue(query.get("utm_campaign"), UTM_MAX_CHARS),
  };
}

/** One key of the counters (the table's primary key without the day, which the flush decides). */
export type PageViewKey = Utm & { eventId: string; step: BeaconStep; source: string };

/** The counter key of a validated beacon. */
export function pageViewKeyOf(body: BeaconBody, own: readonly string[] = []): PageViewKey {
  return { eventId: body.e, step: body.s, source: sourceOf(body.r, own), ...utmOf(body.u) };
}

type Entry = PageViewKey & { count: number };

// Parts never contain control characters (cleanValue), so NUL separates them unambiguously.
const keyOf = (v: PageViewKey) => `${v.eventId}\u0000${v.step}\u0000${v.source}\u0000${v.utmSource}\u0000${v.utmMedium}\u0000${v.utmCampaign}`;

/**
 * The flush as one statement: every key of the batch in one INSERT … SELECT FROM unnest(…), joined with
 * the events whose views count (unknown, draft, deleted events and those of a deleted organization give
 * no row), the day being today in the event's time zone, adding to an existing row. Rows are inserted in
 * key order, so two processes flushing overlapping keys lock them in the same order (no deadlock).
 */
export function pageViewsUpsert(batch: readonly Entry[]): Sql {
  return sql`INSERT INTO "analytics_page_views" AS v ("event_id", "day", "step", "source", "utm_source", "utm_medium", "utm_campaign", "count")
    SELECT b.event_id, (now() AT TIME ZONE e."timezone")::date, b.step, b.source, b.utm_source, b.utm_medium, b.utm_campaign, b.count
      FROM unnest(${batch.map((x) => x.eventId)}::uuid[], ${batch.map((x) => x.step)}::text[], ${batch.map((x) => x.source)}::text[],
                  ${batch.map((x) => x.utmSource)}::text[], ${batch.map((x) => x.utmMedium)}::text[], ${batch.map((x) => x.utmCampaign)}::text[],
                  ${batch.map((x) => x.count)}::bigint[])
           AS b(event_id, step, source, utm_source, utm_medium, utm_campaign, count)
      JOIN "events" e ON e."id" = b.event_id AND e."deleted_at" IS NULL AND e."status" = ANY(${[...COUNTED_EVENT_STATUSES]}::"EventStatus"[])
      JOIN "organizations" o ON o."id" = e."tenant_id" AND o."deleted_at" IS NULL
     ORDER BY b.event_id, b.step, b.source, b.utm_source, b.utm_medium, b.utm_campaign
    ON CONFLICT ("event_id", "day", "step", "source", "utm_source", "utm_medium", "utm_campaign")
    DO UPDATE SET "count" = v."count" + EXCLUDED."count"`;
}

export type FlushResult = {
  ok: boolean;
  /** Keys sent in the statement (0: nothing was pending, no statement ran). */
  keys: number;
  /** Views in them. */
  views: number;
  /** Table rows inserted or updated (keys of unknown / uncounted events write none). */
  written: number;
  /** The failure, when ok is false (the counts were put back, or given up: see `gaveUp`). */
  error?: unknown;
  gaveUp?: boolean;
};

export type PageViewAggregatorOptions = {
  maxKeys?: number;
  maxFailedFlushes?: number;
  /** Where the flush runs (default: the shared pg pool). Tests pass a failing or counting runner. */
  runner?: () => SqlRunner;
};

/**
 * One process's page-view counters: add() is a Map update; flush() writes them all with one statement.
 * Flushes run one at a time (a second call waits for the first, then writes what came since).
 */
export class PageViewAggregator {
  private entries = new Map<string, Entry>();
  private chain: Promise<unknown> = Promise.resolve();
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly maxKeys: number;
  private readonly maxFailedFlushes: number;
  private readonly runner: () => SqlRunner;
  /** Views not counted because the map was full (beyond twice maxKeys) or given up after failed flushes. */
  dropped = 0;

  constructor({ maxKeys = PAGE_VIEW_MAX_KEYS, maxFailedFlushes = PAGE_VIEW_MAX_FAILED_FLUSHES, runner = onPool }: PageViewAggregatorOptions = {}) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new Error("PageViewAggregator: maxKeys must be a positive integer");
    if (!Number.isInteger(maxFailedFlushes) || maxFailedFlushes < 1) throw new Error("PageViewAggregator: maxFailedFlushes must be a positive integer");
    this.maxKeys = maxKeys;
    this.maxFailedFlushes = maxFailedFlushes;
    this.runner = runner;
  }

  /** Keys held now. */
  get size(): number {
    return this.entries.size;
  }

  /** Views held now (not yet written). */
  get pending(): number {
    let n = 0;
    for (const entry of this.entries.values()) n += entry.count;
    return n;
  }

  /** The counts held now (a copy; tests and diagnostics). */
  snapshot(): Entry[] {
    return [...this.entries.values()].map((entry) => ({ ...entry }));
  }

  /** Counts `count` views of `view`. False when they had to be dropped (the map is at its hard bound). */
  add(view: PageViewKey, count = 1): boolean {
    if (!Number.isInteger(count) || count < 1) throw new Error("PageViewAggregator.add: count must be a positive integer");
    let key = keyOf(view);
    let entry = this.entries.get(key);
    if (!entry && this.entries.size >= this.maxKeys) {
      // Full: the view still counts for its event and step, under "other" (its source and utm are lost).
      const other: PageViewKey = { eventId: view.eventId, step: view.step, source: OTHER_SOURCE, utmSource: "", utmMedium: "", utmCampaign: "" };
      key = keyOf(other);
      entry = this.entries.get(key);
      if (!entry && this.entries.size >= 2 * this.maxKeys) {
        this.dropped += count;
        return false;
      }
      view = other;
    }
    if (!entry) {
      entry = { eventId: view.eventId, step: view.step, source: view.source, utmSource: view.utmSource, utmMedium: view.utmMedium, utmCampaign: view.utmCampaign, count: 0 };
      this.entries.set(key, entry);
    }
    entry.count += count;
    return true;
  }

  /** Writes every count held now with one statement (none when nothing is held). Never throws: see FlushResult. */
  flush(): Promise<FlushResult> {
    const run = this.chain.then(() => this.flushOnce());
    this.chain = run;
    return run;
  }

  private async flushOnce(): Promise<FlushResult> {
    if (this.entries.size === 0) return { ok: true, keys: 0, views: 0, written: 0 };
    // Views arriving during the statement go into a fresh map (and the next flush).
    const batch = [...this.entries.values()];
    this.entries = new Map();
    const views = batch.reduce((n, entry) => n + entry.count, 0);
    try {
      const written = await this.runner().execute(pageViewsUpsert(batch));
      this.failures = 0;
      return { ok: true, keys: batch.length, views, written };
    } catch (error) {
      this.failures += 1;
      const reason = error instanceof Error ? error.message : String(error);
      if (this.failures >= this.maxFailedFlushes) {
        this.failures = 0;
        this.dropped += views;
        console.error(`[analytics] page-view flush failed ${this.maxFailedFlushes} times in a row: dropping ${views} view(s) of ${batch.length} key(s):`, reason);
        return { ok: false, keys: batch.length, views, written: 0, error, gaveUp: true };
      }
      console.error(`[analytics] page-view flush failed (${this.failures} in a row); ${views} view(s) kept for the next try:`, reason);
      for (const entry of batch) this.add(entry, entry.count);
      return { ok: false, keys: batch.length, views, written: 0, error };
    }
  }

  /** Flushes every `intervalMs` from now on; the timer never keeps the process alive. */
  start(intervalMs = PAGE_VIEW_FLUSH_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is held. */
  async stop(): Promise<FlushResult> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.flush();
  }
}

// The process's aggregator lives on globalThis: the route handler's bundle and anything else that loads
// this module (a test, the shutdown hook) must share one map, whatever module instances the bundler made.
const AGGREGATOR_KEY = Symbol.for("aqstream.analytics.page-views");

/**
 * Functions scripts/server.mjs awaits when the process is asked to stop (after the requests in flight
 * finished, before Next closes): the same global symbol as SHUTDOWN_HOOKS there.
 */
export const SHUTDOWN_HOOKS_KEY = Symbol.for("aqstream.shutdown-hooks");

type Globals = Record<symbol, unknown>;

/** This process's aggregator (created, with its flush timer and shutdown hook, on first use). */
export function processPageViews(): PageViewAggregator {
  const g = globalThis as Globals;
  let aggregator = g[AGGREGATOR_KEY] as PageViewAggregator | undefined;
  if (!aggregator) {
    const created = (aggregator = new PageViewAggregator());
    g[AGGREGATOR_KEY] = created;
    created.start();
    ((g[SHUTDOWN_HOOKS_KEY] ??= new Set<() => Promise<unknown>>()) as Set<() => Promise<unknown>>).add(() => created.stop());
  }
  return aggregator;
}

/** Writes this process's pending page views now (tests; the shutdown hook does the same). */
export function flushPageViews(): Promise<FlushResult> {
  const aggregator = (globalThis as Globals)[AGGREGATOR_KEY] as PageViewAggregator | undefined;
  return aggregator ? aggregator.flush() : Promise.resolve({ ok: true, keys: 0, views: 0, written: 0 });
}

export type BeaconOutcome = "counted" | "full" | DropReason;

/**
 * Counts one beacon in this process: validates the body (VALIDATION with field errors: nothing counted),
 * then drops it for DNT / GPC / bots, else adds its key to the process's counters. No database access.
 * `requestUrl`: the request's own URL (its host is one of ours, like APP_URL's).
 */
export function recordBeacon({ headers, text, requestUrl }: { headers: HeaderSource; text: string; requestUrl?: string | null }): BeaconOutcome {
  const body = parseBeaconBody(text);
  const reason = dropReason(headers);
  if (reason) return reason;
  return processPageViews().add(pageViewKeyOf(body, ownHosts(requestUrl))) ? "counted" : "full";
}
