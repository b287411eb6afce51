// Every background function of the app. A new feature adds its definitions here (one line).
import "server-only";
import type { JobDefinition } from "../define";
import { eventJobs } from "./events";
import { mailJobs } from "./mail";
import { maintenanceJobs } from "./maintenance";
import { mediaJobs } from "./media";
import { notificationJobs } from "./notifications";
import { registrationJobs } from "./registrations";

/**
 * The list, read when first needed (lib/jobs/registry.ts): these modules import services that import
 * lib/jobs back (enqueue → registry), so whichever module of the cycle loads first, nothing here is read
 * while the others are still loading.
 */
export function appJobs(): readonly JobDefinition[] {
  return [...notificationJobs, ...mailJobs, ...registrationJobs, ...eventJobs, ...mediaJobs, ...maintenanceJobs];
}
