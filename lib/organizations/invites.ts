// Accepting an organization invite (web or Telegram bot). Single use is decided by one conditional
// update (used_at IS NULL AND revoked_at IS NULL AND expires_at > now) in the same transaction that
// creates the MODERATOR membership, so two parallel accepts give exactly one membership.
import "server-only";
import { db } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import { errorKey } from "@/lib/telegram/texts";

export const INVITE_CODE_RE = /^[a-z0-9]{32}$/;

export type InviteStatus = "valid" | "invalid" | "expired" | "used" | "revoked";

export type InvitePreview = { status: InviteStatus; organizationId: string | null; organizationName: string | null };

export type AcceptedInvite = {
  organizationId: string;
  organizationName: string;
  membershipId: string;
  role: "MODERATOR";
};

export function normalizeInviteCode(code: string): string {
  return String(code ?? "").trim().toLowerCase();
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

/** What an invite code stands for, without using it (the bot and the invite page show this first). */
export async function previewOrganizationInvite({ code, now = new Date() }: { code: string; now?: Date }): Promise<InvitePreview> {
  const normalized = normalizeInviteCode(code);
  if (!INVITE_CODE_RE.test(normalized)) return { status: "invalid", organizationId: null, organizationName: null };
  const invite = await db.organizationInvite.findUnique({
    where: { code: normalized },
    select: { usedAt: true, revokedAt: true, expiresAt: true, organization: { select: { id: true, name: true, deletedAt: true } } },
  });
  const status = statusOf(invite, now);
  return {
    status,
    organizationId: status === "invalid" ? null : invite!.organization.id,
    organizationName: status === "invalid" ? null : invite!.organization.name,
  };
}

/**
 * Makes `userId` a MODERATOR of the invite's organization and uses the invite up.
 * Errors (AppError): NOT_FOUND inviteInvalid; CONFLICT inviteExpired | inviteUsed | inviteRevoked |
 * inviteAlreadyMember (the invite is then left unused).
 */
export async function acceptOrganizationInvite({
  code,
  userId,
  now = new Date(),
}: {
  code: string;
  userId: string;
  now?: Date;
}): Promise<AcceptedInvite> {
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
          organization: { select: { name: true, deletedAt: true } },
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
      await tx.auditLog.create({
        data: {
          organizationId: invite.organizationId,
          actorId: userId,
          entityType: "organization_member",
          entityId: membership.id,
          action: "member.joined_by_invite",
          changes: { role: { from: null, to: "MODERATOR" }, inviteId: { from: null, to: invite.id } },
        },
      });
      return {
        organizationId: invite.organizationId,
        organizationName: invite.organization.name,
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
