// The cache bus: how the processes of one deployment tell each other that cached pages are stale.
//
// Next keeps its ISR cache in two places: files under .next/server (shared by every process started on
// the same folder) and, per process, an in-memory copy plus the "tags manifest" — which cache tags
// (every revalidatePath() is a tag) expired when. Both of the latter live in the process that called
// revalidatePath(): with several web processes (scripts/cluster.mjs) or hosts, the others would keep
// serving the old page from memory until its `revalidate` interval ran out. So every revalidation is
// also published on a PostgreSQL channel (NOTIFY), and every process listens (LISTEN) and expires the
// same tags in its own manifest (lib/cache/cache-handler.mjs). Messages sent while a process was not
// listening (its connection dropped) are not replayed: on reconnect the process treats everything it
// cached before as expired instead (`onReset`).
//
// One dedicated connection per process (DATABASE_URL), counted in the pool sizing of scripts/cluster.mjs.
// Plain JavaScript: loaded by Next's cache handler outside the app bundle, and by scripts/server.mjs.
import { randomUUID } from "node:crypto";
import pg from "pg";

export const CACHE_BUS_CHANNEL = "aq_next_cache";
const GLOBAL_KEY = Symbol.for("aqstream.cache-bus");
/** pg_notify's payload limit is 8000 bytes: larger tag lists are split. */
const MAX_PAYLOAD = 7000;

/**
 * A bus on `url` and `channel` (the cache's by default; lib/jobs/remote-wake.ts uses one for job kicks). Handlers: onTags(tags) for revalidations published by another process, onReset(at)
 * after a reconnect (everything cached before `at` may be stale). `publish(tags)` sends to the others.
 */
export function createCacheBus({ url, channel = CACHE_BUS_CHANNEL, label = "[cache] the cache bus", logger = console, retryMs = 1000, maxRetryMs = 30_000 } = {}) {
  const id = randomUUID();
  const tagListeners = new Set();
  const resetListeners = new Set();
  let client = null;
  let connected = false;
  let everConnected = false;
  let stopped = false;
  let attempt = 0;
  let retryTimer = null;
  let readyResolve;
  const ready = new Promise((resolve) => (readyResolve = resolve));

  function scheduleReconnect() {
    if (stopped || retryTimer) return;
    const delay = Math.min(maxRetryMs, retryMs * 2 ** Math.min(attempt++, 10));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
    retryTimer.unref?.();
  }

  function onNotification(message) {
    if (message.channel !== channel || !message.payload) return;
    let parsed;
    try {
      parsed = JSON.parse(message.payload);
    } catch {
      return;
    }
    if (!parsed || parsed.from === id || !Array.isArray(parsed.tags)) return;
    const tags = parsed.tags.filter((t) => typeof t === "string");
    if (tags.length === 0) return;
    for (const listener of tagListeners) listener(tags);
  }

  async function connect() {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, application_name: `aqstream ${channel}` });
    c.on("error", (error) => {
      if (c !== client) return;
      logger.warn?.(`${label} lost its database connection (${error.message}); reconnecting`);
      drop(c);
    });
    c.on("end", () => {
      if (c === client) drop(c);
    });
    c.on("notification", onNotification);
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      void c.end().catch(() => {});
      if (!stopped) {
        if (attempt === 0) logger.warn?.(`${label} cannot listen yet (${error.message}); retrying`);
        scheduleReconnect();
      }
      return;
    }
    if (stopped) {
      void c.end().catch(() => {});
      return;
    }
    client = c;
    connected = true;
    attempt = 0;
    if (everConnected) {
      // Anything published while we were away is lost: what this process cached is suspect.
      const at = Date.now();
      for (const listener of resetListeners) listener(at);
    }
    everConnected = true;
    readyResolve();
  }

  function drop(c) {
    if (client === c) {
      client = null;
      connected = false;
    }
    void c.end().catch(() => {});
    scheduleReconnect();
  }

  void connect();

  return {
    id,
    /** Resolves once the first LISTEN succeeded (never rejects; it keeps retrying). */
    ready,
    isConnected: () => connected,
    onTags(listener) {
      tagListeners.add(listener);
      return () => tagListeners.delete(listener);
    },
    onReset(listener) {
      resetListeners.add(listener);
      return () => resetListeners.delete(listener);
    },
    /** Sends tags to every other process; false when it could not (no connection): they then expire by `revalidate`. */
    async publish(tags) {
      const list = [...new Set(tags)].filter((t) => typeof t === "string" && t.length > 0);
      if (list.length === 0) return true;
      const c = client;
      if (!c) {
        logger.warn?.(`${label} is not connected: the other processes do not hear of it`);
        return false;
      }
      const batches = [];
      let batch = [];
      for (const tag of list) {
        if (batch.length && JSON.stringify({ from: id, tags: [...batch, tag] }).length > MAX_PAYLOAD) {
          batches.push(batch);
          batch = [];
        }
        batch.push(tag);
      }
      batches.push(batch);
      try {
        for (const b of batches) await c.query("SELECT pg_notify($1, $2)", [channel, JSON.stringify({ from: id, tags: b })]);
        return true;
      } catch (error) {
        logger.warn?.(`${label} could not publish (${error.message}): the other processes do not hear of it`);
        return false;
      }
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = null;
      connected = false;
      if (c) await c.end().catch(() => {});
    },
  };
}

/**
 * The bus of this process (one per process, shared by the cache handler and the server through a global
 * symbol), or null without DATABASE_URL (e.g. `next build`: nothing to tell anyone).
 */
export function processCacheBus() {
  const existing = globalThis[GLOBAL_KEY];
  if (existing !== undefined) return existing;
  const url = process.env.DATABASE_URL;
  const bus = url && process.env.NEXT_PHASE !== "phase-production-build" ? createCacheBus({ url }) : null;
  globalThis[GLOBAL_KEY] = bus;
  return bus;
}
