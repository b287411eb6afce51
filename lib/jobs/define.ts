// defineJob(): one definition per background function, runnable two ways —
//   • as an Inngest function (lib/jobs/inngest.ts → inngest.createFunction), when Inngest is configured;
//   • by the embedded runner (lib/jobs/runner.ts), otherwise.
// Handlers are thin: they parse nothing themselves (the payload arrives validated against the event
// catalogue), call a lib/<area> service inside `step.run`, and must be safe to run again (at-least-once).
import "server-only";
import { NonRetriableError } from "inngest";
import { ZodError } from "zod";
import { parseCron, type CronSchedule } from "./cron";
import { eventSchemas, type EventName, type EventPayload } from "./events";

/** The only step tool handlers may use. Results must be JSON-serializable (Inngest stores them). */
export interface JobStep {
  run<T>(id: string, fn: () => Promise<T> | T): Promise<T>;
}

export interface JobEvent<TData> {
  name: string;
  /** Stable event id (the dedupe key's second half). */
  id?: string;
  data: TData;
  /** Epoch ms: for a cron, the tick being run. */
  ts?: number;
}

export interface JobContext<TData> {
  event: JobEvent<TData>;
  step: JobStep;
  /** Zero-based, like Inngest's `attempt`. */
  attempt: number;
  /** Id of this run (the jobs row id in embedded mode). */
  runId: string;
}

/** Payload of a cron-triggered run (Inngest's "inngest/scheduled.timer" event has the same data). */
export interface CronPayload {
  cron: string;
}

export const CRON_EVENT_NAME = "inngest/scheduled.timer";

export type JobTrigger = { event: EventName } | { cron: string };

export interface JobDefinition {
  readonly id: string;
  readonly trigger: JobTrigger;
  /** Retries after the first attempt (Inngest semantics): maxAttempts = retries + 1. */
  readonly retries: number;
  /** Max parallel runs of this function (per server in embedded mode; global on Inngest). */
  readonly concurrency?: number;
  readonly schedule?: CronSchedule;
  /** Runs the handler with the raw event; validates the payload first. */
  readonly run: (ctx: JobContext<unknown>) => Promise<unknown>;
}

interface BaseOptions {
  /** Lower-case letters, digits and dashes; unique; never renamed once deployed (rows reference it). */
  id: string;
  /** Default 4 (5 attempts), like Inngest. */
  retries?: number;
  concurrency?: number;
}

export function defineJob<N extends EventName>(
  options: BaseOptions & { trigger: { event: N }; handler: (ctx: JobContext<EventPayload<N>>) => Promise<unknown> | unknown },
): JobDefinition;
export function defineJob(
  options: BaseOptions & { trigger: { cron: string }; handler: (ctx: JobContext<CronPayload>) => Promise<unknown> | unknown },
): JobDefinition;
export function defineJob(
  options: BaseOptions & { trigger: JobTrigger; handler: (ctx: JobContext<never>) => Promise<unknown> | unknown },
): JobDefinition {
  const { id, trigger, retries = 4, concurrency, handler } = options;
  if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(id)) throw new Error(`Job id "${id}" must be lower-case letters, digits and dashes`);
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) throw new Error(`Job "${id}": retries must be 0–20`);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new Error(`Job "${id}": concurrency must be a positive integer`);
  }
  const schedule = "cron" in trigger ? parseCron(trigger.cron) : undefined;
  if ("event" in trigger && !(trigger.event in eventSchemas)) throw new Error(`Job "${id}": unknown event ${trigger.event}`);

  const run = async (ctx: JobContext<unknown>) => {
    let data: unknown;
    if ("event" in trigger) {
      try {
        data = eventSchemas[trigger.event].parse(ctx.event.data);
      } catch (error) {
        if (error instanceof ZodError) {
          // A payload that does not match the catalogue will never succeed: do not retry it.
          throw new NonRetriableError(`Invalid ${trigger.event} payload: ${error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
        }
        throw error;
      }
    } else {
      data = { cron: trigger.cron };
    }
    return handler({ ...ctx, event: { ...ctx.event, data } } as JobContext<never>);
  };

  return { id, trigger, retries, concurrency, schedule, run };
}

/**
 * Step tool of the embedded runner. Each call runs its function (like Inngest, a repeated id runs
 * again); nothing is memoized across attempts, so a retry re-runs earlier steps: keep them idempotent.
 */
export function createLocalStep(): JobStep {
  return {
    run<T>(_id: string, fn: () => Promise<T> | T): Promise<T> {
      return Promise.resolve().then(fn);
    },
  };
}
