-- Online payments (docs/payments.md): what a payment is for, its checkout, why it was flagged or failed;
-- at most one open payment per registration; the status table of lib/payments/transitions.ts enforced
-- by a trigger; the webhook deliveries stored once.

-- ── payments: new columns ───────────────────────────────────────────────
ALTER TABLE "payments"
  ADD COLUMN "kind" text NOT NULL DEFAULT 'FULL',
  ADD COLUMN "checkout_url" text,
  ADD COLUMN "checkout_expires_at" timestamptz(3),
  ADD COLUMN "flag_reason" text,
  ADD COLUMN "failure_reason" text;
ALTER TABLE "payments" ADD CONSTRAINT "payments_kind_check" CHECK ("kind" IN ('FULL', 'PREPAYMENT', 'REMAINDER'));
-- Manual payments recorded before this migration kept their kind in provider_metadata.
UPDATE "payments" SET "kind" = "provider_metadata"->>'kind'
 WHERE "provider_metadata"->>'kind' IN ('PREPAYMENT', 'REMAINDER');

-- At most one open (PENDING/PROCESSING) payment per registration: pressing "Pay" again returns it.
CREATE UNIQUE INDEX "payments_one_open_per_registration" ON "payments" ("registration_id")
  WHERE "status" IN ('PENDING', 'PROCESSING');
-- The reconciliation's scan: open payments by age.
CREATE INDEX "payments_open_by_updated" ON "payments" ("status", "updated_at")
  WHERE "status" IN ('PENDING', 'PROCESSING');
-- (UNIQUE (provider, provider_payment_id) where not null exists since 20261126000100_rules:
--  payments_provider_payment_key.)

-- ── payments: the status table (lib/payments/transitions.ts PAYMENT_TRANSITIONS, INITIAL_PAYMENT_STATUSES)
-- A row is inserted PENDING (online) or COMPLETED (manual); an UPDATE that names status moves it only
-- along the table. Writing the status it already has is not a transition and is let through.
-- tests/integration/payments-transitions-db.test.ts checks every pair against the TS table.
CREATE FUNCTION "aq_payments_status_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."status"::text NOT IN ('PENDING', 'COMPLETED') THEN
      RAISE EXCEPTION 'payments_status_transition: a payment cannot be created %', NEW."status"
        USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_status_transition';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD."status" = NEW."status" THEN
    RETURN NEW;
  END IF;
  IF NOT ((OLD."status"::text, NEW."status"::text) IN (
      ('PENDING', 'PROCESSING'),
      ('PROCESSING', 'COMPLETED'), ('PROCESSING', 'FAILED'),
      ('COMPLETED', 'PARTIALLY_REFUNDED'), ('COMPLETED', 'REFUNDED'),
      ('PARTIALLY_REFUNDED', 'PARTIALLY_REFUNDED'), ('PARTIALLY_REFUNDED', 'REFUNDED'))) THEN
    RAISE EXCEPTION 'payments_status_transition: % → % is not allowed', OLD."status", NEW."status"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_status_transition';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "payments_status_transition"
  BEFORE INSERT OR UPDATE OF "status" ON "payments"
  FOR EACH ROW EXECUTE FUNCTION "aq_payments_status_transition"();

-- ── webhook deliveries: each provider fact stored once per organization ──
CREATE TABLE "payment_webhook_events" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "provider" text NOT NULL,
  "tenant_id" uuid NOT NULL,
  "event_key" text NOT NULL,
  "type" text NOT NULL,
  "payment_id" uuid,
  "received_at" timestamptz(3) NOT NULL DEFAULT now(),
  "processed_at" timestamptz(3),
  "outcome" text,
  CONSTRAINT "payment_webhook_events_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "payment_webhook_events_provider_check" CHECK ("provider" IN ('yookassa', 'stripe', 'demo')),
  CONSTRAINT "payment_webhook_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organizations" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "payment_webhook_events_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "payment_webhook_events_provider_tenant_id_event_key_key" ON "payment_webhook_events" ("provider", "tenant_id", "event_key");
CREATE INDEX "payment_webhook_events_tenant_id_idx" ON "payment_webhook_events" ("tenant_id");
CREATE INDEX "payment_webhook_events_payment_id_idx" ON "payment_webhook_events" ("payment_id");
