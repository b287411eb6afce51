// Human-typed codes: registration confirmation codes and group invite codes.
//
// 8 characters of an alphabet without look-alikes (no I, L, O, 0, 1), stored upper-case. The
// database enforces the same format (CHECK on registrations.confirmation_code and
// groups.invite_code) and uniqueness; 31^8 ≈ 8.5·10^11 codes, so a collision is rare and the
// caller retries the insert on a unique violation.
//
// Uses Web Crypto (globalThis.crypto), so the module works on the server and in the browser
// (e.g. normalizing what a moderator types into the scanner).

export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;

const CODE_RE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

// Largest multiple of the alphabet size that fits in a byte: bytes at or above it are rejected,
// so every character is equally likely (no modulo bias).
const UNBIASED_LIMIT = 256 - (256 % CODE_ALPHABET.length);

/** A crypto-random code of `length` characters from CODE_ALPHABET. */
export function generateCode(length: number = CODE_LENGTH): string {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`code length must be a positive integer, got ${length}`);
  let out = "";
  const bytes = new Uint8Array(Math.max(16, length * 2));
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const b of bytes) {
      if (b >= UNBIASED_LIMIT) continue;
      out += CODE_ALPHABET[b % CODE_ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** True when `code` is exactly a stored-form code (8 characters of CODE_ALPHABET, upper-case). */
export function isValidCode(code: string): boolean {
  return CODE_RE.test(code);
}

/**
 * What a person typed → the stored form: trimmed and upper-cased; null when that is not a valid
 * code (wrong length, a look-alike character such as O/0/I/1/L, anything else).
 */
export function normalizeCode(input: string | null | undefined): string | null {
  if (typeof input !== "string") return null;
  const code = input.trim().toUpperCase();
  return isValidCode(code) ? code : null;
}
