// Dispatch = transactional outbox. enqueue() writes one `jobs` row per subscribed function inside
// the caller's transaction, so the work exists if and only if the business change committed.
// After the commit the embedded runner executes the rows, or (Inngest configured) the relay forwards
// them to inngest.send with the same stable event id. dedupeKey = `${functionId}:${eventId}`:
// dispatching the same event twice yields one job per function (INSERT … ON CONFLICT DO NOTHING,
// which never aborts the caller's transaction).
import "server-only";
import { empty, onPrisma, raw, sql, type DbClient, type Sql, type SqlRunner } from "@/lib/db";
import type { JobDefinition } from "./define";
import { eventSchemas, type EventName, type EventPayload } from "./events";
import { catalogueSubscriptions, type Subscriptions } from "./catalogue";

export { kick } from "./wake";

export interface EnqueueOptions {
  /** Stable event id: the same logical event must always get the same id (e.g. `notification:${rowId}`). */
  id: string;
  /** Run no earlier than this (default: now). */
  runAt?: Date;
  /** Tests pass their own registry; default: the app's catalogue (./catalogue.ts). */
  registry?: Subscriptions;
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

/**
 * The outbox rule as one fragment: the `jobs` rows of one dispatched event, one per subscribed function,
 * INSERT … ON CONFLICT DO NOTHING on the dedupe key (a second dispatch of the same event id is a no-op
 * and never aborts the caller's transaction). `when` — a relation name of the enclosing statement — makes
 * the insert happen only if that relation has a row (a sale's `reg`, a notification's `notice`), so a
 * single-statement hot path composes the very same insert. Returns the inserted ids.
 */
export function enqueueStatement<N extends EventName>(
  eventName: N,
  payload: EventPayload<N>,
  options: EnqueueOptions & { when?: string },
): Sql {
  const data = eventSchemas[eventName].parse(payload);
  const id = options.id;
  if (!id || id.length > MAX_EVENT_ID_LENGTH) throw new Error(`enqueue(${eventName}): event id must be 1–${MAX_EVENT_ID_LENGTH} characters`);
  const functions = (options.registry ?? catalogueSubscriptions).subscribers(eventName);
  const runAt = options.runAt ?? new Date(); // app clock: the runner compares against the same clock
  const when = options.when ? sql` WHERE EXISTS (SELECT 1 FROM ${raw(relationName(options.when))})` : empty;
  return sql`INSERT INTO jobs (id, name, event_name, payload, dedupe_key, max_attempts, run_at, created_at, updated_at)
    SELECT gen_random_uuid(), j.name, ${eventName}, ${JSON.stringify(data)}::jsonb, j.dedupe_key, j.max_attempts, ${runAt}::timestamptz, now(), now()
      FROM unnest(${functions.map((f) => f.id)}::text[], ${functions.map((f) => dedupeKeyOf(f.id, id))}::text[], ${functions.map((f) => f.retries + 1)}::int[])
        AS j(name, dedupe_key, max_attempts)${when}
    ON CONFLICT DO NOTHING
    RETURNING id`;
}

/** A CTE or table name of the enclosing statement (code, never input). */
function relationName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a relation name: ${name}`);
  return name;
}

/** Writes the jobs of one event in the caller's transaction (enqueueStatement, run alone). */
export async function enqueue<N extends EventName>(
  tx: DbClient | SqlRunner,
  eventName: N,
  payload: EventPayload<N>,
  options: EnqueueOptions,
): Promise<EnqueueResult> {
  const functions = (options.registry ?? catalogueSubscriptions).subscribers(eventName);
  if (functions.length === 0) return { created: 0, functions: [] };
  const run = "rows" in tx ? tx : onPrisma(tx);
  const rows = await run.rows<{ id: string }>(enqueueStatement(eventName, payload, options));
  return { created: rows.length, functions: functions.map((f) => f.id) };
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
