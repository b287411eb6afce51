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
import { auditInsert } from "@/lib/audit";
import { onPool, raw, sql, type Sql } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import { isUuid } from "@/lib/permissions";
import { canTransition } from "@/lib/registrations";
import { verifyTicket } from "@/lib/tickets";
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
  OPEN_STATUSES_SQL,
  RATE_LIMIT_COLUMNS,
  doorAccessFromRow,
  doorAccessQuery,
  isEventOpenForCheckIn,
  rateLimitCte,
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

// Plain SQL over the shared pg pool (lib/db onPool) as prepared statements: this is the door's hot path
// (docs/check-in.md → "Performance").
function rows<T>(query: Sql): Promise<T[]> {
  return onPool().rows<T>(query, { prepare: true });
}

const ATTENDEE_COLUMNS = raw(ATTENDEE_SQL.columns);
const ATTENDEE_JOINS = raw(ATTENDEE_SQL.joins);

/** One scan's inputs. */
type ScanParams = {
  eventId: string;
  registrationId: string;
  /** Null for MANUAL. */
  code: string | null;
  nonce: string;
  method: ScanRequest["method"];
  deviceId: string | null;
  scannedAt: Date | null;
};

/** Who checks in, the event's published_at and the gate: values, or sub-selects of an enclosing CTE. */
type ScanSqlInputs = { by: Sql; accessId: Sql; publishedAt: Sql; gate: Sql };

// The scan as CTEs (prior, upd, ins, audit): the compare-and-set CONFIRMED → CHECKED_IN, the CheckIn row
// and the audit row, written only when `gate` holds.
function scanCtes(v: ScanParams, p: ScanSqlInputs): Sql {
  return sql`prior AS (
    SELECT c.registration_id FROM check_ins c WHERE c.client_nonce = ${v.nonce} AND c.event_id = ${v.eventId}::uuid
  ), upd AS (
    UPDATE registrations r SET status = 'CHECKED_IN', updated_at = now()
     WHERE r.id = ${v.registrationId}::uuid AND r.event_id = ${v.eventId}::uuid AND r.status = 'CONFIRMED'
       AND (${v.code}::text IS NULL OR r.confirmation_code = ${v.code}::text)
       AND NOT EXISTS (SELECT 1 FROM prior) AND ${p.gate}
    RETURNING r.id, r.tenant_id, r.confirmed_at
  ), ins AS (
    INSERT INTO check_ins (id, registration_id, event_id, checked_in_by, staff_access_id, check_in_method,
                           client_nonce, device_id, checked_in_at, created_at)
    SELECT gen_random_uuid(), upd.id, ${v.eventId}::uuid, ${p.by}, ${p.accessId}, ${v.method}::"CheckInMethod", ${v.nonce}, ${v.deviceId},
           LEAST(now(), GREATEST(coalesce(${v.scannedAt}::timestamptz, now()), upd.confirmed_at, ${p.publishedAt})), now()
      FROM upd
    RETURNING id, checked_in_at
  ), audit AS (
    ${auditInsert(
      {
        entityType: "registration",
        action: "registration.checked_in",
        organizationId: sql`upd.tenant_id`,
        actorId: p.by,
        entityId: sql`upd.id`,
        changes: sql`jsonb_build_object('status', jsonb_build_object('from', 'CONFIRMED', 'to', 'CHECKED_IN'),
                              'checkInId', ins.id, 'method', ${v.method}::text, 'staffAccessId', (${p.accessId})::text,
                              'deviceId', ${v.deviceId}::text, 'nonce', ${v.nonce}::text, 'checkedInAt', ins.checked_in_at)`,
      },
      sql`upd CROSS JOIN ins`,
    )}
  )`;
}

function scanResultColumns(): Sql {
  return sql`(r.id IS NOT NULL) AS found, ins.checked_in_at AS new_at, ins.id AS new_id,
         (SELECT registration_id FROM prior LIMIT 1) AS prior_registration_id, ${ATTENDEE_COLUMNS}`;
}

function scanResultFrom(v: ScanParams): Sql {
  return sql`FROM (SELECT 1) AS one
    LEFT JOIN ins ON true
    LEFT JOIN (registrations r ${ATTENDEE_JOINS}) ON r.id = ${v.registrationId}::uuid AND r.event_id = ${v.eventId}::uuid`;
}

