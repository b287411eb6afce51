// Offline verification of a scanned ticket QR, and the scanner's local decision when it has no
// network. Isomorphic (browser and Node ≥ 20): plain Web Crypto (Ed25519), no Buffer, no server-only
// imports, so the scanner runs exactly the code the unit tests check against lib/tickets/ticket-token.ts.
//
// The payload's format and parser are lib/tickets/ticket-format.ts, shared with the server.
import { base64Decode, parseTicketPayload, type TicketVerification } from "@/lib/tickets/ticket-format";
import { isEventOpenForCheckIn, type AttendeeRow, type CheckInManifest, type ScanRefusal } from "@/lib/validation/check-in";

export {
  TICKET_PREFIX,
  base64Decode,
  base64UrlDecode,
  base64UrlEncode,
  parseTicketPayload,
  type ParsedTicket,
  type TicketClaims,
} from "@/lib/tickets/ticket-format";

export type OfflineVerification = TicketVerification;

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

/** The decision for one attendee row of this event (shared by QR and manual check-in). */
export function decideForAttendee(attendee: AttendeeRow | undefined, eventStatus?: string): LocalDecision {
  if (eventStatus && !isEventOpenForCheckIn(eventStatus)) return { result: "refused", reason: "event_not_open", attendee };
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
