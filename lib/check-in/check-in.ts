// Checking an attendee in: one scan (checkIn) and the offline queue (syncScans). Design: docs/check-in.md.
//
// One scan is ONE SQL statement (itself a transaction): compare-and-set the registration
// CONFIRMED → CHECKED_IN (REGISTRATION_TRANSITIONS), insert the CheckIn row (unique registration_id
// and client_nonce: the database, not an `if`, guarantees one check-in per ticket and per nonce) and
// the audit row; the same statement returns the registration as it was, so refusals ("cancelled",
// "unpaid", …) and the common "already checked in" need no second round trip. Nothing is written on
// a refusal. The loser of a race (its UPDATE waited for the winner's row lock, then matched nothing)
// reads the winner's row in a second statement and answers "already_checked_in" with the winner's
// time and name. A retried nonce returns the first result: the check-in row carries the nonce.
import "server-only";
import { auditInsertSql } from "@/lib/audit";
import { pgPool } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import { isUuid } from "@/lib/permissions";
import { canTransition } from "@/lib/registrations/transitions";
import { verifyTicket } from "@/lib/tickets/ticket-token";
import {
  scanRequestSchema,
  syncRequestSchema,
  type AttendeeRow,
  type ScanRefusal,
  type ScanRequest,
  type ScanResponse,
  type SyncResponse,
} from "@/lib/validation/check-in";
import {
  DOOR_ACCESS_COLUMNS,
  doorAccessFromRow,
  isEventOpenForCheckIn,
  rateLimitCte,
  rateLimitValues,
  resolveCheckInAccess,
  type CheckInEvent,
  type CheckInAccess,
  type CheckInPrincipal,
  type CheckInRateLimit,
  type DoorAccess,
  type DoorCols,
} from "./access";
import { ATTENDEE_SQL, attendeeStatus, checkedInByName, personName, toAttendee, type AttendeeDbRow } from "./attendees";

// The check-in is the CONFIRMED → CHECKED_IN transition of the registration table; fail loudly at
// start-up if the table ever stops allowing it.
if (!canTransition("CONFIRMED", "CHECKED_IN")) throw new Error("REGISTRATION_TRANSITIONS must allow CONFIRMED → CHECKED_IN");

// Plain SQL over the shared pg pool (lib/db.ts pgPool) with named prepared statements: this is the
// door's hot path (docs/check-in.md → "Performance").
async function sql<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
  const { rows } = await pgPool().query({ name: `check-in/${name}`, text, values });
  return rows as T[];
}

const READ_BY_ID_SQL = `SELECT ${ATTENDEE_SQL.columns} FROM registrations r ${ATTENDEE_SQL.joins}
   WHERE r.id = $1::uuid AND r.event_id = $2::uuid`;
const READ_BY_NONCE_SQL = `SELECT ${ATTENDEE_SQL.columns} FROM registrations r ${ATTENDEE_SQL.joins}
   WHERE r.id = (SELECT registration_id FROM check_ins WHERE client_nonce = $1 AND event_id = $2::uuid) AND r.event_id = $2::uuid`;

/** What the scan CTEs read from outside: placeholders or sub-selects (see CHECK_IN_SQL, DOOR_SCAN_SQL). */
type ScanSqlInputs = { by: string; accessId: string; publishedAt: string; gate: string };

// The scan as CTEs: $1 event, $2 registration, $3 code (null for MANUAL), $4 nonce, $5 method,
// $6 device, $7 scannedAt; who checks in / published_at / the access gate come from `p`.
function scanCtes(p: ScanSqlInputs): string {
  return `prior AS (
    SELECT c.registration_id FROM check_ins c WHERE c.client_nonce = $4 AND c.event_id = $1::uuid
  ), upd AS (
    UPDATE registrations r SET status = 'CHECKED_IN', updated_at = now()
     WHERE r.id = $2::uuid AND r.event_id = $1::uuid AND r.status = 'CONFIRMED'
       AND ($3::text IS NULL OR r.confirmation_code = $3::text)
       AND NOT EXISTS (SELECT 1 FROM prior) AND ${p.gate}
    RETURNING r.id, r.tenant_id, r.confirmed_at
  ), ins AS (
    INSERT INTO check_ins (id, registration_id, event_id, checked_in_by, staff_access_id, check_in_method,
                           client_nonce, device_id, checked_in_at, created_at)
    SELECT gen_random_uuid(), upd.id, $1::uuid, ${p.by}, ${p.accessId}, $5::"CheckInMethod", $4, $6,
           LEAST(now(), GREATEST(coalesce($7::timestamptz, now()), upd.confirmed_at, ${p.publishedAt})), now()
      FROM upd
    RETURNING id, checked_in_at
  ), audit AS (
    ${auditInsertSql({
      entityType: "registration",
      action: "registration.checked_in",
      organizationId: "upd.tenant_id",
      actorId: p.by,
      entityId: "upd.id",
      changes: `jsonb_build_object('status', jsonb_build_object('from', 'CONFIRMED', 'to', 'CHECKED_IN'),
                              'checkInId', ins.id, 'method', $5::text, 'staffAccessId', (${p.accessId})::text,
                              'deviceId', $6::text, 'nonce', $4::text, 'checkedInAt', ins.checked_in_at)`,
      from: "upd CROSS JOIN ins",
    })}
  )`;
}