/** An already authorized scan. */
function checkInStatement(v: ScanParams, viewer: { userId: string | null; staffAccessId: string | null }, publishedAt: Date | null): Sql {
  const inputs = { by: sql`${viewer.userId}::uuid`, accessId: sql`${viewer.staffAccessId}::uuid`, publishedAt: sql`${publishedAt}::timestamptz`, gate: sql`true` };
  return sql`WITH ${scanCtes(v, inputs)}
    SELECT ${scanResultColumns()}
      ${scanResultFrom(v)}`;
}

/**
 * A door-staff scan in ONE round trip: the rate-limit count, the door access (access.ts doorAccessQuery:
 * the one door rule, its verdict in `door_refusal`) with its event, and the scan, which writes only when
 * the gate holds: no refusal, the event open for check-in (CHECK_IN_OPEN_STATUSES), within the limit.
 * The access columns come back and the service decides the answer with doorAccessFromRow, exactly as on
 * the two-statement path (nothing written on a refusal).
 */
function doorScanStatement(v: ScanParams, accessId: string, rateLimit: CheckInRateLimit | undefined): Sql {
  const inputs = {
    by: sql`(SELECT user_id FROM acc)`,
    accessId: sql`(SELECT access_id FROM acc)`,
    publishedAt: sql`(SELECT published_at FROM acc)`,
    gate: sql`EXISTS (SELECT 1 FROM gate)`,
  };
  return sql`WITH ${rateLimitCte(rateLimit)}, acc AS (${doorAccessQuery(accessId, v.eventId)}), gate AS (
      SELECT 1 FROM acc
       WHERE acc.door_refusal IS NULL AND acc.status IN (${OPEN_STATUSES_SQL})
         AND coalesce((SELECT "count" FROM rl), 0) <= ${rateLimit?.limit ?? 0}::int
    ), ${scanCtes(v, inputs)}
    SELECT ${RATE_LIMIT_COLUMNS}, acc.now AS acc_now, acc.event_id, acc.organization_id, acc.organization_slug, acc.title,
           acc.status AS ev_status, acc.starts_at, acc.ends_at, acc.timezone, acc.published_at, acc.access_id, acc.label,
           acc.user_id, acc.door_refusal, now() AS now,
           ${scanResultColumns()}
      ${scanResultFrom(v)}
      LEFT JOIN acc ON true`;
}

/** Moves a check-in to an earlier scan of the same ticket (compare-and-set on its time) and audits it. */
function earlierScanStatement(
  v: { registrationId: string; eventId: string; scanTime: Date; by: string | null; accessId: string | null; deviceId: string | null; nonce: string; method: string; organizationId: string },
): Sql {
  return sql`
  WITH old AS (
    SELECT c.id, c.checked_in_at, c.client_nonce, c.checked_in_by, c.staff_access_id, c.device_id, c.check_in_method
      FROM check_ins c
     WHERE c.registration_id = ${v.registrationId}::uuid AND c.event_id = ${v.eventId}::uuid AND c.checked_in_at > ${v.scanTime}::timestamptz
       FOR UPDATE
  ), upd AS (
    UPDATE check_ins c SET checked_in_at = ${v.scanTime}::timestamptz, checked_in_by = ${v.by}::uuid, staff_access_id = ${v.accessId}::uuid,
           device_id = ${v.deviceId}, client_nonce = ${v.nonce}, check_in_method = ${v.method}::"CheckInMethod"
      FROM old WHERE c.id = old.id
    RETURNING c.id, c.checked_in_at
  ), audit AS (
    ${auditInsert(
      {
        entityType: "registration",
        action: "registration.check_in_earlier_scan",
        organizationId: v.organizationId,
        actorId: v.by,
        entityId: v.registrationId,
        changes: sql`jsonb_build_object('checkedInAt', jsonb_build_object('from', old.checked_in_at, 'to', upd.checked_in_at),
                              'nonce', jsonb_build_object('from', old.client_nonce, 'to', ${v.nonce}::text),
                              'deviceId', jsonb_build_object('from', old.device_id, 'to', ${v.deviceId}::text),
                              'staffAccessId', jsonb_build_object('from', old.staff_access_id, 'to', ${v.accessId}::text))`,
      },
      sql`old JOIN upd ON upd.id = old.id`,
    )}
  )
  SELECT old.checked_in_at AS old_at, old.client_nonce AS old_nonce, old.id AS old_id, upd.checked_in_at AS new_at
    FROM old JOIN upd ON upd.id = old.id`;
}

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
  const where =
    "registrationId" in by
      ? sql`r.id = ${by.registrationId}::uuid`
      : sql`r.id = (SELECT registration_id FROM check_ins WHERE client_nonce = ${by.nonce} AND event_id = ${eventId}::uuid)`;
  const [row] = await rows<AttendeeDbRow>(sql`SELECT ${ATTENDEE_COLUMNS} FROM registrations r ${ATTENDEE_JOINS} WHERE ${where} AND r.event_id = ${eventId}::uuid`);
  return row ?? null;
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

