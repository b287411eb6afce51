-- Issue 17: API tokens, outbound webhook endpoints / events / deliveries, and the audit catalogue's new
-- entries (api_token, webhook_endpoint, webhook_delivery). docs/api.md, docs/webhooks.md.
-- The triggers that write webhook events are in a later migration (…_webhook_triggers).

-- API tokens (lib/api/tokens.ts). The token text is never stored: token_hash = hex SHA-256 of it.
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- the organization an organization token acts for; NULL for a personal token
    "organization_id" UUID,
    -- the owner who created an organization token / the person a personal token belongs to
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    -- the first characters of the token (aq_org_ab12…), shown in lists
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "last_used_ip" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_tokens_kind_check" CHECK ("kind" IN ('ORGANIZATION', 'PERSONAL')),
    CONSTRAINT "api_tokens_kind_org_check" CHECK (("kind" = 'ORGANIZATION') = ("organization_id" IS NOT NULL)),
    CONSTRAINT "api_tokens_scopes_check" CHECK (cardinality("scopes") > 0 AND (
      ("kind" = 'ORGANIZATION' AND "scopes" <@ ARRAY['events:read', 'events:write', 'registrations:read', 'registrations:write', 'checkin']::text[])
      OR ("kind" = 'PERSONAL' AND "scopes" <@ ARRAY['tickets:read']::text[]))),
    CONSTRAINT "api_tokens_name_check" CHECK (char_length("name") BETWEEN 1 AND 100)
);
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");
-- the organization's token list (newest first)
CREATE INDEX "api_tokens_organization_id_created_at_idx" ON "api_tokens"("organization_id", "created_at");
-- a person's personal tokens; the FK
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");
CREATE INDEX "api_tokens_revoked_by_idx" ON "api_tokens"("revoked_by");
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_revoked_by_fkey" FOREIGN KEY ("revoked_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Outbound webhooks (lib/webhooks). An endpoint: where to POST which event types, with its signing
-- secret (encrypted like payment credentials, lib/payments/secrets.ts, context "webhook:<endpointId>").
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "event_types" TEXT[] NOT NULL,
    "secret_ciphertext" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_at" TIMESTAMPTZ(3),
    -- 'FAILING' (switched off after a day of failures) or 'MANUAL'
    "disabled_reason" TEXT,
    -- the first failed attempt of the current run of failures (NULL after any success)
    "failing_since" TIMESTAMPTZ(3),
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_endpoints_url_check" CHECK (char_length("url") BETWEEN 8 AND 2000),
    CONSTRAINT "webhook_endpoints_event_types_check" CHECK (cardinality("event_types") > 0 AND "event_types" <@ ARRAY['registration.created', 'registration.cancelled', 'registration.checked_in', 'payment.completed', 'refund.completed', 'event.updated', 'event.cancelled', 'waitlist.offered']::text[]),
    CONSTRAINT "webhook_endpoints_disabled_reason_check" CHECK ("disabled_reason" IS NULL OR "disabled_reason" IN ('FAILING', 'MANUAL'))
);
-- the organization's endpoints; the triggers' "who subscribes to this type" lookup
CREATE INDEX "webhook_endpoints_organization_id_idx" ON "webhook_endpoints"("organization_id");
CREATE INDEX "webhook_endpoints_created_by_idx" ON "webhook_endpoints"("created_by");
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One thing that happened (the outbox): written in the same transaction as the change, only when the
-- organization has an enabled endpoint subscribed to the type. payload = the body sent, byte for byte
-- the same on every attempt: {"type", "timestamp", "data"}. Its id is the Standard Webhooks `webhook-id`.
CREATE TABLE "webhook_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_events_type_check" CHECK ("type" IN ('registration.created', 'registration.cancelled', 'registration.checked_in', 'payment.completed', 'refund.completed', 'event.updated', 'event.cancelled', 'waitlist.offered'))
);
-- the FK; purge by age
CREATE INDEX "webhook_events_organization_id_created_at_idx" ON "webhook_events"("organization_id", "created_at");
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One event to one endpoint: its state and the last attempt's answer.
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "webhook_event_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    CONSTRAINT "webhook_deliveries_attempts_check" CHECK ("attempts" >= 0)
);
-- one delivery per event and endpoint (a duplicate trigger firing or a retry never sends twice)
CREATE UNIQUE INDEX "webhook_deliveries_webhook_event_id_endpoint_id_key" ON "webhook_deliveries"("webhook_event_id", "endpoint_id");
-- the delivery log of an endpoint (newest first)
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");
-- the sender's "what is due" scan
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"("next_attempt_at") WHERE "status" = 'PENDING';
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_event_id_fkey" FOREIGN KEY ("webhook_event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every attempt of a delivery, with the receiver's answer (the delivery log shows them).
CREATE TABLE "webhook_delivery_attempts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    -- the first 2 KB of the response body
    "response_body" TEXT,
    "error" TEXT,
    CONSTRAINT "webhook_delivery_attempts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "webhook_delivery_attempts_delivery_id_attempt_key" ON "webhook_delivery_attempts"("delivery_id", "attempt");
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit catalogue (lib/audit/catalogue.ts): api_token, webhook_endpoint, webhook_delivery.
ALTER TABLE "audit_logs" DROP CONSTRAINT IF EXISTS "audit_logs_entity_type_check";
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_entity_type_check" CHECK ("entity_type" IN ('user', 'organization_request', 'organization', 'organization_member', 'organization_invite', 'group', 'group_member', 'event', 'ticket_type', 'registration', 'waitlist_entry', 'payment', 'prepayment', 'refund', 'event_staff_access', 'notification_template', 'payment_account', 'promo_code', 'event_message', 'message_mute', 'api_token', 'webhook_endpoint', 'webhook_delivery'));
ALTER TABLE "audit_logs" DROP CONSTRAINT IF EXISTS "audit_logs_action_check";
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_action_check" CHECK ("action" IN ('user.email_verified', 'user.password_changed', 'user.password_reset', 'user.deleted', 'user.telegram_linked', 'user.telegram_unlinked', 'user.platform_admin_granted', 'organization_request.submitted', 'organization_request.approved', 'organization_request.rejected', 'organization.created', 'organization.updated', 'organization.ownership_transferred', 'organization.deleted', 'payments.exported', 'member.joined_by_invite', 'member.removed', 'member.left', 'invite.created', 'invite.revoked', 'group.created', 'group.updated', 'group.code_regenerated', 'group.deleted', 'group_member.joined_by_code', 'group_member.removed', 'group_member.left', 'event.created', 'event.updated', 'event.published', 'event.unpublished', 'event.cancelled', 'event.completed', 'event.deleted', 'ticket_types.reordered', 'registrations.exported', 'ticket_type.created', 'ticket_type.updated', 'ticket_type.activated', 'ticket_type.deactivated', 'ticket_type.deleted', 'registration.created', 'registration.expired', 'registration.paid', 'registration.cancelled', 'registration.cancelled_by_organizer', 'registration.cancelled_unpaid_prepayment', 'registration.cancelled_payment_overdue', 'registration.checked_in', 'registration.check_in_earlier_scan', 'waitlist.joined', 'waitlist.offered', 'waitlist.offer_expired', 'waitlist.left', 'waitlist.claimed', 'payment.recorded', 'prepayment.completed', 'refund.requested', 'refund.completed', 'refund.failed', 'check_in.staff_link_created', 'check_in.staff_link_revoked', 'notification_template.created', 'notification_template.updated', 'notification_template.deleted', 'payment_account.connected', 'payment_account.updated', 'payment_account.disconnected', 'payment_account.tested', 'promo_code.created', 'promo_code.deactivated', 'event_message.scheduled', 'event_message.cancelled', 'event_message.sent', 'message_mute.created', 'message_mute.deleted', 'api_token.created', 'api_token.revoked', 'api_token.used', 'webhook_endpoint.created', 'webhook_endpoint.updated', 'webhook_endpoint.deleted', 'webhook_endpoint.disabled', 'webhook_endpoint.enabled', 'webhook_endpoint.secret_rotated', 'webhook_delivery.redelivered'));
