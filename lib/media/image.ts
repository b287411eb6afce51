// Image decoding and resizing with sharp. The type of an upload is what sharp decodes, never the
// declared MIME type or the file name; JPEG, PNG, WebP and GIF only (no SVG, HEIC, TIFF, …).
// Every decode has a pixel limit (decompression bombs), EXIF orientation is applied and all metadata
// (EXIF, GPS, XMP, ICC other than sRGB) is dropped — sharp keeps none unless asked (withMetadata).
import "server-only";
import sharp, { type Metadata } from "sharp";
import { AppError } from "@/lib/errors";
import { ACCEPTED_FORMATS, MAX_INPUT_PIXELS, MAX_UPLOAD_BYTES, type AcceptedFormat } from "./constants";
import { MEDIA_VARIANT_TYPES, MEDIA_VARIANT_WIDTHS, type MediaVariantName } from "./urls";

// ───────────────────────────── errors ─────────────────────────────

export type MediaErrorCode = "TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "TOO_MANY_PIXELS" | "EMPTY_FILE";

const MEDIA_ERRORS: Record<MediaErrorCode, { status: number; message: string }> = {
  TOO_LARGE: { status: 413, message: "media.errors.tooLarge" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "media.errors.notAnImage" },
  TOO_MANY_PIXELS: { status: 422, message: "media.errors.tooManyPixels" },
  EMPTY_FILE: { status: 400, message: "media.errors.emptyFile" },
};

/**
 * A refused file: a VALIDATION error on the `file` field for forms and actions, with its own code and
 * HTTP status (413, 415, 422) for the upload endpoint.
 */
export class MediaFileError extends AppError {
  readonly mediaCode: MediaErrorCode;
  readonly status: number;
  constructor(mediaCode: MediaErrorCode) {
    const { status, message } = MEDIA_ERRORS[mediaCode];
    super("VALIDATION", message, { file: message }, { httpStatus: status, apiCode: mediaCode });
    this.name = "MediaFileError";
    this.mediaCode = mediaCode;
    this.status = status;
  }
}

export const isMediaFileError = (e: unknown): e is MediaFileError => e instanceof MediaFileError;

// ───────────────────────────── decoding ─────────────────────────────

export type NormalizedImage = {
  format: AcceptedFormat;
  contentType: (typeof ACCEPTED_FORMATS)[AcceptedFormat];
  /** File extension of the stored original. */
  extension: "jpg" | "png" | "webp" | "gif";
  /** Upright size (after EXIF orientation); one frame's size for animations. */
  width: number;
  height: number;
  animated: boolean;
  /** The re-encoded original: oriented, without metadata. */
  bytes: Buffer;
};

const EXTENSIONS: Record<AcceptedFormat, NormalizedImage["extension"]> = { jpeg: "jpg", png: "png", webp: "webp", gif: "gif" };

const isAccepted = (format: string | undefined): format is AcceptedFormat => !!format && Object.hasOwn(ACCEPTED_FORMATS, format);

function isPixelLimitError(error: unknown): boolean {
  return error instanceof Error && /pixel limit/i.test(error.message);
}

/**
 * Decodes an upload and re-encodes it in its own format: refuses anything that is not a JPEG, PNG,
 * WebP or GIF (415), a file over 10 MB (413) or over MAX_INPUT_PIXELS (422).
 */
export async function normalizeImage(input: Buffer, options: { maxPixels?: number } = {}): Promise<NormalizedImage> {
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  if (input.length === 0) throw new MediaFileError("EMPTY_FILE");
  if (input.length > MAX_UPLOAD_BYTES) throw new MediaFileError("TOO_LARGE");

  let meta: Metadata;
  try {
    // Only the header is read here; the format decides, whatever the file claims to be.
    meta = await sharp(input, { limitInputPixels: maxPixels, failOn: "error" }).metadata();
  } catch (error) {
    if (isPixelLimitError(error)) throw new MediaFileError("TOO_MANY_PIXELS");
    throw new MediaFileError("UNSUPPORTED_MEDIA_TYPE");
  }
  if (!isAccepted(meta.format)) throw new MediaFileError("UNSUPPORTED_MEDIA_TYPE");
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  const pages = meta.pages ?? 1;
  if (!meta.width || !frameHeight) throw new MediaFileError("UNSUPPORTED_MEDIA_TYPE");
  // Checked before decoding (sharp would also stop at limitInputPixels while decoding).
  if (meta.width * frameHeight * pages > maxPixels) throw new MediaFileError("TOO_MANY_PIXELS");

  const format = meta.format;
  const animated = (format === "gif" || format === "webp") && pages > 1;
  let pipeline = sharp(input, { limitInputPixels: maxPixels, failOn: "error", animated }).autoOrient();
  switch (format) {
    case "jpeg":
      pipeline = pipeline.jpeg({ quality: 88, mozjpeg: true });
      break;
    case "png":
      pipeline = pipeline.png({ compressionLevel: 8 });
      break;
    case "webp":
      pipeline = pipeline.webp({ quality: 88 });
      break;
    case "gif":
      pipeline = pipeline.gif();
      break;
  }
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    // The output size is the upright one (autoOrient swapped the sides for orientations 5–8).
    const width = info.width;
    const height = animated ? (info.pageHeight ?? frameHeight) : info.height;
    return { format, contentType: ACCEPTED_FORMATS[format], extension: EXTENSIONS[format], width, height, animated, bytes: data };
  } catch (error) {
    if (isPixelLimitError(error)) throw new MediaFileError("TOO_MANY_PIXELS");
    // Truncated or corrupt data behind a valid header.
    throw new MediaFileError("UNSUPPORTED_MEDIA_TYPE");
  }
}

// ───────────────────────────── variants ─────────────────────────────

export type VariantPlan = { variantType: MediaVariantName; width: number; height: number };

/**
 * The size of each variant of a width × height image: the variant's width, never more than the
 * original's (no upscaling: a 200 px original gives THUMBNAIL 150 and SMALL, MEDIUM, LARGE at 200),
 * height by the aspect ratio (at least 1 px).
 */
export function planVariants(width: number, height: number): VariantPlan[] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`planVariants: bad size ${width}×${height}`);
  }
  return MEDIA_VARIANT_TYPES.map((variantType) => {
    const w = Math.min(MEDIA_VARIANT_WIDTHS[variantType], width);
    return { variantType, width: w, height: Math.max(1, Math.round((height * w) / width)) };
  });
}

export type RenderedVariant = { variantType: MediaVariantName; width: number; height: number; bytes: Buffer };

/** One WebP variant of a normalized original (animations stay animated). */
export async function renderVariant(original: Buffer, plan: VariantPlan, options: { animated?: boolean } = {}): Promise<RenderedVariant> {
  const { data, info } = await sharp(original, { limitInputPixels: MAX_INPUT_PIXELS, animated: options.animated ?? false })
    .resize({ width: plan.width, withoutEnlargement: true })
    .webp({ quality: 80, effort: 4 })
    .toBuffer({ resolveWithObject: true });
  return { variantType: plan.variantType, width: info.width, height: options.animated ? (info.pageHeight ?? info.height) : info.height, bytes: data };
}

/** Size (one frame's, for animations) and animation of a stored, normalized original. */
export async function probeStored(original: Buffer): Promise<{ width: number; height: number; animated: boolean }> {
  const meta = await sharp(original, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const animated = (meta.format === "gif" || meta.format === "webp") && (meta.pages ?? 1) > 1;
  return { width: meta.width ?? 1, height: (animated ? meta.pageHeight : undefined) ?? meta.height ?? 1, animated };
}
