// Who may check attendees in at an event, decided per request in ONE query:
// - organization staff: OWNER / MODERATOR of the event's organization ("checkin.scan") or a platform
//   admin (acts as MODERATOR) — authorizeEvent's own query and decision (lib/permissions
//   eventAccessQuery + effectiveRoleFor), composed into one round trip with the event's columns;
// - door staff: an EventStaffAccess row (scan-only, one event, expiring, revocable), presented as the
//   signed door cookie (./door-cookie.ts) set when the staff link was redeemed.
// Errors: no principal → UNAUTHENTICATED; event missing / deleted / other tenant → NOT_FOUND (as
// authorizeEvent); a member without the permission → FORBIDDEN; a door access that is unknown, of
// another event, revoked or expired → FORBIDDEN with the reason (checkIn.server.errors.access*).
//
// Hot path: the door scanner calls this on every scan, so it is plain SQL over the shared pg pool
// (lib/db onPool: one less layer per statement), and it counts the request against a rate-limit bucket in
// the same statement (`rateLimit`: lib/rate-limit's rateLimitUpsert fragment) — authorization and rate
// limit in one round trip.
import "server-only";
import { join, literal, onPool, sql, type Sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { effectiveRoleFor, eventAccessQuery, isUuid, type Actor, type EventAccessRow, type OrgPermission } from "@/lib/permissions";
import { RateLimitedError, rateLimitResultOf, rateLimitUpsert, type ComposedLimit } from "@/lib/rate-limit";
import { CHECK_IN_OPEN_STATUSES, isEventOpenForCheckIn } from "@/lib/validation/check-in";
import { personName, type CheckInViewer } from "./attendees";

/** Door staff as the service sees it: the id of a redeemed EventStaffAccess (cookie already verified). */
export type DoorAccess = { accessId: string };

/** The caller of a check-in service: a signed-in user and/or a door-staff access. */
export type CheckInPrincipal = { actor?: Actor | null; doorAccess?: DoorAccess | null };

export type CheckInEvent = {
  id: string;
  organizationId: string;
  organizationSlug: string;
  title: string;
  status: "DRAFT" | "PUBLISHED" | "CANCELLED" | "COMPLETED";
  startsAt: Date;
  endsAt: Date | null;
  timezone: string;
  publishedAt: Date | null;
};

export type { CheckInViewer };

export type CheckInAccess = { event: CheckInEvent; viewer: CheckInViewer; now: Date };

/**
 * Count this request against `key` (at most `limit` per `windowSeconds`), in the access query: the
 * named limit `checkin` of lib/http/limits.ts, built by the route edge (composedLimit()).
 */
export type CheckInRateLimit = ComposedLimit;

export const accessErrors = {
  unauthenticated: () => new AppError("UNAUTHENTICATED", "errors.unauthenticated"),
  notFound: () => new AppError("NOT_FOUND", "errors.notFound"),
  forbidden: () => new AppError("FORBIDDEN", "errors.forbidden"),
  doorInvalid: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessInvalid"),
  doorOtherEvent: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessOtherEvent"),
  doorRevoked: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessRevoked"),
  doorExpired: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessExpired"),
};

/** Events whose doors are open (lib/validation/check-in: the one rule, shared with the offline scanner). */
export { isEventOpenForCheckIn };

/** The open statuses as a SQL list, built from the same constant. */
export const OPEN_STATUSES_SQL = join(CHECK_IN_OPEN_STATUSES.map((status) => literal(status)));

/** The event columns every access query returns, over the aliases `e` (events) and `o` (organizations). */
const EVENT_COLUMNS = sql`e.title, e.status::text AS status, e.starts_at, e.ends_at, e.timezone, e.published_at`;

type EventCols = {
  now: Date;
  event_id: string;
  organization_id: string;
  organization_slug: string;
  title: string;
  status: CheckInEvent["status"];
  starts_at: Date;
  ends_at: Date | null;
  timezone: string;
  published_at: Date | null;
};

function eventOf(r: EventCols): CheckInEvent {
  return {
    id: r.event_id,
    organizationId: r.organization_id,
    organizationSlug: r.organization_slug,
    title: r.title,
    status: r.status,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timezone: r.timezone,
    publishedAt: r.published_at,
  };
}

/** The rate-limit CTE `rl` (lib/rate-limit's rateLimitUpsert; touches nothing without a rule). */
export function rateLimitCte(rateLimit: CheckInRateLimit | undefined): Sql {
  return sql`rl AS (${rateLimitUpsert(rateLimit?.key ?? null, rateLimit?.windowSeconds ?? 1)})`;
}

/** The columns of the rate-limit CTE for RateLimitCols. */
export const RATE_LIMIT_COLUMNS = sql`(SELECT "count" FROM rl) AS rl_count, (SELECT "reset_at" FROM rl) AS rl_reset_at`;

export type RateLimitCols = { now: Date; rl_count: number | null; rl_reset_at: Date | null };

function checkRateLimit(r: RateLimitCols, rateLimit: CheckInRateLimit | undefined): void {
  if (!rateLimit || r.rl_count === null) return;
  const result = rateLimitResultOf({ count: r.rl_count, reset_at: r.rl_reset_at ?? r.now, now: r.now }, rateLimit.limit);
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}

async function staffAccess(actor: Actor, eventId: string, permission: OrgPermission, rateLimit?: CheckInRateLimit): Promise<CheckInAccess> {
  // lib/permissions' staff-access fragment (the query authorizeEvent runs), with the event columns the
  // scanner needs and the rate limit, in one round trip.
  const [r] = await onPool().rows<RateLimitCols & Partial<EventAccessRow & EventCols> & { first_name: string | null; last_name: string | null }>(
    sql`WITH ${rateLimitCte(rateLimit)}, acc AS (${eventAccessQuery(eventId, actor.userId, sql`, ${EVENT_COLUMNS}`)})
      SELECT now() AS now, ${RATE_LIMIT_COLUMNS}, acc.*, u.first_name, u.last_name
        FROM (SELECT 1) AS one
        LEFT JOIN acc ON true
        LEFT JOIN users u ON u.id = ${actor.userId}::uuid`,
    { prepare: true },
  );
  checkRateLimit(r, rateLimit);
  if (!r.event_id) throw accessErrors.notFound();
  effectiveRoleFor(r.membership_role ?? null, actor, permission, r.organization_id!); // NOT_FOUND / FORBIDDEN, as authorizeEvent
  return {
    now: r.now,
    event: eventOf(r as EventCols),
    viewer: { kind: "staff", name: personName(r.first_name, r.last_name), userId: actor.userId, staffAccessId: null },
  };
}

/** Why a door access does not let its holder in, decided in SQL (doorAccessQuery): null = it does. */
type DoorRefusal = "other_event" | "revoked" | "expired" | "gone";

/**
 * The door-access rule as one query: the access row with its event, and `door_refusal` — the reason it
 * does not admit to `eventId` (other event, revoked, expired, event or organization deleted), else null.
 * The two-statement path and the one-statement door scan both run this fragment; the scan writes only
 * when `door_refusal IS NULL`, and the service maps the reason to the error (doorAccessFromRow).
 */
export function doorAccessQuery(accessId: string, eventId: string): Sql {
  return sql`SELECT now() AS now, e.id AS event_id, e.tenant_id AS organization_id, o.slug AS organization_slug, ${EVENT_COLUMNS},
         a.id AS access_id, a.label, a.user_id,
         CASE WHEN a.event_id <> ${eventId}::uuid THEN 'other_event'
              WHEN a.revoked_at IS NOT NULL THEN 'revoked'
              WHEN a.expires_at <= now() THEN 'expired'
              WHEN e.deleted_at IS NOT NULL OR o.deleted_at IS NOT NULL THEN 'gone' END AS door_refusal
    FROM event_staff_access a JOIN events e ON e.id = a.event_id JOIN organizations o ON o.id = e.tenant_id
   WHERE a.id = ${accessId}::uuid`;
}

export type DoorCols = RateLimitCols &
  Partial<EventCols> & {
    access_id: string | null;
    label: string | null;
    user_id: string | null;
    door_refusal: DoorRefusal | null;
  };

async function doorAccessOf(door: DoorAccess, eventId: string, rateLimit?: CheckInRateLimit): Promise<CheckInAccess> {
  if (!isUuid(door.accessId)) throw accessErrors.doorInvalid();
  const [r] = await onPool().rows<DoorCols>(
    sql`WITH ${rateLimitCte(rateLimit)}, acc AS (${doorAccessQuery(door.accessId, eventId)})
      SELECT now() AS now, ${RATE_LIMIT_COLUMNS}, acc.* FROM (SELECT 1) AS one LEFT JOIN acc ON true`,
    { prepare: true },
  );
  return doorAccessFromRow(r, rateLimit);
}

/**
 * The door access decided from its row (doorAccessQuery's columns + the rate-limit columns), in this
 * order: rate limit, unknown link, the SQL verdict. Also used by the one-statement door scan.
 */
export function doorAccessFromRow(r: DoorCols, rateLimit?: CheckInRateLimit): CheckInAccess {
  checkRateLimit(r, rateLimit);
  if (!r.access_id) throw accessErrors.doorInvalid();
  switch (r.door_refusal) {
    case "other_event":
      throw accessErrors.doorOtherEvent();
    case "revoked":
      throw accessErrors.doorRevoked();
    case "expired":
      throw accessErrors.doorExpired();
    case "gone":
      throw accessErrors.notFound();
  }
  return {
    now: r.now,
    event: eventOf(r as EventCols),
    viewer: { kind: "door", name: r.label!, userId: r.user_id, staffAccessId: r.access_id },
  };
}

/**
 * Authorizes a check-in request. Organization staff first (when a signed-in user is given); if that
 * user is not staff of this event and a door access is present, the door access decides.
 * `rateLimit` counts the request in the same statement (RATE_LIMITED → RateLimitedError).
 */
export async function resolveCheckInAccess(
  options: CheckInPrincipal & { eventId: string; permission?: "checkin.scan" | "checkin.manageStaff"; rateLimit?: CheckInRateLimit },
): Promise<CheckInAccess> {
  const permission = options.permission ?? "checkin.scan";
  const { actor, doorAccess } = options;
  let rateLimit = options.rateLimit;
  if (!actor && !doorAccess) throw accessErrors.unauthenticated();
  if (!isUuid(options.eventId)) throw accessErrors.notFound();
  if (actor) {
    try {
      return await staffAccess(actor, options.eventId, permission, rateLimit);
    } catch (error) {
      // Door staff who also happen to be signed in (as a participant) still scan with their link.
      if (!doorAccess || permission !== "checkin.scan" || error instanceof RateLimitedError) throw error;
      rateLimit = undefined; // already counted
    }
  }
  // Door staff never manage links.
  if (!doorAccess || permission !== "checkin.scan") throw actor ? accessErrors.notFound() : accessErrors.unauthenticated();
  return doorAccessOf(doorAccess, options.eventId, rateLimit);
}
