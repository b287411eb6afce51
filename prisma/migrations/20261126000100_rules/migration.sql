-- Rules the database enforces that Prisma's schema language cannot express.
-- Each one is proven by tests/integration/db-constraints.test.ts.

-- ── users ────────────────────────────────────────────────────────────────
-- At least one way to reach the user; email stored trimmed and lower-cased.
ALTER TABLE "users" ADD CONSTRAINT "users_email_or_telegram_check"
  CHECK ("email" IS NOT NULL OR "telegram_id" IS NOT NULL);
ALTER TABLE "users" ADD CONSTRAINT "users_email_normalized_check"
  CHECK ("email" IS NULL OR ("email" = lower("email") AND "email" !~ '\s' AND "email" <> ''));
-- Unique among non-deleted users: a soft delete frees the email and the Telegram id.
CREATE UNIQUE INDEX "users_email_active_key" ON "users" ("email") WHERE "deleted_at" IS NULL;
CREATE UNIQUE INDEX "users_telegram_id_active_key" ON "users" ("telegram_id") WHERE "deleted_at" IS NULL;

-- ── organizations ───────────────────────────────────────────────────────
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_slug_format_check"
  CHECK ("slug" ~ '^[a-z0-9][a-z0-9-]*[a-z0-9]$' AND char_length("slug") BETWEEN 3 AND 50);
CREATE UNIQUE INDEX "organizations_slug_active_key" ON "organizations" ("slug") WHERE "deleted_at" IS NULL;

ALTER TABLE "organization_requests" ADD CONSTRAINT "organization_requests_slug_format_check"
  CHECK ("slug" ~ '^[a-z0-9][a-z0-9-]*[a-z0-9]$' AND char_length("slug") BETWEEN 3 AND 50);
-- One PENDING request per user; a slug can be pending for one request only.
CREATE UNIQUE INDEX "organization_requests_one_pending_per_user" ON "organization_requests" ("user_id") WHERE "status" = 'PENDING';
CREATE UNIQUE INDEX "organization_requests_pending_slug_key" ON "organization_requests" ("slug") WHERE "status" = 'PENDING';

ALTER TABLE "organization_invites" ADD CONSTRAINT "organization_invites_code_format_check"
  CHECK ("code" ~ '^[a-z0-9]{32}$');

-- At most one OWNER per organization, checked at once ...
CREATE UNIQUE INDEX "organization_members_one_owner" ON "organization_members" ("organization_id") WHERE "role" = 'OWNER';

-- ... and exactly one, whose user is organizations.owner_id, checked at commit (a transfer demotes
-- the old owner, promotes the new one and updates owner_id in one transaction).
-- The messages carry the constraint name: the pg driver adapter drops the CONSTRAINT field.
-- A membership moved between organizations re-checks both.
CREATE FUNCTION "aq_check_single_owner"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  org_ids uuid[];
  org_id uuid;
  org_owner uuid;
  owners int;
  owner_user uuid;
BEGIN
  IF TG_TABLE_NAME = 'organizations' THEN
    org_ids := ARRAY[NEW.id];
  ELSIF TG_OP = 'DELETE' THEN
    org_ids := ARRAY[OLD.organization_id];
  ELSIF TG_OP = 'UPDATE' AND OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN
    org_ids := ARRAY[OLD.organization_id, NEW.organization_id];
  ELSE
    org_ids := ARRAY[NEW.organization_id];
  END IF;

  FOREACH org_id IN ARRAY org_ids LOOP
    SELECT o."owner_id" INTO org_owner FROM "organizations" o WHERE o."id" = org_id;
    CONTINUE WHEN NOT FOUND; -- the organization row itself is gone (cascade delete)

    SELECT count(*), max(m."user_id"::text)::uuid INTO owners, owner_user
      FROM "organization_members" m
     WHERE m."organization_id" = org_id AND m."role" = 'OWNER';

    IF owners <> 1 THEN
      RAISE EXCEPTION 'organization_single_owner: organization % must have exactly one OWNER, has %', org_id, owners
        USING ERRCODE = 'check_violation', CONSTRAINT = 'organization_single_owner';
    END IF;
    IF owner_user <> org_owner THEN
      RAISE EXCEPTION 'organization_owner_matches_member: organization % owner_id does not match its OWNER member', org_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'organization_owner_matches_member';
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER "organization_members_single_owner"
  AFTER INSERT OR UPDATE OR DELETE ON "organization_members"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "aq_check_single_owner"();

CREATE CONSTRAINT TRIGGER "organizations_single_owner"
  AFTER INSERT OR UPDATE OF "owner_id" ON "organizations"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "aq_check_single_owner"();

-- ── groups ───────────────────────────────────────────────────────────────
-- Stored upper-case from the unambiguous alphabet, so the unique index is case-insensitive.
ALTER TABLE "groups" ADD CONSTRAINT "groups_invite_code_format_check"
  CHECK ("invite_code" ~ '^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$');

-- ── events ───────────────────────────────────────────────────────────────
CREATE UNIQUE INDEX "events_tenant_slug_active_key" ON "events" ("tenant_id", "slug") WHERE "deleted_at" IS NULL;
ALTER TABLE "events" ADD CONSTRAINT "events_ends_after_start_check"
  CHECK ("ends_at" IS NULL OR "ends_at" >= "starts_at");

