// The scanner's offline verification (lib/check-in/offline-verify.ts, Web Crypto) against tokens made
// by the server's signer (lib/tickets/ticket-token.ts, node:crypto): the same bytes, the same verdicts.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import {
  base64Decode,
  base64UrlDecode,
  base64UrlEncode,
  decideForAttendee,
  decideQrLocally,
  importTicketPublicKey,
  parseTicketPayload,
  verifyTicketOffline,
} from "@/lib/check-in/offline-verify";
import { signTicket, ticketKeyPairFromSeed } from "@/lib/tickets/ticket-token";
import type { AttendeeRow } from "@/lib/validation/check-in";

const keys = ticketKeyPairFromSeed(Buffer.alloc(32, 11));
const otherKeys = ticketKeyPairFromSeed(Buffer.alloc(32, 12));
const spki = (k: typeof keys) => k.publicKey.export({ format: "der", type: "spki" }).toString("base64");
const claims = { eventId: randomUUID(), registrationId: randomUUID(), code: "ABCD2345" };

let key: CryptoKey;

beforeAll(async () => {
  process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/unused";
  key = await importTicketPublicKey(spki(keys));
});

function row(overrides: Partial<AttendeeRow> = {}): AttendeeRow {
  return {
    registrationId: claims.registrationId,
    code: claims.code,
    firstName: "Анна",
    lastName: "Петрова",
    ticketTypeId: randomUUID(),
    ticketTypeName: "Стандарт",
    status: "CONFIRMED",
    checkedInAt: null,
    checkedInByName: null,
    ...overrides,
  };
}

describe("base64url", () => {
  test("round-trips every length and agrees with Buffer", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      const text = base64UrlEncode(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64url"));
      expect(Array.from(base64UrlDecode(text)!)).toEqual(Array.from(bytes));
    }
  });

  test("non-canonical text (stray low bits, impossible length, padding, other alphabet) is refused", () => {
    expect(base64UrlDecode("QQ")).not.toBeNull(); // "A"
    expect(base64UrlDecode("QR")).toBeNull(); // the same byte with non-zero spare bits
    expect(base64UrlDecode("QUJDR")).toBeNull(); // length % 4 === 1
    expect(base64UrlDecode("QQ==")).toBeNull();
    expect(base64UrlDecode("a+b/")).toBeNull();
  });

  test("standard base64 with padding (the manifest's SPKI key) decodes", () => {
    const der = keys.publicKey.export({ format: "der", type: "spki" });
    expect(Array.from(base64Decode(der.toString("base64"))!)).toEqual(Array.from(der));
  });
});

