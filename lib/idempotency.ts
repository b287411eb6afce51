// Idempotency keys for mutating endpoints (`Idempotency-Key` header, or a key the form generates once).
//
//   const { value, replayed } = await withIdempotency({ scope, key, requestHash }, (tx) => doTheWork(tx));
//
// Insert-first claim, in the SAME transaction as the work:
//   1. INSERT the (scope, key) row ON CONFLICT DO NOTHING. PostgreSQL makes a second transaction that
//      inserts the same key wait on the first one's uncommitted row — so a concurrent duplicate simply
//      waits for the first request to finish, with no polling.
//   2. The first request does its work and stores its result on the row, then commits: the claim and
//      the result become visible together, or (error, rollback) not at all — a failed request leaves
//      no record and may be retried with the same key (like pretix, errors are not replayed).
//   3. The duplicate's INSERT then finds the committed row: same request hash → the stored result is
//      returned (`replayed: true`); another hash → CONFLICT `errors.idempotencyKeyReused`.
// Records live 24 hours (expires_at); an expired one is replaced, and a cron purges them.
//
// The scope names the operation and the caller ("registration.create:user:<id>"), so one person's key
// never collides with another's. Results must be JSON (dates as ISO strings): a replay returns the
// stored JSON.
import "server-only";
import { createHash } from "node:crypto";
import type { PoolClient } from "pg";
import { db, withPgTransaction, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const IDEMPOTENCY_TTL_HOURS = 24;
export const DEFAULT_TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export type IdempotencyRequest = {
  /** Operation and caller, e.g. `registration.create:user:<userId>`. */
  scope: string;
  /** The client's key (1–200 characters of letters, digits, `-_.:`). */
  key: string;
  /** hashRequest(body): the same key with another body is refused. */
  requestHash: string;
  ttlHours?: number;
};

export type TransactionOptions = { maxWait?: number; timeout?: number };

const KEY_RE = /^[A-Za-z0-9_.:-]{1,200}$/;

export function isValidIdempotencyKey(key: unknown): key is string {
  return typeof key === "string" && KEY_RE.test(key);
}

/** Canonical JSON (object keys sorted, undefined dropped) → hex SHA-256. */
export function hashRequest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

const RETRY = Symbol("retry");

/**
 * Runs `fn` in a transaction, at most once per (scope, key). Without a request (`null`), simply runs
 * `fn` in a transaction. See the file comment for the protocol.
 */
export async function withIdempotency<T>(
  request: IdempotencyRequest | null,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: TransactionOptions = DEFAULT_TRANSACTION_OPTIONS,
): Promise<{ value: T; replayed: boolean }> {
  const txOptions = { ...DEFAULT_TRANSACTION_OPTIONS, ...options };
  if (!request) return { value: await db.$transaction(fn, txOptions), replayed: false };
  if (!isValidIdempotencyKey(request.key)) {
    throw new AppError("VALIDATION", "errors.validation", { idempotencyKey: "errors.idempotencyKeyInvalid" });
  }
  const ttlHours = request.ttlHours ?? IDEMPOTENCY_TTL_HOURS;

  for (let attempt = 1; attempt <= 5; attempt++) {
    const outcome = await db.$transaction(async (tx) => {
      const claimed = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO idempotency_records (id, scope, key, request_hash, created_at, expires_at)
        VALUES (gen_random_uuid(), ${request.scope}, ${request.key}, ${request.requestHash}, now(), now() + make_interval(hours => ${ttlHours}::int))
        ON CONFLICT (scope, key) DO NOTHING
        RETURNING id`;
      if (claimed.length === 1) {
        const value = await fn(tx);
        await tx.$executeRaw`
          UPDATE idempotency_records SET response = ${JSON.stringify({ value: value ?? null })}::jsonb, status_code = 200
           WHERE id = ${claimed[0].id}::uuid`;
        return { value, replayed: false };
      }
      // The key exists and its transaction has finished (the INSERT waited for it).
      const [existing] = await tx.$queryRaw<{ id: string; request_hash: string; response: { value: T } | null; expired: boolean }[]>`
        SELECT id, request_hash, response, expires_at <= now() AS expired
          FROM idempotency_records WHERE scope = ${request.scope} AND key = ${request.key}`;
      if (!existing) return RETRY; // purged in between
      if (existing.expired || existing.response === null) {
        await tx.$executeRaw`DELETE FROM idempotency_records WHERE id = ${existing.id}::uuid`;
        return RETRY;
      }
      if (existing.request_hash !== request.requestHash) throw new AppError("CONFLICT", "errors.idempotencyKeyReused");
      return { value: existing.response.value, replayed: true };
    }, txOptions);
    if (outcome !== RETRY) return outcome;
  }
  throw new AppError("CONFLICT", "errors.conflict");
}

/** What a `withIdempotencyPg` work gets when its request carries a key: the claimed record. */
export type PgIdempotencyClaim = {
  /** idempotency_records.id claimed by this request, in this transaction. */
  readonly id: string;
  /** The JSON to store in `response` for `value` (what a replay returns). */
  responseJson(value: unknown): string;
  /**
   * The work wrote responseJson(value) on the record itself (in one of its own statements, saving a
   * round trip); the value it returns must be that value. Otherwise the result is stored after the work.
   */
  markStored(): void;
};

/**
 * withIdempotency() for work that runs plain SQL on a `pg` connection (lib/db.ts withPgTransaction): the
 * same protocol and the same statements, in the same transaction as the work. Used by hot paths
 * (registration); keep the two in step.
 */
export async function withIdempotencyPg<T>(
  request: IdempotencyRequest | null,
  fn: (client: PoolClient, claim: PgIdempotencyClaim | null) => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  if (!request) return { value: await withPgTransaction((client) => fn(client, null)), replayed: false };
  if (!isValidIdempotencyKey(request.key)) {
    throw new AppError("VALIDATION", "errors.validation", { idempotencyKey: "errors.idempotencyKeyInvalid" });
  }
  const ttlHours = request.ttlHours ?? IDEMPOTENCY_TTL_HOURS;
  const responseJson = (value: unknown) => JSON.stringify({ value: value ?? null });

  for (let attempt = 1; attempt <= 5; attempt++) {
    const outcome = await withPgTransaction(async (client) => {
      const claimed = await client.query<{ id: string }>(
        `INSERT INTO idempotency_records (id, scope, key, request_hash, created_at, expires_at)
         VALUES (gen_random_uuid(), $1, $2, $3, now(), now() + make_interval(hours => $4::int))
         ON CONFLICT (scope, key) DO NOTHING
         RETURNING id`,
        [request.scope, request.key, request.requestHash, ttlHours],
      );
      if (claimed.rows.length === 1) {
        let stored = false;
        const id = claimed.rows[0].id;
        const value = await fn(client, { id, responseJson, markStored: () => (stored = true) });
        if (!stored) {
          await client.query(`UPDATE idempotency_records SET response = $1::jsonb, status_code = 200 WHERE id = $2::uuid`, [responseJson(value), id]);
        }
        return { value, replayed: false };
      }
      const { rows } = await client.query<{ id: string; request_hash: string; response: { value: T } | null; expired: boolean }>(
        `SELECT id, request_hash, response, expires_at <= now() AS expired
           FROM idempotency_records WHERE scope = $1 AND key = $2`,
        [request.scope, request.key],
      );
      const existing = rows[0];
      if (!existing) return RETRY;
      if (existing.expired || existing.response === null) {
        await client.query(`DELETE FROM idempotency_records WHERE id = $1::uuid`, [existing.id]);
        return RETRY;
      }
      if (existing.request_hash !== request.requestHash) throw new AppError("CONFLICT", "errors.idempotencyKeyReused");
      return { value: existing.response.value, replayed: true };
    });
    if (outcome !== RETRY) return outcome;
  }
  throw new AppError("CONFLICT", "errors.conflict");
}

/** Deletes records past their expiry (cron). Returns how many were removed. */
export async function purgeExpiredIdempotencyRecords(options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 1000;
  let total = 0;
  for (;;) {
    const removed = await db.$executeRaw`
      DELETE FROM idempotency_records WHERE id IN (
        SELECT id FROM idempotency_records WHERE expires_at <= now() ORDER BY expires_at LIMIT ${batch}::int)`;
    total += removed;
    if (removed < batch) return total;
  }
}
