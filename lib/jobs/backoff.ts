// Retry delays. Like Inngest's default policy: exponential (base · 2^(n-1)) with jitter, capped.

export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Upper bound, in ms. Default 1 hour. */
  maxMs?: number;
  /** Fraction of random spread (0 = deterministic). Default 0.2 → ±20 %. */
  jitter?: number;
  /** Injected randomness for tests. */
  random?: () => number;
}

/** Delay before retry number `retry` (1 = first retry after the first failed attempt). */
export function retryDelayMs(retry: number, options: BackoffOptions): number {
  const { baseMs, maxMs = 3_600_000, jitter = 0.2, random = Math.random } = options;
  const exponent = Math.max(0, Math.min(retry - 1, 30));
  const raw = Math.min(baseMs * 2 ** exponent, maxMs);
  const spread = raw * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(raw + spread, maxMs)));
}
