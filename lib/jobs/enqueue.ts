// Dispatch = transactional outbox. enqueue() writes one `jobs` row per subscribed function inside
// the caller's transaction, so the work exists if and only if the business change committed.
// After the commit the embedded runner executes the rows, or (Inngest configured) the relay forwards
// them to inngest.send with the same stable event id. dedupeKey = `${functionId}:${eventId}`:
// dispatching the same event twice yields one job per function (INSERT … ON CONFLICT DO NOTHING,
// which never aborts the caller's transaction).
import "server-only";
import type { DbClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { JobDefinition } from "./define";
import { eventSchemas, type EventName, type EventPayload } from "./events";
import { appRegistry, type JobRegistry } from "./registry";

export { kick } from "./wake";

export interface EnqueueOptions {
  /** Stable event id: the same logical event must always get the same id (e.g. `notification:${rowId}`). */
  id: string;
  /** Run no earlier than this (default: now). */
  runAt?: Date;
  /** Tests pass their own registry; default: every function of the app. */
  registry?: JobRegistry;
}

export interface EnqueueResult {
  /** Rows actually inserted (0 when this event id was dispatched before). */
  created: number;
  /** Functions subscribed to the event. */
  functions: string[];
}

export const MAX_EVENT_ID_LENGTH = 200;

export function dedupeKeyOf(functionId: string, eventId: string): string {
  return `${functionId}:${eventId}`;
}

/** Event id part of a dedupe key (function ids never contain ":"). */
export function eventIdOf(dedupeKey: string): string {
  return dedupeKey.slice(dedupeKey.indexOf(":") + 1);
}

/** One `jobs` row of a dispatched event (what enqueue() inserts). */
export type JobRow = {
  name: string;
  eventName: EventName;
  payload: Prisma.InputJsonObject;
  dedupeKey: string;
  maxAttempts: number;
  runAt: Date;
};

/**
 * The rows enqueue() writes for an event: one per subscribed function, the payload validated against
 * the catalogue. Statements written in SQL that dispatch an event (the sale: lib/registrations) insert
 * exactly these rows, so the two never differ.
 */
export function jobRowsFor<N extends EventName>(eventName: N, payload: EventPayload<N>, options: EnqueueOptions): JobRow[] {
  const data = eventSchemas[eventName].parse(payload) as Prisma.InputJsonObject;
  const id = options.id;
  if (!id || id.length > MAX_EVENT_ID_LENGTH) throw new Error(`enqueue(${eventName}): event id must be 1–${MAX_EVENT_ID_LENGTH} characters`);
  const functions = (options.registry ?? appRegistry()).subscribers(eventName);
  const runAt = options.runAt ?? new Date();
  return functions.map((fn) => ({
    name: fn.id,
    eventName,
    payload: data,
    dedupeKey: dedupeKeyOf(fn.id, id),
    maxAttempts: fn.retries + 1,
    runAt,
  }));
}

export async function enqueue<N extends EventName>(
  tx: DbClient,
  eventName: N,
  payload: EventPayload<N>,
  options: EnqueueOptions,
): Promise<EnqueueResult> {
  const rows = jobRowsFor(eventName, payload, options);
  if (rows.length === 0) return { created: 0, functions: [] };
  const result = await tx.job.createMany({ data: rows, skipDuplicates: true });
  return { created: result.count, functions: rows.map((r) => r.name) };
}

/** The job of one cron tick (written by the runner that won the tick). */
export async function enqueueCronTick(tx: DbClient, job: JobDefinition, tick: Date): Promise<boolean> {
  if (!("cron" in job.trigger)) throw new Error(`Job ${job.id} is not a cron`);
  const result = await tx.job.createMany({
    data: [
      {
        name: job.id,
        eventName: "cron",
        payload: { cron: job.trigger.cron, tick: tick.toISOString() },
        dedupeKey: dedupeKeyOf(job.id, `cron:${tick.toISOString()}`),
        maxAttempts: job.retries + 1,
        runAt: tick,
      },
    ],
    skipDuplicates: true,
  });
  return result.count === 1;
}
