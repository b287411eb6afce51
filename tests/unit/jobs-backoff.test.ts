import { describe, expect, test } from "vitest";
import { retryDelayMs } from "@/lib/jobs/backoff";
import { defineJob } from "@/lib/jobs/define";
import { createRegistry } from "@/lib/jobs/registry";

describe("retryDelayMs", () => {
  test("doubles from the base without jitter", () => {
    const delays = [1, 2, 3, 4].map((n) => retryDelayMs(n, { baseMs: 15_000, jitter: 0 }));
    expect(delays).toEqual([15_000, 30_000, 60_000, 120_000]);
  });

  test("is capped", () => {
    expect(retryDelayMs(40, { baseMs: 15_000, jitter: 0 })).toBe(3_600_000);
    expect(retryDelayMs(5, { baseMs: 1000, maxMs: 5000, jitter: 0 })).toBe(5000);
  });

  test("jitter stays within ±fraction", () => {
    expect(retryDelayMs(1, { baseMs: 1000, jitter: 0.2, random: () => 0 })).toBe(800);
    expect(retryDelayMs(1, { baseMs: 1000, jitter: 0.2, random: () => 1 })).toBe(1200);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(2, { baseMs: 1000, jitter: 0.2 });
      expect(d).toBeGreaterThanOrEqual(1600);
      expect(d).toBeLessThanOrEqual(2400);
    }
  });
});

describe("defineJob", () => {
  test("defaults to 4 retries and checks its options", () => {
    const job = defineJob({ id: "x-job", trigger: { event: "notification/requested" }, handler: () => undefined });
    expect(job.retries).toBe(4);
    expect(() => defineJob({ id: "Bad:Id", trigger: { cron: "* * * * *" }, handler: () => undefined })).toThrow(/lower-case/);
    expect(() => defineJob({ id: "c", trigger: { cron: "nope" }, handler: () => undefined })).toThrow(/Invalid cron/);
    expect(() => defineJob({ id: "r", retries: 21, trigger: { cron: "* * * * *" }, handler: () => undefined })).toThrow(/retries/);
  });

  test("validates the payload before the handler runs, and refuses to retry a bad one", async () => {
    const seen: unknown[] = [];
    const job = defineJob({ id: "p", trigger: { event: "notification/requested" }, handler: ({ event }) => seen.push(event.data.notificationId) });
    const step = { run: <T>(_id: string, fn: () => Promise<T> | T) => Promise.resolve().then(fn) };
    const id = "7f1f2a4e-5a3b-4c1d-9e8f-0a1b2c3d4e5f";
    await job.run({ event: { name: "notification/requested", data: { notificationId: id } }, step, attempt: 0, runId: "r" });
    expect(seen).toEqual([id]);
    await expect(job.run({ event: { name: "notification/requested", data: { notificationId: 1 } }, step, attempt: 0, runId: "r" })).rejects.toMatchObject({
      name: "NonRetriableError",
    });
  });

  test("a registry knows subscribers and crons, and refuses duplicate ids", () => {
    const a = defineJob({ id: "a", trigger: { event: "notification/requested" }, handler: () => undefined });
    const b = defineJob({ id: "b", trigger: { cron: "0 * * * *" }, handler: () => undefined });
    const registry = createRegistry([a, b]);
    expect(registry.subscribers("notification/requested").map((j) => j.id)).toEqual(["a"]);
    expect(registry.crons().map((j) => j.id)).toEqual(["b"]);
    expect(() => createRegistry([a, a])).toThrow(/Duplicate/);
  });
});
