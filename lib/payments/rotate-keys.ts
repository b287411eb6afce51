// Re-encrypting every organization's provider credentials with the first key of PAYMENTS_ENCRYPTION_KEYS
// (docs/payments.md → "Keys"; `npm run payments:rotate-keys`, scripts/payments-rotate-keys.ts).
// Idempotent: a row already under the first key is left as it is, so a second run changes nothing. Each
// row is replaced by a compare-and-set on its old blob (a save in between wins; the next run picks it up)
// and audited (payment_account.updated, by the system). A row that cannot be decrypted (its key is no
// longer listed, or it was tampered with) is reported by id, never changed; the run goes on.
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, onPrisma, sql, withTransaction } from "@/lib/db";
import { credentialsContext } from "./accounts";
import { PaymentSecretsError, keyIdOf, paymentsKeyring, reencryptSecret, type Keyring } from "./secrets";

export type RotationReport = {
  /** The key every row is now encrypted with. */
  keyId: string;
  rows: number;
  rotated: number;
  unchanged: number;
  failed: { id: string; organizationId: string; provider: string; reason: string }[];
};

export async function rotatePaymentCredentials(keyring: Keyring | null = paymentsKeyring()): Promise<RotationReport> {
  if (!keyring) throw new PaymentSecretsError("not_configured", "PAYMENTS_ENCRYPTION_KEYS is not set: nothing to rotate to");
  const rows = await onPrisma(db).rows<{ id: string; tenant_id: string; provider: string; credentials: string }>(sql`
    SELECT id, tenant_id, provider, credentials FROM payment_accounts WHERE credentials IS NOT NULL ORDER BY created_at, id`);
  const report: RotationReport = { keyId: keyring.primaryId, rows: rows.length, rotated: 0, unchanged: 0, failed: [] };
  for (const row of rows) {
    let next: string | null;
    try {
      next = reencryptSecret(row.credentials, credentialsContext(row.tenant_id, row.provider), keyring);
    } catch (e) {
      report.failed.push({ id: row.id, organizationId: row.tenant_id, provider: row.provider, reason: e instanceof PaymentSecretsError ? e.message : "cannot be read" });
      continue;
    }
    if (next === null) {
      report.unchanged++;
      continue;
    }
    const replaced = await withTransaction(undefined, async (tx) => {
      const count = await onPrisma(tx).execute(sql`
        UPDATE payment_accounts SET credentials = ${next}, updated_at = now()
         WHERE id = ${row.id}::uuid AND credentials = ${row.credentials}`);
      if (count === 0) return false;
      await writeAudit(tx, {
        organizationId: row.tenant_id,
        actorId: null,
        entityType: "payment_account",
        entityId: row.id,
        action: "payment_account.updated",
        changes: { provider: row.provider, credentials: { keyId: { from: keyIdOf(row.credentials), to: keyring.primaryId } }, by: "payments:rotate-keys" },
      });
      return true;
    });
    if (replaced) report.rotated++;
    else report.unchanged++;
  }
  return report;
}
