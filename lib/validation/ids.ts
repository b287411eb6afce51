// The one UUID check. Ids come from URLs, forms, cookies and tokens: a malformed one is simply "not
// found" (never a database error). Pure and isomorphic (the offline scanner uses it too).

/** Canonical 8-4-4-4-12 hex, any case (PostgreSQL's uuid accepts no other text form we produce). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}