describe("offline verification of server-signed tickets", () => {
  test("a ticket signed by the server verifies with its SPKI key, claims intact", async () => {
    const payload = signTicket(claims, keys);
    expect(await verifyTicketOffline(payload, key)).toEqual({ ok: true, ...claims });
    expect(parseTicketPayload(payload)).toMatchObject(claims);
  });

  test("surrounding whitespace from the scanner is tolerated", async () => {
    expect(await verifyTicketOffline(`  ${signTicket(claims, keys)}\n`, key)).toMatchObject({ ok: true });
  });

  test("a ticket signed with another key is a forgery", async () => {
    expect(await verifyTicketOffline(signTicket(claims, otherKeys), key)).toEqual({ ok: false, reason: "bad_signature" });
  });

  test("every tampered body character is refused (bad signature or malformed)", async () => {
    const payload = signTicket(claims, keys);
    const [prefix, body, sig] = payload.split(".");
    for (let i = 0; i < body.length; i += 5) {
      const c = body[i] === "A" ? "B" : "A";
      const tampered = `${prefix}.${body.slice(0, i)}${c}${body.slice(i + 1)}.${sig}`;
      const result = await verifyTicketOffline(tampered, key);
      expect(result.ok, `position ${i}`).toBe(false);
    }
  });

  test("a swapped registration id keeps a valid look but fails the signature", async () => {
    const payload = signTicket(claims, keys);
    const other = signTicket({ ...claims, registrationId: randomUUID() }, keys);
    const mixed = `${other.split(".").slice(0, 2).join(".")}.${payload.split(".")[2]}`;
    expect(await verifyTicketOffline(mixed, key)).toEqual({ ok: false, reason: "bad_signature" });
  });

  test.each([
    ["empty", ""],
    ["a URL", "https://example.com/t/ABCD2345"],
    ["a code alone", "ABCD2345"],
    ["another version", "AQ2.AAAA.BBBB"],
    ["two parts", "AQ1.AAAA"],
    ["four parts", "AQ1.AAAA.BBBB.CCCC"],
    ["not base64url", "AQ1.@@@@.####"],
    ["too long", `AQ1.${"A".repeat(600)}.AAAA`],
  ])("garbage (%s) is malformed", async (_, payload) => {
    expect(await verifyTicketOffline(payload, key)).toEqual({ ok: false, reason: "malformed" });
  });

  test("a non-string is malformed", async () => {
    expect(await verifyTicketOffline(42, key)).toEqual({ ok: false, reason: "malformed" });
  });

  test("a short signature or a code outside the alphabet is malformed", async () => {
    const [prefix, body, sig] = signTicket(claims, keys).split(".");
    expect(await verifyTicketOffline(`${prefix}.${body}.${sig.slice(0, 40)}`, key)).toEqual({ ok: false, reason: "malformed" });
    const bytes = Buffer.from(body, "base64url");
    bytes[bytes.length - 1] = "O".charCodeAt(0); // O is not in the code alphabet
    expect(await verifyTicketOffline(`${prefix}.${bytes.toString("base64url")}.${sig}`, key)).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("the local decision", () => {
  const manifest = { event: { id: claims.eventId, title: "E", startsAt: "", timezone: "UTC", status: "PUBLISHED", organizationSlug: "o" } };

  test("a CONFIRMED ticket of this event is valid", async () => {
    const v = await verifyTicketOffline(signTicket(claims, keys), key);
    const a = row();
    expect(decideQrLocally(v, manifest, (id) => (id === a.registrationId ? a : undefined))).toEqual({ result: "valid", attendee: a });
  });

  test("another event's valid ticket is refused as other_event", async () => {
    const v = await verifyTicketOffline(signTicket({ ...claims, eventId: randomUUID() }, keys), key);
    expect(decideQrLocally(v, manifest, () => row())).toEqual({ result: "refused", reason: "other_event" });
  });

  test("a ticket the downloaded list does not know, or whose code differs, is not_found", async () => {
    const v = await verifyTicketOffline(signTicket(claims, keys), key);
    expect(decideQrLocally(v, manifest, () => undefined)).toEqual({ result: "refused", reason: "not_found" });
    expect(decideQrLocally(v, manifest, () => row({ code: "ZZZZ9999" }))).toEqual({ result: "refused", reason: "not_found" });
  });

  test("forged and malformed payloads keep their reason", () => {
    expect(decideQrLocally({ ok: false, reason: "bad_signature" }, manifest, () => row())).toEqual({ result: "refused", reason: "bad_signature" });
    expect(decideQrLocally({ ok: false, reason: "malformed" }, manifest, () => row())).toEqual({ result: "refused", reason: "malformed" });
  });

  test("statuses map to the screens", () => {
    const at = "2026-11-26T10:00:00.000Z";
    expect(decideForAttendee(row({ status: "CHECKED_IN", checkedInAt: at, checkedInByName: "Ольга" }))).toMatchObject({
      result: "already_checked_in",
      checkedInAt: at,
      checkedInByName: "Ольга",
    });
    expect(decideForAttendee(row({ status: "CANCELLED" }))).toMatchObject({ result: "refused", reason: "cancelled" });
    expect(decideForAttendee(row({ status: "EXPIRED" }))).toMatchObject({ result: "refused", reason: "expired" });
    expect(decideForAttendee(row({ status: "RESERVED" }))).toMatchObject({ result: "refused", reason: "unpaid" });
    expect(decideForAttendee(row({ status: "PENDING" }))).toMatchObject({ result: "refused", reason: "unpaid" });
    expect(decideForAttendee(undefined)).toEqual({ result: "refused", reason: "not_found" });
  });

  test("nothing is valid at a cancelled or draft event", () => {
    expect(decideForAttendee(row(), "CANCELLED")).toMatchObject({ result: "refused", reason: "event_not_open" });
    expect(decideForAttendee(row(), "DRAFT")).toMatchObject({ result: "refused", reason: "event_not_open" });
    expect(decideForAttendee(row(), "COMPLETED")).toMatchObject({ result: "valid" });
  });
});
