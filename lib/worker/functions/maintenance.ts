// Housekeeping crons (thin: the work is in lib/maintenance).
import "server-only";
import { purgeStaleRows } from "@/lib/maintenance";
import { JOBS, defineJob } from "@/lib/jobs";

/** Daily at 03:23 UTC: rows past their retention (see lib/maintenance/cleanup.ts). */
export const maintenanceCleanupJob = defineJob({
  ...JOBS["maintenance-cleanup"],
  handler: ({ step }) => step.run("purge-stale-rows", () => purgeStaleRows()),
});

export const maintenanceJobs = [maintenanceCleanupJob];
