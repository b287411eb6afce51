// GET /api/v1/openapi.json — the OpenAPI 3.1 document of REST API v1 (lib/api/openapi.ts), public:
// no token, cacheable, readable from any origin (code generators, Scalar, Postman).
import { createHash } from "node:crypto";
import { openApiDocument } from "@/lib/api/openapi";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, OPTIONS",
  "access-control-allow-headers": "content-type, if-none-match",
  "access-control-max-age": "86400",
} as const;

let body: { text: string; etag: string } | null = null;

/** The document's text and its ETag, made once per process (like the document). */
function document(): { text: string; etag: string } {
  if (!body) {
    const text = JSON.stringify(openApiDocument());
    body = { text, etag: `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"` };
  }
  return body;
}

export async function GET(request: Request): Promise<Response> {
  const { text, etag } = document();
  const headers = {
    ...CORS,
    "cache-control": "public, max-age=300, stale-while-revalidate=3600",
    etag,
    "x-content-type-options": "nosniff",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(text, { status: 200, headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}

export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: CORS });
}
