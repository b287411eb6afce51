// What the scanner reads besides its list (./manifest.ts): the public key, the live counters and the
// manual-check-in search. Each call is authorized ("checkin.scan" or door staff).
import "server-only";
import { db, onPool, Prisma, sql, type Sql } from "@/lib/db";
import { REGISTRATION_SEARCH_TEXT, escapeLike, searchPattern } from "@/lib/registrations";
import { ticketPublicKey } from "@/lib/tickets";
import type { AttendeeRow, CheckInCounters } from "@/lib/validation/check-in";
import { resolveCheckInAccess, type CheckInPrincipal, type CheckInRateLimit } from "./access";
import { ATTENDEE_SQL, toAttendee, type AttendeeDbRow } from "./attendees";

const COLUMNS = Prisma.raw(ATTENDEE_SQL.columns);
const JOINS = Prisma.raw(ATTENDEE_SQL.joins);
const SEARCH_TEXT = Prisma.raw(REGISTRATION_SEARCH_TEXT);

/** SPKI DER prefix of an Ed25519 public key (RFC 8410); the raw 32-byte key follows. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The ticket key as SPKI DER (base64), for `crypto.subtle.importKey("spki", …, { name: "Ed25519" })`. */
export function ticketPublicKeySpki(): string {
  const raw = Buffer.from(ticketPublicKey().raw, "base64");
  return Buffer.concat([ED25519_SPKI_PREFIX, raw]).toString("base64");
}

/** One ticket type's counts (countersQuery). */
export type CounterRow = { id: string; name: string; checked_in: number; expected: number };

/** Counts of one event per ticket type: checked in / expected (CONFIRMED + CHECKED_IN). Also composed into the manifest statement. */
export function countersQuery(eventId: string): Sql {
  return sql`SELECT t.id, t.name,
           count(r.id) FILTER (WHERE r.status = 'CHECKED_IN')::int AS checked_in,
           count(r.id)::int AS expected
      FROM ticket_types t
      LEFT JOIN registrations r ON r.ticket_type_id = t.id AND r.status IN ('CONFIRMED', 'CHECKED_IN')
     WHERE t.event_id = ${eventId}::uuid
     GROUP BY t.id
     ORDER BY t.sort_order, t.name, t.id`;
}

export function countersFromRows(rows: readonly CounterRow[], at: Date): CheckInCounters {
  const perType = rows.map((r) => ({ ticketTypeId: r.id, name: r.name, checkedIn: r.checked_in, expected: r.expected }));
  return {
    checkedIn: perType.reduce((n, t) => n + t.checkedIn, 0),
    expected: perType.reduce((n, t) => n + t.expected, 0),
    perType,
    at: at.toISOString(),
  };
}

export async function getCounters(options: CheckInPrincipal & { eventId: string; rateLimit?: CheckInRateLimit }): Promise<CheckInCounters> {
  const access = await resolveCheckInAccess(options);
  return countersFromRows(await onPool().rows<CounterRow>(countersQuery(access.event.id)), access.now);
}

export const SEARCH_LIMIT = 20;

/**
 * Manual check-in search: by name (any part, case-insensitive), confirmation code (prefix) or email.
 * Organization staff match any part of an email; door staff, who never see emails, only the exact
 * address (so an attendee can say "I registered as …" without the list leaking addresses).
 * At most 20 rows: exact code first, then by name.
 */
export async function searchAttendees(
  options: CheckInPrincipal & { eventId: string; q: string; rateLimit?: CheckInRateLimit },
): Promise<{ results: AttendeeRow[] }> {
  const access = await resolveCheckInAccess(options);
  const q = (options.q ?? "").trim().replace(/\s+/g, " ").slice(0, 100);
  if (q.length < 2 && !/^[A-Za-z0-9]$/.test(q)) return { results: [] };
  const pattern = searchPattern(q);
  const codePrefix = `${escapeLike(q.toUpperCase().replace(/[\s-]/g, ""))}%`;
  const exactCode = q.toUpperCase().replace(/[\s-]/g, "");
  // Staff: the trigram-indexed text (every name form and the email) is the condition. Door staff: the
  // same index narrows, then only the names or the exact address count (no partial-email oracle).
  const textMatch =
    access.viewer.kind === "staff"
      ? Prisma.sql`${SEARCH_TEXT} ILIKE ${pattern}`
      : Prisma.sql`(${SEARCH_TEXT} ILIKE ${pattern}
           AND (concat_ws(' ', r.first_name, r.last_name) ILIKE ${pattern}
                OR concat_ws(' ', r.last_name, r.first_name) ILIKE ${pattern}
                OR lower(r.email) = lower(${q})))`;
  const rows = await db.$queryRaw<AttendeeDbRow[]>`
    SELECT ${COLUMNS} FROM registrations r ${JOINS}
     WHERE r.event_id = ${access.event.id}::uuid
       AND (r.confirmation_code LIKE ${codePrefix} OR ${textMatch})
     ORDER BY (r.confirmation_code = ${exactCode}) DESC,
              (r.status IN ('CONFIRMED', 'CHECKED_IN')) DESC, r.last_name NULLS FIRST, r.first_name, r.id
     LIMIT ${SEARCH_LIMIT}`;
  return { results: rows.map((r) => toAttendee(r, access.viewer)) };
}