const SCAN_RESULT_COLUMNS = `(r.id IS NOT NULL) AS found, ins.checked_in_at AS new_at, ins.id AS new_id,
         (SELECT registration_id FROM prior LIMIT 1) AS prior_registration_id, ${ATTENDEE_SQL.columns}`;
const SCAN_RESULT_FROM = `FROM (SELECT 1) AS one
    LEFT JOIN ins ON true
    LEFT JOIN (registrations r ${ATTENDEE_SQL.joins}) ON r.id = $2::uuid AND r.event_id = $1::uuid`;

// An already authorized scan: $8 checked_in_by, $9 staff access, $10 event published_at.
const CHECK_IN_SQL = `WITH ${scanCtes({ by: "$8::uuid", accessId: "$9::uuid", publishedAt: "$10::timestamptz", gate: "true" })}
  SELECT ${SCAN_RESULT_COLUMNS}
    ${SCAN_RESULT_FROM}`;

// A door-staff scan in ONE round trip: the rate-limit count ($8 key, $9 window, $10 limit), the door
// access ($11, the cookie's EventStaffAccess id) with its event, and the scan, which writes only when
// the gate holds. The gate is the SQL twin of doorAccessFromRow (access.ts) + isEventOpenForCheckIn:
// within the limit, the access of THIS event, not revoked, not expired, event and organization not
// deleted, event PUBLISHED or COMPLETED. The access columns come back and the service decides the
// answer with doorAccessFromRow, exactly as on the two-statement path (nothing written on a refusal).
const DOOR_SCAN_SQL = `WITH ${rateLimitCte("$8", "$9")}, acc AS (
    SELECT now() AS now, ${DOOR_ACCESS_COLUMNS}
      FROM event_staff_access a JOIN events e ON e.id = a.event_id JOIN organizations o ON o.id = e.tenant_id
     WHERE a.id = $11::uuid
  ), gate AS (
    SELECT 1 FROM acc
     WHERE acc.access_event_id = $1::uuid AND acc.revoked_at IS NULL AND acc.expires_at > now()
       AND NOT acc.event_deleted AND acc.status IN ('PUBLISHED', 'COMPLETED')
       AND coalesce((SELECT "count" FROM rl), 0) <= $10::int
  ), ${scanCtes({
    by: "(SELECT user_id FROM acc)",
    accessId: "(SELECT access_id FROM acc)",
    publishedAt: "(SELECT published_at FROM acc)",
    gate: "EXISTS (SELECT 1 FROM gate)",
  })}
  SELECT now() AS now, (SELECT "count" FROM rl) AS rl_count, (SELECT "reset_at" FROM rl) AS rl_reset_at,
         acc.id AS ev_id, acc.organization_id, acc.organization_slug, acc.title, acc.status AS ev_status,
         acc.starts_at, acc.ends_at, acc.timezone, acc.published_at, acc.event_deleted, acc.access_id,
         acc.access_event_id, acc.label, acc.user_id, acc.expires_at, acc.revoked_at,
         ${SCAN_RESULT_COLUMNS}
    ${SCAN_RESULT_FROM}
    LEFT JOIN acc ON true`;

