// A minimal way to run one positional SQL statement ($1, $2, …) either inside a Prisma interactive
// transaction or on a plain `pg` connection, so the sale's statements (statements.ts) are written once.
import "server-only";
import type { PoolClient } from "pg";
import type { Prisma } from "@/lib/db";

/**
 * Runs one statement. `name` makes it a prepared statement on a `pg` connection (parsed and planned once
 * per connection, then only its parameters travel): for the big, hot statements of the sale.
 */
export type SqlRunner = <T>(text: string, values: readonly unknown[], name?: string) => Promise<T[]>;

/** Runs statements in a Prisma (interactive) transaction. */
export function onPrisma(tx: Prisma.TransactionClient): SqlRunner {
  return <T,>(text: string, values: readonly unknown[]) => tx.$queryRawUnsafe<T[]>(text, ...values);
}

/** Runs statements on a `pg` connection (inside withPgTransaction). */
export function onPg(client: PoolClient): SqlRunner {
  return async <T,>(text: string, values: readonly unknown[], name?: string) =>
    (await client.query({ text, values: values as unknown[], ...(name ? { name } : {}) })).rows as T[];
}
