// Media URLs and <img srcset> sources. Pure and client-safe (no server-only): Server Components,
// client components and route handlers all use it.
//
// Where a file lives is encoded in its storage path (lib/media/storage.ts):
//   - local disk: a relative key like "<mediaId>/large.webp", served by app/media/[...path] at /media/<key>;
//   - UploadThing: the absolute https URL of the file (https://<appId>.ufs.sh/f/<fileKey>).
// So a URL never depends on the current configuration: switching storage keeps old files reachable.

export const MEDIA_VARIANT_TYPES = ["THUMBNAIL", "SMALL", "MEDIUM", "LARGE"] as const;
export type MediaVariantName = (typeof MEDIA_VARIANT_TYPES)[number];

/** Target width of each variant in px (never upscaled: a narrower original keeps its own width). */
export const MEDIA_VARIANT_WIDTHS: Record<MediaVariantName, number> = {
  THUMBNAIL: 150,
  SMALL: 300,
  MEDIUM: 600,
  LARGE: 1200,
};

/** Public URL prefix of files on local disk (keep in sync with app/media/[...path]/route.ts). */
export const LOCAL_MEDIA_URL_PREFIX = "/media/";

/** The public URL of a stored file. */
export function mediaUrl(storagePath: string): string {
  if (/^https?:\/\//i.test(storagePath)) return storagePath;
  return `${LOCAL_MEDIA_URL_PREFIX}${storagePath.split("/").map(encodeURIComponent).join("/")}`;
}

export type MediaVariantLike = { variantType: MediaVariantName | string; width: number; height: number; storagePath: string };

/** The fields of a Media row (with its variants) the helpers need; a Prisma row with `variants` fits. */
export type MediaWithVariants = {
  id: string;
  status: "UPLOADING" | "READY" | "DELETED" | string;
  storagePath: string;
  width: number | null;
  height: number | null;
  variants?: readonly MediaVariantLike[] | null;
};

/** Prisma `select` that loads what mediaSources() / mediaDto() need. */
export const MEDIA_WITH_VARIANTS_SELECT = {
  id: true,
  status: true,
  storagePath: true,
  width: true,
  height: true,
  variants: { select: { variantType: true, width: true, height: true, storagePath: true } },
} as const;

export type MediaSources = {
  /** The URL for browsers that ignore srcset (MEDIUM or the largest smaller variant; the original while pending). */
  src: string;
  /** "url 150w, url 300w, …" (one entry per distinct width); undefined while variants are pending. */
  srcSet: string | undefined;
  /** Intrinsic size of the image (its aspect ratio reserves the space: no layout shift). */
  width: number | undefined;
  height: number | undefined;
};

function sortedVariants(media: MediaWithVariants): MediaVariantLike[] {
  return [...(media.variants ?? [])]
    .filter((v) => (MEDIA_VARIANT_TYPES as readonly string[]).includes(v.variantType))
    .sort((a, b) => a.width - b.width || MEDIA_VARIANT_TYPES.indexOf(a.variantType as MediaVariantName) - MEDIA_VARIANT_TYPES.indexOf(b.variantType as MediaVariantName));
}

/**
 * `src`, `srcSet`, `width`, `height` for an <img>. While the variants are being made (UPLOADING) the
 * original is used; once READY, the WebP variants. `preferred` picks the fallback `src` variant.
 */
export function mediaSources(media: MediaWithVariants, preferred: MediaVariantName = "MEDIUM"): MediaSources {
  const variants = media.status === "READY" ? sortedVariants(media) : [];
  const width = media.width ?? undefined;
  const height = media.height ?? undefined;
  if (variants.length === 0) return { src: mediaUrl(media.storagePath), srcSet: undefined, width, height };

  const byWidth = new Map<number, MediaVariantLike>();
  for (const v of variants) if (!byWidth.has(v.width)) byWidth.set(v.width, v);
  const srcSet = [...byWidth.values()].map((v) => `${mediaUrl(v.storagePath)} ${v.width}w`).join(", ");
  const wanted = MEDIA_VARIANT_WIDTHS[preferred];
  const fallback = [...byWidth.values()].filter((v) => v.width <= wanted).at(-1) ?? variants[0]!;
  return { src: mediaUrl(fallback.storagePath), srcSet, width: width ?? fallback.width, height: height ?? fallback.height };
}

/** URL of one variant (or the original while it is missing). */
export function mediaVariantUrl(media: MediaWithVariants, variant: MediaVariantName): string {
  const found = media.status === "READY" ? media.variants?.find((v) => v.variantType === variant) : undefined;
  return mediaUrl(found ? found.storagePath : media.storagePath);
}

/** What the API and the upload component exchange about one upload. */
export type MediaDto = {
  id: string;
  status: "UPLOADING" | "READY" | "DELETED";
  width: number | null;
  height: number | null;
  /** The original and, once READY, every variant. */
  urls: { original: string } & Partial<Record<Lowercase<MediaVariantName>, string>>;
};

export function mediaDto(media: MediaWithVariants): MediaDto {
  const urls: MediaDto["urls"] = { original: mediaUrl(media.storagePath) };
  if (media.status === "READY") {
    for (const v of media.variants ?? []) {
      if ((MEDIA_VARIANT_TYPES as readonly string[]).includes(v.variantType)) {
        urls[v.variantType.toLowerCase() as Lowercase<MediaVariantName>] = mediaUrl(v.storagePath);
      }
    }
  }
  return { id: media.id, status: media.status as MediaDto["status"], width: media.width, height: media.height, urls };
}

/** The best small preview URL of a DTO (upload previews, avatars). */
export function dtoPreviewUrl(media: MediaDto, variant: Lowercase<MediaVariantName> = "small"): string {
  return media.urls[variant] ?? media.urls.original;
}