// $1 registration, $2 event, $3 the earlier scan's time, $4 by, $5 access, $6 device, $7 nonce,
// $8 method, $9 organization.
const EARLIER_SCAN_SQL = `
  WITH old AS (
    SELECT c.id, c.checked_in_at, c.client_nonce, c.checked_in_by, c.staff_access_id, c.device_id, c.check_in_method
      FROM check_ins c
     WHERE c.registration_id = $1::uuid AND c.event_id = $2::uuid AND c.checked_in_at > $3::timestamptz
       FOR UPDATE
  ), upd AS (
    UPDATE check_ins c SET checked_in_at = $3::timestamptz, checked_in_by = $4::uuid, staff_access_id = $5::uuid,
           device_id = $6, client_nonce = $7, check_in_method = $8::"CheckInMethod"
      FROM old WHERE c.id = old.id
    RETURNING c.id, c.checked_in_at
  ), audit AS (
    ${auditInsertSql({
      entityType: "registration",
      action: "registration.check_in_earlier_scan",
      organizationId: "$9::uuid",
      actorId: "$4::uuid",
      entityId: "$1::uuid",
      changes: `jsonb_build_object('checkedInAt', jsonb_build_object('from', old.checked_in_at, 'to', upd.checked_in_at),
                              'nonce', jsonb_build_object('from', old.client_nonce, 'to', $7::text),
                              'deviceId', jsonb_build_object('from', old.device_id, 'to', $6::text),
                              'staffAccessId', jsonb_build_object('from', old.staff_access_id, 'to', $5::text))`,
      from: "old JOIN upd ON upd.id = old.id",
    })}
  )
  SELECT old.checked_in_at AS old_at, old.client_nonce AS old_nonce, old.id AS old_id, upd.checked_in_at AS new_at
    FROM old JOIN upd ON upd.id = old.id`;

type ScanInput = ScanRequest;

function parseScan(scan: unknown): ScanInput {
  const parsed = scanRequestSchema.safeParse(scan);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", { _form: "checkIn.server.errors.badScan" });
  return parsed.data;
}

function refused(nonce: string, reason: ScanRefusal, attendee?: AttendeeRow): ScanResponse {
  return attendee ? { result: "refused", reason, attendee, nonce } : { result: "refused", reason, nonce };
}

/** The registration status → the answer for a ticket that was not checked in by this scan. */
function refusalFor(status: AttendeeRow["status"]): ScanRefusal | null {
  switch (status) {
    case "CANCELLED":
      return "cancelled";
    case "EXPIRED":
      return "expired";
    case "RESERVED":
    case "PENDING":
      return "unpaid";
    default:
      return null;
  }
}

/** When the scan counts: the phone's time, clamped to [max(published, confirmed), now]. */
function clampScanTime(scannedAt: string | undefined, now: Date, lowerBounds: (Date | null)[]): Date {
  if (!scannedAt) return now;
  let t = new Date(scannedAt).getTime();
  if (!Number.isFinite(t)) return now;
  for (const b of lowerBounds) if (b && t < b.getTime()) t = b.getTime();
  return new Date(Math.min(t, now.getTime()));
}

type StatementRow = AttendeeDbRow & { found: boolean; new_at: Date | null; new_id: string | null; prior_registration_id: string | null };

/** Reads one registration of the event (with its check-in) by id, or the one checked in with this nonce. */
async function readAttendee(eventId: string, by: { registrationId: string } | { nonce: string }): Promise<AttendeeDbRow | null> {
  const rows =
    "registrationId" in by
      ? await sql<AttendeeDbRow>("read-by-id", READ_BY_ID_SQL, [by.registrationId, eventId])
      : await sql<AttendeeDbRow>("read-by-nonce", READ_BY_NONCE_SQL, [by.nonce, eventId]);
  return rows[0] ?? null;
}

/** The answer for a registration already checked in (by this nonce: the first result again). */
function answerCheckedIn(row: AttendeeDbRow, nonce: string, access: CheckInAccess): ScanResponse {
  const attendee = toAttendee(row, access.viewer);
  const checkedInAt = row.checked_in_at!.toISOString();
  if (row.check_in_nonce === nonce) return { result: "valid", attendee, checkedInAt, nonce };
  return { result: "already_checked_in", attendee, checkedInAt, checkedInByName: checkedInByName(row), nonce };
}

