// Who may check attendees in at an event, decided per request in ONE query:
// - organization staff: OWNER / MODERATOR of the event's organization ("checkin.scan", lib/permissions
//   roleCan) or a platform admin (acts as MODERATOR) — the same rules as authorizeEvent, folded into
//   a single round trip because the door scanner calls this on every scan;
// - door staff: an EventStaffAccess row (scan-only, one event, expiring, revocable), presented as the
//   signed door cookie (./door-cookie.ts) set when the staff link was redeemed.
// Errors: no principal → UNAUTHENTICATED; event missing / deleted / other tenant → NOT_FOUND (as
// authorizeEvent); a member without the permission → FORBIDDEN; a door access that is unknown, of
// another event, revoked or expired → FORBIDDEN with the reason (checkIn.server.errors.access*).
//
// Hot path: the door scanner calls this on every scan, so it is plain SQL over the shared pg pool
// (lib/db.ts pgPool: one less layer per statement), and it can count the request against a rate-limit
// bucket in the same statement (`rateLimit`: the fixed-window upsert of lib/rate-limit.ts consume(),
// same table and semantics) — authorization and rate limit in one round trip.
import "server-only";
import { pgPool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { OrganizationRole } from "@/lib/generated/prisma/client";
import { isUuid, roleCan, type Actor, type OrgPermission } from "@/lib/permissions";
import { personName } from "./attendees";

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

export type CheckInViewer = {
  kind: "staff" | "door";
  /** Shown as "checked in by": the user's name for staff, the link's label for door staff. */
  name: string;
  /** checked_in_by: the staff user, or the user a door access is bound to (if any). */
  userId: string | null;
  staffAccessId: string | null;
};

export type CheckInAccess = { event: CheckInEvent; viewer: CheckInViewer; now: Date };

/** Count this request against `key` (at most `limit` per `windowSeconds`), in the access query. */
export type CheckInRateLimit = { key: string; limit: number; windowSeconds: number };

/** RATE_LIMITED with the seconds until the window resets (the route's Retry-After). */
export class CheckInRateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", "errors.rateLimited");
  }
}

export const accessErrors = {
  unauthenticated: () => new AppError("UNAUTHENTICATED", "errors.unauthenticated"),
  notFound: () => new AppError("NOT_FOUND", "errors.notFound"),
  forbidden: () => new AppError("FORBIDDEN", "errors.forbidden"),
  doorInvalid: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessInvalid"),
  doorOtherEvent: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessOtherEvent"),
  doorRevoked: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessRevoked"),
  doorExpired: () => new AppError("FORBIDDEN", "checkIn.server.errors.accessExpired"),
};

/** Events whose doors are open: published (or completed — late syncs of offline scans still land). */
export function isEventOpenForCheckIn(status: CheckInEvent["status"]): boolean {
  return status === "PUBLISHED" || status === "COMPLETED";
}

