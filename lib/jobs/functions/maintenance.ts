// Housekeeping crons (thin: the work is in lib/maintenance).
import "server-only";
import { purgeStaleRows } from "@/lib/maintenance/cleanup";
import { defineJob } from "../define";

/** Daily at 03:23 UTC: rows past their retention (see lib/maintenance/cleanup.ts). */
export const maintenanceCleanupJob = defineJob({
  id: "maintenance-cleanup",
  trigger: { cron: "23 3 * * *" },
  retries: 2,
  concurrency: 1,
  handler: ({ step }) => step.run("purge-stale-rows", () => purgeStaleRows()),
});

export const maintenanceJobs = [maintenanceCleanupJob];
