// The return link's key: our return URL (/pay/return/<paymentId>?k=…) carries an HMAC of the payment id,
// so the buyer the provider sends back — a guest has no session — may see that payment's state and
// nothing else. Derived from AUTH_SECRET (HKDF, own label); nothing is stored.
import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/env";

let cachedKey: { secret: string; key: Buffer } | null = null;

function returnKey(): Buffer {
  const secret = authSecret();
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "aqstream", "payments/return-link/v1", 32)) };
  return cachedKey.key;
}

/** The return link's key for a payment (43 URL-safe characters). */
export function returnLinkKey(paymentId: string): string {
  return createHmac("sha256", returnKey()).update(paymentId).digest("base64url");
}

export function verifyReturnLinkKey(paymentId: string, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const expected = returnLinkKey(paymentId);
  return given.length === expected.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}
