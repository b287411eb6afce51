-- Issue 17: the outbound webhooks' outbox (docs/webhooks.md → "The outbox"). Database triggers write a
-- webhook_events row (the exact body to send), one webhook_deliveries row per subscribed ENABLED endpoint
-- and one `jobs` row per delivery (the job system's own outbox, lib/jobs/enqueue.ts), in the SAME
-- transaction as the change — whichever code path made it (a service, the sale's one-statement hot path,
-- a bulk UPDATE of an event's cancellation, a sweep). A rolled-back change leaves nothing; a committed one
-- is delivered after the commit by the job `deliver-webhook` (lib/worker/functions/webhooks.ts).
--
-- Like the analytics rollups (migration 20261208001000) the triggers are STATEMENT-level AFTER triggers
-- with transition tables: a bulk statement of 10,000 rows is one trigger call that writes its events,
-- deliveries and jobs in three set-based INSERTs. Each trigger keeps only the rows whose change is the
-- event (e.g. status moved to CANCELLED) AND whose organization has an enabled endpoint subscribed to the
-- type (webhook_subscribed: an index lookup on webhook_endpoints(organization_id)); an organization without
-- webhooks pays that lookup and nothing else.
--
-- The payload's `data` of each type is documented in docs/webhooks.md and described exactly by the zod
-- schemas of lib/webhooks/payloads.ts (tests/integration/webhooks.test.ts validates real trigger output
-- against them). Timestamps are ISO 8601 UTC with milliseconds, like JavaScript's toISOString().
--
-- The job rows are the ones enqueue('webhooks/delivery-requested', { deliveryId }, { id:
-- 'webhook-delivery:<deliveryId>:1' }) writes for the catalogue's `deliver-webhook` (lib/jobs/catalogue.ts;
-- the test "the trigger's job row is the one enqueue() writes" compares them column by column). After the
-- commit a NOTIFY on aq_jobs_wake (transactional: sent only on commit) wakes the worker's runner at once.

-- An instant as the webhooks show it: "2026-12-09T10:00:00.000Z".
CREATE FUNCTION webhook_iso(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- Whether the organization has an enabled endpoint subscribed to the type (webhook_endpoints_organization_id_idx).
CREATE FUNCTION webhook_subscribed(org uuid, event_type text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.organization_id = org AND e.enabled AND event_type = ANY (e.event_types)) $$;

-- Writes one event per (organization, data) pair, its deliveries and their jobs. Returns the deliveries written.
CREATE FUNCTION webhook_emit(event_type text, orgs uuid[], datas jsonb[]) RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  IF coalesce(cardinality(orgs), 0) = 0 THEN RETURN 0; END IF;
  WITH ev AS (
    INSERT INTO webhook_events (id, organization_id, type, payload, created_at)
    SELECT gen_random_uuid(), u.org, event_type,
           jsonb_build_object('type', event_type, 'timestamp', webhook_iso(now()), 'data', u.data), now()
      FROM unnest(orgs, datas) WITH ORDINALITY AS u(org, data, ord)
     ORDER BY u.ord
    RETURNING id, organization_id
  ), dl AS (
    INSERT INTO webhook_deliveries (id, webhook_event_id, endpoint_id, status, attempts, next_attempt_at, created_at)
    SELECT gen_random_uuid(), ev.id, e.id, 'PENDING', 0, now(), now()
      FROM ev JOIN webhook_endpoints e ON e.organization_id = ev.organization_id AND e.enabled AND event_type = ANY (e.event_types)
    RETURNING id
  )
  INSERT INTO jobs (id, name, event_name, payload, dedupe_key, max_attempts, run_at, created_at, updated_at)
  SELECT gen_random_uuid(), 'deliver-webhook', 'webhooks/delivery-requested', jsonb_build_object('deliveryId', dl.id),
         'deliver-webhook:webhook-delivery:' || dl.id::text || ':1', 3, now(), now(), now()
    FROM dl
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS written = ROW_COUNT;
  IF written > 0 THEN
    PERFORM pg_notify('aq_jobs_wake', '{"from":"db:webhooks","tags":["wake"]}');
  END IF;
  RETURN written;
END $$;

-- ───────────────────────────── the objects as webhooks show them ─────────────────────────────

-- lib/webhooks/payloads.ts webhookRegistration. The email: the guest's, else the participant's account email.
CREATE FUNCTION webhook_registration_json(r registrations) RETURNS jsonb
  LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', r.id, 'eventId', r.event_id, 'ticketTypeId', r.ticket_type_id, 'status', r.status,
    'confirmationCode', r.confirmation_code, 'firstName', r.first_name, 'lastName', r.last_name,
    'email', coalesce(r.email, (SELECT u.email FROM users u WHERE u.id = r.user_id)),
    'priceCents', r.price_cents, 'currency', r.currency, 'promoCodeId', r.promo_code_id,
    'expiresAt', webhook_iso(r.expires_at), 'confirmedAt', webhook_iso(r.confirmed_at),
    'cancelledAt', webhook_iso(r.cancelled_at), 'cancellationReason', r.cancellation_reason,
    'createdAt', webhook_iso(r.created_at), 'updatedAt', webhook_iso(r.updated_at)) $$;

-- lib/webhooks/payloads.ts webhookPayment (eventId: the registration's event).
CREATE FUNCTION webhook_payment_json(p payments) RETURNS jsonb
  LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', p.id, 'registrationId', p.registration_id, 'eventId', (SELECT r.event_id FROM registrations r WHERE r.id = p.registration_id),
    'provider', p.provider, 'providerPaymentId', p.provider_payment_id, 'kind', p.kind, 'status', p.status,
    'amountCents', p.amount_cents, 'refundedCents', p.refunded_cents, 'currency', p.currency,
    'completedAt', webhook_iso(p.completed_at), 'createdAt', webhook_iso(p.created_at), 'updatedAt', webhook_iso(p.updated_at)) $$;

-- lib/webhooks/payloads.ts webhookEvent.
CREATE FUNCTION webhook_event_json(e events) RETURNS jsonb
  LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', e.id, 'slug', e.slug, 'title', e.title, 'description', e.description, 'status', e.status,
    'startsAt', webhook_iso(e.starts_at), 'endsAt', webhook_iso(e.ends_at), 'timezone', e.timezone,
    'locationType', e.location_type, 'locationAddress', e.location_address, 'locationUrl', e.location_url,
    'groupId', e.group_id, 'publishedAt', webhook_iso(e.published_at), 'cancelledAt', webhook_iso(e.cancelled_at),
    'cancellationReason', e.cancellation_reason, 'updatedAt', webhook_iso(e.updated_at)) $$;

