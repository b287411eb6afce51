// Background work: the app's job implementations and what starts them (lib/startup.ts, the Inngest
// route). Only entry points import this area.
import "server-only";

export { appRegistry, inngestFunctions } from "./registry";
export { appJobs } from "./functions";
export { startBackgroundWork, stopBackgroundWork, type BackgroundMode } from "./runtime";
