// What several processes of one deployment share through PostgreSQL (docs/deployment.md):
//   • the cache bus: a revalidation published by one process reaches the others (never the sender), and
//     Next's cache handler applies it to this process's tags manifest, and publishes its own;
//   • a job kick in a web process wakes the worker's runner (NOTIFY), once per burst, never echoed;
//   • a restarted worker takes back at once the jobs its crashed predecessor left RUNNING on this host,
//     and leaves alone those of live runners and of other hosts.
// (Two real web processes and the worker: tests/embedded/cluster.spec.ts.)
import { randomUUID } from "node:crypto";
import os from "node:os";
import { afterAll, describe, expect, test } from "vitest";
import { db, pgPool } from "@/lib/db";
import { createRegistry } from "@/lib/jobs/registry";
import { receiveKicks, sendKicksTo } from "@/lib/jobs/remote-wake";
import { kick, onKick } from "@/lib/jobs/wake";
import { Runner } from "@/lib/jobs/runner";
import { createCacheBus, processCacheBus, type CacheBus } from "@/lib/cache/cache-bus.mjs";
import SharedCacheHandler from "@/lib/cache/cache-handler.mjs";
import { areTagsExpired } from "next/dist/server/lib/incremental-cache/tags-manifest.external.js";

const buses: CacheBus[] = [];
function bus(): CacheBus {
  const b = createCacheBus({ url: process.env.DATABASE_URL!, logger: { warn: () => {} } });
  buses.push(b);
  return b;
}

afterAll(async () => {
  await Promise.all(buses.map((b) => b.stop()));
  await processCacheBus()?.stop();
});

function nextMessage(b: CacheBus, timeoutMs = 5_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no message on the cache bus")), timeoutMs);
    const off = b.onTags((tags) => {
      clearTimeout(timer);
      off();
      resolve(tags);
    });
  });
}

describe("cache bus", () => {
  test("a revalidation reaches every other process, not the sender; long tag lists arrive whole", async () => {
    const [a, b, c] = [bus(), bus(), bus()];
    await Promise.all([a.ready, b.ready, c.ready]);
    const ownEcho: string[][] = [];
    a.onTags((tags) => ownEcho.push(tags));
    const tags = Array.from({ length: 400 }, (_, i) => `_N_T_/ru/e/org-${i}/event-with-a-long-slug-${i}`);
    const atB: string[][] = [];
    b.onTags((t) => atB.push(t));
    const atC = nextMessage(c);
    expect(await a.publish(tags)).toBe(true);
    await atC;
    await expect.poll(() => atB.flat().length, { timeout: 5_000 }).toBe(tags.length);
    expect(new Set(atB.flat())).toEqual(new Set(tags));
    expect(atB.length).toBeGreaterThan(1); // split below pg_notify's 8000-byte payload limit
    await new Promise((r) => setTimeout(r, 200));
    expect(ownEcho).toEqual([]);
  });

  test("Next's cache handler applies another process's revalidation here and publishes its own", async () => {
    // The handler subscribes this process's bus (what scripts/server.mjs starts before serving).
    new SharedCacheHandler({ fs: undefined, flushToDisk: false, serverDistDir: os.tmpdir(), revalidatedTags: [], maxMemoryCacheSize: 0 });
    await processCacheBus()!.ready;
    const other = bus();
    await other.ready;

    const page = `_N_T_/ru/e/acme/${randomUUID()}`;
    const cachedAt = Date.now() - 1_000;
    expect(areTagsExpired([page], cachedAt)).toBe(false);
    await other.publish([page]);
    await expect.poll(() => areTagsExpired([page], cachedAt), { timeout: 5_000 }).toBe(true);

    const mine = `_N_T_/en/o/${randomUUID()}`;
    const received = nextMessage(other);
    const handler = new SharedCacheHandler({ fs: undefined, flushToDisk: false, serverDistDir: os.tmpdir(), revalidatedTags: [], maxMemoryCacheSize: 0 });
    await handler.revalidateTag([mine]);
    expect(await received).toEqual([mine]);
    expect(areTagsExpired([mine], cachedAt)).toBe(true);
  });
});

describe("job kicks across processes", () => {
  test("a web process's kick wakes the worker's runner at once; a burst is one message; nothing echoes", async () => {
    const listener = receiveKicks(process.env.DATABASE_URL!);
    buses.push(listener);
    await listener.ready;
    let woken = 0;
    const off = onKick(() => woken++);
    const uninstall = sendKicksTo(pgPool(), { debounceMs: 20 });
    try {
      kick(); // this process's own runner at once, the worker's through NOTIFY
      expect(woken).toBe(1);
      await expect.poll(() => woken, { timeout: 5_000 }).toBe(2);
      for (let i = 0; i < 5; i++) kick(); // a rush: five local wake-ups, one message
      expect(woken).toBe(7);
      await expect.poll(() => woken, { timeout: 5_000 }).toBe(8);
      await new Promise((r) => setTimeout(r, 300));
      expect(woken).toBe(8); // a received kick is not sent on
    } finally {
      uninstall();
      off();
    }
  });
});

describe("worker restart", () => {
  test("jobs left RUNNING by a dead runner of this host run again at once; live or foreign leases stay", async () => {
    const host = os.hostname();
    const until = new Date(Date.now() + 5 * 60_000);
    const rows = {
      dead: `${host}:${2 ** 22 + 17}:dead01`, // above the kernel's pid range: no such process
      live: `${host}:${process.pid}:live01`, // another runner of this very process (tests run several)
      foreign: `another-host:${2 ** 22 + 17}:far001`,
    };
    const ids: Record<string, string> = {};
    for (const [kind, lockedBy] of Object.entries(rows)) {
      const job = await db.job.create({
        data: {
          name: "send-mail",
          eventName: "mail/requested",
          dedupeKey: `test:${kind}:${randomUUID()}`,
          status: "RUNNING",
          attempts: 1,
          lockedBy,
          lockedUntil: until,
        },
      });
      ids[kind] = job.id;
    }
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    const runner = new Runner({ registry: createRegistry([]), pollMs: 50, concurrency: 1, lockMs: 60_000, backoffBaseMs: 50, logger });
    expect(await runner.releaseLeasesOfDeadRunners()).toBe(1);
    const after = Object.fromEntries(
      await Promise.all(Object.entries(ids).map(async ([kind, id]) => [kind, await db.job.findUniqueOrThrow({ where: { id } })] as const)),
    );
    expect(after.dead).toMatchObject({ status: "PENDING", lockedBy: null, lockedUntil: null, attempts: 1 });
    expect(after.live).toMatchObject({ status: "RUNNING", lockedBy: rows.live });
    expect(after.foreign).toMatchObject({ status: "RUNNING", lockedBy: rows.foreign });
    expect(await runner.releaseLeasesOfDeadRunners()).toBe(0);
  });
});
