// Putting an upload to use: a user's avatar, an organization's logo, an event's cover (the events
// service calls lockAttachableMedia for covers). An id from a form is never trusted: the upload must
// exist, be UPLOADING or READY, and belong to the same owner — the organization for logos and covers,
// the user themself (a personal upload) for avatars. Anything else → a field error "upload it again".
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, type DbClient, withTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { authorizeOrganizationRef, type OrganizationRef } from "@/lib/organizations";
import { isUuid, requireActor, type Actor } from "@/lib/permissions";
import { MEDIA_WITH_VARIANTS_SELECT, mediaUrl, mediaVariantUrl, type MediaWithVariants } from "./urls";

export type AttachScope = { organizationId: string } | { userId: string };

/**
 * Checks that `mediaId` may be attached within `scope` and locks its row until the caller's
 * transaction ends (a compare-and-set on the status), so the cleanup job cannot delete it in between.
 * Returns the upload; throws VALIDATION with `{ [field]: "media.errors.notAttachable" }` otherwise.
 * Call it inside the transaction that writes the reference.
 */
export async function lockAttachableMedia(
  tx: DbClient,
  options: { mediaId: string; field?: string } & AttachScope,
): Promise<MediaWithVariants & { storagePath: string }> {
  const field = options.field ?? "mediaId";
  const refused = () => new AppError("VALIDATION", "errors.validation", { [field]: "media.errors.notAttachable" });
  if (typeof options.mediaId !== "string" || !isUuid(options.mediaId)) throw refused();
  const owner = "organizationId" in options ? { organizationId: options.organizationId } : { organizationId: null, uploadedById: options.userId };
  const { count } = await tx.media.updateMany({
    where: { id: options.mediaId, status: { in: ["UPLOADING", "READY"] }, ...owner },
    data: { updatedAt: new Date() },
  });
  if (count === 0) throw refused();
  return tx.media.findUniqueOrThrow({ where: { id: options.mediaId }, select: MEDIA_WITH_VARIANTS_SELECT });
}

// ───────────────────────────── avatar ─────────────────────────────

/**
 * Sets (or with null removes) the signed-in user's profile photo. The upload must be the user's own
 * avatar upload. avatar_url follows (the original's URL; null on removal, which also drops a photo
 * taken from Telegram), so places that only know avatar_url show the same picture.
 */
export async function setUserAvatar(
  options: { actor: Actor | null | undefined; mediaId: string | null },
  tx?: DbClient,
): Promise<{ avatarMediaId: string | null; avatarUrl: string | null }> {
  const actor = requireActor(options.actor);
  return withTransaction(tx, async (t) => {
    let avatarUrl: string | null = null;
    if (options.mediaId !== null) {
      const media = await lockAttachableMedia(t, { mediaId: options.mediaId, userId: actor.userId, field: "avatar" });
      avatarUrl = mediaUrl(media.storagePath);
    }
    const { count } = await t.user.updateMany({
      where: { id: actor.userId, deletedAt: null },
      data: { avatarMediaId: options.mediaId, avatarUrl },
    });
    if (count === 0) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
    return { avatarMediaId: options.mediaId, avatarUrl };
  });
}

export type AttachedImage = { id: string; url: string; media: MediaWithVariants } | null;

function attached(media: MediaWithVariants | null): AttachedImage {
  if (!media || media.status === "DELETED") return null;
  return { id: media.id, url: mediaVariantUrl(media, "SMALL"), media };
}

/** The user's uploaded profile photo (null: none, or only an external avatar_url such as Telegram's). */
export async function getUserAvatar({ userId }: { userId: string }, tx: DbClient = db): Promise<AttachedImage> {
  const user = await tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: { avatarMedia: { select: MEDIA_WITH_VARIANTS_SELECT } } });
  return attached(user?.avatarMedia ?? null);
}

// ───────────────────────────── organization logo ─────────────────────────────

/**
 * Sets (or with null removes) an organization's logo (owner and moderators: "organization.update").
 * The upload must belong to this organization. logo_url follows; an audit row records the change.
 */
export async function setOrganizationLogo(
  options: { actor: Actor | null | undefined; mediaId: string | null } & OrganizationRef,
  tx?: DbClient,
): Promise<{ logoMediaId: string | null; logoUrl: string | null }> {
  return withTransaction(tx, async (t) => {
    const access = await authorizeOrganizationRef(options.actor, options, "organization.update", t);
    const organizationId = access.organization.id;
    let logoUrl: string | null = null;
    if (options.mediaId !== null) {
      const media = await lockAttachableMedia(t, { mediaId: options.mediaId, organizationId, field: "logo" });
      logoUrl = mediaUrl(media.storagePath);
    }
    const before = await t.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { logoMediaId: true } });
    const { count } = await t.organization.updateMany({
      where: { id: organizationId, deletedAt: null },
      data: { logoMediaId: options.mediaId, logoUrl },
    });
    if (count === 0) throw new AppError("NOT_FOUND", "errors.notFound");
    if (before.logoMediaId !== options.mediaId) {
      await writeAudit(t, {
        organizationId,
        actorId: access.actor.userId,
        entityType: "organization",
        entityId: organizationId,
        action: "organization.updated",
        changes: { logoMediaId: { from: before.logoMediaId, to: options.mediaId } },
      });
    }
    return { logoMediaId: options.mediaId, logoUrl };
  });
}

/** An organization's logo upload, if any. */
export async function getOrganizationLogo({ organizationId }: { organizationId: string }, tx: DbClient = db): Promise<AttachedImage> {
  const organization = await tx.organization.findUnique({ where: { id: organizationId }, select: { logoMedia: { select: MEDIA_WITH_VARIANTS_SELECT } } });
  return attached(organization?.logoMedia ?? null);
}
