// The `media/uploaded` job's work: the four WebP variants of an upload (THUMBNAIL 150, SMALL 300,
// MEDIUM 600, LARGE 1200 px wide; never upscaled), their MediaVariant rows, and Media UPLOADING → READY
// with a compare-and-set. Safe to run again: variant keys are fixed per media and type (a rerun
// overwrites), rows are upserted, and an upload that is no longer UPLOADING is left alone.
import "server-only";
import { db } from "@/lib/db";
import type { MediaVariantType } from "@/lib/generated/prisma/client";
import { planVariants, probeStored, renderVariant } from "./image";
import { mediaStorage, type MediaStorage } from "./storage";

export type ProcessVariantsResult =
  | { status: "ready"; variants: { variantType: string; width: number; height: number }[] }
  | { status: "skipped"; reason: "missing" | "not-uploading" };

export class MissingOriginalError extends Error {
  constructor(mediaId: string) {
    super(`media ${mediaId}: the original file is missing from storage`);
    this.name = "MissingOriginalError";
  }
}

export async function processMediaVariants(mediaId: string, deps: { storage?: MediaStorage } = {}): Promise<ProcessVariantsResult> {
  const storage = deps.storage ?? mediaStorage();
  const media = await db.media.findUnique({ where: { id: mediaId }, select: { id: true, status: true, storagePath: true } });
  if (!media) return { status: "skipped", reason: "missing" };
  if (media.status !== "UPLOADING") return { status: "skipped", reason: "not-uploading" };

  const original = await storage.get(media.storagePath);
  if (!original) throw new MissingOriginalError(mediaId);
  // The plan is taken from the stored (upright) original itself, not from the row.
  const { width, height, animated } = await probeStored(original);
  const plans = planVariants(width, height);

  const written: { variantType: MediaVariantType; width: number; height: number; storagePath: string }[] = [];
  for (const plan of plans) {
    // One at a time: each resize is a full decode; the machine is shared.
    const variant = await renderVariant(original, plan, { animated });
    const storagePath = await storage.put(`${mediaId}/${plan.variantType.toLowerCase()}.webp`, variant.bytes, "image/webp");
    written.push({ variantType: plan.variantType, width: variant.width, height: variant.height, storagePath });
  }

  const flipped = await db.$transaction(async (tx) => {
    // Compare-and-set first: it also locks the row, so the cleanup job cannot delete it meanwhile.
    const { count } = await tx.media.updateMany({ where: { id: mediaId, status: "UPLOADING" }, data: { status: "READY" } });
    if (count === 0) return false;
    for (const v of written) {
      await tx.mediaVariant.upsert({
        where: { mediaId_variantType: { mediaId, variantType: v.variantType } },
        create: { mediaId, ...v },
        update: { width: v.width, height: v.height, storagePath: v.storagePath },
      });
    }
    return true;
  });

  if (!flipped) {
    // Deleted (or finished by an overlapping run) while we worked: a deleted upload keeps no files.
    const now = await db.media.findUnique({ where: { id: mediaId }, select: { status: true } });
    if (!now || now.status === "DELETED") await storage.delete(written.map((w) => w.storagePath)).catch(() => {});
    return { status: "skipped", reason: "not-uploading" };
  }
  return { status: "ready", variants: written.map(({ variantType, width, height }) => ({ variantType, width, height })) };
}
