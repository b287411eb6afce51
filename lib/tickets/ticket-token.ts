// Signed ticket payload carried by the QR code. A door scanner verifies it offline with the public
// key only (Ed25519), so a forged or edited QR is refused without a network round trip.
//
// Format (≈145 ASCII characters, fits a version-8 QR at error correction M): ./ticket-format.ts, the one
// parser shared with the offline scanner.
//
// Key: TICKET_SIGNING_KEY (base64 of a 32-byte seed) or, when unset, HKDF-SHA256 of AUTH_SECRET, so
// every server of one installation derives the same key pair without extra configuration.
import "server-only";
import { createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from "node:crypto";
import { authSecret, env } from "@/lib/env";
import { TICKET_PREFIX, parseTicketPayload, ticketPayload, ticketSignedPart, type TicketClaims, type TicketVerification } from "./ticket-format";

export { TICKET_PREFIX as TICKET_TOKEN_PREFIX, type TicketClaims, type TicketVerification } from "./ticket-format";

export type TicketKeyPair = { privateKey: KeyObject; publicKey: KeyObject };

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

/** The QR payload of one ticket. */
export function signTicket(claims: TicketClaims, keys: TicketKeyPair = installationKeys()): string {
  const signed = ticketSignedPart(claims);
  return ticketPayload(signed.text, sign(null, signed.bytes, keys.privateKey));
}

/** Checks a scanned payload: its claims, or why it is refused. Never throws. */
export function verifyTicket(payload: string, publicKey: KeyObject = installationKeys().publicKey): TicketVerification {
  const parsed = parseTicketPayload(payload);
  if (!parsed) return { ok: false, reason: "malformed" };
  let valid = false;
  try {
    valid = verify(null, parsed.signed, publicKey, parsed.signature);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: "bad_signature" };
  return { ok: true, eventId: parsed.eventId, registrationId: parsed.registrationId, code: parsed.code };
}

export type TicketPublicKey = {
  /** Raw 32-byte public key, base64. */
  raw: string;
  /** For WebCrypto: crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, false, ["verify"]). */
  jwk: { kty: "OKP"; crv: "Ed25519"; x: string };
  algorithm: "Ed25519";
  prefix: typeof TICKET_PREFIX;
};

/** The public half, safe to ship to the offline scanner. */
export function ticketPublicKey(publicKey: KeyObject = installationKeys().publicKey): TicketPublicKey {
  const jwk = publicKey.export({ format: "jwk" }) as { x: string };
  return {
    raw: Buffer.from(jwk.x, "base64url").toString("base64"),
    jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x },
    algorithm: "Ed25519",
    prefix: TICKET_PREFIX,
  };
}
