// Server-side session rows. Every sign-in (password, and later Telegram widget / bot deep link)
// creates a UserSession; the JWT cookie only carries its id (`sid`). A session is valid while its
// row is neither revoked nor expired and its user is not deleted, so revoking rows (sign-out,
// password reset, "sign out other sessions") ends sessions at once.
import "server-only";
import { db, onPool, sql, type DbClient, type Sql, type SqlRunner } from "@/lib/db";
import { authSecret } from "@/lib/env";
import { clientIp } from "@/lib/http/client-address";
import { fromDbLocale } from "@/lib/i18n/config";
import { rateLimitResultOf, rateLimitUpsert, type RateLimitResult } from "@/lib/rate-limit";
import { LAST_SEEN_THROTTLE_MS, SESSION_MAX_AGE_SECONDS } from "./constants";
import { decodeSessionToken, sessionCookieOf } from "./session-token";
import { displayName, type SessionUser } from "./types";
import { isUuid } from "@/lib/validation/ids";

export type SessionMeta = { userAgent?: string | null; ip?: string | null };

/** User agent and client address of a request, for the session row (informational only). */
export function sessionMetaFromHeaders(headers: Headers): SessionMeta {
  return { userAgent: headers.get("user-agent"), ip: clientIp(headers) };
}

/** Creates the session row of a new sign-in; its id goes into the JWT as `sid`. */
export async function createSessionForUser(
  userId: string,
  meta: SessionMeta = {},
  tx: DbClient = db,
): Promise<{ id: string; expiresAt: Date }> {
  const now = new Date();
  return tx.userSession.create({
    data: {
      userId,
      userAgent: meta.userAgent?.slice(0, 512) || null,
      ip: meta.ip?.slice(0, 64) || null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    },
    select: { id: true, expiresAt: true },
  });
}

/** Count the request against `<prefix><user id>` in the same statement as the session check. */
export type PerUserLimit = { prefix: string; limit: number; windowSeconds: number };

type SessionRow = {
  session_id: string;
  stale: boolean;
  id: string;
  email: string | null;
  first_name: string;
  last_name: string | null;
  is_platform_admin: boolean;
  locale: string;
  rl_count: number | null;
  rl_reset_at: Date | null;
  rl_now: Date | null;
};

/**
 * The session rule as one statement: the row exists, is not revoked, not expired, and its user is not
 * deleted; `stale` says lastSeenAt is due for a touch. With `perUser`, the same statement counts the
 * request against the user's rate-limit bucket (lib/rate-limit's rateLimitUpsert, composed).
 */
function liveSessionQuery(sessionId: string, now: Date, perUser: PerUserLimit | null): Sql {
  const staleBefore = new Date(now.getTime() - LAST_SEEN_THROTTLE_MS);
  const bucket = perUser ? sql`(SELECT ${perUser.prefix} || s.id::text FROM s)` : null;
  return sql`WITH s AS (
      SELECT s.id AS session_id, s.last_seen_at < ${staleBefore} AS stale, u.id, u.email, u.first_name, u.last_name,
             u.is_platform_admin, u.locale::text AS locale
        FROM user_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = ${sessionId}::uuid AND s.revoked_at IS NULL AND s.expires_at > ${now} AND u.deleted_at IS NULL
    ), rl AS (${rateLimitUpsert(bucket, perUser?.windowSeconds ?? 1)})
    SELECT s.*, rl.count AS rl_count, rl.reset_at AS rl_reset_at, rl.now AS rl_now FROM s LEFT JOIN rl ON true`;
}

export type ResolvedSession = { user: SessionUser; rateLimit: RateLimitResult | null };

/**
 * The user of a live session, or null when the session is unknown, revoked or expired, or its user
 * is deleted — the one session check (Auth.js's jwt callback and the route edge both call it). Touches
 * lastSeenAt at most once per LAST_SEEN_THROTTLE_MS (a conditional update, so parallel requests write
 * once). One round trip in the common case; `perUser` counts the request in the same statement.
 */
export async function resolveSessionWithLimit(
  { sessionId, now = new Date(), perUser = null }: { sessionId: unknown; now?: Date; perUser?: PerUserLimit | null },
  run: SqlRunner = onPool(),
): Promise<ResolvedSession | null> {
  if (!isUuid(sessionId)) return null;
  const [row] = await run.rows<SessionRow>(liveSessionQuery(sessionId, now, perUser), { prepare: true });
  if (!row) return null;
  if (row.stale) {
    const staleBefore = new Date(now.getTime() - LAST_SEEN_THROTTLE_MS);
    await run.execute(sql`UPDATE user_sessions SET last_seen_at = ${now} WHERE id = ${sessionId}::uuid AND last_seen_at < ${staleBefore}`);
  }
  const user: SessionUser = {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    name: displayName({ firstName: row.first_name, lastName: row.last_name }),
    isPlatformAdmin: row.is_platform_admin,
    locale: fromDbLocale(row.locale),
    sessionId: row.session_id,
  };
  const rateLimit =
    perUser && row.rl_count !== null ? rateLimitResultOf({ count: row.rl_count, reset_at: row.rl_reset_at!, now: row.rl_now! }, perUser.limit) : null;
  return { user, rateLimit };
}

/** The user of a live session, or null (see resolveSessionWithLimit). */
export async function resolveSession(options: { sessionId: unknown; now?: Date }, run?: SqlRunner): Promise<SessionUser | null> {
  return (await resolveSessionWithLimit(options, run))?.user ?? null;
}

/**
 * The signed-in user of a request's Cookie header: the Auth.js cookie decrypted (session-token.ts) and
 * its session row checked (resolveSessionWithLimit). For route handlers, which read the Request itself
 * (it works outside Next's request scope too: tests call handlers with a plain Request).
 */
export async function resolveRequestSession(
  cookieHeader: string | null | undefined,
  options: { perUser?: PerUserLimit | null } = {},
): Promise<ResolvedSession | null> {
  const cookie = sessionCookieOf(cookieHeader);
  if (!cookie) return null;
  const token = await decodeSessionToken(cookie.value, authSecret(), cookie.name);
  if (!token || typeof token.sub !== "string" || typeof token.sid !== "string") return null;
  const found = await resolveSessionWithLimit({ sessionId: token.sid, perUser: options.perUser ?? null });
  return found && found.user.id === token.sub ? found : null;
}

/** Revokes one session (sign-out). Revoking twice is harmless. */
export async function revokeSession({ sessionId }: { sessionId: unknown }, tx: DbClient = db): Promise<void> {
  if (!isUuid(sessionId)) return;
  await tx.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Revokes every live session of a user, except `exceptSessionId` if given (password reset revokes
 * all; "sign out other sessions" keeps the current one). Returns how many were revoked.
 */
export async function revokeUserSessions(
  { userId, exceptSessionId }: { userId: string; exceptSessionId?: string },
  tx: DbClient = db,
): Promise<number> {
  const { count } = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}
