// Decrypts the Auth.js session cookie (a JWE, `alg: "dir"`) exactly as `decode()` of @auth/core/jwt does,
// with two differences that matter on an API hot path (docs/registrations.md → Performance): the key
// derived from AUTH_SECRET (HKDF) and its thumbprint are computed once per cookie name instead of on
// every request, and the work is done with node:crypto synchronously instead of WebCrypto jobs.
//
//   key  = HKDF-SHA256(ikm = secret, salt = cookie name, info = "Auth.js Generated Encryption Key (<name>)",
//          64 bytes for A256CBC-HS512 / 32 bytes for A256GCM)
//   kid  = RFC 7638 thumbprint of { kty: "oct", k: base64url(key) } (SHA-512 / SHA-256), when present
//   A256CBC-HS512 (RFC 7518 §5.2): MAC key = key[0..32), AES key = key[32..64); the tag (first 32 bytes of
//          HMAC-SHA-512 over AAD ‖ IV ‖ ciphertext ‖ AAD bit length) is checked, in constant time,
//          before anything is decrypted. A256GCM: AES-256-GCM with the protected header as AAD.
//   claims: exp and nbf with 15 s of tolerance, as Auth.js (jose's jwtDecrypt) checks them.
// Anything else (other algorithms, `zip`, `crit`, a bad tag, a malformed token) → null: signed out.
// tests/integration/registrations-api.test.ts checks it against cookies made by Auth.js's own encode().
import "server-only";
import { createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

const CLOCK_TOLERANCE_SECONDS = 15;

type Key = { key: Buffer; kid: string };
const keys = new Map<string, Key>();

function keyFor(secret: string, salt: string, enc: "A256CBC-HS512" | "A256GCM"): Key {
  const cacheKey = `${enc}\u0000${salt}\u0000${secret}`;
  let found = keys.get(cacheKey);
  if (!found) {
    const length = enc === "A256CBC-HS512" ? 64 : 32;
    const key = Buffer.from(hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, length));
    const kid = createHash(length === 64 ? "sha512" : "sha256")
      .update(`{"k":"${key.toString("base64url")}","kty":"oct"}`)
      .digest("base64url");
    found = { key, kid };
    if (keys.size > 16) keys.clear(); // a few cookie names × a secret; never grows with traffic
    keys.set(cacheKey, found);
  }
  return found;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** The payload of a session cookie made by Auth.js with this secret and cookie name, or null. */
export function decryptSessionToken(token: string, secret: string, salt: string, now = Date.now()): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 5 || !parts.every((p) => B64URL.test(p))) return null;
  const [protectedB64, encryptedKey, ivB64, ciphertextB64, tagB64] = parts;
  if (encryptedKey !== "") return null; // "dir": no encrypted key
  let header: { alg?: unknown; enc?: unknown; kid?: unknown; zip?: unknown; crit?: unknown };
  try {
    header = JSON.parse(Buffer.from(protectedB64, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!header || typeof header !== "object" || header.alg !== "dir" || header.zip !== undefined || header.crit !== undefined) return null;
  if (header.enc !== "A256CBC-HS512" && header.enc !== "A256GCM") return null;
  const { key, kid } = keyFor(secret, salt, header.enc);
  if (header.kid !== undefined && header.kid !== kid) return null;

  const aad = Buffer.from(protectedB64, "ascii");
  const iv = Buffer.from(ivB64, "base64url");
  const ciphertext = Buffer.from(ciphertextB64, "base64url");
  const tag = Buffer.from(tagB64, "base64url");
  let plaintext: Buffer;
  try {
    if (header.enc === "A256CBC-HS512") {
      if (iv.length !== 16 || tag.length !== 32) return null;
      const al = Buffer.alloc(8);
      al.writeBigUInt64BE(BigInt(aad.length * 8));
      const expected = createHmac("sha512", key.subarray(0, 32)).update(aad).update(iv).update(ciphertext).update(al).digest().subarray(0, 32);
      if (!timingSafeEqual(expected, tag)) return null;
      const decipher = createDecipheriv("aes-256-cbc", key.subarray(32, 64), iv);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } else {
      if (iv.length !== 12 || tag.length !== 16) return null;
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    }
  } catch {
    return null;
  }

  let payload: unknown;
  try {
    payload = JSON.parse(plaintext.toString("utf8"));
  } catch {
    return null;
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return null;
  const claims = payload as Record<string, unknown>;
  const seconds = Math.floor(now / 1000);
  if (claims.exp !== undefined && (typeof claims.exp !== "number" || claims.exp <= seconds - CLOCK_TOLERANCE_SECONDS)) return null;
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > seconds + CLOCK_TOLERANCE_SECONDS)) return null;
  if (claims.iat !== undefined && typeof claims.iat !== "number") return null;
  return claims;
}