type EventCols = {
  now: Date;
  id: string;
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
    id: r.id,
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


/**
 * The rate-limit CTE `rl` (lib/rate-limit.ts consume(), as one CTE; no row is touched when the key is
 * null). `key` / `secs` are the placeholders of the bucket key and window (e.g. "$1", "$2").
 */
export function rateLimitCte(key: string, secs: string): string {
  return `rl AS (
    INSERT INTO rate_limit_buckets AS b ("key", "count", "reset_at")
    SELECT ${key}::text, 1, now() + make_interval(secs => ${secs}::int) WHERE ${key}::text IS NOT NULL
    ON CONFLICT ("key") DO UPDATE SET
      "count"    = CASE WHEN b."reset_at" <= now() THEN 1 ELSE b."count" + 1 END,
      "reset_at" = CASE WHEN b."reset_at" <= now() THEN now() + make_interval(secs => ${secs}::int) ELSE b."reset_at" END
    RETURNING b."count", b."reset_at"
  )`;
}

const RATE_LIMIT_CTE = rateLimitCte("$1", "$2");

const EVENT_COLUMNS = `e.id, e.tenant_id AS organization_id, o.slug AS organization_slug, e.title,
       e.status::text AS status, e.starts_at, e.ends_at, e.timezone, e.published_at`;

const STAFF_SQL = `WITH ${RATE_LIMIT_CTE}
  SELECT now() AS now, (SELECT "count" FROM rl) AS rl_count, (SELECT "reset_at" FROM rl) AS rl_reset_at,
         ${EVENT_COLUMNS}, m.role::text AS role, u.first_name, u.last_name
    FROM (SELECT 1) AS one
    LEFT JOIN (events e JOIN organizations o ON o.id = e.tenant_id AND o.deleted_at IS NULL)
           ON e.id = $3::uuid AND e.deleted_at IS NULL
    LEFT JOIN organization_members m ON m.organization_id = o.id AND m.user_id = $4::uuid
    LEFT JOIN users u ON u.id = $4::uuid`;

/** The door access row with its event (for DoorCols), as the SELECT list over `a`, `e`, `o`. */
export const DOOR_ACCESS_COLUMNS = `${EVENT_COLUMNS}, (e.deleted_at IS NOT NULL OR o.deleted_at IS NOT NULL) AS event_deleted,
         a.id AS access_id, a.event_id AS access_event_id, a.label, a.user_id, a.expires_at, a.revoked_at`;

const DOOR_SQL = `WITH ${RATE_LIMIT_CTE}
  SELECT now() AS now, (SELECT "count" FROM rl) AS rl_count, (SELECT "reset_at" FROM rl) AS rl_reset_at,
         ${DOOR_ACCESS_COLUMNS}
    FROM (SELECT 1) AS one
    LEFT JOIN (event_staff_access a JOIN events e ON e.id = a.event_id JOIN organizations o ON o.id = e.tenant_id)
           ON a.id = $3::uuid`;

export type RateLimitCols = { now: Date; rl_count: number | null; rl_reset_at: Date | null };

function checkRateLimit(r: RateLimitCols, rateLimit: CheckInRateLimit | undefined): void {
  if (!rateLimit || r.rl_count === null || r.rl_count <= rateLimit.limit) return;
  const wait = r.rl_reset_at ? Math.ceil((r.rl_reset_at.getTime() - r.now.getTime()) / 1000) : rateLimit.windowSeconds;
  throw new CheckInRateLimited(Math.max(1, wait));
}

export function rateLimitValues(rateLimit: CheckInRateLimit | undefined): [string | null, number] {
  return rateLimit ? [rateLimit.key, rateLimit.windowSeconds] : [null, 1];
}

async function staffAccess(actor: Actor, eventId: string, permission: OrgPermission, rateLimit?: CheckInRateLimit): Promise<CheckInAccess> {
  const { rows } = await pgPool().query<RateLimitCols & Partial<EventCols> & { role: OrganizationRole | null; first_name: string | null; last_name: string | null }>({
    name: "check-in/access-staff",
    text: STAFF_SQL,
    values: [...rateLimitValues(rateLimit), eventId, actor.userId],
  });
  const r = rows[0];
  checkRateLimit(r, rateLimit);
  if (!r.id) throw accessErrors.notFound();
  // Platform admins act with MODERATOR rights where they are not members (lib/permissions).
  const role: OrganizationRole | null = r.role ?? (actor.isPlatformAdmin ? "MODERATOR" : null);
  if (!role) throw accessErrors.notFound();
  if (!roleCan(role, permission)) throw accessErrors.forbidden();
  return {
    now: r.now,
    event: eventOf(r as EventCols),
    viewer: { kind: "staff", name: personName(r.first_name, r.last_name), userId: actor.userId, staffAccessId: null },
  };
}

export type DoorCols = RateLimitCols &
  Partial<EventCols> & {
    event_deleted: boolean | null;
    access_id: string | null;
    access_event_id: string | null;
    label: string | null;
    user_id: string | null;
    expires_at: Date | null;
    revoked_at: Date | null;
  };

async function doorAccessOf(door: DoorAccess, eventId: string, rateLimit?: CheckInRateLimit): Promise<CheckInAccess> {
  if (!isUuid(door.accessId)) throw accessErrors.doorInvalid();
  const { rows } = await pgPool().query<DoorCols>({
    name: "check-in/access-door",
    text: DOOR_SQL,
    values: [...rateLimitValues(rateLimit), door.accessId],
  });
  return doorAccessFromRow(rows[0], eventId, rateLimit);
}

/**
 * The door access decided from its row (DOOR_ACCESS_COLUMNS + now + rate-limit columns), in this
 * order: rate limit, unknown link, other event, revoked, expired, event gone. Also used by the
 * one-statement door scan (check-in.ts), whose SQL gate mirrors these checks.
 */
export function doorAccessFromRow(r: DoorCols, eventId: string, rateLimit?: CheckInRateLimit): CheckInAccess {
  checkRateLimit(r, rateLimit);
  if (!r.access_id) throw accessErrors.doorInvalid();
  if (r.access_event_id !== eventId) throw accessErrors.doorOtherEvent();
  if (r.revoked_at) throw accessErrors.doorRevoked();
  if (r.expires_at!.getTime() <= r.now.getTime()) throw accessErrors.doorExpired();
  if (r.event_deleted) throw accessErrors.notFound();
  return {
    now: r.now,
    event: eventOf(r as EventCols),
    viewer: { kind: "door", name: r.label!, userId: r.user_id, staffAccessId: r.access_id },
  };
}

/**
 * Authorizes a check-in request. Organization staff first (when a signed-in user is given); if that
 * user is not staff of this event and a door access is present, the door access decides.
 * `rateLimit` counts the request in the same statement (RATE_LIMITED → CheckInRateLimited).
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
      if (!doorAccess || permission !== "checkin.scan" || error instanceof CheckInRateLimited) throw error;
      rateLimit = undefined; // already counted
    }
  }
  // Door staff never manage links.
  if (!doorAccess || permission !== "checkin.scan") throw actor ? accessErrors.notFound() : accessErrors.unauthenticated();
  return doorAccessOf(doorAccess, options.eventId, rateLimit);
}
