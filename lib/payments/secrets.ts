// Provider credentials at rest (docs/payments.md → "Keys"): AES-256-GCM, one blob per row of
// payment_accounts.credentials, written as "<keyId>:<base64 iv>:<base64 ciphertext+tag>".
//
// Keys: PAYMENTS_ENCRYPTION_KEYS = "id:base64(32 bytes),id2:…" — the first encrypts, every listed key
// decrypts (rotation: put the new key first, run `npm run payments:rotate-keys`, then drop the old one).
// Unset: in development and test, and on the embedded database of `npm start` (AQ_EMBEDDED_DB=1), a key is
// derived from AUTH_SECRET with HKDF (id "authsecret"), so the default start works without a setting. In
// production without the setting nothing is encrypted or decrypted: saving real credentials is refused
// with a clear error (payments.accounts.errors.encryptionNotConfigured). The derived key also decrypts
// (never encrypts) while listed keys are set outside production, so a development database can move to
// real keys with the rotation command.
//
// The additional authenticated data binds a blob to its row ("<organizationId>:<provider>"): a blob copied
// to another organization's row does not decrypt. Errors never contain the plaintext or a key.
import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** The id of the key derived from AUTH_SECRET (never a configured id). */
export const DERIVED_KEY_ID = "authsecret";

export type SecretsErrorKind = "not_configured" | "invalid_setting" | "unknown_key" | "corrupt";

/** Why a secret could not be encrypted or decrypted. The message names no secret and no key. */
export class PaymentSecretsError extends Error {
  constructor(
    readonly kind: SecretsErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "PaymentSecretsError";
  }
}

export type Keyring = {
  /** The key that encrypts. */
  primaryId: string;
  /** Every key that decrypts, by id (the primary included). */
  keys: ReadonlyMap<string, Buffer>;
};

/** Parses "id:base64,id2:base64" (the first encrypts). Throws PaymentSecretsError("invalid_setting"). */
export function parseKeyring(value: string): Keyring {
  const keys = new Map<string, Buffer>();
  let primaryId: string | null = null;
  const entries = value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new PaymentSecretsError("invalid_setting", "PAYMENTS_ENCRYPTION_KEYS lists no key");
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon) : "";
    const material = colon > 0 ? entry.slice(colon + 1) : "";
    if (!KEY_ID.test(id) || id === DERIVED_KEY_ID) {
      throw new PaymentSecretsError(
        "invalid_setting",
        `PAYMENTS_ENCRYPTION_KEYS: each entry is id:base64 with an id of 1–32 characters A-Z a-z 0-9 _ - (not "${DERIVED_KEY_ID}")`,
      );
    }
    const key = Buffer.from(material, "base64");
    if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== material.replace(/=+$/, "")) {
      throw new PaymentSecretsError("invalid_setting", `PAYMENTS_ENCRYPTION_KEYS: key "${id}" must be base64 of 32 bytes (openssl rand -base64 32)`);
    }
    if (keys.has(id)) throw new PaymentSecretsError("invalid_setting", `PAYMENTS_ENCRYPTION_KEYS: key id "${id}" is listed twice`);
    keys.set(id, key);
    primaryId ??= id;
  }
  return { primaryId: primaryId!, keys };
}

/** The key derived from AUTH_SECRET (HKDF-SHA256), for development, tests and the embedded database. */
export function derivedKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "aqstream", "payments/credentials/aes-256-gcm/v1", KEY_BYTES));
}

export type KeyringSource = {
  /** PAYMENTS_ENCRYPTION_KEYS */
  keys?: string;
  /** NODE_ENV !== "production" or the embedded database: a key may be derived from AUTH_SECRET. */
  derivationAllowed: boolean;
  authSecret: () => string;
};