/** The scan CTEs' inputs (scanCtes). */
function scanParams(eventId: string, target: { registrationId: string; code: string | null }, scan: ScanInput): ScanParams {
  return {
    eventId,
    registrationId: target.registrationId,
    code: target.code,
    nonce: scan.nonce,
    method: scan.method,
    deviceId: scan.deviceId ?? null,
    scannedAt: scan.scannedAt ? new Date(scan.scannedAt) : null,
  };
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
  let result: StatementRow[];
  try {
    result = await rows<StatementRow>(checkInStatement(scanParams(event.id, target, scan), viewer, event.publishedAt));
  } catch (error) {
    // The nonce was taken between our read and our insert (a parallel retry of a *different* ticket
    // with the same nonce), or by another event: answer with the nonce's first result if it is ours.
    return nonceTaken(error, event.id, scan.nonce, async () => access);
  }
  return scanOutcome(access, scan, target, result[0]);
}

type DoorScanRow = StatementRow & Omit<DoorCols, "status" | "now"> & { now: Date; acc_now: Date | null; ev_status: CheckInEvent["status"] | null };

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
  let result: DoorScanRow[];
  try {
    result = await rows<DoorScanRow>(doorScanStatement(scanParams(eventId, target, scan), door.accessId, rateLimit));
  } catch (error) {
    // The statement rolled back (its rate-limit count too): the access query counts the request.
    return (await nonceTaken(error, eventId, scan.nonce, () => resolveCheckInAccess({ doorAccess: door, eventId, rateLimit }))).response;
  }
  const r = result[0];
  const access = doorAccessFromRow({ ...r, now: r.acc_now ?? r.now, status: r.ev_status ?? undefined }, rateLimit);
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
      moved = await rows<{ old_at: Date; old_nonce: string | null; old_id: string; new_at: Date }>(
        earlierScanStatement({
          registrationId: row.id,
          eventId: event.id,
          scanTime,
          by: viewer.userId,
          accessId: viewer.staffAccessId,
          deviceId: scan.deviceId ?? null,
          nonce: scan.nonce,
          method: scan.method,
          organizationId: event.organizationId,
        }),
      );
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

/**
 * Checks an attendee in by the confirmation code printed on the ticket (the REST API: what a person
 * types when there is no QR). The code (case, spaces and hyphens ignored) names a registration of this
 * event, then the scan is the ordinary MANUAL check-in (same statement, same refusals, same answer).
 * A code of another event or unknown → "not_found".
 */
export async function checkInByCode(options: CheckInPrincipal & { eventId: string; code: string; nonce: string; rateLimit?: CheckInRateLimit }): Promise<ScanResponse> {
  const access = await resolveCheckInAccess({ actor: options.actor, doorAccess: options.doorAccess, eventId: options.eventId, rateLimit: options.rateLimit });
  const code = String(options.code ?? "").toUpperCase().replace(/[\s-]+/g, "");
  const scan = parseScan({ nonce: options.nonce, method: "MANUAL", registrationId: "00000000-0000-4000-8000-000000000000" });
  if (!/^[A-Z0-9]{1,32}$/.test(code)) return refused(scan.nonce, "not_found");
  const [found] = await rows<{ id: string }>(sql`SELECT r.id FROM registrations r WHERE r.confirmation_code = ${code} AND r.event_id = ${access.event.id}::uuid`);
  if (!found) return refused(scan.nonce, "not_found");
  return (await checkInOnce(access, { ...scan, registrationId: found.id })).response;
}
