// Public API of the jobs area (see docs/jobs.md): the event and job catalogues, the outbox (enqueue),
// job definitions and the runner machinery. It never imports the implementations (lib/worker), so a
// service that enqueues work does not depend on the services the work calls.
import "server-only";

export { JOBS, catalogueSubscriptions, type JobId, type JobSpec, type Subscriber, type Subscriptions } from "./catalogue";
export { eventSchemas, parseEventPayload, type EventName, type EventPayload } from "./events";
export { defineJob, type JobContext, type JobDefinition, type JobStep, type CronPayload } from "./define";
export { enqueue, enqueueStatement, kick, type EnqueueOptions, type EnqueueResult } from "./enqueue";
export { createRegistry, type JobRegistry } from "./registry";
export { toInngestFunction } from "./inngest";
export { isInngestConfigured, getInngest } from "./client";
export { Runner, startRunner, stopRunner, currentRunner, type RunnerOptions } from "./runner";
export { retryDelayMs, type BackoffOptions } from "./backoff";
export { type RelayEvent } from "./runner";
export { JOBS_WAKE_CHANNEL, receiveKicks, sendKicksTo } from "./remote-wake";
