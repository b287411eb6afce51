-- Issue 14: the built-in demo payment provider (lib/payments/providers/demo.ts, docs/payments.md →
-- "Providers"). Its own "API" state: the checkout, its refunds and the webhook events it sends. Our
-- payments and refunds point at these rows by id only, as at a real provider.

-- CreateTable
CREATE TABLE "demo_payments" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "amount_cents" INTEGER NOT NULL,
    "currency" "Currency" NOT NULL,
    "description" TEXT NOT NULL,
    "return_url" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "failure_reason" TEXT,
    "settle_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "demo_refunds" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "demo_payment_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "refund_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SUCCEEDED',
    "amount_cents" INTEGER NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_refunds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "demo_events" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "object" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "demo_payments_organization_id_idempotency_key_key" ON "demo_payments"("organization_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "demo_refunds_organization_id_idempotency_key_key" ON "demo_refunds"("organization_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "demo_refunds_demo_payment_id_idx" ON "demo_refunds"("demo_payment_id");

-- CreateIndex
CREATE INDEX "demo_events_organization_id_created_at_idx" ON "demo_events"("organization_id", "created_at");

-- AddForeignKey
ALTER TABLE "demo_payments" ADD CONSTRAINT "demo_payments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "demo_refunds" ADD CONSTRAINT "demo_refunds_demo_payment_id_fkey" FOREIGN KEY ("demo_payment_id") REFERENCES "demo_payments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The statuses the adapter knows, and amounts a provider would accept.
ALTER TABLE "demo_payments" ADD CONSTRAINT "demo_payments_status_check" CHECK ("status" IN ('PENDING', 'SUCCEEDED', 'FAILED'));
ALTER TABLE "demo_payments" ADD CONSTRAINT "demo_payments_amount_check" CHECK ("amount_cents" > 0);
ALTER TABLE "demo_refunds" ADD CONSTRAINT "demo_refunds_status_check" CHECK ("status" IN ('SUCCEEDED', 'FAILED'));
ALTER TABLE "demo_refunds" ADD CONSTRAINT "demo_refunds_amount_check" CHECK ("amount_cents" > 0);
