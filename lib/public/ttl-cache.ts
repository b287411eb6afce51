// A small in-process cache with a time to live, for the anonymous answer of the live availability API
// (docs/public-pages.md): every server keeps the answer for an event ~5 s, the same time shared caches
// may keep it (s-maxage=5), so a popular page's island costs the database one query set per 5 s per
// server instead of one per visitor. Concurrent misses share one load; failures are not kept.
export class TtlCache<T> {
  private readonly entries = new Map<string, { expires: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > at) return hit.value;
    if (hit) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      for (const [k, e] of this.entries) if (e.expires <= at) this.entries.delete(k);
      // Still full: drop the oldest (Map keeps insertion order).
      while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    const value = load();
    this.entries.set(key, { expires: at + this.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
