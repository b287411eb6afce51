// Uploading an image: authorize, decode and normalize (lib/media/image.ts), store the original, create
// the Media row (UPLOADING) and, in the same transaction, the job that makes its variants
// (lib/media/variants.ts flips it to READY). Reading one upload back for polling.
import "server-only";
import { randomUUID } from "node:crypto";
import { db, type DbClient } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { enqueue, kick, type JobRegistry } from "@/lib/jobs";
import { authorizeOrganization, authorizeOrganizationBySlug, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { isMediaPurpose, ORGANIZATION_PURPOSES, type MediaPurpose } from "./constants";
import { normalizeImage } from "./image";
import { mediaStorage, type MediaStorage } from "./storage";
import { MEDIA_WITH_VARIANTS_SELECT, mediaDto, type MediaDto } from "./urls";

export type UploadFile = {
  bytes: Buffer | Uint8Array;
  /** The name the browser sent (kept for display only; never used to decide the type). */
  filename: string;
  /** The MIME type the browser claimed: ignored (the decoder decides), kept for the log only. */
  declaredType?: string | null;
};

export type UploadImageOptions = {
  actor: Actor | null | undefined;
  purpose: MediaPurpose | string;
  /** Organization purposes: the organization, by id (API, jobs) or by the slug of the URL. */
  organizationId?: string;
  organizationSlug?: string;
  file: UploadFile;
};

export type UploadDeps = { storage?: MediaStorage; tx?: DbClient; registry?: JobRegistry };

export type MediaRecord = {
  id: string;
  organizationId: string | null;
  uploadedById: string;
  status: "UPLOADING" | "READY" | "DELETED";
  storagePath: string;
  contentType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  filename: string;
  variants: { variantType: string; width: number; height: number; storagePath: string }[];
};

const RECORD_SELECT = {
  ...MEDIA_WITH_VARIANTS_SELECT,
  organizationId: true,
  uploadedById: true,
  contentType: true,
  sizeBytes: true,
  filename: true,
} as const;

/** The display name of an upload: no folders, no control characters, at most 255 characters. */
export function cleanFilename(name: string | null | undefined): string {
  const base = String(name ?? "").split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 255);
  return cleaned || "image";
}

/** Which organization an upload belongs to (null: a personal upload, i.e. an avatar). Authorizes it. */
async function uploadTenant(actor: Actor, options: UploadImageOptions, tx: DbClient): Promise<string | null> {
  const purpose = options.purpose as MediaPurpose;
  if (!ORGANIZATION_PURPOSES.includes(purpose)) return null;
  if (options.organizationId) {
    const access = await authorizeOrganization({ actor, organizationId: options.organizationId, permission: "media.upload", tx });
    return access.organization.id;
  }
  if (options.organizationSlug) {
    const access = await authorizeOrganizationBySlug({ actor, slug: options.organizationSlug, permission: "media.upload", tx });
    return access.organization.id;
  }
  throw new AppError("VALIDATION", "errors.validation", { organizationSlug: "media.errors.organizationRequired" });
}

/**
 * Stores an uploaded image. Order: who (UNAUTHENTICATED), what for (VALIDATION), may they (NOT_FOUND /
 * FORBIDDEN via "media.upload"), is it an image (MediaFileError: 413 / 415 / 422) — nothing is written
 * before all of these pass. Then the normalized original goes to storage, and one transaction creates
 * the Media row (UPLOADING) and its `media/uploaded` job; if that fails the stored file is removed.
 */
export async function uploadImage(options: UploadImageOptions, deps: UploadDeps = {}): Promise<MediaRecord> {
  const actor = requireActor(options.actor);
  const client = deps.tx ?? db;
  if (!isMediaPurpose(options.purpose)) throw new AppError("VALIDATION", "errors.validation", { purpose: "media.errors.badPurpose" });
  const organizationId = await uploadTenant(actor, options, client);

  const bytes = Buffer.isBuffer(options.file.bytes) ? options.file.bytes : Buffer.from(options.file.bytes);
  const image = await normalizeImage(bytes);

  const storage = deps.storage ?? mediaStorage();
  const id = randomUUID();
  let storagePath: string;
  try {
    storagePath = await storage.put(`${id}/original.${image.extension}`, image.bytes, image.contentType);
  } catch (error) {
    console.error("media: storing an upload failed", error);
    throw new AppError("INTERNAL", "media.errors.storage");
  }

  const create = async (tx: DbClient) => {
    const media = await tx.media.create({
      data: {
        id,
        organizationId,
        uploadedById: actor.userId,
        filename: cleanFilename(options.file.filename),
        contentType: image.contentType,
        sizeBytes: image.bytes.length,
        storagePath,
        status: "UPLOADING",
        width: image.width,
        height: image.height,
      },
      select: RECORD_SELECT,
    });
    await enqueue(tx, "media/uploaded", { mediaId: id }, { id: `media-uploaded:${id}`, registry: deps.registry });
    return media;
  };

  try {
    const media = deps.tx ? await create(deps.tx) : await db.$transaction((tx) => create(tx));
    kick();
    return media as MediaRecord;
  } catch (error) {
    await storage.delete([storagePath]).catch((e) => console.error("media: removing an unsaved upload failed", e));
    throw error;
  }
}

/**
 * One upload as its uploader (or a staff member of its organization) sees it: status and URLs, for
 * polling until READY. Anyone else, a deleted upload or a malformed id → NOT_FOUND.
 */
export async function getMedia(options: { actor: Actor | null | undefined; mediaId: string }, tx: DbClient = db): Promise<MediaDto> {
  const actor = requireActor(options.actor);
  const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
  if (!isUuid(options.mediaId)) throw notFound();
  const media = await tx.media.findFirst({ where: { id: options.mediaId, status: { not: "DELETED" } }, select: RECORD_SELECT });
  if (!media) throw notFound();
  if (media.organizationId) {
    // Staff of the organization; members of other organizations get NOT_FOUND from the permission layer.
    await authorizeOrganization({ actor, organizationId: media.organizationId, permission: "media.upload", tx });
  } else if (media.uploadedById !== actor.userId) {
    throw notFound();
  }
  return mediaDto(media);
}
