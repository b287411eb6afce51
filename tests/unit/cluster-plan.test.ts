// The supervisor's arithmetic (scripts/lib/cluster-plan.mjs): web process count, per-process pool sizes
// that fit the connection budget, and the restart backoff with its crash-loop stop.
import { describe, expect, test } from "vitest";
import { createRestartPolicy, DEDICATED_CONNECTIONS, poolPlan, webConcurrency } from "../../scripts/lib/cluster-plan.mjs";

describe("webConcurrency", () => {
  test("defaults to the number of cores; WEB_CONCURRENCY overrides; nonsense is refused", () => {
    expect(webConcurrency({}, 2)).toBe(2);
    expect(webConcurrency({}, 16)).toBe(16);
    expect(webConcurrency({ WEB_CONCURRENCY: "1" }, 8)).toBe(1);
    expect(webConcurrency({ WEB_CONCURRENCY: " " }, 3)).toBe(3);
    expect(() => webConcurrency({ WEB_CONCURRENCY: "0" }, 2)).toThrow(/WEB_CONCURRENCY/);
    expect(() => webConcurrency({ WEB_CONCURRENCY: "two" }, 2)).toThrow(/WEB_CONCURRENCY/);
  });
});

describe("poolPlan", () => {
  test("every process's pool and dedicated connections fit the budget (embedded PostgreSQL: 100 connections)", () => {
    for (const web of [1, 2, 4, 8, 16, 24]) {
      const plan = poolPlan({ webProcesses: web, env: {} });
      expect(plan.processes).toBe(web + 1);
      expect(plan.poolSize).toBeGreaterThanOrEqual(1);
      expect(plan.poolSize).toBeLessThanOrEqual(10);
      expect(plan.total).toBe((web + 1) * (plan.poolSize + DEDICATED_CONNECTIONS));
      expect(plan.total).toBeLessThanOrEqual(80);
    }
    expect(poolPlan({ webProcesses: 2, env: {} }).poolSize).toBe(10); // 3 × 12 = 36 of 80
    expect(poolPlan({ webProcesses: 8, env: {} }).poolSize).toBe(6); // floor(80 / 9) − 2
  });

  test("a larger budget (a managed PostgreSQL) still caps a process at 10 unless DATABASE_POOL_SIZE says more", () => {
    expect(poolPlan({ webProcesses: 2, env: { DATABASE_CONNECTION_BUDGET: "400" } }).poolSize).toBe(10);
    expect(poolPlan({ webProcesses: 2, env: { DATABASE_CONNECTION_BUDGET: "400", DATABASE_POOL_SIZE: "40" } }).poolSize).toBe(40);
  });

  test("an explicit pool that does not fit, or a budget too small for the processes, is refused with the numbers", () => {
    expect(() => poolPlan({ webProcesses: 4, env: { DATABASE_POOL_SIZE: "30" } })).toThrow(/160 connections, more than DATABASE_CONNECTION_BUDGET=80/);
    expect(() => poolPlan({ webProcesses: 30, env: {} })).toThrow(/too small for 31 processes/);
  });
});

describe("restart policy", () => {
  test("backoff doubles per crash within the window and resets after it; the sixth crash in a minute is a crash loop", () => {
    const policy = createRestartPolicy({ baseMs: 500, maxMs: 15_000, windowMs: 60_000, maxCrashes: 5 });
    const t = 1_000_000;
    expect(policy.crashed(t)).toBe(500);
    expect(policy.crashed(t + 1_000)).toBe(1_000);
    expect(policy.crashed(t + 2_000)).toBe(2_000);
    expect(policy.crashed(t + 3_000)).toBe(4_000);
    expect(policy.crashed(t + 4_000)).toBe(8_000);
    expect(policy.crashed(t + 5_000)).toBeNull();

    const calm = createRestartPolicy({ baseMs: 500, windowMs: 60_000 });
    expect(calm.crashed(t)).toBe(500);
    expect(calm.crashed(t + 61_000)).toBe(500); // the first crash left the window
    expect(calm.recentCrashes).toBe(1);
  });
});

test("a web-only supervisor (SERVER_ROLE=web, one container of a scaled service) shares the budget among its web processes", () => {
  expect(poolPlan({ webProcesses: 4, worker: false, env: { DATABASE_CONNECTION_BUDGET: "30" } })).toEqual({ poolSize: 5, processes: 4, budget: 30, total: 28 });
});
