// Every background function of the app. A new feature adds its definitions here (one line).
import "server-only";
import type { JobDefinition } from "@/lib/jobs";
import { eventJobs } from "./events";
import { mailJobs } from "./mail";
import { maintenanceJobs } from "./maintenance";
import { mediaJobs } from "./media";
import { messageJobs } from "./messages";
import { notificationJobs } from "./notifications";
import { paymentJobs } from "./payments";
import { paymentsDemoJobs } from "./payments-demo";
import { refundJobs } from "./refunds";
import { registrationJobs } from "./registrations";
import { webhookJobs } from "./webhooks";

/** The list (lib/worker/registry.ts; lib/jobs/catalogue.ts holds each one's settings). */
export const appJobs: readonly JobDefinition[] = [
  ...notificationJobs,
  ...mailJobs,
  ...registrationJobs,
  ...eventJobs,
  ...mediaJobs,
  ...maintenanceJobs,
  ...paymentJobs,
  ...paymentsDemoJobs,
  ...refundJobs,
  ...messageJobs,
  ...webhookJobs,
];
