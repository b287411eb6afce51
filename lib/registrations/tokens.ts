// Capability tokens of the registration area, derived (HMAC-SHA256) from the installation secret, so
// nothing secret is stored and a token can be re-derived for an idempotent replay:
//   - guest ticket link: `guestTokenFor(registrationId)`; only its SHA-256 is stored
//     (registrations.guest_token_hash, unique) and a lookup hashes what the link carries;
//   - waitlist claim link: `waitlistClaimToken(entryId)`, checked in constant time.
// Keys come from HKDF(AUTH_SECRET) with a purpose label each, so one token never works as the other.
import "server-only";
import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/env";

type Purpose = "guest-ticket/v1" | "waitlist-claim/v1";

const keys = new Map<string, Buffer>();

function keyFor(purpose: Purpose): Buffer {
  const secret = authSecret();
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "aqstream", `registrations/${purpose}`, 32));
    keys.clear();
    keys.set(cacheKey, key);
  }
  return key;
}

function derive(purpose: Purpose, subject: string): string {
  return createHmac("sha256", keyFor(purpose)).update(subject).digest("base64url");
}

function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== "string" || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/** The private ticket-link token of a guest registration (43 characters, URL-safe). */
export function guestTokenFor(registrationId: string): string {
  return derive("guest-ticket/v1", registrationId);
}

/** What registrations.guest_token_hash stores: hex SHA-256 of the token. */
export function hashGuestToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The one-tap claim token of a waitlist offer (43 characters, URL-safe). */
export function waitlistClaimToken(entryId: string): string {
  return derive("waitlist-claim/v1", entryId);
}

export function verifyWaitlistClaimToken(entryId: string, token: unknown): boolean {
  return sameToken(waitlistClaimToken(entryId), token);
}

/** Well-formed token (what a link may carry) — cheap rejection before any database work. */
export function isTokenShaped(token: unknown): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}
