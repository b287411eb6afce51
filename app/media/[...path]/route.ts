// GET /media/<mediaId>/<name> — uploaded images on local disk (MEDIA_DIR; see lib/media/storage.ts).
// Keys begin with the media id and are never reused, so answers are cached for a year as immutable.
// Only image extensions, only keys of the safe pattern, only files inside MEDIA_DIR: anything else
// (including "..", encoded or not) is a 404.
import fs from "node:fs";
import { Readable } from "node:stream";
import { contentTypeOfKey, localMediaStorage, resolveLocalPath } from "@/lib/media/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

async function serve(params: Promise<{ path: string[] }>, withBody: boolean): Promise<Response> {
  const { path: segments } = await params;
  const key = (segments ?? []).join("/");
  const contentType = contentTypeOfKey(key);
  if (!contentType) return notFound();
  const file = resolveLocalPath(localMediaStorage().root, key);
  if (!file) return notFound();
  let size: number;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return notFound();
    size = stat.size;
  } catch {
    return notFound();
  }
  const headers = {
    "content-type": contentType,
    "content-length": String(size),
    "cache-control": "public, max-age=31536000, immutable",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  };
  if (!withBody) return new Response(null, { status: 200, headers });
  const stream = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(stream, { status: 200, headers });
}

export function GET(_request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  return serve(params, true);
}

export function HEAD(_request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  return serve(params, false);
}
