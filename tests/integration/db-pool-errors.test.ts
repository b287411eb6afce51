// A connection the database drops (restart, failover, idle timeout of a proxy, pg_terminate_backend) must
// never become an uncaughtException or an unhandledRejection: the app's pool (lib/db.ts, behind Prisma
// and the plain-SQL hot paths), every other pool the app creates (createPool / createPrismaClient: the
// seed) and a client checked out of the pool while it sits idle inside withPgTransaction or a Prisma
// transaction. Afterwards the next query works on a fresh connection, and no pool slot stays taken.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { DEAD_CLIENT_RELEASE_MS, createPool, createPrismaClient, db, pgPool, withPgTransaction } from "@/lib/db";
import { register } from "@/lib/registrations/register";
import { createEvent, createOrganization, createTicketType, createUser } from "@/tests/helpers/factories";
import { actorOf } from "@/lib/permissions";

const problems: unknown[] = [];
const record = (error: unknown) => problems.push(error);
let admin: pg.Client;
const consoleError = console.error;

beforeAll(async () => {
  process.on("uncaughtException", record);
  process.on("unhandledRejection", record);
  // The pool logs the dropped connections; keep the test output readable.
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("[db]")) return;
    consoleError(...args);
  };
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  admin.on("error", () => undefined);
  await admin.connect();
});

afterAll(async () => {
  process.off("uncaughtException", record);
  process.off("unhandledRejection", record);
  console.error = consoleError;
  await admin.end();
});

afterEach(() => {
  expect(problems.splice(0), "no uncaughtException / unhandledRejection").toEqual([]);
});

/** Terminates every other backend of this test database (the app's connections); returns how many. */
async function terminateOthers(pids?: number[]): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND ($1::int[] IS NULL OR pid = ANY($1::int[]))`,
    [pids ?? null],
  );
  return rows[0].n;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await sleep(10);
  }
}

describe("dropped database connections", () => {
  test("idle connections of the app's pool are terminated: no crash, the next query (Prisma, pg, a sale) works", async () => {
    const pool = pgPool();
    // Several idle connections, used by both Prisma and plain pg.
    await Promise.all([
      ...Array.from({ length: 4 }, () => pool.query("SELECT 1 AS one FROM pg_sleep(0.05)")),
      ...Array.from({ length: 4 }, () => db.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.05)`),
    ]);
    expect(pool.idleCount).toBeGreaterThanOrEqual(2);
    expect(await terminateOthers()).toBeGreaterThanOrEqual(2);
    await waitFor(() => pool.idleCount === 0); // the pool noticed and dropped every one of them

    expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    expect(await db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    expect(await withPgTransaction(async (c) => (await c.query<{ one: number }>("SELECT 1 AS one")).rows)).toEqual([{ one: 1 }]);
    const { organization } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event);
    const sale = await register({ actor: actorOf(await createUser()), eventId: event.id, ticketTypeId: type.id });
    expect(sale.status).toBe("CONFIRMED");
  });

  test("a client checked out inside withPgTransaction loses its backend while idle between queries: the transaction fails, nothing crashes", async () => {
    let ended = false;
    const failed = withPgTransaction(async (client) => {
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      // Observe the end of the connection only (an "error" listener here would hide the bug under test).
      client.once("end", () => (ended = true));
      expect(await terminateOthers([rows[0].pid])).toBe(1);
      await waitFor(() => ended); // the error arrives while no query runs on the client
      await client.query("SELECT 1");
    });
    await expect(failed).rejects.toThrow();
    expect((await withPgTransaction((c) => c.query<{ one: number }>("SELECT 1 AS one"))).rows).toEqual([{ one: 1 }]);
  });

  test("a Prisma interactive transaction loses its backend while idle: it fails, nothing crashes, the next one works", async () => {
    const failed = db.$transaction(async (tx) => {
      const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      expect(await terminateOthers([pid])).toBe(1);
      await sleep(200);
      await tx.$queryRaw`SELECT 1`;
    });
    await expect(failed).rejects.toThrow();
    expect(await db.$transaction((tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    // Prisma's adapter never returns a transaction's client whose connection died; the pool takes the slot
    // back itself (else every such transaction would shrink the pool for good, and pool.end() would hang).
    const pool = pgPool();
    await waitFor(() => pool.totalCount === pool.idleCount, DEAD_CLIENT_RELEASE_MS + 3_000);
  });

  test("a pool made with createPool survives its idle connections being terminated", async () => {
    const pool = createPool(process.env.DATABASE_URL!, { max: 3 });
    try {
      await Promise.all(Array.from({ length: 3 }, () => pool.query("SELECT 1 AS one FROM pg_sleep(0.05)")));
      expect(pool.idleCount).toBeGreaterThanOrEqual(1);
      await terminateOthers();
      await waitFor(() => pool.idleCount === 0);
      expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  test("a pool made with createPrismaClient (the seed's) survives its connections being terminated", async () => {
    const client = createPrismaClient(process.env.DATABASE_URL!, { max: 2 });
    try {
      await Promise.all([client.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.05)`, client.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.05)`]);
      // Only this client's connections: the others belong to the shared pool.
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      await terminateOthers();
      await sleep(300);
      expect(await client.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      await client.$disconnect();
    }
  });
});
