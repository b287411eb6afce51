// The embedded runner against a real PostgreSQL: retries with backoff, failure, restart recovery,
// two runners on one database, cron tick claims, and the outbox's transactional behaviour.
import { randomUUID } from "node:crypto";
import { NonRetriableError } from "inngest";
import { afterEach, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { defineJob, type JobContext } from "@/lib/jobs/define";
import { enqueue, kick } from "@/lib/jobs/enqueue";
import { createRegistry, type JobRegistry } from "@/lib/jobs/registry";
import { Runner, type RunnerOptions } from "@/lib/jobs/runner";

const quiet = { info: () => {}, warn: () => {}, error: (...a: unknown[]) => console.error(...a) };
const runners: Runner[] = [];

function runner(registry: JobRegistry, options: Partial<RunnerOptions> = {}): Runner {
  const r = new Runner({ registry, pollMs: 20, concurrency: 4, lockMs: 10_000, backoffBaseMs: 50, backoffJitter: 0, logger: quiet, ...options });
  runners.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ timeoutMs: 5000 })));
});

async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A test function on the real catalogue event; the payload's id identifies the run. */
function testJob(id: string, handler: (ctx: JobContext<{ notificationId: string }>) => unknown, retries?: number) {
  return defineJob({ id, trigger: { event: "notification/requested" }, retries, handler: (ctx) => ctx.step.run("work", () => handler(ctx)) });
}

async function dispatch(registry: JobRegistry, key = randomUUID()) {
  await enqueue(db, "notification/requested", { notificationId: key }, { id: `test:${key}`, registry });
  return key;
}

const jobOf = (name: string, key: string) => db.job.findUniqueOrThrow({ where: { dedupeKey: `${name}:test:${key}` } });

