// HMAC that authenticates a server's request to its own POST /api/events/revalidate (lib/public/revalidate.ts).
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

export function publicPathsSignature(body: string, secret: string): string {
  return createHmac("sha256", `aq-public-revalidate:${secret}`).update(body).digest("hex");
}

export function verifyPublicPathsSignature(body: string, signature: string | null, secret: string): boolean {
  if (!signature) return false;
  const expected = Buffer.from(publicPathsSignature(body, secret), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
