// The scanner's list (GET /api/check-in/<eventId>/manifest?format=2[&since=<cursor>]): compact,
// incremental, with an ETag. Format: lib/validation/check-in.ts CompactManifest; the phone's side:
// ./manifest-format.ts. Design and measurements: docs/check-in.md ("The list: compact, compressed,
// incremental").
//
// ONE statement reads everything (the changed rows as columns, already JSON, built by PostgreSQL; the
// ticket types; the counters) and the cursor, so all of it comes from one snapshot.
//
// Why the cursor cannot miss a change. Every write to a registration (and to its check-in, by trigger)
// stamps the row with its transaction's id: `change_xid = pg_current_xact_id()` (migration
// 20261206180000_check_in_growth). Transaction ids are handed out in start order, but transactions
// commit in any order, so "the highest stamp I have seen" is NOT a safe cursor: a transaction with a
// lower id may commit after the download and its rows would never be sent. The cursor is therefore the
// xmin of the snapshot the download read in, `pg_snapshot_xmin(pg_current_snapshot())`: every
// transaction with an id below it had finished before the snapshot was taken, so its effects are in
// this download, and every transaction at or above it is either in this download (committed before
// the snapshot) or not yet visible. The next download asks for `change_xid >= cursor`, which includes
// every one of the latter (and re-sends the former: harmless, a merge replaces rows by id). A row whose
// latest writer is below the cursor has not changed since this download saw it.
// A cursor above the snapshot's xmax (a database restored from a backup, another server) cannot be
// trusted: the answer is then the full list (`full: true`).
import "server-only";
import { createHash } from "node:crypto";
import { onPool, raw, sql, type Sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import {
  ATTENDEE_STATUS_CODES,
  MANIFEST_FORMAT,
  manifestCursorSchema,
  type CheckInCounters,
  type CheckInManifest,
  type CompactManifest,
} from "@/lib/validation/check-in";
import { resolveCheckInAccess, type CheckInAccess, type CheckInPrincipal, type CheckInRateLimit } from "./access";
import { ATTENDEE_SQL, CHECKED_IN_BY_SQL, DUE_AT_DOOR_SQL, RESERVATION_OVER_SQL, personNameSql } from "./attendees";
import { mergeManifest } from "./manifest-format";
import { countersQuery, countersFromRows, ticketPublicKeySpki, type CounterRow } from "./reads";

/** The status character of `r` (ATTENDEE_STATUS_CODES; a reservation past its time is EXPIRED, as attendeeStatus()). */
const STATUS_CODE_SQL = raw(
  `CASE WHEN ${RESERVATION_OVER_SQL} THEN '${ATTENDEE_STATUS_CODES.EXPIRED}' ELSE CASE r.status::text ${Object.entries(ATTENDEE_STATUS_CODES)
    .map(([status, code]) => `WHEN '${status}' THEN '${code}'`)
    .join(" ")} END END`,
);

type ManifestRow = {
  cursor: string;
  is_full: boolean;
  now: Date;
  ticket_types: string;
  checkers: string;
  rows: string;
  counters: CounterRow[];
};

/** The statement: rows of the event changed since `since` (all of them without one) and the cursor. */
function manifestStatement(eventId: string, since: string | null): Sql {
  return sql`WITH snap AS (
      SELECT pg_current_snapshot() AS s
    ), bound AS (
      SELECT CASE WHEN ${since}::xid8 IS NULL OR ${since}::xid8 > pg_snapshot_xmax(s) THEN '0'::xid8 ELSE ${since}::xid8 END AS since
        FROM snap
    ), types AS (
      SELECT t.id, t.name, (row_number() OVER (ORDER BY t.sort_order, t.name, t.id) - 1)::int AS i
        FROM ticket_types t WHERE t.event_id = ${eventId}::uuid
    ), listed AS (
      SELECT r.id, r.confirmation_code AS code, ${raw(personNameSql("r.first_name", "r.last_name"))} AS name, ty.i AS type,
             ${STATUS_CODE_SQL} AS st,
             CASE WHEN c.id IS NULL THEN 0 ELSE floor(extract(epoch FROM c.checked_in_at))::bigint END AS at,
             CASE WHEN c.id IS NULL THEN NULL ELSE ${raw(CHECKED_IN_BY_SQL)} END AS by_name,
             ${raw(DUE_AT_DOOR_SQL)} AS due, r.currency::text AS cur
        FROM registrations r
        JOIN types ty ON ty.id = r.ticket_type_id
        ${raw(ATTENDEE_SQL.checkInJoins)}
       WHERE r.event_id = ${eventId}::uuid AND r.change_xid >= (SELECT since FROM bound)
    ), checkers AS (
      SELECT d.by_name, (row_number() OVER (ORDER BY d.by_name) - 1)::int AS i
        FROM (SELECT DISTINCT by_name FROM listed WHERE by_name IS NOT NULL) d
    ), sorted AS (
      SELECT x.*, coalesce(k.i, -1) AS by_i, (row_number() OVER (ORDER BY x.id) - 1)::int AS pos
        FROM listed x LEFT JOIN checkers k ON k.by_name = x.by_name ORDER BY x.id
    )
    SELECT pg_snapshot_xmin((SELECT s FROM snap))::text AS cursor,
           (SELECT since = '0'::xid8 FROM bound) AS is_full,
           now() AS now,
           (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.i), '[]')::text FROM types t) AS ticket_types,
           (SELECT coalesce(json_agg(k.by_name ORDER BY k.i), '[]')::text FROM checkers k) AS checkers,
           -- One pass over the sorted rows: every aggregate sees the rows in the same order, so the
           -- columns line up (position i is one attendee in all of them).
           (SELECT json_build_object(
                     'id', coalesce(json_agg(s.id), '[]'), 'code', coalesce(json_agg(s.code), '[]'),
                     'name', coalesce(json_agg(s.name), '[]'), 'type', coalesce(json_agg(s.type), '[]'),
                     'status', coalesce(string_agg(s.st, ''), ''), 'at', coalesce(json_agg(s.at), '[]'),
                     'by', coalesce(json_agg(s.by_i), '[]'),
                     'due', coalesce(json_agg(json_build_array(s.pos, s.due, s.cur)) FILTER (WHERE s.due > 0), '[]'))::text
              FROM sorted s) AS rows,
           (SELECT coalesce(json_agg(c), '[]') FROM (${countersQuery(eventId)}) c) AS counters`;
}

/** What the route answers: the list (JSON text) or "not modified", with the ETag either way. */
export type ManifestAnswer = { status: 200; etag: string; body: string } | { status: 304; etag: string };

type Read = { answer: Omit<CompactManifest, "rows">; rowsJson: string; etag: string };

async function readManifest(access: CheckInAccess, since: string | null): Promise<Read> {
  const { event, viewer } = access;
  const [row] = await onPool().rows<ManifestRow>(manifestStatement(event.id, since));
  const counters: CheckInCounters = countersFromRows(row.counters, row.now);
  const answer: Omit<CompactManifest, "rows"> = {
    format: MANIFEST_FORMAT,
    full: row.is_full,
    cursor: row.cursor,
    event: {
      id: event.id,
      title: event.title,
      startsAt: event.startsAt.toISOString(),
      timezone: event.timezone,
      status: event.status,
      organizationSlug: event.organizationSlug,
    },
    publicKeySpki: ticketPublicKeySpki(),
    viewer: { kind: viewer.kind, name: viewer.name },
    counters,
    generatedAt: access.now.toISOString(),
    ticketTypes: JSON.parse(row.ticket_types) as CompactManifest["ticketTypes"],
    checkers: JSON.parse(row.checkers) as string[],
  };
  // The ETag covers what the answer says, not when it was made (cursor, generatedAt, counters.at):
  // two answers with the same ETag are the same list, so a 304 lets the phone keep what it has
  // (including its older cursor, which stays safe).
  const { cursor: _cursor, generatedAt: _generatedAt, counters: { at: _at, ...countersContent }, ...content } = answer;
  const hash = createHash("sha256").update(JSON.stringify({ ...content, counters: countersContent })).update("\n").update(row.rows);
  return { answer, rowsJson: row.rows, etag: `W/"m${MANIFEST_FORMAT}-${hash.digest("base64url").slice(0, 27)}"` };
}

/** The weak ETags of an If-None-Match header (or "*"). */
function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}

