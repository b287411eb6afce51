// The one Prisma client (PostgreSQL through the pg driver adapter). Created on first use so that
// importing a module never opens a connection (next build, unit tests).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, Prisma } from "@/lib/generated/prisma/client";
import { statementName, type Sql } from "./sql";

export { sql, raw, join, literal, empty, isSql, Sql } from "./sql";
import { TX_PROFILES, type TxProfile } from "./transaction";

export { TX_PROFILES, type TxProfile };

export { Prisma };
export type Db = PrismaClient;
/** A client or an interactive-transaction client: what every service accepts as `tx`. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/** Logs a connection the database dropped; never throws (an "error" event without a listener would). */
function logDroppedConnection(error: Error): void {
  console.error("[db] connection error (the pool drops the connection and opens a new one when needed):", error.message);
}

/**
 * How long a client that lost its connection while checked out may stay unreturned before the pool
 * discards it itself (see createPool): its user has long seen the failure by then.
 */
export const DEAD_CLIENT_RELEASE_MS = 2_000;

/** Clients checked out by withPgTransaction(), which handles their errors and returns them itself. */
const selfManaged = new WeakSet<pg.PoolClient>();

/**
 * The connection pool (pg) behind the Prisma client; DATABASE_POOL_SIZE connections (default 10). Every
 * pool the app creates comes from here, because a connection the database drops (restart, failover, a
 * proxy's idle timeout, pg_terminate_backend) must never crash the process or shrink the pool:
 * - idle in the pool: the pool emits "error" — logged here; the pool has already discarded the client;
 * - checked out (between two statements of a transaction): the client itself emits "error", which nobody
 *   listens to while it is lent out — handled here for every checkout (withPgTransaction() also marks its
 *   transaction broken). And when its user never returns it — @prisma/adapter-pg 6.19 releases a
 *   transaction's client only after a successful COMMIT/ROLLBACK, so a transaction whose connection died
 *   keeps its pool slot forever (and pool.end() waits for it) — the pool discards it after
 *   DEAD_CLIENT_RELEASE_MS (proven by tests/integration/db-pool-errors.test.ts).
 */
export function createPool(url: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    idleTimeoutMillis: 30_000,
  });
  pool.on("error", logDroppedConnection);
  // Which checkout a lent client is in (a new number per checkout; none while it is in the pool).
  const lent = new WeakMap<pg.PoolClient, number>();
  const watched = new WeakSet<pg.PoolClient>();
  let checkouts = 0;
  pool.on("acquire", (client) => {
    if (!watched.has(client)) {
      watched.add(client);
      client.on("error", (error: Error) => {
        const checkout = lent.get(client);
        if (checkout === undefined) return; // idle: the pool's own listener has it
        if (selfManaged.has(client)) return; // withPgTransaction() logs it and returns the client
        logDroppedConnection(error);
        setTimeout(() => {
          if (lent.get(client) !== checkout) return; // returned meanwhile
          console.error("[db] a client whose connection died was not returned by its user: discarding it");
          client.release(error);
        }, DEAD_CLIENT_RELEASE_MS).unref();
      });
    }
    lent.set(client, ++checkouts);
  });
  pool.on("release", (_error, client) => {
    lent.delete(client);
    selfManaged.delete(client);
  });
  return pool;
}

/** A Prisma client on its own pool, or on `pool` (which it then owns: $disconnect ends it). */
export function createPrismaClient(url: string, options: { max?: number; pool?: pg.Pool } = {}): PrismaClient {
  const adapter = new PrismaPg(options.pool ?? createPool(url, options), { disposeExternalPool: true });
  return new PrismaClient({ adapter, log: process.env.PRISMA_LOG === "1" ? ["query", "warn", "error"] : [] });
}

const globalForDb = globalThis as unknown as { __aqDb?: PrismaClient; __aqPool?: pg.Pool };

function instance(): PrismaClient {
  if (!globalForDb.__aqDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start / npm run dev set it for the embedded database)");
    const pool = createPool(url);
    globalForDb.__aqPool = pool;
    globalForDb.__aqDb = createPrismaClient(url, { pool });
  }
  return globalForDb.__aqDb;
}

/**
 * The same pool the Prisma client uses, for the few hot paths that run plain SQL over `pg` (one less
 * layer per statement: see docs/registrations.md → "Performance"). Use withPgTransaction().
 */
