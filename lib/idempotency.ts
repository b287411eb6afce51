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
import { db, onPg, onPool, onPrisma, sql, withPgTransaction, type Prisma, type Sql, type SqlRunner, TX_PROFILES } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const IDEMPOTENCY_TTL_HOURS = 24;
/** The default timing of an idempotent transaction: lib/db/transaction.ts's "standard" profile. */
export const DEFAULT_TRANSACTION_OPTIONS = TX_PROFILES.standard;

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

/** What the work gets when its request carries a key: the claimed record. */
export type IdempotencyClaim = {
  /** idempotency_records.id claimed by this request, in this transaction. */
  readonly id: string;
  /** The JSON to store in `response` for `value` (what a replay returns). */
  responseJson(value: unknown): string;
  /**
   * The work wrote responseJson(value) on the record itself (in one of its own statements, saving a
   * round trip: idempotencyStore() composed into it); the value it returns must be that value.
   * Otherwise the result is stored after the work.
   */
  markStored(): void;
};

/** The claim: the record is inserted, or (a concurrent duplicate) the INSERT waits for its transaction. */
function idempotencyClaim(request: IdempotencyRequest, ttlHours: number): Sql {
  return sql`INSERT INTO idempotency_records (id, scope, key, request_hash, created_at, expires_at)
    VALUES (gen_random_uuid(), ${request.scope}, ${request.key}, ${request.requestHash}, now(), now() + make_interval(hours => ${ttlHours}::int))
    ON CONFLICT (scope, key) DO NOTHING
    RETURNING id`;
}

/**
 * Stores the response on the claimed record. `when` (a fragment that is true when the work happened,
 * e.g. `EXISTS (SELECT 1 FROM reg)`) lets a statement that does the work store the result in the same
 * round trip.
 */
export function idempotencyStore(recordId: string | null, responseJson: string | null, when: Sql = sql`true`): Sql {
  return sql`UPDATE idempotency_records SET response = ${responseJson}::jsonb, status_code = 200
     WHERE id = ${recordId}::uuid AND ${when}
    RETURNING id`;
}

function idempotencyLookup(request: IdempotencyRequest): Sql {
  return sql`SELECT id, request_hash, response, expires_at <= now() AS expired
    FROM idempotency_records WHERE scope = ${request.scope} AND key = ${request.key}`;
}

/** Runs `work` in a transaction and hands it the transaction's connection `C` and a runner over it. */
type Transact<C> = <R>(work: (connection: C, run: SqlRunner) => Promise<R>) => Promise<R>;

/**
 * The protocol (see the file comment), once, for any kind of transaction: Prisma's (withIdempotency)
 * or a plain pg connection's (withIdempotencyPg, the hot paths).
 */
async function runIdempotent<C, T>(
  request: IdempotencyRequest | null,
  transact: Transact<C>,
  fn: (connection: C, claim: IdempotencyClaim | null) => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  if (!request) return { value: await transact((connection) => fn(connection, null)), replayed: false };
  if (!isValidIdempotencyKey(request.key)) {
    throw new AppError("VALIDATION", "errors.validation", { idempotencyKey: "errors.idempotencyKeyInvalid" });
  }
  const ttlHours = request.ttlHours ?? IDEMPOTENCY_TTL_HOURS;
  const responseJson = (value: unknown) => JSON.stringify({ value: value ?? null });

  for (let attempt = 1; attempt <= 5; attempt++) {
    const outcome = await transact(async (connection, run) => {
      const [claimed] = await run.rows<{ id: string }>(idempotencyClaim(request, ttlHours), { prepare: true });
      if (claimed) {
        let stored = false;
        const value = await fn(connection, { id: claimed.id, responseJson, markStored: () => (stored = true) });
        if (!stored) await run.execute(idempotencyStore(claimed.id, responseJson(value)));
        return { value, replayed: false };
      }
      // The key exists and its transaction has finished (the INSERT waited for it).
      const [existing] = await run.rows<{ id: string; request_hash: string; response: { value: T } | null; expired: boolean }>(
        idempotencyLookup(request),
        { prepare: true },
      );
      if (!existing) return RETRY; // purged in between
      if (existing.expired || existing.response === null) {
        await run.execute(sql`DELETE FROM idempotency_records WHERE id = ${existing.id}::uuid`);
        return RETRY;
      }
      if (existing.request_hash !== request.requestHash) throw new AppError("CONFLICT", "errors.idempotencyKeyReused");
      return { value: existing.response.value, replayed: true };
    });
    if (outcome !== RETRY) return outcome;
  }
  throw new AppError("CONFLICT", "errors.conflict");
}

/**
 * Runs `fn` in a Prisma transaction, at most once per (scope, key). Without a request (`null`), simply
 * runs `fn` in a transaction. See the file comment for the protocol.
 */
