// Organization invites (F13): the OWNER creates single-use links that make someone a MODERATOR.
//
// - Create / list pending / revoke: OWNER only (`members.invite`), through the permission layer.
// - Code: 32 characters of [a-z0-9] (crypto-random, unbiased), valid 7 days, used once, role MODERATOR,
//   an optional Telegram username as a note of whom it is meant for. Invites are never sent by the
//   system: the owner shares the web link `${APP_URL}/invite/<code>` or the bot deep link
//   `invite_<code>` (when Telegram is configured).
// - Accept (web page or Telegram bot): single use is decided by one conditional update
//   (used_at IS NULL AND revoked_at IS NULL AND expires_at > now) in the same transaction that
//   creates the MODERATOR membership, so parallel accepts give exactly one membership. Revoking is
//   the same kind of conditional update, so an invite is either used or revoked, never both.
import "server-only";
import { randomBytes } from "node:crypto";
import { writeAudit } from "@/lib/audit";
import { checkDeferredConstraints, db, type DbClient } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, uniqueViolation } from "@/lib/errors";
import type { OrganizationRole } from "@/lib/generated/prisma/client";
import { authorizeOrganization, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { botDeepLink, isTelegramConfigured } from "@/lib/telegram";
import { errorKey } from "@/lib/telegram/texts";
import { createInviteSchema, type CreateInviteInput } from "@/lib/validation/members";
import { fieldErrorsOf } from "@/lib/validation/identity";

export const INVITE_CODE_RE = /^[a-z0-9]{32}$/;
export const INVITE_CODE_LENGTH = 32;
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Pending invites one organization may hold at once (a runaway script cannot fill the table). */
export const MAX_PENDING_INVITES = 50;

export type InviteStatus = "valid" | "invalid" | "expired" | "used" | "revoked";

export type InvitePreview = {
  status: InviteStatus;
  organizationId: string | null;
  organizationName: string | null;
  organizationSlug: string | null;
  role: OrganizationRole | null;
  expiresAt: Date | null;
  /** Whether `actor` is already a member of the organization (null without an actor or organization). */
  viewerIsMember: boolean | null;
};

export type AcceptedInvite = {
  organizationId: string;
  organizationName: string;
  organizationSlug: string;
  membershipId: string;
  role: "MODERATOR";
};

export type PendingInvite = {
  id: string;
  code: string;
  role: OrganizationRole;
  telegramUsername: string | null;
  createdAt: Date;
  expiresAt: Date;
  createdBy: { id: string; name: string };
  /** `${APP_URL}/invite/<code>` */
  webUrl: string;
  /** https://t.me/<bot>?start=invite_<code>, or null when Telegram is not configured. */
  telegramUrl: string | null;
};

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
// Bytes at or above this are skipped so every character is equally likely (no modulo bias).
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** A crypto-random invite code: 32 characters of [a-z0-9] (≈165 bits). */
export function generateInviteCode(): string {
  let out = "";
  while (out.length < INVITE_CODE_LENGTH) {
    for (const b of randomBytes(48)) {
      if (b >= UNBIASED_LIMIT) continue;
      out += ALPHABET[b % ALPHABET.length];
      if (out.length === INVITE_CODE_LENGTH) break;
    }
  }
  return out;
}

export function normalizeInviteCode(code: string): string {
  return String(code ?? "").trim().toLowerCase();
}

function appUrl(): string {
  return env().APP_URL.replace(/\/+$/, "");
}

/** The links an invite is shared with: the web page and (when configured) the bot deep link. */
export async function organizationInviteLinks(code: string): Promise<{ webUrl: string; telegramUrl: string | null }> {
  const webUrl = `${appUrl()}/invite/${code}`;
  if (!isTelegramConfigured()) return { webUrl, telegramUrl: null };
  try {
    return { webUrl, telegramUrl: await botDeepLink(`invite_${code}`) };
  } catch (error) {
    // The bot's username could not be learned (getMe failed): the web link still works.
    console.warn("invite: no Telegram deep link", error);
    return { webUrl, telegramUrl: null };
  }
}

function statusOf(
  invite: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date; organization: { deletedAt: Date | null } } | null,
  now: Date,
): InviteStatus {
  if (!invite || invite.organization.deletedAt) return "invalid";
  if (invite.revokedAt) return "revoked";
  if (invite.usedAt) return "used";
  if (invite.expiresAt <= now) return "expired";
  return "valid";
}

const ERRORS: Record<Exclude<InviteStatus, "valid">, () => AppError> = {
  invalid: () => new AppError("NOT_FOUND", errorKey("inviteInvalid")),
  expired: () => new AppError("CONFLICT", errorKey("inviteExpired")),
  used: () => new AppError("CONFLICT", errorKey("inviteUsed")),
  revoked: () => new AppError("CONFLICT", errorKey("inviteRevoked")),
};

const alreadyMember = () => new AppError("CONFLICT", errorKey("inviteAlreadyMember"));

