// What the scanner reads besides its list (./manifest.ts): the public key, the live counters and the
// manual-check-in search. Each call is authorized ("checkin.scan" or door staff).
import "server-only";
import { db, onPool, Prisma, sql, type Sql } from "@/lib/db";
import { REGISTRATION_SEARCH_TEXT, escapeLike, searchPattern } from "@/lib/registrations";
import { ticketPublicKey } from "@/lib/tickets";
import type { AttendeeRow, CheckInCounters } from "@/lib/validation/check-in";
import { resolveCheckInAccess, type CheckInPrincipal, type CheckInRateLimit } from "./access";
import { ATTENDEE_SQL, checkedInByName, toAttendee, type AttendeeDbRow } from "./attendees";

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

/** One check-in as listed for sync (listCheckIns). */
export type CheckInListItem = {
  id: string;
  registrationId: string;
  code: string;
  firstName: string;
  lastName: string | null;
  ticketTypeId: string;
  method: "QR_SCAN" | "MANUAL";
  checkedInAt: Date;
  /** When the check-in was recorded (the sync key with `since`). */
  createdAt: Date;
  checkedInByName: string | null;
};

/** Where a keyset page of check-ins starts: after (time, id), exclusive. */
export type CheckInKey = { at: Date; id: string };

/**
 * An event's check-ins in keyset pages (checkin.scan: organization staff, an API token with `checkin`),
 * ordered by (checked_in_at, id) — the index check_ins_event_id_checked_in_at_id_idx. With `since`:
 * only check-ins recorded at or after that time, ordered by (created_at, id), for sync. (A check-in moved
 * to an earlier offline scan keeps its created_at: moves are not re-listed.)
 */
export async function listCheckIns(
  options: CheckInPrincipal & { eventId: string; since?: Date | null; after?: CheckInKey | null; limit: number },
): Promise<{ items: CheckInListItem[]; next: CheckInKey | null }> {
  const access = await resolveCheckInAccess(options);
  const limit = Math.min(100, Math.max(1, Math.trunc(options.limit) || 50));
  const key = options.since ? sql`c.created_at` : sql`c.checked_in_at`;
  const since = options.since ? sql`AND c.created_at >= ${options.since}::timestamptz` : sql``;
  const after = options.after ? sql`AND (${key}, c.id) > (${options.after.at}::timestamptz, ${options.after.id}::uuid)` : sql``;
  const rows = await onPool().rows<{
    id: string;
    registration_id: string;
    confirmation_code: string;
    first_name: string;
    last_name: string | null;
    ticket_type_id: string;
    method: "QR_SCAN" | "MANUAL";
    checked_in_at: Date;
    created_at: Date;
    sort_at: Date;
    by_label: string | null;
    by_first_name: string | null;
    by_last_name: string | null;
  }>(sql`
    SELECT c.id, c.registration_id, r.confirmation_code, r.first_name, r.last_name, r.ticket_type_id,
           c.check_in_method::text AS method, c.checked_in_at, c.created_at, ${key} AS sort_at,
           ca.label AS by_label, cu.first_name AS by_first_name, cu.last_name AS by_last_name
      FROM check_ins c
      JOIN registrations r ON r.id = c.registration_id AND r.event_id = c.event_id
      LEFT JOIN users cu ON cu.id = c.checked_in_by
      LEFT JOIN event_staff_access ca ON ca.id = c.staff_access_id
     WHERE c.event_id = ${access.event.id}::uuid AND r.tenant_id = ${access.event.organizationId}::uuid ${since} ${after}
     ORDER BY ${key}, c.id
     LIMIT ${limit + 1}::int`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      registrationId: r.registration_id,
      code: r.confirmation_code,
      firstName: r.first_name,
      lastName: r.last_name,
      ticketTypeId: r.ticket_type_id,
      method: r.method,
      checkedInAt: r.checked_in_at,
      createdAt: r.created_at,
      checkedInByName: checkedInByName(r),
    })),
    next: rows.length > limit && last ? { at: last.sort_at, id: last.id } : null,
  };
}
