// Helpers of the media route handlers (app/api/media/**): the JSON error shape, same-origin check and
// reading a request body with a byte limit.
import "server-only";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { isMediaFileError } from "./image";

/** Uploads per user: 30 per 10 minutes (POST /api/media). */
export const MEDIA_UPLOAD_LIMIT = { limit: 30, windowSeconds: 600 } as const;

export const NO_STORE = { "cache-control": "no-store" } as const;

export type MediaApiError = { ok: false; code: string; message: string; fieldErrors?: Record<string, string> };

export function jsonError(status: number, code: string, message: string, extra: Partial<MediaApiError> = {}, headers: Record<string, string> = {}): Response {
  return Response.json({ ok: false, code, message, ...extra } satisfies MediaApiError, { status, headers: { ...NO_STORE, ...headers } });
}

/** An error of a service → its JSON answer; anything unexpected is logged and answered 500. */
export function errorResponse(error: unknown): Response {
  if (isMediaFileError(error)) return jsonError(error.status, error.mediaCode, error.message, { fieldErrors: error.fieldErrors });
  if (isAppError(error)) return jsonError(error.httpStatus, error.code, error.message, error.fieldErrors ? { fieldErrors: error.fieldErrors } : {});
  console.error("media API:", error);
  return jsonError(500, "INTERNAL", "errors.internal");
}

/** Requests from other sites are refused (cookies would otherwise make them count as the user's). */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") !== "cross-site";
  try {
    return origin === new URL(env().APP_URL).origin || origin === new URL(request.url).origin;
  } catch {
    return false;
  }
}

/**
 * The whole body, or null as soon as more than `limit` bytes arrived (the rest is not read: the
 * stream is cancelled). Bytes are counted as they come, whatever Content-Length said.
 */
export async function readBodyWithLimit(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
