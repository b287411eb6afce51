// The Auth.js session cookie, read outside Auth.js's request scope (route handlers on hot paths, a
// plain Request in tests). The cookie is a JWE (`alg: "dir"`) that Auth.js encrypts with a key derived
// from AUTH_SECRET; decryption is jose's (the library Auth.js itself uses), with the derived key kept
// per (secret, cookie name, algorithm) instead of being derived again on every request:
//   key = HKDF-SHA256(ikm = secret, salt = cookie name, info = "Auth.js Generated Encryption Key (<name>)",
//         64 bytes for A256CBC-HS512 / 32 bytes for A256GCM), as @auth/core/jwt getDerivedEncryptionKey();
//   claims: exp / nbf with 15 s of tolerance, as Auth.js's decode().
// Anything else (another secret, a tampered or expired token, other algorithms) → null: signed out.
import "server-only";
import { hkdfSync } from "node:crypto";
import { calculateJwkThumbprint, jwtDecrypt, type JWTPayload } from "jose";
import { SESSION_COOKIE_NAMES } from "./constants";
import { parseCookies } from "@/lib/http/cookies";

const CLOCK_TOLERANCE_SECONDS = 15;
type Enc = "A256CBC-HS512" | "A256GCM";
type DerivedKey = { key: Uint8Array; kid: Promise<string> };

const keys = new Map<string, DerivedKey>();

function derivedKey(secret: string, salt: string, enc: Enc): DerivedKey {
  const cacheKey = `${enc}\u0000${salt}\u0000${secret}`;
  let found = keys.get(cacheKey);
  if (!found) {
    const length = enc === "A256CBC-HS512" ? 64 : 32;
    const key = new Uint8Array(hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, length));
    const kid = calculateJwkThumbprint({ kty: "oct", k: Buffer.from(key).toString("base64url") }, length === 64 ? "sha512" : "sha256");
    found = { key, kid };
    if (keys.size > 16) keys.clear(); // a few cookie names × a secret; never grows with traffic
    keys.set(cacheKey, found);
  }
  return found;
}

/** The claims of a session cookie made by Auth.js with this secret and cookie name, or null. */
export async function decodeSessionToken(token: string, secret: string, salt: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtDecrypt(
      token,
      async ({ enc, kid }) => {
        if (enc !== "A256CBC-HS512" && enc !== "A256GCM") throw new Error("unsupported enc");
        const derived = derivedKey(secret, salt, enc as Enc);
        if (kid !== undefined && kid !== (await derived.kid)) throw new Error("unknown kid");
        return derived.key;
      },
      { clockTolerance: CLOCK_TOLERANCE_SECONDS, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256CBC-HS512", "A256GCM"] },
    );
    return payload;
  } catch {
    return null;
  }
}

/** The session cookie of a request's Cookie header (joined from `<name>.0`, `<name>.1`, … when Auth.js chunked it) and its name. */
export function sessionCookieOf(cookieHeader: string | null | undefined): { name: string; value: string } | null {
  const cookies = parseCookies(cookieHeader);
  for (const name of SESSION_COOKIE_NAMES) {
    const whole = cookies.get(name);
    if (whole) return { name, value: whole };
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return { name, value: chunks.join("") };
  }
  return null;
}

/** Whether a Cookie header carries a session cookie at all (no decryption): the cheap "may be signed in" test. */
export function hasSessionCookie(cookieHeader: string | null | undefined): boolean {
  return sessionCookieOf(cookieHeader) !== null;
}
