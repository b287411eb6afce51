// Fixed-window rate limits shared by every app server (table rate_limit_buckets). One atomic upsert
// per call: the row is created, counted, or reset when its window has passed, in a single statement,
// so parallel requests on several servers never over-admit.
import "server-only";
import { db, pgPool, type DbClient } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { clientIp, isRateLimitExemptIp } from "@/lib/http/client-address";

export type RateLimitResult = {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** Seconds until the window resets (for a Retry-After header). */
  retryAfterSeconds: number;
};

const UPSERT_SQL = `
  INSERT INTO "rate_limit_buckets" AS b ("key", "count", "reset_at")
  VALUES ($1, 1, now() + make_interval(secs => $2::int))
  ON CONFLICT ("key") DO UPDATE SET
    "count"    = CASE WHEN b."reset_at" <= now() THEN 1 ELSE b."count" + 1 END,
    "reset_at" = CASE WHEN b."reset_at" <= now() THEN now() + make_interval(secs => $2::int) ELSE b."reset_at" END
  RETURNING b."count", b."reset_at", now() AS "now"`;

type UpsertRow = { count: number; reset_at: Date; now: Date };

function checkRule(key: string, limit: number, windowSeconds: number): void {
  if (!key || key.length > 512) throw new Error("rate limit key must be 1–512 characters");
  if (!Number.isInteger(limit) || limit < 1) throw new Error("rate limit must be a positive integer");
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new Error("rate limit window must be a positive integer");
}

function resultOf(row: UpsertRow, limit: number): RateLimitResult {
  const count = Number(row.count);
  const resetAt = new Date(row.reset_at);
  return {
    allowed: count <= limit,
    count,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt.getTime() - new Date(row.now).getTime()) / 1000)),
  };
}

/** Counts one request against `key`: at most `limit` per `windowSeconds`. */
export async function consume(key: string, limit: number, windowSeconds: number, tx: DbClient = db): Promise<RateLimitResult> {
  checkRule(key, limit, windowSeconds);
  const rows = await tx.$queryRawUnsafe<UpsertRow[]>(UPSERT_SQL, key, windowSeconds);
  return resultOf(rows[0], limit);
}

/** consume() over the pg pool directly, without Prisma (hot API paths: docs/registrations.md → Performance). */
export async function consumeOnPool(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  checkRule(key, limit, windowSeconds);
  const { rows } = await pgPool().query<UpsertRow>(UPSERT_SQL, [key, windowSeconds]);
  return resultOf(rows[0], limit);
}

/** Like consume(), but throws AppError RATE_LIMITED when over the limit. */
export async function enforceRateLimit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const result = await consume(key, limit, windowSeconds);
  if (!result.allowed) throw new AppError("RATE_LIMITED", "errors.rateLimited");
  return result;
}

/** A per-client-address rule of a named scope. */
export type AddressRule = { readonly limit: number; readonly windowSeconds: number };

/**
 * Counts one request of client address `ip` (clientIp() of the request) under `${scope}:ip:${ip}`.
 * Returns null — nothing counted — only for an address RATE_LIMIT_EXEMPT_IPS names explicitly.
 */
export async function consumeForAddress(scope: string, ip: string, rule: AddressRule, { onPool = false } = {}): Promise<RateLimitResult | null> {
  if (isRateLimitExemptIp(ip)) return null;
  const key = `${scope}:ip:${ip}`;
  return onPool ? consumeOnPool(key, rule.limit, rule.windowSeconds) : consume(key, rule.limit, rule.windowSeconds);
}

/**
 * Whether `key` has already used up `limit` in its current window, counting nothing (for limits that
 * count only failures: look first, count after a failure). Parallel requests may each pass the look
 * before any counts: the overshoot is at most their number.
 */
export async function limitReached(key: string, limit: number, tx: DbClient = db): Promise<{ reached: boolean; retryAfterSeconds: number }> {
  const rows = await tx.$queryRawUnsafe<{ count: number; retry: number }[]>(
    `SELECT "count", GREATEST(1, CEIL(EXTRACT(EPOCH FROM ("reset_at" - now()))))::int AS "retry"
       FROM "rate_limit_buckets" WHERE "key" = $1 AND "reset_at" > now()`,
    key,
  );
  const row = rows[0];
  return row && Number(row.count) >= limit ? { reached: true, retryAfterSeconds: Number(row.retry) } : { reached: false, retryAfterSeconds: 0 };
}

// The client address moved to lib/http/client-address.ts; this export keeps older imports working.
export { clientIp };

/** Deletes buckets whose window ended before `before` (a periodic cleanup job may call it). */
export async function purgeExpiredBuckets(before: Date = new Date()): Promise<number> {
  const { count } = await db.rateLimitBucket.deleteMany({ where: { resetAt: { lt: before } } });
  return count;
}