const EMPTY_PREVIEW = {
  organizationId: null,
  organizationName: null,
  organizationSlug: null,
  role: null,
  expiresAt: null,
  viewerIsMember: null,
} as const;

/** What an invite code stands for, without using it (the bot and the invite page show this first). */
export async function previewOrganizationInvite({
  code,
  actor,
  now = new Date(),
  tx = db,
}: {
  code: string;
  /** When given, the preview says whether this user is already a member. */
  actor?: Actor | null;
  now?: Date;
  tx?: DbClient;
}): Promise<InvitePreview> {
  const normalized = normalizeInviteCode(code);
  if (!INVITE_CODE_RE.test(normalized)) return { status: "invalid", ...EMPTY_PREVIEW };
  const invite = await tx.organizationInvite.findUnique({
    where: { code: normalized },
    select: {
      usedAt: true,
      revokedAt: true,
      expiresAt: true,
      role: true,
      organization: { select: { id: true, name: true, slug: true, deletedAt: true } },
    },
  });
  const status = statusOf(invite, now);
  if (status === "invalid" || !invite) return { status: "invalid", ...EMPTY_PREVIEW };
  const viewerIsMember = actor
    ? (await tx.organizationMember.findUnique({
        where: { organizationId_userId: { organizationId: invite.organization.id, userId: actor.userId } },
        select: { id: true },
      })) !== null
    : null;
  return {
    status,
    organizationId: invite.organization.id,
    organizationName: invite.organization.name,
    organizationSlug: invite.organization.slug,
    role: invite.role,
    expiresAt: invite.expiresAt,
    viewerIsMember,
  };
}

/**
 * Makes the user a MODERATOR of the invite's organization and uses the invite up.
 * The user is `actor` (web) or `userId` (the Telegram bot, which has already identified the sender).
 * Errors (AppError): UNAUTHENTICATED without a user; NOT_FOUND inviteInvalid; CONFLICT inviteExpired |
 * inviteUsed | inviteRevoked | inviteAlreadyMember (the invite is then left unused).
 */
export async function acceptOrganizationInvite({
  code,
  actor,
  userId: userIdOption,
  now = new Date(),
}: {
  code: string;
  actor?: Actor | null;
  userId?: string;
  now?: Date;
}): Promise<AcceptedInvite> {
  const userId = actor !== undefined ? requireActor(actor).userId : userIdOption;
  if (!userId) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  const normalized = normalizeInviteCode(code);
  if (!INVITE_CODE_RE.test(normalized)) throw ERRORS.invalid();

  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: { deletedAt: true } });
      if (!user || user.deletedAt) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");

      const invite = await tx.organizationInvite.findUnique({
        where: { code: normalized },
        select: {
          id: true,
          organizationId: true,
          createdById: true,
          usedAt: true,
          revokedAt: true,
          expiresAt: true,
          organization: { select: { name: true, slug: true, deletedAt: true } },
        },
      });
      if (!invite || invite.organization.deletedAt) throw ERRORS.invalid();

      const member = await tx.organizationMember.findUnique({
        where: { organizationId_userId: { organizationId: invite.organizationId, userId } },
        select: { id: true },
      });
      if (member) throw alreadyMember();

      const status = statusOf(invite, now);
      if (status !== "valid") throw ERRORS[status]();

      // The one statement that decides who uses the invite.
      const { count } = await tx.organizationInvite.updateMany({
        where: { id: invite.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now, usedById: userId },
      });
      if (count !== 1) {
        const fresh = await tx.organizationInvite.findUnique({
          where: { id: invite.id },
          select: { usedAt: true, revokedAt: true, expiresAt: true, organization: { select: { deletedAt: true } } },
        });
        const freshStatus = statusOf(fresh, now);
        throw ERRORS[freshStatus === "valid" ? "used" : freshStatus]();
      }

      // Always MODERATOR: ownership moves only through an explicit transfer.
      const membership = await tx.organizationMember.create({
        data: { organizationId: invite.organizationId, userId, role: "MODERATOR", invitedById: invite.createdById, joinedAt: now },
        select: { id: true },
      });
      await writeAudit(tx, {
        organizationId: invite.organizationId,
        actorId: userId,
        entityType: "organization_member",
        entityId: membership.id,
        action: "member.joined_by_invite",
        changes: { role: { from: null, to: "MODERATOR" }, inviteId: { from: null, to: invite.id } },
      });
      await checkDeferredConstraints(tx);
      return {
        organizationId: invite.organizationId,
        organizationName: invite.organization.name,
        organizationSlug: invite.organization.slug,
        membershipId: membership.id,
        role: "MODERATOR" as const,
      };
    });
  } catch (e) {
    // A parallel accept by the same user through another invite won the membership insert.
    if (uniqueViolation(e)) throw alreadyMember();
    throw e;
  }
}

