// POST /api/media — upload an image (multipart/form-data: file, purpose, organizationSlug?).
// → 201 { ok: true, media: { id, status, width, height, urls } }
// → { ok: false, code, message, messageKey, fieldErrors }: 401, 403/404 (permissions), 413 TOO_LARGE,
//   415 UNSUPPORTED_MEDIA_TYPE (not a JPEG/PNG/WebP/GIF, whatever it claims), 422 TOO_MANY_PIXELS, 429.
// Same-origin only; the session and the `media-upload` limit per user in one statement (the route
// edge, lib/http/route.ts). The body is refused before it is read when Content-Length is over the
// limit, and reading stops as soon as more bytes arrive than allowed. The work is in lib/media/upload.ts.
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http/route";
import { MAX_UPLOAD_BYTES } from "@/lib/media/constants";
import { readBodyWithLimit } from "@/lib/media/http";
import { MediaFileError } from "@/lib/media/image";
import { uploadImage } from "@/lib/media/upload";
import { mediaDto } from "@/lib/media/urls";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The file plus room for the multipart framing and the small text fields. */
const BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024;

const uploadFailed = (httpStatus = 400, apiCode = "VALIDATION") => new AppError("VALIDATION", "media.errors.uploadFailed", undefined, { httpStatus, apiCode });

export const POST = route({ session: "required", limit: "media-upload", sameOrigin: true }, async ({ request, user }) => {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > BODY_LIMIT) throw new MediaFileError("TOO_LARGE");
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) throw uploadFailed(415, "UNSUPPORTED_MEDIA_TYPE");
  const body = await readBodyWithLimit(request.body, BODY_LIMIT);
  if (!body) throw new MediaFileError("TOO_LARGE");

  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw uploadFailed();
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) throw new MediaFileError("EMPTY_FILE");
  if (file.size > MAX_UPLOAD_BYTES) throw new MediaFileError("TOO_LARGE");
  const organizationSlug = form.get("organizationSlug");

  const media = await uploadImage({
    actor: actorOf(user),
    purpose: String(form.get("purpose") ?? ""),
    organizationSlug: typeof organizationSlug === "string" && organizationSlug ? organizationSlug : undefined,
    file: { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name, declaredType: file.type },
  });
  return json({ ok: true, media: mediaDto(media) }, 201);
});
