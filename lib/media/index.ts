// Public API of the media area (see docs/media.md). Client components import lib/media/urls.ts and
// lib/media/constants.ts directly (this index is server-only).
import "server-only";

export { MAX_UPLOAD_BYTES, MAX_INPUT_PIXELS, MEDIA_PURPOSES, isMediaPurpose, type MediaPurpose } from "./constants";
export { MediaFileError, isMediaFileError, normalizeImage, planVariants, type MediaErrorCode } from "./image";
export { uploadImage, getMedia, type MediaRecord, type UploadImageOptions } from "./upload";
export { processMediaVariants, MissingOriginalError } from "./variants";
export { cleanupUnreferencedMedia, UNREFERENCED_MEDIA_TTL_MS } from "./cleanup";
export { lockAttachableMedia, setUserAvatar, getUserAvatar, setOrganizationLogo, getOrganizationLogo, type AttachedImage } from "./attach";
export { mediaStorage, type MediaStorage } from "./storage";
export { mediaSources, mediaUrl, mediaVariantUrl, mediaDto, MEDIA_WITH_VARIANTS_SELECT, type MediaDto, type MediaWithVariants } from "./urls";
