// Types for cache-handler.mjs (Next loads the JavaScript itself: next.config.ts `cacheHandler`).
export default class SharedCacheHandler {
  constructor(ctx: Record<string, unknown>);
  get(...args: unknown[]): Promise<unknown>;
  set(...args: unknown[]): Promise<void>;
  revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void>;
  resetRequestCache(): void;
}
