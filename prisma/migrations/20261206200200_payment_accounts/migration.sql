-- Each organization's own payment provider accounts (docs/payments.md → "Providers and which one takes a
-- payment", "Keys"; lib/payments/accounts.ts). One row per organization and provider. Online providers'
-- credentials are stored encrypted (lib/payments/secrets.ts: "<keyId>:<base64 iv>:<base64 ciphertext+tag>",
-- AES-256-GCM); demo and manual carry none. public_hint is the only part of a credential a page shows.
CREATE TABLE "payment_accounts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "credentials" TEXT,
    "public_hint" TEXT,
    "manual_instructions" TEXT,
    "connected_by" UUID,
    "verified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_accounts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_accounts_provider_check" CHECK ("provider" IN ('yookassa', 'stripe', 'demo', 'manual')),
    -- online real providers always carry encrypted credentials; demo and manual never do
    CONSTRAINT "payment_accounts_credentials_check" CHECK (
      ("provider" IN ('yookassa', 'stripe') AND "credentials" IS NOT NULL AND "credentials" ~ '^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$')
      OR ("provider" IN ('demo', 'manual') AND "credentials" IS NULL)
    ),
    -- instructions are the manual provider's only
    CONSTRAINT "payment_accounts_manual_instructions_check" CHECK (
      "manual_instructions" IS NULL OR ("provider" = 'manual' AND char_length("manual_instructions") <= 1000)
    ),
    CONSTRAINT "payment_accounts_public_hint_check" CHECK ("public_hint" IS NULL OR char_length("public_hint") <= 100)
);

-- routing (paymentRouteFor) and the settings page: the organization's accounts by provider
CREATE UNIQUE INDEX "payment_accounts_tenant_id_provider_key" ON "payment_accounts"("tenant_id", "provider");
CREATE INDEX "payment_accounts_connected_by_idx" ON "payment_accounts"("connected_by");

ALTER TABLE "payment_accounts" ADD CONSTRAINT "payment_accounts_tenant_id_fkey"
  FOREIGN KEY ("tenant_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_accounts" ADD CONSTRAINT "payment_accounts_connected_by_fkey"
  FOREIGN KEY ("connected_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Until now every paid ticket was paid by hand (the organizer marks it paid): an organization that sells
-- paid ticket types keeps doing so — its "manual" account is connected here, so the publish guard
-- (lib/payments/guard.ts) does not lock its existing events. The owner can connect a real provider and
-- turn manual payments off in the settings.
INSERT INTO "payment_accounts" ("id", "tenant_id", "provider", "updated_at")
SELECT gen_random_uuid(), o."id", 'manual', CURRENT_TIMESTAMP
  FROM "organizations" o
 WHERE EXISTS (SELECT 1 FROM "ticket_types" t JOIN "events" e ON e."id" = t."event_id"
                WHERE e."tenant_id" = o."id" AND t."price_cents" > 0);
