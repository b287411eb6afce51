// Turns job definitions into Inngest functions (the same handler, Inngest's step tooling).
import "server-only";
import type { Inngest, InngestFunction } from "inngest";
import { getInngest } from "./client";
import type { JobDefinition } from "./define";

type Retries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;

export function toInngestFunction(job: JobDefinition, client: Inngest = getInngest()): InngestFunction.Any {
  const triggers = "cron" in job.trigger ? [{ cron: job.trigger.cron }] : [{ event: job.trigger.event }];
  return client.createFunction(
    {
      id: job.id,
      triggers,
      retries: job.retries as Retries,
      ...(job.concurrency ? { concurrency: job.concurrency } : {}),
    },
    async ({ event, step, attempt, runId }) =>
      job.run({
        event: { name: event.name, id: event.id, data: event.data, ts: event.ts },
        step: { run: <T>(id: string, fn: () => Promise<T> | T) => step.run(id, fn) as Promise<T> },
        attempt,
        runId,
      }),
  ) as unknown as InngestFunction.Any;
}
