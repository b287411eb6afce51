// Signed ticket payload carried by the QR code. A door scanner verifies it offline with the public
// key only (Ed25519), so a forged or edited QR is refused without a network round trip.
//
// Format (≈145 ASCII characters, fits a version-8 QR at error correction M):
//   AQ1.<base64url(event uuid 16 B ‖ registration uuid 16 B ‖ confirmation code ASCII)>.<base64url(sig 64 B)>
// The signature covers the ASCII bytes of "AQ1.<body>", so the version prefix is signed too.
//
// Key: TICKET_SIGNING_KEY (base64 of a 32-byte seed) or, when unset, HKDF-SHA256 of AUTH_SECRET, so
// every server of one installation derives the same key pair without extra configuration.
import "server-only";
import { createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from "node:crypto";
import { authSecret, env } from "@/lib/env";

export const TICKET_TOKEN_PREFIX = "AQ1";

export type TicketClaims = { eventId: string; registrationId: string; code: string };

export type TicketVerification =
  | ({ ok: true } & TicketClaims)
  | { ok: false; reason: "malformed" | "bad_signature" };

export type TicketKeyPair = { privateKey: KeyObject; publicKey: KeyObject };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Confirmation codes: the unambiguous alphabet of registrations_confirmation_code_format_check. */
const CODE_RE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4,32}$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;
// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Key pair from a 32-byte seed (deterministic). */
export function ticketKeyPairFromSeed(seed: Uint8Array): TicketKeyPair {
  if (seed.length !== 32) throw new Error("Ed25519 seed must be 32 bytes");
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed)]), format: "der", type: "pkcs8" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** The installation's seed: TICKET_SIGNING_KEY, else derived from AUTH_SECRET (HKDF-SHA256). */
export function ticketSigningSeed(): Buffer {
  const configured = env().TICKET_SIGNING_KEY;
  if (configured) return Buffer.from(configured, "base64");
  return Buffer.from(hkdfSync("sha256", authSecret(), "aqstream", "ticket-signing-key/ed25519/v1", 32));
}

let cached: { source: string; keys: TicketKeyPair } | undefined;

function installationKeys(): TicketKeyPair {
  const seed = ticketSigningSeed();
  const source = seed.toString("base64");
  if (cached?.source !== source) cached = { source, keys: ticketKeyPairFromSeed(seed) };
  return cached.keys;
}

function uuidToBytes(uuid: string): Buffer {
  if (!UUID_RE.test(uuid)) throw new Error(`not a uuid: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

function bytesToUuid(bytes: Buffer): string {
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The QR payload of one ticket. */
export function signTicket(claims: TicketClaims, keys: TicketKeyPair = installationKeys()): string {
  const code = claims.code.toUpperCase();
  if (!CODE_RE.test(code)) throw new Error(`not a confirmation code: ${claims.code}`);
  const body = Buffer.concat([uuidToBytes(claims.eventId), uuidToBytes(claims.registrationId), Buffer.from(code, "ascii")]);
  const signed = `${TICKET_TOKEN_PREFIX}.${body.toString("base64url")}`;
  const signature = sign(null, Buffer.from(signed, "ascii"), keys.privateKey);
  return `${signed}.${signature.toString("base64url")}`;
}

/** Checks a scanned payload: its claims, or why it is refused. Never throws. */
export function verifyTicket(payload: string, publicKey: KeyObject = installationKeys().publicKey): TicketVerification {
  if (typeof payload !== "string" || payload.length > 512) return { ok: false, reason: "malformed" };
  const parts = payload.trim().split(".");
  if (parts.length !== 3 || parts[0] !== TICKET_TOKEN_PREFIX) return { ok: false, reason: "malformed" };
  const [, bodyText, sigText] = parts;
  if (!BASE64URL_RE.test(bodyText) || !BASE64URL_RE.test(sigText)) return { ok: false, reason: "malformed" };
  const body = Buffer.from(bodyText, "base64url");
  const signature = Buffer.from(sigText, "base64url");
  // Canonical encodings only: a re-encoded variant of the same bytes is not a second valid payload.
  if (body.toString("base64url") !== bodyText || signature.toString("base64url") !== sigText) {
    return { ok: false, reason: "malformed" };
  }
  if (body.length < 32 + 4 || signature.length !== 64) return { ok: false, reason: "malformed" };
  const code = body.subarray(32).toString("ascii");
  if (!CODE_RE.test(code)) return { ok: false, reason: "malformed" };

  let valid = false;
  try {
    valid = verify(null, Buffer.from(`${parts[0]}.${bodyText}`, "ascii"), publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: "bad_signature" };
  return { ok: true, eventId: bytesToUuid(body.subarray(0, 16)), registrationId: bytesToUuid(body.subarray(16, 32)), code };
}

export type TicketPublicKey = {
  /** Raw 32-byte public key, base64. */
  raw: string;
  /** For WebCrypto: crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, false, ["verify"]). */
  jwk: { kty: "OKP"; crv: "Ed25519"; x: string };
  algorithm: "Ed25519";
  prefix: typeof TICKET_TOKEN_PREFIX;
};

/** The public half, safe to ship to the offline scanner. */
export function ticketPublicKey(publicKey: KeyObject = installationKeys().publicKey): TicketPublicKey {
  const jwk = publicKey.export({ format: "jwk" }) as { x: string };
  return {
    raw: Buffer.from(jwk.x, "base64url").toString("base64"),
    jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x },
    algorithm: "Ed25519",
    prefix: TICKET_TOKEN_PREFIX,
  };
}
