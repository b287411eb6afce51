// GET /api/docs/scalar.js — the interactive API reference of /docs/api (Scalar's standalone bundle,
// @scalar/api-reference dist/browser/standalone.js), served by the app itself: pages here load
// nothing from a CDN (docs/api.md → "The reference page"). The file is streamed from node_modules
// (next.config.ts traces it into the standalone build); the URL carries the package version
// (`?v=1.76.4`), so the answer is cached for a year and a new version is a new URL. The production
// server compresses it (≈ 4.9 MB → ≈ 1.4 MB gzip).
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { SCALAR_VERSION } from "@/lib/api/docs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const FILE = path.join(process.cwd(), "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js");
const ETAG = `"scalar-${SCALAR_VERSION}"`;

export async function GET(request: Request): Promise<Response> {
  const versioned = new URL(request.url).searchParams.get("v") === SCALAR_VERSION;
  const headers: Record<string, string> = {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300",
    etag: ETAG,
    "x-content-type-options": "nosniff",
  };
  if (request.headers.get("if-none-match") === ETAG) return new Response(null, { status: 304, headers });
  let size: number;
  try {
    size = (await fs.promises.stat(FILE)).size;
  } catch {
    return new Response("The API reference bundle is not installed.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  }
  const stream = Readable.toWeb(fs.createReadStream(FILE)) as ReadableStream<Uint8Array>;
  return new Response(stream, { status: 200, headers: { ...headers, "content-length": String(size) } });
}
