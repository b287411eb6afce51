// The app's job implementations (./functions), as the runner and Inngest see them. The composition
// root of background work: it imports every area's services; nothing in lib/ imports it back (the
// outbox reads subscriptions from lib/jobs/catalogue.ts).
import "server-only";
import type { InngestFunction } from "inngest";
import { createRegistry, toInngestFunction, type JobRegistry } from "@/lib/jobs";
import { appJobs } from "./functions";

let app: JobRegistry | undefined;

/** Every function of the app. */
export function appRegistry(): JobRegistry {
  app ??= createRegistry(appJobs);
  return app;
}

let functions: InngestFunction.Any[] | undefined;

/** Every function of the app as Inngest functions, for serve() (app/api/inngest). */
export function inngestFunctions(): InngestFunction.Any[] {
  functions ??= appRegistry().jobs.map((job) => toInngestFunction(job));
  return functions;
}
