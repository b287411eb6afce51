// Muting an organization's messages (docs/messages.md → "Muting"): a participant — a user, or a guest's
// address — stops getting organizer messages from one organization (never the transactional notices).
// Every message carries a signed link `${APP_URL}/m/<token>` (HMAC-SHA256 with a key derived from
// AUTH_SECRET, per organization + user or address) so muting needs no sign-in; signed-in users also
// see and undo their mutes in their account. Audited (message_mute.created / .deleted).
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { writeAudit } from "@/lib/audit";
import { db, Prisma } from "@/lib/db";
import { authSecret, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isUuid, requireActor, type Actor } from "@/lib/permissions";

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");

type MuteSubject = { organizationId: string; userId: string; email?: undefined } | { organizationId: string; userId?: undefined; email: string };

function key(): Buffer {
  return createHmac("sha256", authSecret()).update("aqstream:message-mute:v1").digest();
}

function b64url(value: Buffer | string): string {
  return Buffer.from(value).toString("base64url");
}

function payloadOf(s: MuteSubject): string {
  return s.userId ? `${s.organizationId}|u|${s.userId}` : `${s.organizationId}|e|${s.email}`;
}

function signature(payload: string): Buffer {
  return createHmac("sha256", key()).update(payload).digest();
}

/** The token of the mute link of one recipient (a user, or a guest's address) for one organization. */
export function muteTokenFor(o: { organizationId: string; userId?: string; email?: string }): string {
  if (!isUuid(o.organizationId)) throw new Error("muteTokenFor: organizationId must be a UUID");
  if (Boolean(o.userId) === Boolean(o.email)) throw new Error("muteTokenFor: exactly one of userId and email");
  if (o.userId && !isUuid(o.userId)) throw new Error("muteTokenFor: userId must be a UUID");
  const subject: MuteSubject = o.userId ? { organizationId: o.organizationId, userId: o.userId } : { organizationId: o.organizationId, email: o.email!.trim().toLowerCase() };
  const payload = payloadOf(subject);
  return `${b64url(payload)}.${b64url(signature(payload))}`;
}

/** The mute page's address for a recipient. */
export function muteUrlFor(o: { organizationId: string; userId?: string; email?: string }): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/m/${muteTokenFor(o)}`;
}

/** The one-click (RFC 8058) address for mail clients' List-Unsubscribe: a POST there mutes at once. */
export function muteOneClickUrlFor(o: { organizationId: string; userId?: string; email?: string }): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/api/messages/mute/${muteTokenFor(o)}`;
}

/** The recipient a token names, or null when it is malformed or its signature does not match. */
export function parseMuteToken(token: unknown): MuteSubject | null {
  if (typeof token !== "string" || token.length > 400) return null;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!m) return null;
  const payload = Buffer.from(m[1], "base64url").toString("utf8");
  const given = Buffer.from(m[2], "base64url");
  const expected = signature(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [organizationId, kind, who, ...rest] = payload.split("|");
  if (rest.length || !isUuid(organizationId)) return null;
  if (kind === "u" && isUuid(who)) return { organizationId, userId: who };
  if (kind === "e" && who && who.includes("@")) return { organizationId, email: who };
  return null;
}

async function organizationOf(organizationId: string): Promise<{ id: string; name: string }> {
  const organization = await db.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: { id: true, name: true } });
  if (!organization) throw notFound();
  return organization;
}

/** Mutes the token's organization for its recipient (idempotent). A bad or forged token → NOT_FOUND. */
export async function muteByToken(o: { token: string }): Promise<{ organizationName: string; muted: true }> {
  const subject = parseMuteToken(o.token);
  if (!subject) throw notFound();
  const organization = await organizationOf(subject.organizationId);
  await db.$transaction(async (tx) => {
    if (subject.userId) {
      const user = await tx.user.findFirst({ where: { id: subject.userId, deletedAt: null }, select: { id: true } });
      if (!user) throw notFound();
    }
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO message_mutes (id, tenant_id, user_id, email, created_at)
      VALUES (gen_random_uuid(), ${organization.id}::uuid, ${subject.userId ?? null}::uuid, ${subject.email ?? null}::text, now())
      ON CONFLICT DO NOTHING
      RETURNING id`;
    if (inserted[0]) {
      await writeAudit(tx, {
        organizationId: organization.id,
        actorId: subject.userId ?? null,
        entityType: "message_mute",
        entityId: inserted[0].id,
        action: "message_mute.created",
        changes: { via: "link", ...(subject.email ? { email: subject.email } : {}) },
      });
    }
  });
  return { organizationName: organization.name, muted: true };
}

async function deleteMute(
  where: { organizationId: string; userId?: string; email?: string },
  actorId: string | null,
  via: "link" | "account",
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const deleted = await tx.$queryRaw<{ id: string }[]>`
      DELETE FROM message_mutes
       WHERE tenant_id = ${where.organizationId}::uuid
         AND ${where.userId ? sqlUser(where.userId) : sqlEmail(where.email!)}
      RETURNING id`;
    for (const row of deleted) {
      await writeAudit(tx, {
        organizationId: where.organizationId,
        actorId,
        entityType: "message_mute",
        entityId: row.id,
        action: "message_mute.deleted",
        changes: { via, ...(where.email ? { email: where.email } : {}) },
      });
    }
    return deleted.length > 0;
  });
}

// The recipient column of a mute (values are parameters).
const sqlUser = (userId: string) => Prisma.sql`user_id = ${userId}::uuid`;
const sqlEmail = (email: string) => Prisma.sql`email = ${email}::text`;

/** Undoes a mute from the same link (idempotent). */
export async function unmuteByToken(o: { token: string }): Promise<{ organizationName: string; muted: false }> {
  const subject = parseMuteToken(o.token);
  if (!subject) throw notFound();
  const organization = await organizationOf(subject.organizationId);
  await deleteMute({ organizationId: organization.id, userId: subject.userId, email: subject.email }, subject.userId ?? null, "link");
  return { organizationName: organization.name, muted: false };
}

/** The signed-in user's muted organizations, newest first. */
export async function listMyMutes(o: { actor: Actor | null | undefined }): Promise<Array<{ organizationId: string; organizationName: string; mutedAt: string }>> {
  const actor = requireActor(o.actor);
  const rows = await db.messageMute.findMany({
    where: { userId: actor.userId, organization: { deletedAt: null } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { organizationId: true, createdAt: true, organization: { select: { name: true } } },
  });
  return rows.map((r) => ({ organizationId: r.organizationId, organizationName: r.organization.name, mutedAt: r.createdAt.toISOString() }));
}

/** The signed-in user un-mutes one organization ({ changed: false } when it was not muted). */
export async function unmuteOrganization(o: { actor: Actor | null | undefined; organizationId: string }): Promise<{ changed: boolean }> {
  const actor = requireActor(o.actor);
  if (!isUuid(o.organizationId)) throw notFound();
  const changed = await deleteMute({ organizationId: o.organizationId, userId: actor.userId }, actor.userId, "account");
  return { changed };
}
