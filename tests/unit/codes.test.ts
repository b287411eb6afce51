import { describe, expect, test } from "vitest";
import { CODE_ALPHABET, CODE_LENGTH, generateCode, isValidCode, normalizeCode } from "@/lib/tickets/codes";

describe("CODE_ALPHABET", () => {
  test("is the 31 unambiguous upper-case characters, without look-alikes", () => {
    expect(CODE_ALPHABET).toBe("ABCDEFGHJKMNPQRSTUVWXYZ23456789");
    expect(new Set(CODE_ALPHABET).size).toBe(31);
    for (const c of "ILO01") expect(CODE_ALPHABET).not.toContain(c);
  });
});

describe("generateCode", () => {
  test("defaults to 8 characters of the alphabet, matching the database CHECK", () => {
    const dbCheck = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/;
    for (let i = 0; i < 1000; i++) {
      const code = generateCode();
      expect(code).toHaveLength(CODE_LENGTH);
      expect(code).toMatch(dbCheck);
      expect(isValidCode(code)).toBe(true);
    }
  });

  test("honours the length argument", () => {
    expect(generateCode(1)).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]$/);
    expect(generateCode(32)).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{32}$/);
    expect(() => generateCode(0)).toThrow(RangeError);
    expect(() => generateCode(2.5)).toThrow(RangeError);
  });

  test("does not repeat (10 000 codes, no collision)", () => {
    const codes = new Set(Array.from({ length: 10_000 }, () => generateCode()));
    expect(codes.size).toBe(10_000);
  });

  test("uses every character about equally often (no modulo bias)", () => {
    const counts = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) for (const c of generateCode()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(CODE_ALPHABET.length);
    const expected = (n * CODE_LENGTH) / CODE_ALPHABET.length; // ≈ 5161
    // 5 standard deviations (≈ ±350) — a biased generator (e.g. byte % 31) is far outside.
    for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(400);
  });
});

describe("normalizeCode", () => {
  test("trims and upper-cases what a person typed", () => {
    expect(normalizeCode("abcd2345")).toBe("ABCD2345");
    expect(normalizeCode("  AbCd2345 \n")).toBe("ABCD2345");
    expect(normalizeCode("ABCD2345")).toBe("ABCD2345");
  });

  test("round-trips generated codes", () => {
    for (let i = 0; i < 100; i++) {
      const code = generateCode();
      expect(normalizeCode(code.toLowerCase())).toBe(code);
    }
  });

  test.each([
    ["", "empty"],
    ["   ", "blank"],
    ["ABCD234", "7 characters"],
    ["ABCD23456", "9 characters"],
    ["ABCD 2345", "inner space"],
    ["ABCD-2345", "dash"],
    ["ABCD2340", "zero"],
    ["ABCD2341", "one"],
    ["ABCO2345", "letter O"],
    ["ABCI2345", "letter I"],
    ["ABCL2345", "letter L"],
    ["ÄBCD2345", "non-ASCII"],
  ])("rejects %j (%s)", (input) => {
    expect(normalizeCode(input)).toBeNull();
  });

  test("rejects non-strings", () => {
    expect(normalizeCode(null)).toBeNull();
    expect(normalizeCode(undefined)).toBeNull();
  });
});
