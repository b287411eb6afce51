// Capability tokens: the guest ticket link and the waitlist claim link.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { guestTokenFor, hashGuestToken, isTokenShaped, verifyWaitlistClaimToken, waitlistClaimToken } from "@/lib/registrations/tokens";

beforeAll(() => {
  // env() needs a database URL to parse; no connection is made.
  process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/unused";
});

describe("registration tokens", () => {
  test("guest token: 43 URL-safe characters, stable per registration (an idempotent replay re-derives it), different per registration", () => {
    const id = randomUUID();
    const token = guestTokenFor(id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isTokenShaped(token)).toBe(true);
    expect(guestTokenFor(id)).toBe(token);
    expect(guestTokenFor(randomUUID())).not.toBe(token);
    expect(hashGuestToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashGuestToken(token)).not.toContain(token);
  });

  test("claim token: verifies for its entry only; a guest token is not a claim token", () => {
    const entry = randomUUID();
    const token = waitlistClaimToken(entry);
    expect(verifyWaitlistClaimToken(entry, token)).toBe(true);
    expect(verifyWaitlistClaimToken(randomUUID(), token)).toBe(false);
    expect(verifyWaitlistClaimToken(entry, guestTokenFor(entry))).toBe(false);
    expect(verifyWaitlistClaimToken(entry, `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBe(false);
    expect(verifyWaitlistClaimToken(entry, undefined)).toBe(false);
    expect(verifyWaitlistClaimToken(entry, "short")).toBe(false);
  });
});