function answerFromState(row: AttendeeDbRow, nonce: string, access: CheckInAccess): ScanResponse {
  if (row.checked_in_at) return answerCheckedIn(row, nonce, access);
  const status = attendeeStatus(row);
  const reason = refusalFor(status);
  if (reason) return refused(nonce, reason, toAttendee(row, access.viewer));
  // CHECKED_IN without a CheckIn row (data from before this service): yellow, with the status change's time.
  if (status === "CHECKED_IN") {
    const attendee = toAttendee(row, access.viewer);
    return { result: "already_checked_in", attendee, checkedInAt: row.updated_at.toISOString(), checkedInByName: null, nonce };
  }
  // CONFIRMED without a check-in after a lost compare-and-set: nothing else can cause it (the
  // winner's row is committed before our UPDATE returns). Report a conflict, never a fake success.
  throw new AppError("CONFLICT", "errors.conflict");
}

type ScanOutcome = { response: ScanResponse; row: AttendeeDbRow | null; scanTime: Date | null };

type ScanTarget = { registrationId: string; code: string | null } | { refusal: ScanRefusal };

/** The registration a scan points at (a verified QR payload of this event, or the MANUAL pick). */
function targetOf(eventId: string, scan: ScanInput): ScanTarget {
  if (scan.method !== "QR_SCAN") return { registrationId: scan.registrationId!, code: null };
  const verified = verifyTicket(scan.payload ?? "");
  if (!verified.ok) return { refusal: verified.reason };
  if (verified.eventId !== eventId) return { refusal: "other_event" };
  return { registrationId: verified.registrationId, code: verified.code };
}

/** $1…$7 of the scan CTEs (scanCtes). */
function scanValues(eventId: string, target: { registrationId: string; code: string | null }, scan: ScanInput): unknown[] {
  return [eventId, target.registrationId, target.code, scan.nonce, scan.method, scan.deviceId ?? null, scan.scannedAt ? new Date(scan.scannedAt) : null];
}

/** A unique violation on the nonce: taken by a parallel retry (answer its first result) or another event. */
async function nonceTaken(error: unknown, eventId: string, nonce: string, access: () => Promise<CheckInAccess>): Promise<ScanOutcome> {
  if (!uniqueViolation(error)?.includes("client_nonce")) throw error;
  const first = await readAttendee(eventId, { nonce });
  if (first) return { response: answerCheckedIn(first, nonce, await access()), row: first, scanTime: null };
  throw new AppError("CONFLICT", "checkIn.server.errors.nonceReused");
}

/**
 * One scan, already authorized. Returns the answer plus what the sync's conflict rule needs (the
 * registration as read and the clamped scan time).
 */
async function checkInOnce(access: CheckInAccess, scan: ScanInput): Promise<ScanOutcome> {
  const { event, viewer } = access;
  const target = targetOf(event.id, scan);
  if ("refusal" in target) return { response: refused(scan.nonce, target.refusal), row: null, scanTime: null };
  if (!isEventOpenForCheckIn(event.status)) return { response: refused(scan.nonce, "event_not_open"), row: null, scanTime: null };
  let rows: StatementRow[];
  try {
    rows = await sql<StatementRow>("scan", CHECK_IN_SQL, [...scanValues(event.id, target, scan), viewer.userId, viewer.staffAccessId, event.publishedAt]);
  } catch (error) {
    // The nonce was taken between our read and our insert (a parallel retry of a *different* ticket
    // with the same nonce), or by another event: answer with the nonce's first result if it is ours.
    return nonceTaken(error, event.id, scan.nonce, async () => access);
  }
  return scanOutcome(access, scan, target, rows[0]);
}

type DoorScanRow = StatementRow & Omit<DoorCols, "id" | "status"> & { ev_id: string | null; ev_status: CheckInEvent["status"] | null };

/**
 * A door-staff scan (door cookie, no session) in one round trip: DOOR_SCAN_SQL counts the rate limit,
 * reads the access and checks the ticket in only when the access allows it; the access is then
 * decided here by the same function as on the two-statement path. A ticket that does not verify (or
 * is of another event) needs no write: the access is checked alone first, so access errors still
 * win over ticket refusals.
 */
