import { createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import {
  signTicket,
  ticketKeyPairFromSeed,
  ticketPublicKey,
  ticketSigningSeed,
  verifyTicket,
} from "@/lib/tickets/ticket-token";

const keys = ticketKeyPairFromSeed(Buffer.alloc(32, 7));
const claims = { eventId: randomUUID(), registrationId: randomUUID(), code: "ABCD2345" };

beforeAll(() => {
  // env() needs a database URL to parse; no connection is made.
  process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/unused";
});

describe("ticket token", () => {
  test("round trip: the payload carries event, registration and code", () => {
    const payload = signTicket(claims, keys);
    expect(payload).toMatch(/^AQ1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyTicket(payload, keys.publicKey)).toEqual({ ok: true, ...claims });
  });

  test("is compact enough for a small QR code", () => {
    expect(signTicket(claims, keys).length).toBeLessThanOrEqual(150);
  });

  test("is deterministic (Ed25519) for the same claims and key", () => {
    expect(signTicket(claims, keys)).toBe(signTicket(claims, keys));
  });

  test("a lower-case code is normalised", () => {
    const result = verifyTicket(signTicket({ ...claims, code: "abcd2345" }, keys), keys.publicKey);
    expect(result).toMatchObject({ ok: true, code: "ABCD2345" });
  });

  test("any tampered byte of the body is refused", () => {
    const payload = signTicket(claims, keys);
    const [prefix, body, sig] = payload.split(".");
    const bytes = Buffer.from(body, "base64url");
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] ^= 0x01;
      const tampered = `${prefix}.${copy.toString("base64url")}.${sig}`;
      const result = verifyTicket(tampered, keys.publicKey);
      expect(result.ok).toBe(false);
      // Flipping a bit of the code may leave the alphabet (malformed); otherwise the signature fails.
      if (!result.ok) expect(["bad_signature", "malformed"]).toContain(result.reason);
    }
    // The uuid bytes always stay well-formed: the signature is what refuses them.
    const copy = Buffer.from(bytes);
    copy[0] ^= 0x01;
    expect(verifyTicket(`${prefix}.${copy.toString("base64url")}.${sig}`, keys.publicKey)).toEqual({ ok: false, reason: "bad_signature" });
  });

  test("a tampered signature is refused", () => {
    const [prefix, body, sig] = signTicket(claims, keys).split(".");
    const s = Buffer.from(sig, "base64url");
    s[10] ^= 0x80;
    expect(verifyTicket(`${prefix}.${body}.${s.toString("base64url")}`, keys.publicKey)).toEqual({ ok: false, reason: "bad_signature" });
  });

  test("a payload signed with another key is refused", () => {
    const other = ticketKeyPairFromSeed(randomBytes(32));
    expect(verifyTicket(signTicket(claims, other), keys.publicKey)).toEqual({ ok: false, reason: "bad_signature" });
  });

  test("another prefix (version) is refused", () => {
    const payload = signTicket(claims, keys).replace(/^AQ1\./, "AQ2.");
    expect(verifyTicket(payload, keys.publicKey)).toEqual({ ok: false, reason: "malformed" });
  });

  test.each([
    "",
    "garbage",
    "AQ1",
    "AQ1..",
    "AQ1.abc.def",
    "AQ1.!!!.???",
    "https://example.com/check-in/ABCD2345",
    "AQ1." + "A".repeat(600),
    "ABCD2345",
  ])("garbage %j is malformed", (input) => {
    expect(verifyTicket(input, keys.publicKey)).toEqual({ ok: false, reason: "malformed" });
  });

  test("non-canonical base64url of the same bytes is refused", () => {
    const [prefix, body, sig] = signTicket(claims, keys).split(".");
    expect(verifyTicket(`${prefix}.${body}=.${sig}`, keys.publicKey).ok).toBe(false);
  });

  test("the public key verifies the payload as a browser would (raw key and JWK)", () => {
    const payload = signTicket(claims, keys);
    const pub = ticketPublicKey(keys.publicKey);
    expect(Buffer.from(pub.raw, "base64")).toHaveLength(32);
    const imported = createPublicKey({ key: pub.jwk, format: "jwk" });
    const [prefix, body, sig] = payload.split(".");
    expect(verify(null, Buffer.from(`${prefix}.${body}`), imported, Buffer.from(sig, "base64url"))).toBe(true);
  });

  test("refuses to sign what it could not verify", () => {
    expect(() => signTicket({ ...claims, eventId: "nope" }, keys)).toThrow();
    expect(() => signTicket({ ...claims, code: "O0I1" }, keys)).toThrow();
  });

  test("the installation key is derived from AUTH_SECRET when TICKET_SIGNING_KEY is unset", () => {
    if (process.env.TICKET_SIGNING_KEY) return; // configured on this machine: nothing to derive
    const expected = Buffer.from(
      hkdfSync("sha256", process.env.AUTH_SECRET || "aqstream-development-secret-not-for-production-use", "aqstream", "ticket-signing-key/ed25519/v1", 32),
    );
    expect(ticketSigningSeed().equals(expected)).toBe(true);
    const payload = signTicket(claims);
    expect(verifyTicket(payload)).toEqual({ ok: true, ...claims });
    expect(verifyTicket(payload, ticketKeyPairFromSeed(expected).publicKey).ok).toBe(true);
  });
});