/**
 * Creates a MODERATOR invite (OWNER only). Returns the invite with its links; the code is shown to
 * the owner, who shares it. Errors: VALIDATION (telegramUsername), CONFLICT members.errors.tooManyInvites.
 */
export async function createOrganizationInvite({
  actor,
  organizationId,
  now = new Date(),
  ...input
}: {
  actor: Actor | null | undefined;
  organizationId: string;
  now?: Date;
} & CreateInviteInput): Promise<PendingInvite> {
  const access = await authorizeOrganization({ actor, organizationId, permission: "members.invite" });
  const parsed = createInviteSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));

  const invite = await db.$transaction(async (tx) => {
    const pending = await tx.organizationInvite.count({
      where: { organizationId: access.organization.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    });
    if (pending >= MAX_PENDING_INVITES) throw new AppError("CONFLICT", "members.errors.tooManyInvites");
    const created = await tx.organizationInvite.create({
      data: {
        organizationId: access.organization.id,
        code: generateInviteCode(),
        role: "MODERATOR",
        telegramUsername: parsed.data.telegramUsername ?? null,
        createdById: access.actor.userId,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
        createdAt: now,
      },
      select: INVITE_SELECT,
    });
    await writeAudit(tx, {
      organizationId: access.organization.id,
      actorId: access.actor.userId,
      entityType: "organization_invite",
      entityId: created.id,
      action: "invite.created",
      changes: { role: { from: null, to: "MODERATOR" }, expiresAt: { from: null, to: created.expiresAt.toISOString() } },
    });
    return created;
  });
  return toPendingInvite(invite);
}

const INVITE_SELECT = {
  id: true,
  code: true,
  role: true,
  telegramUsername: true,
  createdAt: true,
  expiresAt: true,
  createdBy: { select: { id: true, firstName: true, lastName: true } },
} as const;

type InviteRow = {
  id: string;
  code: string;
  role: OrganizationRole;
  telegramUsername: string | null;
  createdAt: Date;
  expiresAt: Date;
  createdBy: { id: string; firstName: string; lastName: string | null };
};

async function toPendingInvite(row: InviteRow): Promise<PendingInvite> {
  const links = await organizationInviteLinks(row.code);
  return {
    id: row.id,
    code: row.code,
    role: row.role,
    telegramUsername: row.telegramUsername,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    createdBy: { id: row.createdBy.id, name: [row.createdBy.firstName, row.createdBy.lastName].filter(Boolean).join(" ") },
    ...links,
  };
}

/** Invites that can still be accepted, newest first (OWNER only: the codes are secrets). */
export async function listPendingInvites({
  actor,
  organizationId,
  now = new Date(),
}: {
  actor: Actor | null | undefined;
  organizationId: string;
  now?: Date;
}): Promise<PendingInvite[]> {
  const access = await authorizeOrganization({ actor, organizationId, permission: "members.invite" });
  const rows = await db.organizationInvite.findMany({
    where: { organizationId: access.organization.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: MAX_PENDING_INVITES,
    select: INVITE_SELECT,
  });
  return Promise.all(rows.map(toPendingInvite));
}

/**
 * Revokes a pending invite (OWNER only). An invite of another organization is NOT_FOUND; one that was
 * used, revoked or has expired meanwhile is CONFLICT (a conditional update decides, so a revoke racing
 * an accept leaves exactly one of them done).
 */
export async function revokeOrganizationInvite({
  actor,
  organizationId,
  inviteId,
  now = new Date(),
}: {
  actor: Actor | null | undefined;
  organizationId: string;
  inviteId: string;
  now?: Date;
}): Promise<{ id: string }> {
  const access = await authorizeOrganization({ actor, organizationId, permission: "members.invite" });
  if (!isUuid(inviteId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return db.$transaction(async (tx) => {
    const invite = await tx.organizationInvite.findFirst({
      where: { id: inviteId, organizationId: access.organization.id },
      select: { id: true, usedAt: true, revokedAt: true, expiresAt: true, organization: { select: { deletedAt: true } } },
    });
    if (!invite) throw new AppError("NOT_FOUND", "errors.notFound");
    const { count } = await tx.organizationInvite.updateMany({
      where: { id: invite.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    if (count !== 1) {
      const fresh = await tx.organizationInvite.findUnique({
        where: { id: invite.id },
        select: { usedAt: true, revokedAt: true, expiresAt: true, organization: { select: { deletedAt: true } } },
      });
      const status = statusOf(fresh, now);
      throw new AppError("CONFLICT", status === "revoked" ? errorKey("inviteRevoked") : status === "expired" ? errorKey("inviteExpired") : errorKey("inviteUsed"));
    }
    await writeAudit(tx, {
      organizationId: access.organization.id,
      actorId: access.actor.userId,
      entityType: "organization_invite",
      entityId: invite.id,
      action: "invite.revoked",
      changes: { revokedAt: { from: null, to: now.toISOString() } },
    });
    return { id: invite.id };
  });
}
