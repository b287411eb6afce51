// POST /api/media — upload an image (multipart/form-data: file, purpose, organizationSlug?).
// → 201 { ok: true, media: { id, status, width, height, urls } }
// → { ok: false, code, message, fieldErrors? }: 401, 403/404 (permissions), 413 TOO_LARGE, 415
//   UNSUPPORTED_MEDIA_TYPE (not a JPEG/PNG/WebP/GIF, whatever it claims), 422 TOO_MANY_PIXELS, 429.
// The body is refused before it is read when Content-Length is over the limit, and reading stops
// as soon as more bytes arrive than allowed. The work is in lib/media/upload.ts.
import { requireUser } from "@/lib/identity/session";
import { MAX_UPLOAD_BYTES } from "@/lib/media/constants";
import { errorResponse, isSameOrigin, jsonError, MEDIA_UPLOAD_LIMIT, NO_STORE, readBodyWithLimit } from "@/lib/media/http";
import { uploadImage } from "@/lib/media/upload";
import { mediaDto } from "@/lib/media/urls";
import { actorOf } from "@/lib/permissions";
import { consume } from "@/lib/rate-limit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The file plus room for the multipart framing and the small text fields. */
const BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024;

const tooLarge = () => jsonError(413, "TOO_LARGE", "media.errors.tooLarge", { fieldErrors: { file: "media.errors.tooLarge" } });

export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return jsonError(403, "FORBIDDEN", "errors.forbidden");
  try {
    const user = await requireUser();
    const limited = await consume(`media-upload:user:${user.id}`, MEDIA_UPLOAD_LIMIT.limit, MEDIA_UPLOAD_LIMIT.windowSeconds);
    if (!limited.allowed) return jsonError(429, "RATE_LIMITED", "errors.rateLimited", {}, { "retry-after": String(limited.retryAfterSeconds) });

    const declared = Number(request.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > BODY_LIMIT) return tooLarge();
    const contentType = request.headers.get("content-type") ?? "";
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      return jsonError(415, "UNSUPPORTED_MEDIA_TYPE", "media.errors.uploadFailed");
    }
    const body = await readBodyWithLimit(request.body, BODY_LIMIT);
    if (!body) return tooLarge();

    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    } catch {
      return jsonError(400, "VALIDATION", "media.errors.uploadFailed");
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      return jsonError(400, "VALIDATION", "media.errors.emptyFile", { fieldErrors: { file: "media.errors.emptyFile" } });
    }
    if (file.size > MAX_UPLOAD_BYTES) return tooLarge();
    const organizationSlug = form.get("organizationSlug");

    const media = await uploadImage({
      actor: actorOf(user),
      purpose: String(form.get("purpose") ?? ""),
      organizationSlug: typeof organizationSlug === "string" && organizationSlug ? organizationSlug : undefined,
      file: { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name, declaredType: file.type },
    });
    return Response.json({ ok: true, media: mediaDto(media) }, { status: 201, headers: NO_STORE });
  } catch (error) {
    return errorResponse(error);
  }
}
