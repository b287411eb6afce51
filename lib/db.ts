// The one Prisma client (PostgreSQL through the pg driver adapter). Created on first use so that
// importing a module never opens a connection (next build, unit tests).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, Prisma } from "@/lib/generated/prisma/client";

export { Prisma };
export type Db = PrismaClient;
/** A client or an interactive-transaction client: what every service accepts as `tx`. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

export function createPrismaClient(url: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: url,
    max: options.max ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter, log: process.env.PRISMA_LOG === "1" ? ["query", "warn", "error"] : [] });
}

const globalForDb = globalThis as unknown as { __aqDb?: PrismaClient };

function instance(): PrismaClient {
  if (!globalForDb.__aqDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start / npm run dev set it for the embedded database)");
    globalForDb.__aqDb = createPrismaClient(url);
  }
  return globalForDb.__aqDb;
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