/**
 * The scanner's list, format 2: the whole list, or with `since` (the `cursor` of the previous answer)
 * only the rows changed since; "not modified" when `ifNoneMatch` names this very answer. Staff of the
 * organization or door staff of the event. No emails (the door needs none; search online finds them).
 */
export async function getCompactManifest(
  options: CheckInPrincipal & { eventId: string; since?: string | null; ifNoneMatch?: string | null; rateLimit?: CheckInRateLimit },
): Promise<ManifestAnswer> {
  const access = await resolveCheckInAccess(options);
  const since = options.since ?? null;
  if (since !== null && !manifestCursorSchema.safeParse(since).success) {
    throw new AppError("VALIDATION", "errors.validation", { since: "checkIn.server.errors.cursorInvalid" });
  }
  const { answer, rowsJson, etag } = await readManifest(access, since);
  if (etagMatches(options.ifNoneMatch, etag)) return { status: 304, etag };
  const head = JSON.stringify(answer);
  return { status: 200, etag, body: `${head.slice(0, -1)},"rows":${rowsJson}}` };
}

/**
 * The answer as an HTTP response. `no-store`: the phone keeps its own copy (IndexedDB) and sends
 * If-None-Match itself; the list (names) is never left in a shared or browser cache. Content-Length
 * is the uncompressed length: the server's compression (scripts/server.mjs) replaces it when it
 * compresses (application/json above 1 KB: br when the phone accepts it, else gzip).
 */
export function manifestResponse(answer: ManifestAnswer): Response {
  const headers: Record<string, string> = { etag: answer.etag, "cache-control": "no-store", "x-content-type-options": "nosniff" };
  if (answer.status === 304) return new Response(null, { status: 304, headers });
  return new Response(answer.body, {
    status: 200,
    headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(answer.body)) },
  });
}

/**
 * The list in format 1 (one object per attendee): the full format-2 list, decoded. Answered to a
 * request without `format=2` — a scanner page opened before format 2 existed — and used by tests.
 */
export async function getManifest(options: CheckInPrincipal & { eventId: string; rateLimit?: CheckInRateLimit }): Promise<CheckInManifest> {
  const access = await resolveCheckInAccess(options);
  const { answer, rowsJson } = await readManifest(access, null);
  const merged = mergeManifest(undefined, { ...answer, rows: JSON.parse(rowsJson) as CompactManifest["rows"] }, null);
  return {
    event: merged.event,
    publicKeySpki: merged.publicKeySpki,
    attendees: merged.attendees,
    counters: merged.counters,
    generatedAt: merged.generatedAt,
    viewer: merged.viewer,
  };
}
