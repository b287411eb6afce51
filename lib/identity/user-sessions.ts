// Server-side session rows. Every sign-in (password, and later Telegram widget / bot deep link)
// creates a UserSession; the JWT cookie only carries its id (`sid`). A session is valid while its
// row is neither revoked nor expired and its user is not deleted, so revoking rows (sign-out,
// password reset, "sign out other sessions") ends sessions at once.
import "server-only";
import { db, type DbClient } from "@/lib/db";
import { clientIp } from "@/lib/http/client-address";
import { fromDbLocale } from "@/lib/i18n/config";
import { LAST_SEEN_THROTTLE_MS, SESSION_MAX_AGE_SECONDS } from "./constants";
import { displayName, type SessionUser } from "./types";

export type SessionMeta = { userAgent?: string | null; ip?: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/**
 * The user of a live session, or null when the session is unknown, revoked or expired, or its user
 * is deleted. Touches lastSeenAt at most once per LAST_SEEN_THROTTLE_MS (a conditional update, so
 * parallel requests write once).
 */
export async function resolveSession(
  { sessionId, now = new Date() }: { sessionId: unknown; now?: Date },
  tx: DbClient = db,
): Promise<SessionUser | null> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return null;
  const row = await tx.userSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      lastSeenAt: true,
      user: {
        select: {
          id: true,
          email: true,
          firstName: true,
          lastName: true,
          isPlatformAdmin: true,
          locale: true,
          deletedAt: true,
        },
      },
    },
  });
  if (!row || row.revokedAt || row.expiresAt <= now || row.user.deletedAt) return null;

  const staleBefore = new Date(now.getTime() - LAST_SEEN_THROTTLE_MS);
  if (row.lastSeenAt < staleBefore) {
    await tx.userSession.updateMany({
      where: { id: row.id, lastSeenAt: { lt: staleBefore } },
      data: { lastSeenAt: now },
    });
  }

  const { user } = row;
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    name: displayName(user),
    isPlatformAdmin: user.isPlatformAdmin,
    locale: fromDbLocale(user.locale),
    sessionId: row.id,
  };
}

/** Revokes one session (sign-out). Revoking twice is harmless. */
export async function revokeSession({ sessionId }: { sessionId: unknown }, tx: DbClient = db): Promise<void> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return;
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