export function withIdempotency<T>(
  request: IdempotencyRequest | null,
  fn: (tx: Prisma.TransactionClient, claim: IdempotencyClaim | null) => Promise<T>,
  options: TransactionOptions = DEFAULT_TRANSACTION_OPTIONS,
): Promise<{ value: T; replayed: boolean }> {
  const txOptions = { ...DEFAULT_TRANSACTION_OPTIONS, ...options };
  const transact: Transact<Prisma.TransactionClient> = (work) => db.$transaction((tx) => work(tx, onPrisma(tx)), txOptions);
  return runIdempotent(request, transact, fn);
}

/**
 * withIdempotency() for work that runs plain SQL on a `pg` connection (lib/db withPgTransaction): the
 * same protocol and statements (one implementation), in the same transaction as the work.
 */
export function withIdempotencyPg<T>(
  request: IdempotencyRequest | null,
  fn: (client: PoolClient, claim: IdempotencyClaim | null) => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  const transact: Transact<PoolClient> = (work) => withPgTransaction((client) => work(client, onPg(client)));
  return runIdempotent(request, transact, fn);
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

/** A finished answer of an edge-idempotent request: the status and the JSON body a replay returns. */
export type StoredAnswer = { status: number; body: unknown };

/**
 * The protocol for work that does NOT share a transaction with the claim: the API edge's
 * "edge" idempotency (lib/http/api-route.ts), whose handler calls a service that runs its own
 * transactions. Holding a claim transaction open while the handler takes more connections from the
 * same pool would let a burst of duplicates starve the handler, so here the claim commits on its own:
 *   1. INSERT the (scope, key) row (idempotencyClaim, autocommit) — the winner runs `work`;
 *   2. the winner stores the answer on the row (status_code + response: the body's JSON text, so a
 *      replay is byte for byte the first answer — jsonb would reorder its keys); when `work` throws, the row
 *      is deleted (errors are not replayed, the key may be retried) and the error rethrown;
 *   3. a duplicate finds the row: another request hash → CONFLICT errors.idempotencyKeyReused; an
 *      answer → replayed; no answer yet (the winner is still running) → it waits, polling every
 *      `pollMs` for up to `waitMs`, then CONFLICT api.errors.idempotencyInProgress. A claim without an
 *      answer older than `staleMs` (its process died) is taken over.
 * The work therefore runs at most once per key while a claim lives, however many duplicates arrive.
 */
export async function runOnceByKey(
  request: IdempotencyRequest,
  work: () => Promise<StoredAnswer>,
  options: { waitMs?: number; pollMs?: number; staleMs?: number } = {},
): Promise<StoredAnswer & { replayed: boolean }> {
  if (!isValidIdempotencyKey(request.key)) {
    throw new AppError("VALIDATION", "errors.validation", { idempotencyKey: "errors.idempotencyKeyInvalid" });
  }
  const { waitMs = 30_000, pollMs = 50, staleMs = 5 * 60_000 } = options;
  const ttlHours = request.ttlHours ?? IDEMPOTENCY_TTL_HOURS;
  const run = onPool();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [claimed] = await run.rows<{ id: string }>(idempotencyClaim(request, ttlHours), { prepare: true });
    if (claimed) {
      let answer: StoredAnswer;
      try {
        answer = await work();
      } catch (error) {
        await run.execute(sql`DELETE FROM idempotency_records WHERE id = ${claimed.id}::uuid`);
        throw error;
      }
      await run.execute(sql`UPDATE idempotency_records SET response = ${JSON.stringify({ text: JSON.stringify(answer.body ?? null) })}::jsonb, status_code = ${answer.status}::int
        WHERE id = ${claimed.id}::uuid`);
      return { ...answer, replayed: false };
    }
    const [existing] = await run.rows<{ id: string; request_hash: string; response: { text: string } | null; status_code: number | null; expired: boolean; stale: boolean }>(
      sql`SELECT id, request_hash, response, status_code, expires_at <= now() AS expired,
                 created_at <= now() - make_interval(secs => ${Math.ceil(staleMs / 1000)}::int) AS stale
            FROM idempotency_records WHERE scope = ${request.scope} AND key = ${request.key}`,
      { prepare: true },
    );
    if (!existing) continue; // released (the winner failed) or purged: claim again
    if (existing.expired || (existing.response === null && existing.stale)) {
      await run.execute(sql`DELETE FROM idempotency_records WHERE id = ${existing.id}::uuid AND (expires_at <= now() OR response IS NULL)`);
      continue;
    }
    if (existing.request_hash !== request.requestHash) throw new AppError("CONFLICT", "errors.idempotencyKeyReused");
    if (existing.response !== null) return { status: existing.status_code ?? 200, body: JSON.parse(existing.response.text) as unknown, replayed: true };
    if (Date.now() >= deadline) throw new AppError("CONFLICT", "api.errors.idempotencyInProgress");
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
