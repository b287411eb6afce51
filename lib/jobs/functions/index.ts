// Every background function of the app. A new feature adds its definitions here (one line).
import "server-only";
import type { JobDefinition } from "../define";
import { notificationJobs } from "./notifications";

export const appJobs: readonly JobDefinition[] = [...notificationJobs];
