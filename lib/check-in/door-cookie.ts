// The door-staff cookie: set when a staff link is redeemed, scoped to one event by its name
// (`aq_door_<eventId>`), httpOnly + sameSite=lax. Its value is `<accessId>.<expiresAt epoch s>.<mac>`,
// mac = HMAC-SHA256 over "door:v1:<eventId>:<accessId>:<exp>" with a key derived from AUTH_SECRET
// (HKDF), so it cannot be forged or moved to another event. The MAC only proves that we issued it:
// every request still reads the EventStaffAccess row (revocation and expiry are decided there).
import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { readCookie } from "@/lib/http/cookies";
import { authSecret } from "@/lib/env";
import { isUuid } from "@/lib/permissions";
import type { DoorAccess } from "./access";

export const DOOR_COOKIE_PREFIX = "aq_door_";

export function doorCookieName(eventId: string): string {
  return `${DOOR_COOKIE_PREFIX}${eventId.toLowerCase()}`;
}

let cachedKey: { secret: string; key: Buffer } | undefined;

function macKey(): Buffer {
  const secret = authSecret();
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "aqstream", "check-in/door-cookie/v1", 32)) };
  }
  return cachedKey.key;
}

function mac(eventId: string, accessId: string, exp: number): string {
  return createHmac("sha256", macKey()).update(`door:v1:${eventId.toLowerCase()}:${accessId.toLowerCase()}:${exp}`).digest("base64url");
}

/** The cookie value for a redeemed access (valid until `expiresAt`). */
export function signDoorCookie(access: { id: string; eventId: string; expiresAt: Date }): string {
  const exp = Math.floor(access.expiresAt.getTime() / 1000);
  return `${access.id.toLowerCase()}.${exp}.${mac(access.eventId, access.id, exp)}`;
}

/** The door access a cookie value carries for this event, or null (forged, other event, past its time). */
export function verifyDoorCookie(value: string | null | undefined, eventId: string, now: Date = new Date()): DoorAccess | null {
  if (!value || value.length > 200) return null;
  const parts = value.split(".");
  if (parts.length !== 3) return null;
  const [accessId, expText, given] = parts;
  if (!isUuid(accessId) || !/^\d{1,12}$/.test(expText)) return null;
  const exp = Number(expText);
  if (exp * 1000 <= now.getTime()) return null;
  const expected = Buffer.from(mac(eventId, accessId, exp));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { accessId: accessId.toLowerCase() };
}

/** The door access of a request for this event (cookie `aq_door_<eventId>`), or null. */
export function doorAccessFromCookieHeader(header: string | null | undefined, eventId: string, now?: Date): DoorAccess | null {
  if (!isUuid(eventId)) return null;
  return verifyDoorCookie(readCookie(header, doorCookieName(eventId)), eventId, now);
}
