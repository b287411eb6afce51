// Offline verification of a scanned ticket QR, and the scanner's local decision when it has no
// network. Isomorphic (browser and Node ≥ 20): plain Web Crypto (Ed25519), no Buffer, no server-only
// imports, so the scanner runs exactly the code the unit tests check against lib/tickets/ticket-token.ts.
//
// Payload (lib/tickets/ticket-token.ts):
//   AQ1.<base64url(event uuid 16 B ‖ registration uuid 16 B ‖ code ASCII)>.<base64url(Ed25519 sig 64 B)>
// The signature covers the ASCII bytes of "AQ1.<body>".
import type { AttendeeRow, CheckInManifest, ScanRefusal } from "@/lib/validation/check-in";

export const TICKET_PREFIX = "AQ1";

export type TicketClaims = { eventId: string; registrationId: string; code: string };

export type ParsedTicket = TicketClaims & {
  /** The signed bytes: ASCII of "AQ1.<body>". */
  signed: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
};

export type OfflineVerification = ({ ok: true } & TicketClaims) | { ok: false; reason: "malformed" | "bad_signature" };

const CODE_RE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4,32}$/;
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_INDEX = new Map([...B64URL].map((c, i) => [c, i]));
const MAX_PAYLOAD = 512;

/** base64url (no padding) → bytes; null when it is not the canonical encoding of some bytes. */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (const c of text) {
    buffer = (buffer << 6) | B64URL_INDEX.get(c)!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or another string decodes to the same bytes (non-canonical).
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** bytes → base64url without padding. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63] + B64URL[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63];
  }
  return out;
}

/** Standard base64 (with padding, as the manifest ships the SPKI key) → bytes. */
export function base64Decode(text: string): Uint8Array<ArrayBuffer> | null {
  const url = text.trim().replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return base64UrlDecode(url);
}

function bytesToUuid(bytes: Uint8Array): string {
  const h = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function ascii(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

/** Splits and decodes a payload without checking the signature; null when it is not an AQ1 ticket. */
export function parseTicketPayload(payload: unknown): ParsedTicket | null {
  if (typeof payload !== "string" || payload.length > MAX_PAYLOAD) return null;
  const parts = payload.trim().split(".");
  if (parts.length !== 3 || parts[0] !== TICKET_PREFIX) return null;
  const [, bodyText, sigText] = parts;
  const body = base64UrlDecode(bodyText);
  const signature = base64UrlDecode(sigText);
  if (!body || !signature) return null;
  if (body.length < 32 + 4 || signature.length !== 64) return null;
  let code = "";
  for (const b of body.subarray(32)) code += String.fromCharCode(b);
  if (!CODE_RE.test(code)) return null;
  return {
    eventId: bytesToUuid(body.subarray(0, 16)),
    registrationId: bytesToUuid(body.subarray(16, 32)),
    code,
    signed: ascii(`${TICKET_PREFIX}.${bodyText}`),
    signature,
  };
}

function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error("Web Crypto is not available (the scanner needs a secure context: https or localhost)");
  return subtle;
}

/** The ticket key from the manifest (SPKI DER, base64) as a WebCrypto Ed25519 verify key. */
export async function importTicketPublicKey(spkiBase64: string): Promise<CryptoKey> {
  const der = base64Decode(spkiBase64);
  if (!der) throw new Error("the ticket public key is not base64");
  return subtleCrypto().importKey("spki", der, { name: "Ed25519" }, false, ["verify"]);
}

/** Checks a scanned payload offline: its claims, or why it is refused. Never throws. */
export async function verifyTicketOffline(payload: unknown, key: CryptoKey): Promise<OfflineVerification> {
  const parsed = parseTicketPayload(payload);
  if (!parsed) return { ok: false, reason: "malformed" };
  let valid = false;
  try {
    valid = await subtleCrypto().verify({ name: "Ed25519" }, key, parsed.signature, parsed.signed);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: "bad_signature" };
  return { ok: true, eventId: parsed.eventId, registrationId: parsed.registrationId, code: parsed.code };
}

/** Does Web Crypto here verify Ed25519? (Chromium ≥ 113 behind a flag, on by default since 137; Safari 17; Firefox 129.) */
export async function supportsEd25519(): Promise<boolean> {
  try {
    const key = await subtleCrypto().generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    return "publicKey" in key;
  } catch {
    return false;
  }
}

// ───────────────────────────── the local decision ─────────────────────────────

/** What the phone decides on its own (same shapes as the server's ScanResult). */
export type LocalDecision =
  | { result: "valid"; attendee: AttendeeRow }
  | { result: "already_checked_in"; attendee: AttendeeRow; checkedInAt: string; checkedInByName: string | null }
  | { result: "refused"; reason: ScanRefusal; attendee?: AttendeeRow };

const OPEN_EVENT_STATUSES = new Set(["PUBLISHED", "COMPLETED"]);

/** The decision for one attendee row of this event (shared by QR and manual check-in). */
export function decideForAttendee(attendee: AttendeeRow | undefined, eventStatus?: string): LocalDecision {
  if (eventStatus && !OPEN_EVENT_STATUSES.has(eventStatus)) return { result: "refused", reason: "event_not_open", attendee };
  if (!attendee) return { result: "refused", reason: "not_found" };
  switch (attendee.status) {
    case "CONFIRMED":
      return { result: "valid", attendee };
    case "CHECKED_IN":
      return {
        result: "already_checked_in",
        attendee,
        checkedInAt: attendee.checkedInAt ?? new Date(0).toISOString(),
        checkedInByName: attendee.checkedInByName,
      };
    case "CANCELLED":
      return { result: "refused", reason: "cancelled", attendee };
    case "EXPIRED":
      return { result: "refused", reason: "expired", attendee };
    case "RESERVED":
    case "PENDING":
      return { result: "refused", reason: "unpaid", attendee };
  }
}

/**
 * The local decision for a verified QR against the downloaded list: another event's ticket, a ticket
 * the list does not know (or whose code differs) and every non-CONFIRMED status are refused.
 */
export function decideQrLocally(
  verification: OfflineVerification,
  manifest: Pick<CheckInManifest, "event">,
  findAttendee: (registrationId: string) => AttendeeRow | undefined,
): LocalDecision {
  if (!verification.ok) return { result: "refused", reason: verification.reason };
  if (verification.eventId !== manifest.event.id) return { result: "refused", reason: "other_event" };
  const attendee = findAttendee(verification.registrationId);
  if (!attendee || attendee.code.toUpperCase() !== verification.code) return { result: "refused", reason: "not_found" };
  return decideForAttendee(attendee, manifest.event.status);
}
