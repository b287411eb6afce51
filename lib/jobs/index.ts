// Public API of the jobs area (see docs/jobs.md).
import "server-only";

export { eventSchemas, parseEventPayload, type EventName, type EventPayload } from "./events";
export { defineJob, type JobContext, type JobDefinition, type JobStep, type CronPayload } from "./define";
export { enqueue, kick, type EnqueueOptions, type EnqueueResult } from "./enqueue";
export { createRegistry, appRegistry, type JobRegistry } from "./registry";
export { isInngestConfigured, getInngest } from "./client";
export { Runner, startRunner, stopRunner, currentRunner, type RunnerOptions } from "./runner";
export { startBackgroundWork, stopBackgroundWork } from "./runtime";
