// Which functions exist and which events they subscribe to. The app's list is lib/jobs/functions;
// tests build their own registry with createRegistry([...]) and pass it to enqueue()/Runner.
import "server-only";
import type { JobDefinition } from "./define";
import type { EventName } from "./events";
import { appJobs } from "./functions";

export interface JobRegistry {
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

let app: JobRegistry | undefined;

/** The registry of every function of the app (lazy: lib/jobs/functions imports services). */
export function appRegistry(): JobRegistry {
  app ??= createRegistry(appJobs());
  return app;
}
