// A set of job implementations the runner can execute. The app's own is lib/worker (appRegistry);
// tests build theirs with createRegistry([...]) and pass it to enqueue()/Runner. Nothing here imports
// the implementations: the outbox reads subscriptions from the catalogue (./catalogue.ts).
import "server-only";
import type { Subscriptions } from "./catalogue";
import type { JobDefinition } from "./define";
import type { EventName } from "./events";

export interface JobRegistry extends Subscriptions {
  readonly jobs: readonly JobDefinition[];
  get(id: string): JobDefinition | undefined;
  /** Functions triggered by this event (one jobs row each per dispatched event). */
  subscribers(event: EventName | string): JobDefinition[];
  /** Cron-triggered functions. */
  crons(): JobDefinition[];
}

export function createRegistry(jobs: readonly JobDefinition[]): JobRegistry {
  const byId = new Map<string, JobDefinition>();
  for (const job of jobs) {
    if (byId.has(job.id)) throw new Error(`Duplicate job id "${job.id}"`);
    byId.set(job.id, job);
  }
  return {
    jobs,
    get: (id) => byId.get(id),
    subscribers: (event) => jobs.filter((j) => "event" in j.trigger && j.trigger.event === event),
    crons: () => jobs.filter((j) => "cron" in j.trigger),
  };
}
