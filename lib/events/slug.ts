// Event slugs (pure): transliterated from the title with the organizations' slugify
// ("Летняя встреча" → "letnyaya-vstrecha"), ≤ 100 characters, unique per organization among
// non-deleted events. On a collision the next free number is appended ("-2", "-3", …); the service
// inserts with ON CONFLICT DO NOTHING and picks again if a parallel create took the same one, and
// after a few lost races falls back to a random 6-character suffix.
import { slugify, withSlugSuffix } from "@/lib/organizations/slug";
import { EVENT_SLUG_MAX } from "@/lib/validation/events";

/** The slug a title gives, before uniqueness ("event" when nothing in it can be written in Latin). */
export function eventSlugBase(title: string): string {
  const slug = slugify(title, { maxLength: EVENT_SLUG_MAX });
  if (slug.length >= 2) return slug;
  return slug ? withSlugSuffix("event", slug, EVENT_SLUG_MAX) : "event";
}

/** `base`, or `base-n` with the smallest n ≥ 2 that is not in `taken` (the base shortened to fit 100). */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = withSlugSuffix(base, String(n), EVENT_SLUG_MAX);
    if (!taken.has(candidate)) return candidate;
  }
}

/** `base-x7k2p9`: the fallback after repeated collisions. */
export function randomSlugSuffix(base: string): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(6));
  const suffix = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  return withSlugSuffix(base, suffix, EVENT_SLUG_MAX);
}

/** The prefix every candidate of `base` starts with (for the "which are taken" query). */
export function slugCandidatesPrefix(base: string): string {
  // A numbered candidate may shorten the base to fit the suffix: 100 − "-" − up to 6 digits.
  return base.slice(0, EVENT_SLUG_MAX - 8).replace(/-+$/, "");
}
