// Next's ISR cache handler for several processes on one .next folder (next.config.ts `cacheHandler`).
//
// It is Next's own file-system cache (the pages' files under .next/server are shared by every process
// on the folder; each process keeps an in-memory copy) with one addition: a revalidation — every
// revalidatePath() / revalidateTag() — is also published on the cache bus (lib/cache/cache-bus.mjs,
// PostgreSQL NOTIFY), and a revalidation published by another process is applied here, in this
// process's tags manifest, exactly as a local one. A page whose tags expired is then regenerated on its
// next request, whichever process gets it. After the bus reconnects (messages may have been missed),
// everything cached before the reconnect counts as expired once.
//
// Tested by tests/integration/cache-bus.test.ts (two buses, two handler processes' manifests) and, with
// the real server, by tests/embedded/cluster.spec.ts (an event page cached by two web processes shows a
// change on both after one revalidation).
import { createRequire } from "node:module";
import { processCacheBus } from "./cache-bus.mjs";

const require = createRequire(import.meta.url);
const fileSystemCacheModule = require("next/dist/server/lib/incremental-cache/file-system-cache.js");
const FileSystemCache = fileSystemCacheModule.default ?? fileSystemCacheModule;

const state = (globalThis[Symbol.for("aqstream.cache-handler")] ??= { subscribed: null, resetAt: 0 });

/** Applies tags in this process's manifest (Next's own code: immediate expiry, or stale with durations). */
function applyLocally(tags, durations) {
  return FileSystemCache.prototype.revalidateTag.call(FileSystemCache.prototype, tags, durations);
}

function subscribe() {
  const bus = processCacheBus();
  if (!bus || state.subscribed === bus) return bus;
  state.subscribed = bus;
  bus.onTags((tags) => void applyLocally(tags));
  bus.onReset((at) => (state.resetAt = at));
  return bus;
}

export default class SharedCacheHandler extends FileSystemCache {
  constructor(ctx) {
    super(ctx);
    // Next makes a handler per request: the process subscribes once.
    if (!state.subscribed && process.env.NEXT_PHASE !== "phase-production-build") subscribe();
  }

  get(...args) {
    // The hot path of every cached page: no extra await unless the bus has had a gap.
    if (!state.resetAt) return super.get(...args);
    const resetAt = state.resetAt;
    // Cached before a gap in the bus: another process may have revalidated it meanwhile.
    return super.get(...args).then((data) => (data && typeof data.lastModified === "number" && data.lastModified < resetAt ? null : data));
  }

  async revalidateTag(tags, durations) {
    await super.revalidateTag(tags, durations);
    const list = typeof tags === "string" ? [tags] : tags;
    // Immediate expiry is what revalidatePath() asks for; a stale-while-revalidate profile
    // (revalidateTag(tag, profile)) is applied remotely as an immediate expiry, which is only stricter.
    if (list.length) await subscribe()?.publish(list);
  }
}