async function doorCheckIn(door: DoorAccess, eventId: string, scan: ScanInput, rateLimit: CheckInRateLimit | undefined): Promise<ScanResponse> {
  const target = targetOf(eventId, scan);
  if ("refusal" in target) {
    await resolveCheckInAccess({ doorAccess: door, eventId, rateLimit });
    return refused(scan.nonce, target.refusal);
  }
  let rows: DoorScanRow[];
  try {
    rows = await sql<DoorScanRow>("door-scan", DOOR_SCAN_SQL, [
      ...scanValues(eventId, target, scan),
      ...rateLimitValues(rateLimit),
      rateLimit?.limit ?? 0,
      door.accessId,
    ]);
  } catch (error) {
    // The statement rolled back (its rate-limit count too): the access query counts the request.
    return (await nonceTaken(error, eventId, scan.nonce, () => resolveCheckInAccess({ doorAccess: door, eventId, rateLimit }))).response;
  }
  const r = rows[0];
  const access = doorAccessFromRow({ ...r, id: r.ev_id!, status: r.ev_status! }, eventId, rateLimit);
  if (!isEventOpenForCheckIn(access.event.status)) return refused(scan.nonce, "event_not_open");
  return (await scanOutcome(access, scan, target, r)).response;
}

/** The answer from the scan statement's row (found, new check-in, prior nonce, registration state). */
async function scanOutcome(access: CheckInAccess, scan: ScanInput, target: { registrationId: string; code: string | null }, r: StatementRow): Promise<ScanOutcome> {
  const { event, viewer } = access;
  const { nonce } = scan;
  const { registrationId, code } = target;

  // A retry of a nonce that already checked a ticket in: the first result, whatever this body says.
  if (r.prior_registration_id) {
    const first = r.prior_registration_id === r.id && r.found ? r : await readAttendee(event.id, { registrationId: r.prior_registration_id });
    if (first?.checked_in_at) return { response: answerCheckedIn(first, nonce, access), row: first, scanTime: null };
  }
  if (!r.found || (code !== null && r.confirmation_code !== code)) return { response: refused(nonce, "not_found"), row: null, scanTime: null };

  const scanTime = clampScanTime(scan.scannedAt, access.now, [event.publishedAt, r.confirmed_at]);
  if (r.new_at) {
    const attendee = toAttendee(
      { ...r, status: "CHECKED_IN", check_in_id: r.new_id, checked_in_at: r.new_at, check_in_nonce: nonce, ...byColumns(access) },
      viewer,
    );
    return { response: { result: "valid", attendee, checkedInAt: r.new_at.toISOString(), nonce }, row: null, scanTime };
  }
  if (r.checked_in_at) return { response: answerCheckedIn(r, nonce, access), row: r, scanTime };
  if (attendeeStatus(r) !== "CONFIRMED") return { response: answerFromState(r, nonce, access), row: r, scanTime };
  // Lost the race: the winner committed after this statement's snapshot. Read the winner's row.
  const fresh = await readAttendee(event.id, { registrationId });
  if (!fresh) return { response: refused(nonce, "not_found"), row: null, scanTime: null };
  return { response: answerFromState(fresh, nonce, access), row: fresh, scanTime };
}

/** The "checked in by" columns of a check-in made by this viewer (same rule as checkedInByName). */
function byColumns(access: CheckInAccess): Pick<AttendeeDbRow, "by_label" | "by_first_name" | "by_last_name"> {
  return access.viewer.kind === "door"
    ? { by_label: access.viewer.name, by_first_name: null, by_last_name: null }
    : { by_label: null, by_first_name: access.viewer.name, by_last_name: null };
}

/**
 * Checks one attendee in: a signed QR payload (QR_SCAN) or a registration picked by hand (MANUAL).
 * Only CONFIRMED becomes CHECKED_IN; everything else is refused with the contract's reason and
 * nothing is written. `scan` is the ScanRequest body (validated here).
 */
export async function checkIn(options: CheckInPrincipal & { eventId: string; scan: unknown; rateLimit?: CheckInRateLimit }): Promise<ScanResponse> {
  const scan = parseScan(options.scan);
  // Door staff (cookie only, the door's hot path): access, rate limit and scan in one statement.
  if (!options.actor && options.doorAccess && isUuid(options.eventId) && isUuid(options.doorAccess.accessId)) {
    return doorCheckIn(options.doorAccess, options.eventId, scan, options.rateLimit);
  }
  const access = await resolveCheckInAccess({ actor: options.actor, doorAccess: options.doorAccess, eventId: options.eventId, rateLimit: options.rateLimit });
  return (await checkInOnce(access, scan)).response;
}

// ───────────────────────────── offline sync ─────────────────────────────

/**
 * The offline queue of one device (or several, merged): processed in scannedAt order. A ticket
 * scanned on two devices while offline resolves to the EARLIEST scan, also across separate syncs:
 * when this batch holds an earlier scan of a ticket another device already synced, the check-in row
 * is moved to the earlier scan (compare-and-set on its time, audit row) and the later one becomes
 * the conflict. Every scan of an already checked-in ticket by another nonce is listed as a conflict.
 */
