// Background functions of the media area (thin: the work is in lib/media).
import "server-only";
import { NonRetriableError } from "inngest";
import { cleanupUnreferencedMedia } from "@/lib/media";
import { MissingOriginalError, processMediaVariants } from "@/lib/media";
import { JOBS, defineJob } from "@/lib/jobs";

/** `media/uploaded`: the WebP variants of a new upload, then UPLOADING → READY (idempotent). */
export const mediaVariantsJob = defineJob({
  ...JOBS["media-variants"],
  handler: ({ event, step }) =>
    step.run("variants", async () => {
      try {
        return await processMediaVariants(event.data.mediaId);
      } catch (error) {
        // Without its original an upload can never get variants: stop retrying (it stays UPLOADING,
        // pages keep using the original URL, and the cleanup job removes it if nothing uses it).
        if (error instanceof MissingOriginalError) throw new NonRetriableError(error.message);
        throw error;
      }
    }),
});

/** Hourly: uploads older than 24 h that no cover, logo or avatar uses → DELETED, files removed. */
export const mediaCleanupJob = defineJob({
  ...JOBS["media-cleanup"],
  handler: ({ step }) => step.run("cleanup", () => cleanupUnreferencedMedia()),
});

export const mediaJobs = [mediaVariantsJob, mediaCleanupJob];
