// The hourly sweep: uploads older than 24 h that nothing references (no event cover, organization logo
// or user avatar) → DELETED, their variant rows removed and their files deleted.
//
// Race with attaching (lib/media/attach.ts): attaching locks the media row (a compare-and-set on its
// status) in the same transaction that writes the reference. The sweep locks candidates with
// FOR UPDATE SKIP LOCKED and re-checks the references in a second statement, which sees everything
// committed before it took the locks. So an upload is either attached (and kept) or deleted (and the
// attach fails with "upload it again"), never deleted while referenced. Files go only after commit.
import "server-only";
import { db } from "@/lib/db";
import { mediaStorage, type MediaStorage } from "./storage";

/** Uploads younger than this are never swept (a form may still be about to save them). */
export const UNREFERENCED_MEDIA_TTL_MS = 24 * 60 * 60 * 1000;

export type CleanupResult = { deleted: number; files: number; fileErrors: number };

export async function cleanupUnreferencedMedia(
  options: { now?: Date; olderThanMs?: number; limit?: number; storage?: MediaStorage } = {},
): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.olderThanMs ?? UNREFERENCED_MEDIA_TTL_MS));
  const limit = options.limit ?? 200;
  const storage = options.storage ?? mediaStorage();

  const removed = await db.$transaction(async (tx) => {
    const candidates = await tx.$queryRaw<{ id: string }[]>`
      SELECT m."id" FROM "media" m
      WHERE m."status" IN ('UPLOADING', 'READY') AND m."created_at" < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM "events" e WHERE e."cover_image_id" = m."id")
        AND NOT EXISTS (SELECT 1 FROM "organizations" o WHERE o."logo_media_id" = m."id")
        AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."avatar_media_id" = m."id")
      ORDER BY m."created_at"
      LIMIT ${limit}
      FOR UPDATE OF m SKIP LOCKED`;
    if (candidates.length === 0) return { count: 0, paths: [] as string[] };
    const ids = candidates.map((c) => c.id);
    // Second look, on a fresh snapshot, at rows we now hold locked.
    const deleted = await tx.$queryRaw<{ id: string; storage_path: string }[]>`
      UPDATE "media" m SET "status" = 'DELETED', "deleted_at" = ${now}, "updated_at" = ${now}
      WHERE m."id" = ANY(${ids}::uuid[]) AND m."status" IN ('UPLOADING', 'READY')
        AND NOT EXISTS (SELECT 1 FROM "events" e WHERE e."cover_image_id" = m."id")
        AND NOT EXISTS (SELECT 1 FROM "organizations" o WHERE o."logo_media_id" = m."id")
        AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."avatar_media_id" = m."id")
      RETURNING m."id", m."storage_path"`;
    if (deleted.length === 0) return { count: 0, paths: [] as string[] };
    const deletedIds = deleted.map((d) => d.id);
    const variants = await tx.mediaVariant.findMany({ where: { mediaId: { in: deletedIds } }, select: { storagePath: true } });
    await tx.mediaVariant.deleteMany({ where: { mediaId: { in: deletedIds } } });
    return { count: deleted.length, paths: [...deleted.map((d) => d.storage_path), ...variants.map((v) => v.storagePath)] };
  });

  let fileErrors = 0;
  if (removed.paths.length > 0) {
    try {
      await storage.delete(removed.paths);
    } catch (error) {
      // The rows are DELETED (nothing can show them); a storage outage leaves orphan files, logged.
      fileErrors = removed.paths.length;
      console.error(`media cleanup: ${removed.paths.length} file(s) could not be removed`, error);
    }
  }
  return { deleted: removed.count, files: removed.paths.length, fileErrors };
}