export function pgPool(): pg.Pool {
  instance();
  return globalForDb.__aqPool!;
}

/**
 * Runs `fn` in a READ COMMITTED transaction on a pooled `pg` connection: COMMIT when it resolves,
 * ROLLBACK when it throws (and the error is rethrown). A connection that failed is not reused.
 * While the client is checked out the pool does not listen to it: a connection dropped between two
 * statements (no query running) emits "error" on the client, which is caught here — the next statement
 * then fails, the transaction rolls back, and the connection is discarded.
 */
export async function withPgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  selfManaged.add(client);
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
    logDroppedConnection(error);
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const value = await fn(client);
    await client.query("COMMIT");
    return value;
  } catch (error) {
    // After a failed COMMIT the ROLLBACK is a harmless no-op; when it fails, the connection is gone.
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = instance();
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
  // `"$transaction" in db` answers for the client (how code tells the client from a transaction).
  has(_target, prop) {
    return Reflect.has(instance(), prop);
  },
});

/** Closes the shared client (tests, scripts). */
export async function disconnectDb(): Promise<void> {
  if (globalForDb.__aqDb) {
    await globalForDb.__aqDb.$disconnect();
    globalForDb.__aqDb = undefined;
  }
  const pool = globalForDb.__aqPool;
  globalForDb.__aqPool = undefined;
  if (pool && !pool.ended) await pool.end();
}

/**
 * Runs the deferred constraint triggers (the "exactly one OWNER" rule) now, inside the transaction.
 * Call it last in every transaction that changes organization ownership or memberships: a violation
 * then fails a statement and rolls back cleanly. (Prisma 6.19 with the pg adapter leaks the pool
 * connection when COMMIT itself fails; see tests/integration/db-constraints.test.ts.)
 */
export async function checkDeferredConstraints(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SET CONSTRAINTS ALL IMMEDIATE`;
}

/**
 * Runs SQL fragments (./sql.ts) on whatever holds the connection: a Prisma client or interactive
 * transaction, or a `pg` pool / checked-out client. The same fragment gives the same statement on
 * every runner, so a rule written once serves the Prisma path and the plain-pg hot path alike.
 */
export interface SqlRunner {
  /** The statement's rows. `prepare` (pg only) makes it a named prepared statement of the connection. */
  rows<T>(query: Sql, options?: { prepare?: boolean }): Promise<T[]>;
  /** The number of rows the statement changed. */
  execute(query: Sql): Promise<number>;
}

/** A runner over a Prisma client or transaction (`$queryRawUnsafe` / `$executeRawUnsafe`). */
export function onPrisma(client: DbClient): SqlRunner {
  return {
    rows<T>(query: Sql) {
      const { text, values } = query.compile();
      return client.$queryRawUnsafe<T[]>(text, ...values);
    },
    execute(query: Sql) {
      const { text, values } = query.compile();
      return client.$executeRawUnsafe(text, ...values);
    },
  };
}

/** A runner over a `pg` pool or a checked-out client (inside withPgTransaction). */
export function onPg(client: pg.Pool | pg.PoolClient): SqlRunner {
  return {
    async rows<T>(query: Sql, options: { prepare?: boolean } = {}) {
      const { text, values } = query.compile();
      const result = await client.query({ text, values, ...(options.prepare ? { name: statementName(text) } : {}) });
      return result.rows as T[];
    },
    async execute(query: Sql) {
      const { text, values } = query.compile();
      return (await client.query({ text, values })).rowCount ?? 0;
    },
  };
}

/** A runner on the shared pool (one statement, autocommit). */
export function onPool(): SqlRunner {
  return onPg(pgPool());
}

/**
 * Runs `fn` in the caller's transaction when `tx` is one, else in a new transaction (on `tx` when it
 * is a client, else on the shared one) with the profile's timing.
 */
export function withTransaction<T>(
  tx: DbClient | undefined,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  profile: TxProfile = "standard",
): Promise<T> {
  const client = tx ?? db;
  if (typeof (client as PrismaClient).$transaction === "function") return (client as PrismaClient).$transaction(fn, TX_PROFILES[profile]);
  return fn(client as Prisma.TransactionClient);
}
