// lib/payments/secrets.ts: AES-256-GCM credentials at rest, the keyring setting and rotation.
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  DERIVED_KEY_ID,
  PaymentSecretsError,
  decryptSecret,
  encryptSecret,
  keyDerivationAllowed,
  keyIdOf,
  keyringOf,
  parseKeyring,
  reencryptSecret,
} from "@/lib/payments/secrets";

const k = () => randomBytes(32).toString("base64");
const ctx = "6f1c1f4e-1111-4aaa-8bbb-000000000001:stripe";
const SECRET = JSON.stringify({ secretKey: "sk_test_51Hsecretsecret4242", webhookSecret: "whsec_abcdef" });

function errorOf(fn: () => unknown): PaymentSecretsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PaymentSecretsError);
    return e as PaymentSecretsError;
  }
  throw new Error("expected a PaymentSecretsError");
}

describe("payments secrets", () => {
  test("round trip: the blob is <keyId>:<iv>:<ciphertext+tag>, holds no plaintext, and differs each time", () => {
    const ring = parseKeyring(`k1:${k()}`);
    const a = encryptSecret(SECRET, ctx, ring);
    const b = encryptSecret(SECRET, ctx, ring);
    expect(a).toMatch(/^k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk_test");
    expect(Buffer.from(a.split(":")[2], "base64").toString("latin1")).not.toContain("sk_test");
    expect(decryptSecret(a, ctx, ring)).toBe(SECRET);
    expect(decryptSecret(b, ctx, ring)).toBe(SECRET);
    expect(keyIdOf(a)).toBe("k1");
  });

  test("a tampered ciphertext, tag or iv is refused; so is another row's blob", () => {
    const ring = parseKeyring(`k1:${k()}`);
    const blob = encryptSecret(SECRET, ctx, ring);
    const [id, iv, body] = blob.split(":");
    const bytes = Buffer.from(body, "base64");
    for (const index of [0, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[index] ^= 0x01;
      expect(errorOf(() => decryptSecret(`${id}:${iv}:${flipped.toString("base64")}`, ctx, ring)).kind).toBe("corrupt");
    }
    const ivBytes = Buffer.from(iv, "base64");
    ivBytes[0] ^= 0x80;
    expect(errorOf(() => decryptSecret(`${id}:${ivBytes.toString("base64")}:${body}`, ctx, ring)).kind).toBe("corrupt");
    expect(errorOf(() => decryptSecret(blob, "6f1c1f4e-1111-4aaa-8bbb-000000000002:stripe", ring)).kind).toBe("corrupt");
    expect(errorOf(() => decryptSecret("garbage", ctx, ring)).kind).toBe("corrupt");
    const err = errorOf(() => decryptSecret(`${id}:${iv}:${Buffer.from("x").toString("base64")}`, ctx, ring));
    expect(err.message).not.toContain("sk_test");
  });

  test("an unknown key id is refused by name, never guessed", () => {
    const blob = encryptSecret(SECRET, ctx, parseKeyring(`old:${k()}`));
    const err = errorOf(() => decryptSecret(blob, ctx, parseKeyring(`new:${k()}`)));
    expect(err.kind).toBe("unknown_key");
    expect(err.message).toContain('"old"');
  });

  test("rotation: the first key encrypts, every listed key decrypts, re-encryption is idempotent", () => {
    const oldKey = k();
    const newKey = k();
    const before = parseKeyring(`old:${oldKey}`);
    const blob = encryptSecret(SECRET, ctx, before);
    const during = parseKeyring(`new:${newKey},old:${oldKey}`);
    expect(decryptSecret(blob, ctx, during)).toBe(SECRET);
    const rotated = reencryptSecret(blob, ctx, during);
    expect(rotated).not.toBeNull();
    expect(keyIdOf(rotated!)).toBe("new");
    expect(reencryptSecret(rotated!, ctx, during)).toBeNull();
    const after = parseKeyring(`new:${newKey}`);
    expect(decryptSecret(rotated!, ctx, after)).toBe(SECRET);
    expect(errorOf(() => decryptSecret(blob, ctx, after)).kind).toBe("unknown_key");
  });

  test("the setting is validated: base64 of 32 bytes, valid unique ids, the derived id reserved", () => {
    expect(errorOf(() => parseKeyring("")).kind).toBe("invalid_setting");
    expect(errorOf(() => parseKeyring(`k1:${randomBytes(16).toString("base64")}`)).kind).toBe("invalid_setting");
    expect(errorOf(() => parseKeyring(`bad id:${k()}`)).kind).toBe("invalid_setting");
    expect(errorOf(() => parseKeyring(`${DERIVED_KEY_ID}:${k()}`)).kind).toBe("invalid_setting");
    const key = k();
    expect(errorOf(() => parseKeyring(`a:${key},a:${k()}`)).kind).toBe("invalid_setting");
    const short = randomBytes(31).toString("base64");
    expect(errorOf(() => parseKeyring(`a:${short}`)).message).not.toContain(short);
    expect(parseKeyring(` a:${key} , b:${k()} `).primaryId).toBe("a");
  });

  test("unset: derived from AUTH_SECRET outside production / on the embedded database; production refuses", () => {
    const authSecret = () => "x".repeat(40);
    const dev = keyringOf({ derivationAllowed: true, authSecret });
    expect(dev?.primaryId).toBe(DERIVED_KEY_ID);
    const blob = encryptSecret(SECRET, ctx, dev);
    // the same AUTH_SECRET derives the same key (another process reads it), another one does not
    expect(decryptSecret(blob, ctx, keyringOf({ derivationAllowed: true, authSecret }))).toBe(SECRET);
    expect(errorOf(() => decryptSecret(blob, ctx, keyringOf({ derivationAllowed: true, authSecret: () => "y".repeat(40) }))).kind).toBe("corrupt");
    // listed keys encrypt, the derived one still decrypts (moving a development database to real keys)
    const configured = keyringOf({ keys: `k1:${k()}`, derivationAllowed: true, authSecret });
    expect(configured?.primaryId).toBe("k1");
    expect(decryptSecret(blob, ctx, configured)).toBe(SECRET);
    // production without the setting: nothing encrypts
    const prod = keyringOf({ derivationAllowed: false, authSecret });
    expect(prod).toBeNull();
    const err = errorOf(() => encryptSecret(SECRET, ctx, prod));
    expect(err.kind).toBe("not_configured");
    expect(err.message).toMatch(/PAYMENTS_ENCRYPTION_KEYS/);
    expect(keyringOf({ keys: `k1:${k()}`, derivationAllowed: false, authSecret })?.keys.has(DERIVED_KEY_ID)).toBe(false);
    expect(keyDerivationAllowed({ NODE_ENV: "production" })).toBe(false);
    expect(keyDerivationAllowed({ NODE_ENV: "production", AQ_EMBEDDED_DB: "1" })).toBe(true);
    expect(keyDerivationAllowed({ NODE_ENV: "test" })).toBe(true);
    expect(keyDerivationAllowed({})).toBe(true);
  });
});
