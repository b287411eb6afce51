// The ticket QR payload's format, in one place for the server (lib/tickets/ticket-token.ts signs and
// verifies with node:crypto) and the offline scanner (lib/check-in/offline-verify.ts verifies with Web
// Crypto). Pure and isomorphic: no Buffer, no node imports.
//
//   AQ1.<base64url(event uuid 16 B ‖ registration uuid 16 B ‖ confirmation code ASCII)>.<base64url(Ed25519 sig 64 B)>
// The signature covers the ASCII bytes of "AQ1.<body>", so the version prefix is signed too. Only
// canonical base64url is accepted: a re-encoded variant of the same bytes is not a second valid payload.

import { isUuid } from "@/lib/validation/ids";

export const TICKET_PREFIX = "AQ1";

export type TicketClaims = { eventId: string; registrationId: string; code: string };

export type ParsedTicket = TicketClaims & {
  /** The signed bytes: ASCII of "AQ1.<body>". */
  signed: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
};

export type TicketVerification = ({ ok: true } & TicketClaims) | { ok: false; reason: "malformed" | "bad_signature" };

/** Confirmation codes: the unambiguous alphabet of registrations_confirmation_code_format_check. */
export const CODE_RE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4,32}$/;
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_INDEX = new Map([...B64URL].map((c, i) => [c, i]));
export const MAX_TICKET_PAYLOAD = 512;

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

/** Standard base64 (with padding) → bytes. */
export function base64Decode(text: string): Uint8Array<ArrayBuffer> | null {
  const url = text.trim().replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return base64UrlDecode(url);
}

function uuidToBytes(uuid: string): Uint8Array {
  if (!isUuid(uuid)) throw new Error(`not a uuid: ${uuid}`);
  const hex = uuid.replace(/-/g, "");
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
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

/** The part of a payload that is signed, "AQ1.<body>", and its bytes. */
export function ticketSignedPart(claims: TicketClaims): { text: string; bytes: Uint8Array<ArrayBuffer> } {
  const code = claims.code.toUpperCase();
  if (!CODE_RE.test(code)) throw new Error(`not a confirmation code: ${claims.code}`);
  const body = new Uint8Array(32 + code.length);
  body.set(uuidToBytes(claims.eventId), 0);
  body.set(uuidToBytes(claims.registrationId), 16);
  body.set(ascii(code), 32);
  const text = `${TICKET_PREFIX}.${base64UrlEncode(body)}`;
  return { text, bytes: ascii(text) };
}

/** A whole payload from its signed part and the signature. */
export function ticketPayload(signedText: string, signature: Uint8Array): string {
  return `${signedText}.${base64UrlEncode(signature)}`;
}

/** Splits and decodes a payload without checking the signature; null when it is not an AQ1 ticket. */
export function parseTicketPayload(payload: unknown): ParsedTicket | null {
  if (typeof payload !== "string" || payload.length > MAX_TICKET_PAYLOAD) return null;
  const parts = payload.trim().split(".");
  if (parts.length !== 3 || parts[0] !== TICKET_PREFIX) return null;
  const [, bodyText, sigText] = parts;
  if (!bodyText || !sigText) return null;
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
