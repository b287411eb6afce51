-- Issue 14, item 8: promo codes and hidden ticket types (docs/registrations.md → "Promo codes and hidden
-- ticket types"). The price rule is lib/promo/price.ts priceAfterPromo() and its SQL twin
-- priceAfterPromoSql(); the sale statement (lib/registrations/sale.ts) locks the code's row, counts the
-- use with a conditional UPDATE (like a seat) and writes the discounted price on the registration.

CREATE TYPE "PromoDiscountKind" AS ENUM ('PERCENT', 'FIXED');

CREATE TABLE "promo_codes" (
  "id" UUID NOT NULL,
  "tenant_id" UUID NOT NULL,
  "event_id" UUID NOT NULL,
  -- Null: every ticket type of the event. A hidden type is unlocked only by a code naming it.
  "ticket_type_id" UUID,
  "code" TEXT NOT NULL,
  "discount_kind" "PromoDiscountKind" NOT NULL,
  -- PERCENT: 1..100; FIXED: minor units > 0 of "currency" (applies only to types of that currency).
  "discount_value" INTEGER NOT NULL,
  "currency" "Currency",
  -- Null: unlimited.
  "usage_limit" INTEGER,
  "used_count" INTEGER NOT NULL DEFAULT 0,
  "valid_from" TIMESTAMPTZ(3),
  "valid_until" TIMESTAMPTZ(3),
  "is_active" BOOLEAN NOT NULL DEFAULT true,
  "created_by" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

  CONSTRAINT "promo_codes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "promo_codes_code_check" CHECK ("code" ~ '^[A-Z0-9_-]{3,32}$'),
  CONSTRAINT "promo_codes_discount_check" CHECK (
    ("discount_kind" = 'PERCENT' AND "discount_value" BETWEEN 1 AND 100 AND "currency" IS NULL)
    OR ("discount_kind" = 'FIXED' AND "discount_value" > 0 AND "currency" IS NOT NULL)),
  CONSTRAINT "promo_codes_usage_check" CHECK ("used_count" >= 0 AND ("usage_limit" IS NULL OR ("usage_limit" > 0 AND "used_count" <= "usage_limit"))),
  CONSTRAINT "promo_codes_window_check" CHECK ("valid_from" IS NULL OR "valid_until" IS NULL OR "valid_from" < "valid_until")
);

-- One code per event (the lookup of the sale and of "Have a code?").
CREATE UNIQUE INDEX "promo_codes_event_id_code_key" ON "promo_codes" ("event_id", "code");
CREATE INDEX "promo_codes_tenant_id_idx" ON "promo_codes" ("tenant_id");
CREATE INDEX "promo_codes_ticket_type_id_idx" ON "promo_codes" ("ticket_type_id");
CREATE INDEX "promo_codes_created_by_idx" ON "promo_codes" ("created_by");

ALTER TABLE "promo_codes" ADD CONSTRAINT "promo_codes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "promo_codes" ADD CONSTRAINT "promo_codes_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "promo_codes" ADD CONSTRAINT "promo_codes_ticket_type_id_fkey" FOREIGN KEY ("ticket_type_id") REFERENCES "ticket_types"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "promo_codes" ADD CONSTRAINT "promo_codes_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hidden ticket types: not shown, counted or priced on public pages; sold only with a code naming them.
ALTER TABLE "ticket_types" ADD COLUMN "is_hidden" BOOLEAN NOT NULL DEFAULT false;

-- The registration's code and the discount it gave (price_cents stays the amount due, after the discount).
ALTER TABLE "registrations" ADD COLUMN "promo_code_id" UUID;
ALTER TABLE "registrations" ADD COLUMN "discount_cents" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_discount_cents_check" CHECK ("discount_cents" >= 0 AND ("promo_code_id" IS NOT NULL OR "discount_cents" = 0));
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_promo_code_id_fkey" FOREIGN KEY ("promo_code_id") REFERENCES "promo_codes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "registrations_promo_code_id_idx" ON "registrations" ("promo_code_id");

-- A use comes back when the registration ends before anything was paid: RESERVED/PENDING → EXPIRED or
-- CANCELLED (every path: the expiry sweep, the sale statement's own expiry, a cancellation, the payment
-- deadline). A registration that was CONFIRMED (paid, prepaid, or free through a 100 % code) keeps its
-- use. A trigger, so no path that ends a registration can forget it.
CREATE FUNCTION "registrations_return_promo_use"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "promo_codes" SET "used_count" = "used_count" - 1, "updated_at" = now()
   WHERE "id" = NEW."promo_code_id" AND "used_count" > 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER "registrations_return_promo_use" AFTER UPDATE OF "status" ON "registrations"
  FOR EACH ROW
  WHEN (NEW."promo_code_id" IS NOT NULL AND OLD."status" IN ('RESERVED', 'PENDING') AND NEW."status" IN ('EXPIRED', 'CANCELLED'))
  EXECUTE FUNCTION "registrations_return_promo_use"();

-- The door shows an unpaid prepayment remainder (lib/check-in/attendees.ts DUE_AT_DOOR_SQL): a prepayment
-- written, paid off or changed changes what the scanner's list says of its registration, so it stamps
-- the registration like a check-in does (its incremental list reads registrations.change_xid).
CREATE FUNCTION "prepayments_stamp_registration"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "registrations" SET "change_xid" = pg_current_xact_id()
   WHERE "id" = NEW."registration_id" AND "change_xid" <> pg_current_xact_id();
  RETURN NULL;
END
$$;

CREATE TRIGGER "prepayments_stamp_registration" AFTER INSERT OR UPDATE ON "prepayments"
  FOR EACH ROW EXECUTE FUNCTION "prepayments_stamp_registration"();

-- The audit catalogue's new entity promo_code (lib/audit/catalogue.ts).
ALTER TABLE "audit_logs" DROP CONSTRAINT IF EXISTS "audit_logs_entity_type_check";
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_entity_type_check" CHECK ("entity_type" IN ('user', 'organization_request', 'organization', 'organization_member', 'organization_invite', 'group', 'group_member', 'event', 'ticket_type', 'registration', 'waitlist_entry', 'payment', 'prepayment', 'event_staff_access', 'notification_template', 'promo_code'));
ALTER TABLE "audit_logs" DROP CONSTRAINT IF EXISTS "audit_logs_action_check";
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_action_check" CHECK ("action" IN ('user.email_verified', 'user.password_changed', 'user.password_reset', 'user.deleted', 'user.telegram_linked', 'user.telegram_unlinked', 'user.platform_admin_granted', 'organization_request.submitted', 'organization_request.approved', 'organization_request.rejected', 'organization.created', 'organization.updated', 'organization.ownership_transferred', 'organization.deleted', 'member.joined_by_invite', 'member.removed', 'member.left', 'invite.created', 'invite.revoked', 'group.created', 'group.updated', 'group.code_regenerated', 'group.deleted', 'group_member.joined_by_code', 'group_member.removed', 'group_member.left', 'event.created', 'event.updated', 'event.published', 'event.unpublished', 'event.cancelled', 'event.completed', 'event.deleted', 'ticket_types.reordered', 'registrations.exported', 'ticket_type.created', 'ticket_type.updated', 'ticket_type.activated', 'ticket_type.deactivated', 'ticket_type.deleted', 'registration.created', 'registration.expired', 'registration.paid', 'registration.cancelled', 'registration.cancelled_by_organizer', 'registration.cancelled_unpaid_prepayment', 'registration.checked_in', 'registration.check_in_earlier_scan', 'waitlist.joined', 'waitlist.offered', 'waitlist.offer_expired', 'waitlist.left', 'waitlist.claimed', 'payment.recorded', 'prepayment.completed', 'check_in.staff_link_created', 'check_in.staff_link_revoked', 'notification_template.created', 'notification_template.updated', 'notification_template.deleted', 'promo_code.created', 'promo_code.deactivated'));
