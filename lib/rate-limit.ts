// Fixed-window rate limits shared by every app server (table rate_limit_buckets). One atomic upsert
// per call: the row is created, counted, or reset when its window has passed, in a single statement,
// so parallel requests on several servers never over-admit.
import "server-only";
import { db, onPool, onPrisma, sql, type DbClient, type Sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isRateLimitExemptIp } from "@/lib/http/client-address";
import { limitKey, limitMessage, limitRule, type LimitName, type LimitRule, type SubjectOf } from "@/lib/http/limits";

export { LIMITS, limitKey, limitKeyPrefix, limitRule, type LimitName, type LimitRule } from "@/lib/http/limits";

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

/**
 * The rate-limit rule as one statement: count one request against `key` in a window of `windowSeconds`
 * (the row is created, counted, or reset when its window has passed), returning `count`, `reset_at` and
 * `now`. A null key touches nothing (returns no row), so a hot statement can compose it as a CTE for
 * callers that are not limited. Every limit of the app — consume() here, the REST session check, the
 * door scanner — runs this one fragment.
 */
export function rateLimitUpsert(key: string | null | Sql, windowSeconds: number | Sql): Sql {
  return sql`INSERT INTO "rate_limit_buckets" AS b ("key", "count", "reset_at")
    SELECT ${key}::text, 1, now() + make_interval(secs => ${windowSeconds}::int) WHERE ${key}::text IS NOT NULL
    ON CONFLICT ("key") DO UPDATE SET
      "count"    = CASE WHEN b."reset_at" <= now() THEN 1 ELSE b."count" + 1 END,
      "reset_at" = CASE WHEN b."reset_at" <= now() THEN now() + make_interval(secs => ${windowSeconds}::int) ELSE b."reset_at" END
    RETURNING b."count", b."reset_at", now() AS "now"`;
}

export type UpsertRow = { count: number; reset_at: Date; now: Date };

function checkRule(key: string, limit: number, windowSeconds: number): void {
  if (!key || key.length > 512) throw new Error("rate limit key must be 1–512 characters");
  if (!Number.isInteger(limit) || limit < 1) throw new Error("rate limit must be a positive integer");
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new Error("rate limit window must be a positive integer");
}

/** The verdict of a rateLimitUpsert() row against `limit`. */
export function rateLimitResultOf(row: UpsertRow, limit: number): RateLimitResult {
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
  const [row] = await onPrisma(tx).rows<UpsertRow>(rateLimitUpsert(key, windowSeconds));
  return rateLimitResultOf(row, limit);
}

/** consume() over the pg pool directly, without Prisma (hot API paths: docs/registrations.md → Performance). */
export async function consumeOnPool(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  checkRule(key, limit, windowSeconds);
  const [row] = await onPool().rows<UpsertRow>(rateLimitUpsert(key, windowSeconds), { prepare: true });
  return rateLimitResultOf(row, limit);
}

/** RATE_LIMITED with the seconds until the window resets: the route edge answers 429 + Retry-After. */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = "errors.rateLimited",
  ) {
    super("RATE_LIMITED", message);
  }
}

export const isRateLimitedError = (e: unknown): e is RateLimitedError => e instanceof RateLimitedError;

/** The error of a refused request under a named limit. */
export function rateLimitedError(name: LimitName, result: Pick<RateLimitResult, "retryAfterSeconds">): RateLimitedError {
  return new RateLimitedError(result.retryAfterSeconds, limitMessage(name));
}

type ConsumeOptions = { onPool?: boolean; tx?: DbClient };

/**
 * Counts one request of `value` (a user id, an email key, an address …) under one subject of a named
 * limit (lib/http/limits.ts). An `ip` subject is not counted — null — for an address
 * RATE_LIMIT_EXEMPT_IPS names explicitly, nor when there is no address (a job, the seed).
 */
export async function consumeLimit<N extends LimitName>(
  name: N,
  subject: SubjectOf<N>,
  value: string | null | undefined,
  { onPool = false, tx = db }: ConsumeOptions = {},
): Promise<RateLimitResult | null> {
  if (!value) return null;
  if (subject === "ip" && isRateLimitExemptIp(value)) return null;
  const rule = limitRule(name, subject);
  if (rule.store === "process") return consumeInProcess(limitKey(name, subject, value), rule);
  const key = limitKey(name, subject, value);
  return onPool ? consumeOnPool(key, rule.limit, rule.windowSeconds) : consume(key, rule.limit, rule.windowSeconds, tx);
}

/** consumeLimit(), throwing RateLimitedError (the limit's message, Retry-After) when over the limit. */
export async function enforceLimit<N extends LimitName>(
  name: N,
  subject: SubjectOf<N>,
  value: string | null | undefined,
  options: ConsumeOptions = {},
): Promise<void> {
  const result = await consumeLimit(name, subject, value, options);
  if (result && !result.allowed) throw rateLimitedError(name, result);
}

/** A named limit's bucket for a statement that counts it itself (the check-in access statement). */
export type ComposedLimit = { key: string; limit: number; windowSeconds: number };

export function composedLimit<N extends LimitName>(name: N, subject: SubjectOf<N>, value: string): ComposedLimit {
  const rule = limitRule(name, subject);
  return { key: limitKey(name, subject, value), limit: rule.limit, windowSeconds: rule.windowSeconds };
}

/** Whether a named limit is used up for `value`, counting nothing (limits that count only failures). */
export async function limitReachedFor<N extends LimitName>(name: N, subject: SubjectOf<N>, value: string | null | undefined): Promise<void> {
  if (!value || (subject === "ip" && isRateLimitExemptIp(value))) return;
  const { reached, retryAfterSeconds } = await limitReached(limitKey(name, subject, value), limitRule(name, subject).limit);
  if (reached) throw rateLimitedError(name, { retryAfterSeconds });
}

const processWindows = new Map<string, { count: number; resetAt: number }>();

/**
 * A fixed window counted in this process's memory (subjects marked `store: "process"`: a per-caller
 * ceiling that would be a hot row in the shared table). Same verdict shape as consume().
 */
export function consumeInProcess(key: string, rule: LimitRule, now = Date.now()): RateLimitResult {
  if (processWindows.size > 10_000) {
    for (const [k, w] of processWindows) if (w.resetAt <= now) processWindows.delete(k);
  }
  let w = processWindows.get(key);
  if (!w || w.resetAt <= now) {
    w = { count: 0, resetAt: now + rule.windowSeconds * 1000 };
    processWindows.set(key, w);
  }
  w.count += 1;
  return {
    allowed: w.count <= rule.limit,
    count: w.count,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - w.count),
    resetAt: new Date(w.resetAt),
    retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)),
  };
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


/** Deletes buckets whose window ended before `before` (a periodic cleanup job may call it). */
export async function purgeExpiredBuckets(before: Date = new Date()): Promise<number> {
  const { count } = await db.rateLimitBucket.deleteMany({ where: { resetAt: { lt: before } } });
  return count;
}