describe("embedded runner", () => {
  test("a failing job is retried with exponential backoff, then succeeds", async () => {
    const runs: number[] = [];
    const registry = createRegistry([
      testJob("flaky", () => {
        runs.push(Date.now());
        if (runs.length < 3) throw new Error(`failure ${runs.length}`);
        return "done";
      }),
    ]);
    const key = await dispatch(registry);
    runner(registry).start();
    const job = await waitFor(async () => {
      const row = await jobOf("flaky", key);
      return row.status === "SUCCEEDED" && row;
    });
    expect(runs).toHaveLength(3);
    expect(job.attempts).toBe(3);
    expect(job.finishedAt).not.toBeNull();
    expect(job.lockedBy).toBeNull();
    // Backoff base 50 ms, doubling: the retries wait at least 50 ms and 100 ms.
    expect(runs[1] - runs[0]).toBeGreaterThanOrEqual(45);
    expect(runs[2] - runs[1]).toBeGreaterThanOrEqual(95);
  });

  test("a job that exhausts its attempts ends FAILED with lastError", async () => {
    let runs = 0;
    const registry = createRegistry([
      testJob(
        "hopeless",
        () => {
          runs++;
          throw new Error("boom: the service is down");
        },
        2,
      ),
    ]);
    const key = await dispatch(registry);
    runner(registry, { backoffBaseMs: 10 }).start();
    const job = await waitFor(async () => {
      const row = await jobOf("hopeless", key);
      return row.status === "FAILED" && row;
    });
    expect(runs).toBe(3); // retries 2 = 3 attempts
    expect(job.attempts).toBe(3);
    expect(job.maxAttempts).toBe(3);
    expect(job.lastError).toMatch(/boom: the service is down/);
    expect(job.finishedAt).not.toBeNull();
  });

  test("NonRetriableError fails at once", async () => {
    let runs = 0;
    const registry = createRegistry([
      testJob("refused", () => {
        runs++;
        throw new NonRetriableError("bad input");
      }),
    ]);
    const key = await dispatch(registry);
    runner(registry).start();
    const job = await waitFor(async () => {
      const row = await jobOf("refused", key);
      return row.status === "FAILED" && row;
    });
    expect(runs).toBe(1);
    expect(job.lastError).toMatch(/bad input/);
  });

  test("restart recovery: a RUNNING job whose server died is run again by a new runner", async () => {
    const runs: string[] = [];
    const registry = createRegistry([testJob("survivor", ({ event }) => void runs.push(event.data.notificationId))]);
    const orphan = await dispatch(registry);
    const alive = await dispatch(registry);
    // As if a server had claimed both and died; one lease already expired, the other is still valid.
    await db.job.update({
      where: { dedupeKey: `survivor:test:${orphan}` },
      data: { status: "RUNNING", lockedBy: "dead-server", lockedUntil: new Date(Date.now() - 1000), attempts: 1 },
    });
    await db.job.update({
      where: { dedupeKey: `survivor:test:${alive}` },
      data: { status: "RUNNING", lockedBy: "live-server", lockedUntil: new Date(Date.now() + 60_000), attempts: 1 },
    });
    runner(registry).start();
    const job = await waitFor(async () => {
      const row = await jobOf("survivor", orphan);
      return row.status === "SUCCEEDED" && row;
    });
    expect(job.attempts).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual([orphan]);
    expect((await jobOf("survivor", alive)).status).toBe("RUNNING");
  });

  test("a RUNNING job past its last attempt whose lease expired ends FAILED instead of running again", async () => {
    let runs = 0;
    const registry = createRegistry([testJob("last-try", () => void runs++, 1)]);
    const key = await dispatch(registry);
    await db.job.update({
      where: { dedupeKey: `last-try:test:${key}` },
      data: { status: "RUNNING", lockedBy: "dead-server", lockedUntil: new Date(Date.now() - 1000), attempts: 2 },
    });
    runner(registry).start();
    const job = await waitFor(async () => {
      const row = await jobOf("last-try", key);
      return row.status === "FAILED" && row;
    });
    expect(runs).toBe(0);
    expect(job.lastError).toMatch(/lease expired/);
  });

  test("two runners on one database never run a job twice (200 jobs)", async () => {
    const executions = new Map<string, number>();
    const perRunner = { a: 0, b: 0 };
    const make = (label: "a" | "b") =>
      createRegistry([
        testJob("counted", async ({ event }) => {
          executions.set(event.data.notificationId, (executions.get(event.data.notificationId) ?? 0) + 1);
          perRunner[label]++;
          await new Promise((r) => setTimeout(r, Math.random() * 4));
        }),
      ]);
    const registryA = make("a");
    const registryB = make("b");
    const keys = Array.from({ length: 200 }, () => randomUUID());
    await db.$transaction(async (tx) => {
      for (const key of keys) await enqueue(tx, "notification/requested", { notificationId: key }, { id: `test:${key}`, registry: registryA });
    });
    runner(registryA, { id: "runner-a", pollMs: 5 }).start();
    runner(registryB, { id: "runner-b", pollMs: 5 }).start();
    await waitFor(async () => (await db.job.count({ where: { name: "counted", status: "SUCCEEDED" } })) === 200, 60_000);
    expect(executions.size).toBe(200);
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    expect(perRunner.a + perRunner.b).toBe(200);
    expect(perRunner.a).toBeGreaterThan(0);
    expect(perRunner.b).toBeGreaterThan(0);
    expect(await db.job.count({ where: { name: "counted", attempts: { not: 1 } } })).toBe(0);
  });

  test("a long job keeps its lease (heartbeat), so another runner does not take it over", async () => {
    let runs = 0;
    const registry = createRegistry([
      testJob("slow", async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 1200));
      }),
    ]);
    const key = await dispatch(registry);
    runner(registry, { id: "slow-a", lockMs: 300 }).start();
    await waitFor(async () => (await jobOf("slow", key)).status === "RUNNING");
    runner(registry, { id: "slow-b", lockMs: 300 }).start();
    await waitFor(async () => (await jobOf("slow", key)).status === "SUCCEEDED");
    expect(runs).toBe(1);
  });

  test("concurrency limits parallel runs of one function", async () => {
    let active = 0;
    let peak = 0;
    const registry = createRegistry([
      defineJob({
        id: "narrow",
        trigger: { event: "notification/requested" },
        concurrency: 2,
        handler: async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 30));
          active--;
        },
      }),
    ]);
    for (let i = 0; i < 10; i++) await dispatch(registry);
    runner(registry, { concurrency: 8 }).start();
    await waitFor(async () => (await db.job.count({ where: { name: "narrow", status: "SUCCEEDED" } })) === 10);
    expect(peak).toBeLessThanOrEqual(2);
  });

  test("kick() wakes the runner at once instead of waiting for the poll interval", async () => {
    const done: string[] = [];
    const registry = createRegistry([testJob("eager", ({ event }) => void done.push(event.data.notificationId))]);
    runner(registry, { pollMs: 60_000 }).start();
    await new Promise((r) => setTimeout(r, 100)); // the runner is now asleep for a minute
    const key = await dispatch(registry);
    kick();
    await waitFor(async () => done.includes(key), 5000);
  });
});