/** The keyring of a configuration, or null when nothing may encrypt (production without the setting). */
export function keyringOf(source: KeyringSource): Keyring | null {
  const configured = source.keys?.trim() ? parseKeyring(source.keys) : null;
  if (!source.derivationAllowed) return configured;
  const derived = derivedKey(source.authSecret());
  if (!configured) return { primaryId: DERIVED_KEY_ID, keys: new Map([[DERIVED_KEY_ID, derived]]) };
  return { primaryId: configured.primaryId, keys: new Map([...configured.keys, [DERIVED_KEY_ID, derived]]) };
}

/** True where a key may be derived from AUTH_SECRET: outside production, and on npm start's embedded database. */
export function keyDerivationAllowed(source: Record<string, string | undefined> = process.env): boolean {
  return (source.NODE_ENV ?? "development") !== "production" || source.AQ_EMBEDDED_DB === "1";
}

let cached: { signature: string; keyring: Keyring | null } | undefined;

/** This process's keyring (PAYMENTS_ENCRYPTION_KEYS / AUTH_SECRET), or null when none is configured. */
export function paymentsKeyring(): Keyring | null {
  const keys = process.env.PAYMENTS_ENCRYPTION_KEYS;
  const allowed = keyDerivationAllowed();
  const signature = `${allowed}|${keys ?? ""}`;
  if (cached?.signature !== signature) cached = { signature, keyring: keyringOf({ keys, derivationAllowed: allowed, authSecret }) };
  return cached.keyring;
}

function requireKeyring(keyring: Keyring | null): Keyring {
  if (!keyring) {
    throw new PaymentSecretsError(
      "not_configured",
      "PAYMENTS_ENCRYPTION_KEYS is not set: provider credentials cannot be stored or read in production without it (docs/payments.md → Keys)",
    );
  }
  return keyring;
}

/** Encrypts with the keyring's first key; `context` (the row: "<organizationId>:<provider>") is authenticated, not stored. */
export function encryptSecret(plaintext: string, context: string, keyring: Keyring | null = paymentsKeyring()): string {
  const ring = requireKeyring(keyring);
  const key = ring.keys.get(ring.primaryId)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${ring.primaryId}:${iv.toString("base64")}:${body.toString("base64")}`;
}

/** The key id a blob was written with (null when it is not a blob of this format). */
export function keyIdOf(blob: string): string | null {
  const parts = blob.split(":");
  return parts.length === 3 && KEY_ID.test(parts[0]) ? parts[0] : null;
}

/** Decrypts a blob of encryptSecret(); a tampered blob, another row's blob or an unknown key id throws. */
export function decryptSecret(blob: string, context: string, keyring: Keyring | null = paymentsKeyring()): string {
  const ring = requireKeyring(keyring);
  const parts = blob.split(":");
  if (parts.length !== 3 || !KEY_ID.test(parts[0])) throw new PaymentSecretsError("corrupt", "stored credentials are not in the expected format");
  const [keyId, ivText, bodyText] = parts;
  const key = ring.keys.get(keyId);
  if (!key) {
    throw new PaymentSecretsError("unknown_key", `stored credentials were encrypted with key "${keyId}", which PAYMENTS_ENCRYPTION_KEYS does not list`);
  }
  const iv = Buffer.from(ivText, "base64");
  const body = Buffer.from(bodyText, "base64");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new PaymentSecretsError("corrupt", "stored credentials are not in the expected format");
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new PaymentSecretsError("corrupt", "stored credentials failed authentication (tampered, or written for another account)");
  }
}

/**
 * The blob re-encrypted with the keyring's first key, or null when it already is (rotation is
 * idempotent: a second run changes nothing).
 */
export function reencryptSecret(blob: string, context: string, keyring: Keyring | null = paymentsKeyring()): string | null {
  const ring = requireKeyring(keyring);
  if (keyIdOf(blob) === ring.primaryId) {
    decryptSecret(blob, context, ring); // still proves it is readable
    return null;
  }
  return encryptSecret(decryptSecret(blob, context, ring), context, ring);
}