-- ── ticket types: inventory can never go negative or oversell ───────────
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_counters_check"
  CHECK ("sold_count" >= 0 AND "reserved_count" >= 0);
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_capacity_check"
  CHECK ("quantity" IS NULL OR ("quantity" >= 0 AND "sold_count" + "reserved_count" <= "quantity"));
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_price_check" CHECK ("price_cents" >= 0);
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_reservation_minutes_check"
  CHECK ("reservation_minutes" IS NULL OR "reservation_minutes" > 0);
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_prepayment_percent_check"
  CHECK ("prepayment_percent" IS NULL OR "prepayment_percent" BETWEEN 1 AND 99);
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_sales_window_check"
  CHECK ("sales_start" IS NULL OR "sales_end" IS NULL OR "sales_end" > "sales_start");

-- ── registrations ────────────────────────────────────────────────────────
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_confirmation_code_format_check"
  CHECK ("confirmation_code" ~ '^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$');
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_user_or_email_check"
  CHECK ("user_id" IS NOT NULL OR "email" IS NOT NULL);
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_reserved_expires_check"
  CHECK ("status" <> 'RESERVED' OR "expires_at" IS NOT NULL);
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_price_check" CHECK ("price_cents" >= 0);
-- One active registration per user per event.
CREATE UNIQUE INDEX "registrations_one_active_per_user" ON "registrations" ("event_id", "user_id")
  WHERE "user_id" IS NOT NULL AND "status" NOT IN ('CANCELLED', 'EXPIRED');

-- ── waitlist: one live entry per user per event ─────────────────────────
CREATE UNIQUE INDEX "waitlist_entries_one_active_per_user" ON "waitlist_entries" ("event_id", "user_id")
  WHERE "user_id" IS NOT NULL AND "status" IN ('WAITING', 'NOTIFIED');
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_contact_check"
  CHECK ("user_id" IS NOT NULL OR "email" IS NOT NULL);

-- ── payments ─────────────────────────────────────────────────────────────
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_check" CHECK ("amount_cents" >= 0);
ALTER TABLE "prepayments" ADD CONSTRAINT "prepayments_amounts_check"
  CHECK ("prepaid_cents" >= 0 AND "remaining_cents" >= 0);
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_amount_check" CHECK ("amount_cents" > 0);

-- ── cross-table consistency: a row never points at another tenant's or another event's rows ──
ALTER TABLE "events"        ADD CONSTRAINT "events_id_tenant_id_key"        UNIQUE ("id", "tenant_id");
ALTER TABLE "ticket_types"  ADD CONSTRAINT "ticket_types_id_event_id_key"   UNIQUE ("id", "event_id");
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_id_event_id_key"  UNIQUE ("id", "event_id");
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_id_tenant_id_key" UNIQUE ("id", "tenant_id");
ALTER TABLE "groups"        ADD CONSTRAINT "groups_id_organization_id_key"  UNIQUE ("id", "organization_id");
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_event_tenant_fkey"
  FOREIGN KEY ("event_id", "tenant_id") REFERENCES "events" ("id", "tenant_id") ON UPDATE CASCADE;
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_ticket_type_event_fkey"
  FOREIGN KEY ("ticket_type_id", "event_id") REFERENCES "ticket_types" ("id", "event_id") ON UPDATE CASCADE;
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_registration_event_fkey"
  FOREIGN KEY ("registration_id", "event_id") REFERENCES "registrations" ("id", "event_id") ON UPDATE CASCADE;
ALTER TABLE "payments" ADD CONSTRAINT "payments_registration_tenant_fkey"
  FOREIGN KEY ("registration_id", "tenant_id") REFERENCES "registrations" ("id", "tenant_id") ON UPDATE CASCADE;
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_ticket_type_event_fkey"
  FOREIGN KEY ("ticket_type_id", "event_id") REFERENCES "ticket_types" ("id", "event_id") ON UPDATE CASCADE;
-- A private event's group belongs to the event's organization.
ALTER TABLE "events" DROP CONSTRAINT "events_group_id_fkey";
ALTER TABLE "events" ADD CONSTRAINT "events_group_tenant_fkey" FOREIGN KEY ("group_id", "tenant_id")
  REFERENCES "groups" ("id", "organization_id") ON DELETE SET NULL ("group_id") ON UPDATE CASCADE;

-- A provider's payment is recorded once (webhook retries).
CREATE UNIQUE INDEX "payments_provider_payment_key" ON "payments" ("provider", "provider_payment_id")
  WHERE "provider_payment_id" IS NOT NULL;

-- Guests (no account): one active registration per email per event; emails stored lower-cased.
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_email_normalized_check"
  CHECK ("email" IS NULL OR ("email" = lower("email") AND "email" !~ '\s' AND "email" <> ''));
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_email_normalized_check"
  CHECK ("email" IS NULL OR ("email" = lower("email") AND "email" !~ '\s' AND "email" <> ''));
CREATE UNIQUE INDEX "registrations_one_active_per_guest_email" ON "registrations" ("event_id", "email")
  WHERE "user_id" IS NULL AND "status" NOT IN ('CANCELLED', 'EXPIRED');

-- ── misc ─────────────────────────────────────────────────────────────────
ALTER TABLE "notification_logs" ADD CONSTRAINT "notification_logs_attempts_check" CHECK ("attempts" >= 0);
ALTER TABLE "rate_limit_buckets" ADD CONSTRAINT "rate_limit_buckets_count_check" CHECK ("count" >= 0);
