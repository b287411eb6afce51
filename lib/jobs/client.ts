// The Inngest client (app id "aqstream") and the switch between the two ways jobs run:
//   Inngest configured  → functions are served at /api/inngest; the outbox relay sends events to Inngest.
//   not configured      → the embedded runner (lib/jobs/runner.ts) executes the same definitions in-process.
import "server-only";
import { Inngest } from "inngest";
import { env, type Env } from "@/lib/env";

export const INNGEST_APP_ID = "aqstream";

type InngestEnv = Pick<Env, "INNGEST_EVENT_KEY" | "INNGEST_SIGNING_KEY" | "INNGEST_DEV" | "INNGEST_BASE_URL">;

/** INNGEST_DEV as Inngest reads it: "1"/"true" or a URL mean dev mode. */
function devFlag(value: string | undefined): boolean {
  if (!value) return false;
  const v = value.trim().toLowerCase();
  return v === "1" || v === "true" || v === "yes" || /^https?:\/\//.test(v);
}

/** True with INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY (Inngest Cloud), or INNGEST_DEV=1 + INNGEST_BASE_URL. */
export function isInngestConfigured(source: InngestEnv = env()): boolean {
  if (source.INNGEST_EVENT_KEY && source.INNGEST_SIGNING_KEY) return true;
  return devFlag(source.INNGEST_DEV) && Boolean(source.INNGEST_BASE_URL);
}

let client: Inngest | undefined;

/** The app's client (created on first use so that importing never reads the environment). */
export function getInngest(): Inngest {
  if (!client) {
    const e = env();
    client = new Inngest({
      id: INNGEST_APP_ID,
      eventKey: e.INNGEST_EVENT_KEY,
      signingKey: e.INNGEST_SIGNING_KEY,
      baseUrl: e.INNGEST_BASE_URL,
      isDev: devFlag(e.INNGEST_DEV) ? true : undefined,
    });
  }
  return client;
}
