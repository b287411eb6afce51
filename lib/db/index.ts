// The one Prisma client (PostgreSQL through the pg driver adapter). Created on first use so that
// importing a module never opens a connection (next build, unit tests).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, Prisma } from "@/lib/generated/prisma/client";
import { statementName, type Sql } from "./sql";

export { sql, raw, join, literal, empty, isSql, Sql } from "./sql";

export { Prisma };
export type Db = PrismaClient;
/** A client or an interactive-transaction client: what every service accepts as `tx`. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/** The connection pool (pg) behind the Prisma client; DATABASE_POOL_SIZE connections (default 10). */
export function createPool(url: string, options: { max?: number } = {}): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max: options.max ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    idleTimeoutMillis: 30_000,
  });
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
    pool.on("error", (error) => console.error("[db] idle connection error:", error.message));
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
 */
export async function withPgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  let broken: Error | undefined;
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
    client.release(broken);
  }
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = instance();
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
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
