// On-demand revalidation of the cached public pages (docs/public-pages.md). Called from ENTRY POINTS
// only (server actions, route handlers, job functions) after a mutation has committed: services never
// import next/* (CONVENTIONS).
//
//   revalidatePublicEvent({ organizationSlug, slug, previousSlug? })
//       the event page in both locales (and the page under the previous slug after a slug change),
//       every cached page of the catalogue, the organization page, the landing page.
//   revalidatePublicOrganization(slug)
//       the organization page, the catalogue, the landing page (a renamed or deleted
//       organization also changes every event card: its event pages expire by `revalidate`).
//
// Paths are the DESTINATION paths of proxy.ts's locale rewrite (/ru/e/…, /en/e/…): that is what the
// ISR cache is keyed by. Outside a request (the embedded job runner runs in the server process but not
// inside a request), Next has no cache store to mark: the paths are then posted to the app's own
// POST /api/events/revalidate (INTERNAL_APP_URL, else APP_URL), signed with an HMAC of AUTH_SECRET; the
// web process that gets it tells every other one (lib/cache/cache-handler.mjs). If that fails, the pages'
// `revalidate` safety net (PUBLIC_REVALIDATE_SECONDS) bounds the staleness.
import "server-only";
import { revalidatePath } from "next/cache";
import { LOCALES } from "@/lib/i18n/config";
import { publicPathsSignature } from "./revalidate-signature";

export type PublicEventRef = { organizationSlug: string; slug: string; previousSlug?: string | null };

/** The catalogue and the landing page: every public change touches them (the sitemap renders per request). */
function listingPaths(): string[] {
  return [...LOCALES.map((l) => `/${l}`), CATALOGUE_PAGES];
}

/** Every cached page of the catalogue (/<locale>/events/<n>): the route pattern covers them all. */
const CATALOGUE_PAGES = "/[locale]/events/[page]";

export function publicEventPaths({ organizationSlug, slug, previousSlug }: PublicEventRef): string[] {
  const slugs = [slug, ...(previousSlug && previousSlug !== slug ? [previousSlug] : [])];
  // (The members' twin route and the .ics handler render per request: nothing cached to expire.)
  const eventPaths = LOCALES.flatMap((l) => slugs.map((s) => `/${l}/e/${organizationSlug}/${s}`));
  return [...eventPaths, ...LOCALES.map((l) => `/${l}/o/${organizationSlug}`), ...listingPaths()];
}

export function publicOrganizationPaths(slug: string): string[] {
  return [...LOCALES.map((l) => `/${l}/o/${slug}`), ...listingPaths()];
}

function isMissingStoreError(error: unknown): boolean {
  return error instanceof Error && /static generation store missing|workAsyncStorage/i.test(error.message);
}

/** Marks the paths stale; outside a request, asks this server to do it (see the file comment). */
export function revalidatePublicPaths(paths: readonly string[]): void {
  const unique = [...new Set(paths)];
  try {
    for (const path of unique) {
      if (path.includes("[")) revalidatePath(path, "page");
      else revalidatePath(path);
    }
  } catch (error) {
    if (!isMissingStoreError(error)) throw error;
    void revalidateThroughServer(unique);
  }
}

async function revalidateThroughServer(paths: string[]): Promise<void> {
  try {
    const { env, authSecret } = await import("@/lib/env");
    const body = JSON.stringify({ paths });
    const e = env();
    const response = await fetch(new URL("/api/events/revalidate", e.INTERNAL_APP_URL ?? e.APP_URL), {
      method: "POST",
      headers: { "content-type": "application/json", "x-aq-signature": publicPathsSignature(body, authSecret()) },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) console.warn(`[public] revalidation request answered ${response.status}`);
  } catch (error) {
    console.warn("[public] could not revalidate public pages outside a request; they expire by their revalidate interval", error instanceof Error ? error.message : error);
  }
}

/** After an event was created, edited, published, unpublished, cancelled, completed or deleted. */
export function revalidatePublicEvent(ref: PublicEventRef): void {
  revalidatePublicPaths(publicEventPaths(ref));
}

/** After an organization's public data changed (name, description, logo, slug, deletion). */
export function revalidatePublicOrganization(slug: string, options: { previousSlug?: string | null; eventPages?: boolean } = {}): void {
  revalidatePublicPaths([
    ...publicOrganizationPaths(slug),
    ...(options.previousSlug ? publicOrganizationPaths(options.previousSlug) : []),
    // A deleted organization archives its events: every cached event page (the pattern covers them all; rare).
    ...(options.eventPages ? ["/[locale]/e/[org]/[event]"] : []),
  ]);
}

/** The catalogue and the landing page only (e.g. after the cron completed finished events). */
export function revalidatePublicListings(): void {
  revalidatePublicPaths(listingPaths());
}
