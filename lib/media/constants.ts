// Upload rules shared by the server (lib/media/upload.ts) and the upload component (client-safe).

/** Largest accepted upload: 10 MiB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Decoded pixels allowed per image (decompression bombs: a tiny file declaring 50000×50000 is refused). */
export const MAX_INPUT_PIXELS = 40_000_000;

/** What an upload is for: decides the tenant (organization uploads) and the permission checked. */
export const MEDIA_PURPOSES = ["avatar", "organization-logo", "event-cover"] as const;
export type MediaPurpose = (typeof MEDIA_PURPOSES)[number];

export function isMediaPurpose(value: unknown): value is MediaPurpose {
  return typeof value === "string" && (MEDIA_PURPOSES as readonly string[]).includes(value);
}

/** Purposes whose uploads belong to an organization (organizationSlug required). */
export const ORGANIZATION_PURPOSES: readonly MediaPurpose[] = ["organization-logo", "event-cover"];

/** Formats accepted after decoding (sharp's format names) and the MIME type each is stored with. */
export const ACCEPTED_FORMATS = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp", gif: "image/gif" } as const;
export type AcceptedFormat = keyof typeof ACCEPTED_FORMATS;

/** The upload endpoint (app/api/media/route.ts). */
export const MEDIA_API_PATH = "/api/media";
