// Kicks across processes (docs/deployment.md): a web process that enqueued a job wakes the worker's
// runner at once — without it the job would wait for the worker's next poll (JOBS_POLL_MS). The web
// side sends NOTIFY aq_jobs_wake on its pool, at most once per `debounceMs` (a rush enqueues many jobs);
// the worker LISTENs on a connection of its own (the cache bus's, on another channel) and wakes its runner.
// Only a hint: the runner's poll still finds every job.
import "server-only";
import type pg from "pg";
import { createCacheBus, type CacheBus } from "@/lib/cache/cache-bus.mjs";
import { kickLocal, setRemoteKick } from "./wake";

export const JOBS_WAKE_CHANNEL = "aq_jobs_wake";

/** Web processes: every kick() is also sent to the other processes (debounced). Returns the uninstaller. */
export function sendKicksTo(pool: pg.Pool, { debounceMs = 10 }: { debounceMs?: number } = {}): () => void {
  let pending = false;
  const payload = JSON.stringify({ from: `pid:${process.pid}`, tags: ["wake"] });
  setRemoteKick(() => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      pool.query("SELECT pg_notify($1, $2)", [JOBS_WAKE_CHANNEL, payload]).catch(() => {
        // the worker finds the job at its next poll
      });
    }, debounceMs).unref?.();
  });
  return () => setRemoteKick(null);
}

/** The worker: kicks from other processes wake this process's runner. Returns the listener (stop() ends it). */
export function receiveKicks(url: string): CacheBus {
  const bus = createCacheBus({ url, channel: JOBS_WAKE_CHANNEL, label: "[jobs] the wake-up listener" });
  bus.onTags(() => kickLocal());
  return bus;
}
