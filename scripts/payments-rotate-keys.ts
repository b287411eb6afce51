// npm run payments:rotate-keys — re-encrypts every organization's payment provider credentials with the
// FIRST key of PAYMENTS_ENCRYPTION_KEYS (docs/payments.md → "Keys"; lib/payments/rotate-keys.ts).
//
//   1. put the new key first and keep the old one: PAYMENTS_ENCRYPTION_KEYS="k2:<new>,k1:<old>"
//      (on every app server too, so what they write meanwhile is readable everywhere);
//   2. run this (idempotent: run it again and nothing changes; a row written during the run is caught by
//      the next run);
//   3. when it reports no row under the old key and no failure, remove the old key.
// The database: DATABASE_URL, else the embedded one (through a running npm start, or started for the
// command); pending migrations are applied first. The key setting is required here even where the app
// would derive one from AUTH_SECRET: rotating to a derived key would lock real servers out.
import { loadDotEnv, ensureAuthSecret } from "./lib/app-env.mjs";
import { migrateDatabase, toolDatabase } from "./lib/database.mjs";

const say = (message: string) => console.log(`[payments:rotate-keys] ${message}`);

function exit(message: string, code = 1): never {
  console.error(`[payments:rotate-keys] ${message}`);
  process.exit(code);
}

async function main() {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log("usage: PAYMENTS_ENCRYPTION_KEYS=new:…,old:… npm run payments:rotate-keys");
    return;
  }
  loadDotEnv({ dev: false });
  if (!process.env.PAYMENTS_ENCRYPTION_KEYS?.trim()) {
    exit('PAYMENTS_ENCRYPTION_KEYS is not set: list the new key first and the old one after it ("new:<base64>,old:<base64>")', 2);
  }
  // blobs written under the key derived from AUTH_SECRET (development, the embedded database) stay readable
  process.env.AUTH_SECRET = ensureAuthSecret();
  const { parseKeyring, PaymentSecretsError } = await import("@/lib/payments/secrets");
  try {
    parseKeyring(process.env.PAYMENTS_ENCRYPTION_KEYS);
  } catch (error) {
    exit(error instanceof PaymentSecretsError ? error.message : String(error), 2);
  }
  const database = await toolDatabase();
  try {
    process.env.DATABASE_URL = database.url;
    await migrateDatabase(database.url);
    const { rotatePaymentCredentials } = await import("@/lib/payments/rotate-keys");
    const { disconnectDb } = await import("@/lib/db");
    try {
      const report = await rotatePaymentCredentials();
      say(`${report.rows} account(s) with credentials: ${report.rotated} re-encrypted with key "${report.keyId}", ${report.unchanged} already under it`);
      for (const f of report.failed) say(`FAILED ${f.provider} account ${f.id} (organization ${f.organizationId}): ${f.reason}`);
      if (report.failed.length > 0) {
        exit(`${report.failed.length} account(s) could not be read: keep the old key listed until they are fixed or reconnected`, 1);
      }
    } finally {
      await disconnectDb();
    }
  } finally {
    await database.stop();
  }
}

await main();
