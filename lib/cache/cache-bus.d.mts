// Types for cache-bus.mjs (plain JavaScript: loaded by Next's cache handler and scripts/server.mjs).
export declare const CACHE_BUS_CHANNEL: string;
export type CacheBus = {
  readonly id: string;
  readonly ready: Promise<void>;
  isConnected(): boolean;
  onTags(listener: (tags: string[]) => void): () => boolean;
  onReset(listener: (at: number) => void): () => boolean;
  publish(tags: readonly string[]): Promise<boolean>;
  stop(): Promise<void>;
};
export declare function createCacheBus(options?: {
  url?: string;
  channel?: string;
  label?: string;
  logger?: { warn?: (message: string) => void };
  retryMs?: number;
  maxRetryMs?: number;
}): CacheBus;
export declare function processCacheBus(): CacheBus | null;