describe("cron ticks", () => {
  const tick = new Date("2027-03-15T10:07:00.000Z");

  test("each tick is claimed by exactly one of several runners, which enqueues its job", async () => {
    const seen: { ts?: number; data: unknown }[] = [];
    const registry = createRegistry([
      defineJob({ id: "every-minute", trigger: { cron: "* * * * *" }, handler: ({ event }) => void seen.push({ ts: event.ts, data: event.data }) }),
    ]);
    let now = new Date(tick.getTime() + 12_000);
    const many = Array.from({ length: 5 }, (_, i) => runner(registry, { id: `cron-${i}`, now: () => now }));
    const won = await Promise.all(many.map((r) => r.tickCrons()));
    expect(won.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await db.job.count({ where: { name: "every-minute" } })).toBe(1);
    expect((await db.cronTick.findUniqueOrThrow({ where: { name: "every-minute" } })).lastTick.toISOString()).toBe(tick.toISOString());

    // The same tick again (e.g. the next poll): nobody wins.
    expect((await Promise.all(many.map((r) => r.tickCrons()))).reduce((a, b) => a + b, 0)).toBe(0);

    // A minute later: exactly one again.
    now = new Date(tick.getTime() + 60_000 + 500);
    expect((await Promise.all(many.map((r) => r.tickCrons()))).reduce((a, b) => a + b, 0)).toBe(1);
    expect(await db.job.count({ where: { name: "every-minute" } })).toBe(2);

    // The jobs run with the tick as the event time.
    await many[0].runOnce();
    expect(seen.map((s) => s.ts).sort()).toEqual([tick.getTime(), tick.getTime() + 60_000]);
    expect(seen[0].data).toEqual({ cron: "* * * * *" });
  });

  test("a fresh runner catches up the latest missed tick once, and never an older one", async () => {
    const registry = createRegistry([defineJob({ id: "hourly", trigger: { cron: "0 * * * *" }, handler: () => undefined })]);
    const now = new Date("2027-03-15T10:04:00Z");
    expect(await runner(registry, { now: () => now, cronCatchUpMs: 10 * 60_000 }).tickCrons()).toBe(1);
    const job = await db.job.findFirstOrThrow({ where: { name: "hourly" } });
    expect(job.runAt.toISOString()).toBe("2027-03-15T10:00:00.000Z");
    // Started too late for the window: nothing.
    const late = createRegistry([defineJob({ id: "hourly-late", trigger: { cron: "0 * * * *" }, handler: () => undefined })]);
    expect(await runner(late, { now: () => new Date("2027-03-15T10:30:00Z"), cronCatchUpMs: 10 * 60_000 }).tickCrons()).toBe(0);
  });
});

describe("outbox", () => {
  test("enqueue inside a rolled-back transaction leaves nothing", async () => {
    const registry = createRegistry([testJob("never", () => undefined)]);
    const key = randomUUID();
    await expect(
      db.$transaction(async (tx) => {
        await enqueue(tx, "notification/requested", { notificationId: key }, { id: `test:${key}`, registry });
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    expect(await db.job.count({ where: { name: "never" } })).toBe(0);
  });

  test("one row per subscribed function; the same event twice is one job each", async () => {
    const registry = createRegistry([testJob("first", () => undefined), testJob("second", () => undefined, 7)]);
    const key = randomUUID();
    const once = await enqueue(db, "notification/requested", { notificationId: key }, { id: `test:${key}`, registry });
    const twice = await db.$transaction((tx) => enqueue(tx, "notification/requested", { notificationId: key }, { id: `test:${key}`, registry }));
    expect(once).toEqual({ created: 2, functions: ["first", "second"] });
    expect(twice.created).toBe(0);
    const rows = await db.job.findMany({ where: { dedupeKey: { endsWith: `:test:${key}` } }, orderBy: { name: "asc" } });
    expect(rows.map((r) => [r.name, r.eventName, r.maxAttempts, r.status])).toEqual([
      ["first", "notification/requested", 5, "PENDING"],
      ["second", "notification/requested", 8, "PENDING"],
    ]);
    expect(rows[0].payload).toEqual({ notificationId: key });
  });

  test("a payload that does not match the catalogue is refused", async () => {
    const registry = createRegistry([testJob("strict", () => undefined)]);
    await expect(
      enqueue(db, "notification/requested", { notificationId: "not-a-uuid" }, { id: "test:bad", registry }),
    ).rejects.toThrow(/uuid|UUID/);
  });
});