-- ───────────────────────────── registrations ─────────────────────────────

-- registration.created: a registration inserted in a live state (a sale, a waitlist claim, an import).
CREATE FUNCTION webhooks_registrations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_emit('registration.created',
           array_agg(r.tenant_id ORDER BY r.created_at, r.id),
           array_agg(jsonb_build_object('registration', webhook_registration_json(r)) ORDER BY r.created_at, r.id))
     FROM new_rows n JOIN registrations r ON r.id = n.id
    WHERE n.status IN ('RESERVED', 'PENDING', 'CONFIRMED') AND webhook_subscribed(n.tenant_id, 'registration.created');
  RETURN NULL;
END $$;

-- registration.cancelled: status moved to CANCELLED (one event per registration, also in a bulk cancellation).
CREATE FUNCTION webhooks_registrations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_emit('registration.cancelled',
           array_agg(r.tenant_id ORDER BY r.id),
           array_agg(jsonb_build_object('registration', webhook_registration_json(r)) ORDER BY r.id))
     FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN registrations r ON r.id = n.id
    WHERE n.status = 'CANCELLED' AND o.status <> 'CANCELLED' AND webhook_subscribed(n.tenant_id, 'registration.cancelled');
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_registrations_inserted AFTER INSERT ON registrations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_registrations_inserted();
CREATE TRIGGER webhooks_registrations_updated AFTER UPDATE ON registrations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_registrations_updated();

-- ───────────────────────────── check-ins ─────────────────────────────