export async function syncScans(options: CheckInPrincipal & { eventId: string; body: unknown; rateLimit?: CheckInRateLimit }): Promise<SyncResponse> {
  const parsed = syncRequestSchema.safeParse(options.body);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", { _form: "checkIn.server.errors.badScan" });
  const access = await resolveCheckInAccess({ actor: options.actor, doorAccess: options.doorAccess, eventId: options.eventId, rateLimit: options.rateLimit });

  const scans = parsed.data.scans;
  const nowMs = access.now.getTime();
  const order = scans
    .map((scan, index) => ({ scan, index, at: scan.scannedAt ? Math.min(new Date(scan.scannedAt).getTime(), nowMs) : nowMs }))
    .sort((a, b) => a.at - b.at || a.index - b.index);

  const results: ScanResponse[] = new Array(scans.length);
  const conflicts: SyncResponse["conflicts"] = [];
  const seenNonces = new Map<string, ScanResponse>();
  for (const { scan, index } of order) {
    // The same nonce twice in one batch: one scan, one answer.
    const repeated = seenNonces.get(scan.nonce);
    if (repeated) {
      results[index] = repeated;
      continue;
    }
    const outcome = await checkInOnce(access, scan);
    let response = outcome.response;
    if (response.result === "already_checked_in" && outcome.scanTime && outcome.row) {
      response = await settleEarliest(access, scan, outcome.row, outcome.scanTime, conflicts);
    }
    results[index] = response;
    seenNonces.set(scan.nonce, response);
  }
  return { results, conflicts };
}

/**
 * Two scans of one ticket: the earlier one wins. `row` is the ticket as checked in by another scan;
 * `scanTime` is this scan's (clamped) time. Returns this scan's answer and records the conflict.
 */
async function settleEarliest(
  access: CheckInAccess,
  scan: ScanInput,
  row: AttendeeDbRow,
  scanTime: Date,
  conflicts: SyncResponse["conflicts"],
): Promise<ScanResponse> {
  const { event, viewer } = access;
  const name = personName(row.first_name, row.last_name);
  const loserScannedAt = (scan.scannedAt ? new Date(scan.scannedAt) : access.now).toISOString();
  if (row.checked_in_at && scanTime.getTime() < row.checked_in_at.getTime()) {
    // This scan is earlier: move the check-in to it. Compare-and-set on the old time (a parallel sync
    // that moved it even earlier wins, and then this scan is the loser after all).
    let moved: { old_at: Date; old_nonce: string | null; old_id: string; new_at: Date }[] = [];
    try {
      moved = await sql<{ old_at: Date; old_nonce: string | null; old_id: string; new_at: Date }>("earlier-scan", EARLIER_SCAN_SQL, [
        row.id,
        event.id,
        scanTime,
        viewer.userId,
        viewer.staffAccessId,
        scan.deviceId ?? null,
        scan.nonce,
        scan.method,
        event.organizationId,
      ]);
    } catch (error) {
      if (!uniqueViolation(error)?.includes("client_nonce")) throw error;
      moved = [];
    }
    const m = moved[0];
    if (m) {
      const winnerBy = viewer.name;
      conflicts.push({
        registrationId: row.id,
        code: row.confirmation_code,
        name,
        winnerAt: m.new_at.toISOString(),
        winnerBy,
        loserNonce: m.old_nonce ?? m.old_id,
        loserScannedAt: m.old_at.toISOString(),
      });
      const attendee = toAttendee({ ...row, checked_in_at: m.new_at, check_in_nonce: scan.nonce, ...byColumns(access) }, viewer);
      return { result: "valid", attendee, checkedInAt: m.new_at.toISOString(), nonce: scan.nonce };
    }
    // Someone moved it first: re-read and fall through to "this scan lost".
    const fresh = await readAttendee(event.id, { registrationId: row.id });
    if (fresh?.checked_in_at) row = fresh;
  }
  const answer = answerCheckedIn(row, scan.nonce, access);
  if (answer.result === "already_checked_in") {
    conflicts.push({
      registrationId: row.id,
      code: row.confirmation_code,
      name,
      winnerAt: answer.checkedInAt,
      winnerBy: answer.checkedInByName,
      loserNonce: scan.nonce,
      loserScannedAt,
    });
  }
  return answer;
}
