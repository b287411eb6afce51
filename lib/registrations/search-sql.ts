// Search over an event's registrations at scale (100,000 of one event) through a trigram (pg_trgm GIN)
// index: the organizer's list (./admin.ts) and the door's manual search (lib/check-in/reads.ts).
// docs/registrations.md "Search at scale".
//
// REGISTRATION_SEARCH_TEXT is the expression of the index registrations_search_text_trgm_idx (migration
// 20261206180000_check_in_growth), written the same way so the planner matches it: three lines,
// "first last", "last first" and the email. A search text never contains a line feed (searchPattern
// collapses whitespace to single spaces and escapes LIKE's wildcards), so `text ILIKE '%q%'` holds
// exactly when q occurs in one of the lines — in the first name, the last name, "first last",
// "last first" or the email: the indexed expression IS the search condition, not a pre-filter. The
// confirmation code has its own trigram index (registrations_confirmation_code_trgm_idx).
// tests/integration/registrations-search.test.ts checks the plans and the rows.
import "server-only";

export const REGISTRATION_SEARCH_TEXT = `(r.first_name || ' ' || COALESCE(r.last_name, '') || E'\\n' || COALESCE(r.last_name, '') || ' ' || r.first_name || E'\\n' || COALESCE(r.email, ''))`;

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%q%` for REGISTRATION_SEARCH_TEXT: whitespace collapsed to single spaces (never a line feed), wildcards literal. */
export function searchPattern(q: string): string {
  return `%${escapeLike(q.trim().replace(/\s+/g, " "))}%`;
}