-- registration.checked_in: a check_ins row. The registration is read after the whole statement (the scan
-- updates it to CHECKED_IN in the same statement), so its status is the final one.
CREATE FUNCTION webhooks_check_ins_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_emit('registration.checked_in',
           array_agg(r.tenant_id ORDER BY n.checked_in_at, n.id),
           array_agg(jsonb_build_object(
             'registration', webhook_registration_json(r),
             'checkIn', jsonb_build_object('id', n.id, 'method', n.check_in_method, 'checkedInAt', webhook_iso(n.checked_in_at)))
             ORDER BY n.checked_in_at, n.id))
     FROM new_rows n JOIN registrations r ON r.id = n.registration_id
    WHERE webhook_subscribed(r.tenant_id, 'registration.checked_in');
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_check_ins_inserted AFTER INSERT ON check_ins
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_check_ins_inserted();

-- ───────────────────────────── payments and refunds ─────────────────────────────

-- payment.completed: a payment written COMPLETED (recorded at the door) or moved to COMPLETED (online).
CREATE FUNCTION webhooks_payments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_emit('payment.completed',
           array_agg(p.tenant_id ORDER BY p.id),
           array_agg(jsonb_build_object('payment', webhook_payment_json(p)) ORDER BY p.id))
     FROM new_rows n JOIN payments p ON p.id = n.id
    WHERE n.status = 'COMPLETED' AND webhook_subscribed(n.tenant_id, 'payment.completed');
  RETURN NULL;
END $$;

CREATE FUNCTION webhooks_payments_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_emit('payment.completed',
           array_agg(p.tenant_id ORDER BY p.id),
           array_agg(jsonb_build_object('payment', webhook_payment_json(p)) ORDER BY p.id))
     FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN payments p ON p.id = n.id
    WHERE n.status = 'COMPLETED' AND o.status <> 'COMPLETED' AND webhook_subscribed(n.tenant_id, 'payment.completed');
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_payments_inserted AFTER INSERT ON payments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_payments_inserted();
CREATE TRIGGER webhooks_payments_updated AFTER UPDATE ON payments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_payments_updated();

-- refund.completed: a refund moved to COMPLETED (refunds are created PENDING; an insert COMPLETED counts too).
CREATE FUNCTION webhook_refund_rows(ids uuid[]) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(ids), 0) = 0 THEN RETURN 0; END IF;
  RETURN webhook_emit('refund.completed',
           array_agg(p.tenant_id ORDER BY f.id),
           array_agg(jsonb_build_object('refund', jsonb_build_object(
             'id', f.id, 'paymentId', f.payment_id, 'registrationId', p.registration_id, 'eventId', r.event_id,
             'status', f.status, 'amountCents', f.amount_cents, 'currency', p.currency, 'reason', f.reason,
             'origin', f.origin, 'providerRefundId', f.provider_refund_id,
             'completedAt', webhook_iso(f.completed_at), 'createdAt', webhook_iso(f.created_at))) ORDER BY f.id))
    FROM refunds f
    JOIN payments p ON p.id = f.payment_id
    JOIN registrations r ON r.id = p.registration_id
   WHERE f.id = ANY (ids) AND webhook_subscribed(p.tenant_id, 'refund.completed');
END $$;

CREATE FUNCTION webhooks_refunds_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_refund_rows(ARRAY(SELECT n.id FROM new_rows n WHERE n.status = 'COMPLETED'));
  RETURN NULL;
END $$;

CREATE FUNCTION webhooks_refunds_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_refund_rows(ARRAY(SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.status = 'COMPLETED' AND o.status <> 'COMPLETED'));
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_refunds_inserted AFTER INSERT ON refunds
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_refunds_inserted();
CREATE TRIGGER webhooks_refunds_updated AFTER UPDATE ON refunds
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_refunds_updated();

-- ───────────────────────────── events ─────────────────────────────

