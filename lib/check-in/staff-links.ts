// Door-staff links: scan-only access to ONE event for people who are not members of the organization
// (volunteers at the door). The organizer ("checkin.manageStaff") creates a link with a label; the
// random token is shown once and only its SHA-256 is stored (event_staff_access.token_hash). It
// expires (default: the event's end + 12 h; at most 7 days after the end) and can be revoked at any
// time — every scan re-reads the row, so a revocation takes effect on the next request.
// Redeeming (GET /api/check-in/staff/<token>, or the bot's /start staff_<token> which answers with that
// link) sets the door cookie (./door-cookie.ts) and opens the scanner.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { writeAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { eventFinishesAt } from "@/lib/events/status";
import { isUuid, type Actor } from "@/lib/permissions";
import { botDeepLink } from "@/lib/telegram";
import { isTelegramConfigured } from "@/lib/telegram";
import { createStaffLinkSchema, type CreatedStaffLink, type StaffLinkRow } from "@/lib/validation/check-in-staff";
import { resolveCheckInAccess } from "./access";
import { personName } from "./attendees";

export const STAFF_LINK_DEFAULT_AFTER_END_MS = 12 * 60 * 60 * 1000;
export const STAFF_LINK_MAX_AFTER_END_MS = 7 * 24 * 60 * 60 * 1000;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function hashStaffToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function staffLinkUrl(token: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/api/check-in/staff/${token}`;
}

function statusOf(row: { revokedAt: Date | null; expiresAt: Date }, now: Date): StaffLinkRow["status"] {
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

type LinkRecord = {
  id: string;
  label: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  createdBy: { firstName: string; lastName: string | null };
  _count: { checkIns: number };
};

function toRow(r: LinkRecord, now: Date): StaffLinkRow {
  return {
    id: r.id,
    label: r.label,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    status: statusOf(r, now),
    checkIns: r._count.checkIns,
    createdByName: personName(r.createdBy.firstName, r.createdBy.lastName),
  };
}

const LINK_SELECT = {
  id: true,
  label: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  createdBy: { select: { firstName: true, lastName: true } },
  _count: { select: { checkIns: true } },
} as const;

/** Creates a door-staff link. The token is in the answer only; it cannot be shown again. */
export async function createStaffLink(options: { actor: Actor | null | undefined; eventId: string; input: unknown }): Promise<CreatedStaffLink> {
  const access = await resolveCheckInAccess({ actor: options.actor, eventId: options.eventId, permission: "checkin.manageStaff" });
  const parsed = createStaffLinkSchema.safeParse(options.input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "_form")] ??= issue.message;
    throw new AppError("VALIDATION", "errors.validation", fieldErrors);
  }
  const { event, now } = access;
  if (event.status === "CANCELLED" || event.status === "COMPLETED") throw new AppError("CONFLICT", "checkIn.server.errors.eventClosed");
  const end = eventFinishesAt(event);
  const latest = new Date(end.getTime() + STAFF_LINK_MAX_AFTER_END_MS);
  const expiresAt = parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : new Date(end.getTime() + STAFF_LINK_DEFAULT_AFTER_END_MS);
  if (expiresAt.getTime() <= now.getTime()) throw new AppError("VALIDATION", "errors.validation", { expiresAt: "checkIn.server.errors.expiresPast" });
  if (expiresAt.getTime() > latest.getTime()) throw new AppError("VALIDATION", "errors.validation", { expiresAt: "checkIn.server.errors.expiresTooLate" });

  const token = randomBytes(32).toString("base64url");
  const created = await db.$transaction(async (tx) => {
    const row = await tx.eventStaffAccess.create({
      data: { eventId: event.id, label: parsed.data.label, tokenHash: hashStaffToken(token), createdById: options.actor!.userId, expiresAt },
      select: LINK_SELECT,
    });
    await writeAudit(tx, {
      organizationId: event.organizationId,
      actorId: options.actor!.userId,
      entityType: "event_staff_access",
      entityId: row.id,
      action: "check_in.staff_link_created",
      changes: { eventId: event.id, label: row.label, expiresAt: row.expiresAt.toISOString() },
    });
    return row;
  });
  let telegramUrl: string | null = null;
  if (isTelegramConfigured()) {
    try {
      telegramUrl = await botDeepLink(`staff_${token}`);
    } catch {
      telegramUrl = null; // the bot's username could not be read right now; the web link still works
    }
  }
  return { ...toRow(created, now), token, url: staffLinkUrl(token), telegramUrl };
}

/** The event's door-staff links, newest first (tokens are never shown again). */
export async function listStaffLinks(options: { actor: Actor | null | undefined; eventId: string }): Promise<{ links: StaffLinkRow[] }> {
  const access = await resolveCheckInAccess({ actor: options.actor, eventId: options.eventId, permission: "checkin.manageStaff" });
  const rows = await db.eventStaffAccess.findMany({
    where: { eventId: access.event.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: LINK_SELECT,
  });
  return { links: rows.map((r) => toRow(r, access.now)) };
}

/** Revokes a link (idempotent: revoking a revoked link changes nothing). */
export async function revokeStaffLink(options: { actor: Actor | null | undefined; eventId: string; accessId: string }): Promise<StaffLinkRow> {
  const access = await resolveCheckInAccess({ actor: options.actor, eventId: options.eventId, permission: "checkin.manageStaff" });
  if (!isUuid(options.accessId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return db.$transaction(async (tx) => {
    const { count } = await tx.eventStaffAccess.updateMany({
      where: { id: options.accessId, eventId: access.event.id, revokedAt: null },
      data: { revokedAt: access.now },
    });
    const row = await tx.eventStaffAccess.findFirst({ where: { id: options.accessId, eventId: access.event.id }, select: LINK_SELECT });
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    if (count === 1) {
      await writeAudit(tx, {
        organizationId: access.event.organizationId,
        actorId: options.actor!.userId,
        entityType: "event_staff_access",
        entityId: row.id,
        action: "check_in.staff_link_revoked",
        changes: { revokedAt: { from: null, to: access.now.toISOString() } },
      });
    }
    return toRow(row, access.now);
  });
}

export type RedeemResult =
  | { ok: true; accessId: string; eventId: string; expiresAt: Date; label: string }
  | { ok: false; reason: "invalid" | "revoked" | "expired" | "event_closed" };

/** Checks a staff link's token (no actor needed: the token is the credential). Writes nothing. */
export async function redeemStaffToken(token: string): Promise<RedeemResult> {
  if (typeof token !== "string" || !TOKEN_RE.test(token)) return { ok: false, reason: "invalid" };
  const rows = await db.$queryRaw<
    { id: string; event_id: string; label: string; expires_at: Date; revoked_at: Date | null; now: Date; status: string; gone: boolean }[]
  >`
    SELECT a.id, a.event_id, a.label, a.expires_at, a.revoked_at, now() AS now, e.status::text AS status,
           (e.deleted_at IS NOT NULL OR o.deleted_at IS NOT NULL) AS gone
      FROM event_staff_access a
      JOIN events e ON e.id = a.event_id
      JOIN organizations o ON o.id = e.tenant_id
     WHERE a.token_hash = ${hashStaffToken(token)}`;
  const r = rows[0];
  if (!r || r.gone) return { ok: false, reason: "invalid" };
  if (r.revoked_at) return { ok: false, reason: "revoked" };
  if (r.expires_at.getTime() <= r.now.getTime()) return { ok: false, reason: "expired" };
  if (r.status === "CANCELLED" || r.status === "DRAFT") return { ok: false, reason: "event_closed" };
  return { ok: true, accessId: r.id, eventId: r.event_id, expiresAt: r.expires_at, label: r.label };
}
