// Search over an event's registrations at scale (100,000 of one event): a trigram (pg_trgm GIN) index
// narrows, the exact conditions decide. Used by the organizer's list (./admin.ts) and the door's manual
// search (lib/check-in/reads.ts). docs/registrations.md "Search at scale".
//
// REGISTRATION_SEARCH_TEXT is the expression of the index registrations_search_text_trgm_idx
// (migration 20261206180000_check_in_growth), written the same way so the planner matches it: every
// name form the searches match ("first", "last", "first last", "last first", the email) is a substring
// of it, so `text ILIKE '%q%'` holds whenever any of them matches — the index can only narrow, never
// lose a row. The confirmation code has its own trigram index (registrations_confirmation_code_trgm_idx).
// tests/integration/registrations-search.test.ts checks with EXPLAIN that both are used.
import "server-only";

export const REGISTRATION_SEARCH_TEXT = `(r.first_name || ' ' || COALESCE(r.last_name, '') || ' ' || COALESCE(r.last_name, '') || ' ' || r.first_name || ' ' || COALESCE(r.email, ''))`;

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