-- event.cancelled: status moved to CANCELLED. event.updated: a PUBLISHED event (before and after) whose
-- public fields changed; `changed` names them (camelCase, as in `data.event`).
CREATE FUNCTION webhooks_events_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_emit('event.cancelled',
           array_agg(e.tenant_id ORDER BY e.id),
           array_agg(jsonb_build_object('event', webhook_event_json(e)) ORDER BY e.id))
     FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN events e ON e.id = n.id
    WHERE n.status = 'CANCELLED' AND o.status <> 'CANCELLED' AND n.deleted_at IS NULL
      AND webhook_subscribed(n.tenant_id, 'event.cancelled');

  PERFORM webhook_emit('event.updated',
           array_agg(c.tenant_id ORDER BY c.id),
           array_agg(jsonb_build_object('event', c.event, 'changed', to_jsonb(c.changed)) ORDER BY c.id))
     FROM (
       SELECT n.id, n.tenant_id, webhook_event_json(e) AS event,
              array_remove(ARRAY[
                CASE WHEN o.slug IS DISTINCT FROM n.slug THEN 'slug' END,
                CASE WHEN o.title IS DISTINCT FROM n.title THEN 'title' END,
                CASE WHEN o.description IS DISTINCT FROM n.description THEN 'description' END,
                CASE WHEN o.starts_at IS DISTINCT FROM n.starts_at THEN 'startsAt' END,
                CASE WHEN o.ends_at IS DISTINCT FROM n.ends_at THEN 'endsAt' END,
                CASE WHEN o.timezone IS DISTINCT FROM n.timezone THEN 'timezone' END,
                CASE WHEN o.location_type IS DISTINCT FROM n.location_type THEN 'locationType' END,
                CASE WHEN o.location_address IS DISTINCT FROM n.location_address THEN 'locationAddress' END,
                CASE WHEN o.location_url IS DISTINCT FROM n.location_url THEN 'locationUrl' END,
                CASE WHEN o.group_id IS DISTINCT FROM n.group_id THEN 'groupId' END
              ], NULL) AS changed
         FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN events e ON e.id = n.id
        WHERE o.status = 'PUBLISHED' AND n.status = 'PUBLISHED' AND n.deleted_at IS NULL
          AND webhook_subscribed(n.tenant_id, 'event.updated')
     ) c
    WHERE cardinality(c.changed) > 0;
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_events_updated AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_events_updated();

-- ───────────────────────────── waitlist ─────────────────────────────

-- waitlist.offered: an entry moved to NOTIFIED (a seat is held for it). The person's name and email: the
-- entry's, else their account's.
CREATE FUNCTION webhook_waitlist_rows(ids uuid[]) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(ids), 0) = 0 THEN RETURN 0; END IF;
  RETURN webhook_emit('waitlist.offered',
           array_agg(ev.tenant_id ORDER BY w.id),
           array_agg(jsonb_build_object('waitlistEntry', jsonb_build_object(
             'id', w.id, 'eventId', w.event_id, 'ticketTypeId', w.ticket_type_id, 'offeredTicketTypeId', w.offered_ticket_type_id,
             'status', w.status, 'position', w.position,
             'firstName', coalesce(w.first_name, u.first_name), 'lastName', coalesce(w.last_name, u.last_name),
             'email', coalesce(w.email, u.email), 'notifiedAt', webhook_iso(w.notified_at), 'expiresAt', webhook_iso(w.expires_at),
             'createdAt', webhook_iso(w.created_at))) ORDER BY w.id))
    FROM waitlist_entries w
    JOIN events ev ON ev.id = w.event_id
    LEFT JOIN users u ON u.id = w.user_id
   WHERE w.id = ANY (ids) AND webhook_subscribed(ev.tenant_id, 'waitlist.offered');
END $$;

CREATE FUNCTION webhooks_waitlist_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_waitlist_rows(ARRAY(SELECT n.id FROM new_rows n WHERE n.status = 'NOTIFIED'));
  RETURN NULL;
END $$;

CREATE FUNCTION webhooks_waitlist_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_waitlist_rows(ARRAY(SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.status = 'NOTIFIED' AND o.status <> 'NOTIFIED'));
  RETURN NULL;
END $$;

CREATE TRIGGER webhooks_waitlist_inserted AFTER INSERT ON waitlist_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_waitlist_inserted();
CREATE TRIGGER webhooks_waitlist_updated AFTER UPDATE ON waitlist_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhooks_waitlist_updated();
