// Reading an upload's body with a byte limit (POST /api/media). Errors, the same-origin check, the
// session and the `media-upload` limit are the route edge's (lib/http/route.ts).
import "server-only";

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
