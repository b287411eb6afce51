-- Issue 16: analytics rollups (docs/analytics.md → "Rollups"). Small tables that the analytics views read
-- instead of counting registrations, check-ins, payments and refunds row by row. They are kept by
-- STATEMENT-level AFTER triggers with transition tables, in the same transaction as the change, so a
-- rollup is always exactly a function of the rows it counts (integration test: every figure equals a
-- recount from the base tables; the backfill below equals a recount).
--
-- How a trigger writes: it turns the statement's old rows into −1 and its new rows into +1 contributions,
-- aggregates the whole statement per rollup key (a bulk cancellation of 10,000 registrations is a few
-- upserts, not 10,000), drops keys whose net change is zero (an UPDATE that changes nothing counted —
-- change_xid, updated_at, an e-mail — writes nothing), and upserts each key once IN KEY ORDER
-- (INSERT … SELECT … ORDER BY … ON CONFLICT DO UPDATE), so two statements never take rollup rows in
-- opposite orders.
--
-- Lock order (docs/registrations.md: registrations → ticket_types): rollup rows of registrations are
-- guarded by their ticket type's row. The registrations trigger first locks the ticket types it touches
-- (id order, FOR NO KEY UPDATE — the lock a sale's UPDATE takes), then upserts. A sale already holds its
-- type's lock (re-taking it is free); a cancellation, which updates the registration and only then its
-- ticket type, now takes the type at the end of its first statement instead of its second — same order,
-- so a cancellation and a sale of the same type cannot deadlock on a rollup row.
--
-- Time zones: hours are wall-clock hours in the EVENT's zone (events.timezone) and days are calendar days
-- in the ORGANIZATION's zone (analytics_org_zone(settings)), so days and hours are exact in every zone,
-- half-hour offsets included; arrivals are 15-minute UTC buckets (every zone's offset is a multiple of 15
-- minutes). When an event's or an organization's zone changes, its rows are rebuilt (triggers below).

-- The organization's time zone: settings.defaultTimezone, Europe/Moscow unless it says otherwise
-- (lib/validation/organizations.ts). The services read the zone through this same function.
CREATE FUNCTION analytics_org_zone(settings jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(nullif(settings->>'defaultTimezone', ''), 'Europe/Moscow') $$;

-- The 15-minute bucket of an instant (UTC-aligned).
CREATE FUNCTION analytics_quarter(at timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_bin(interval '15 minutes', at, timestamptz '2000-01-01 00:00:00+00') $$;

-- ───────────────────────────── tables ─────────────────────────────

-- Registrations created / confirmed / cancelled per event × ticket type × hour (event's wall clock),
-- by created_at / confirmed_at / cancelled_at. The event's daily and hourly series and funnel.
CREATE TABLE "analytics_registration_hours" (
  "event_id"       UUID      NOT NULL REFERENCES "events"("id") ON DELETE CASCADE,
  "ticket_type_id" UUID      NOT NULL REFERENCES "ticket_types"("id") ON DELETE CASCADE,
  "local_hour"     TIMESTAMP NOT NULL,
  "created"        INTEGER   NOT NULL DEFAULT 0,
  "confirmed"      INTEGER   NOT NULL DEFAULT 0,
  "cancelled"      INTEGER   NOT NULL DEFAULT 0,
  PRIMARY KEY ("event_id", "ticket_type_id", "local_hour")
);
CREATE INDEX "analytics_registration_hours_ticket_type_id_idx" ON "analytics_registration_hours" ("ticket_type_id");

-- Registrations per event × ticket type × current status.
CREATE TABLE "analytics_registration_statuses" (
  "event_id"       UUID                 NOT NULL REFERENCES "events"("id") ON DELETE CASCADE,
  "ticket_type_id" UUID                 NOT NULL REFERENCES "ticket_types"("id") ON DELETE CASCADE,
  "status"         "RegistrationStatus" NOT NULL,
  "count"          INTEGER              NOT NULL DEFAULT 0,
  PRIMARY KEY ("event_id", "ticket_type_id", "status")
);
CREATE INDEX "analytics_registration_statuses_ticket_type_id_idx" ON "analytics_registration_statuses" ("ticket_type_id");

-- Registrations created / confirmed / cancelled per organization × day (organization's zone) × event ×
-- ticket type: the organization dashboard and the platform view.
CREATE TABLE "analytics_registration_days" (
  "tenant_id"      UUID    NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
  "day"            DATE    NOT NULL,
  "event_id"       UUID    NOT NULL REFERENCES "events"("id") ON DELETE CASCADE,
  "ticket_type_id" UUID    NOT NULL REFERENCES "ticket_types"("id") ON DELETE CASCADE,
  "created"        INTEGER NOT NULL DEFAULT 0,
  "confirmed"      INTEGER NOT NULL DEFAULT 0,
  "cancelled"      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY ("tenant_id", "day", "event_id", "ticket_type_id")
);
-- the platform view: every organization's days of a period
CREATE INDEX "analytics_registration_days_day_idx" ON "analytics_registration_days" ("day");
CREATE INDEX "analytics_registration_days_event_id_idx" ON "analytics_registration_days" ("event_id");
CREATE INDEX "analytics_registration_days_ticket_type_id_idx" ON "analytics_registration_days" ("ticket_type_id");

-- Check-ins per event × 15 minutes of checked_in_at (the scan's own time): arrivals, and the
-- organization's checked-in per day.
CREATE TABLE "analytics_check_in_quarters" (
  "event_id"  UUID        NOT NULL REFERENCES "events"("id") ON DELETE CASCADE,
  "bucket"    TIMESTAMPTZ NOT NULL,
  "tenant_id" UUID        NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
  "count"     INTEGER     NOT NULL DEFAULT 0,
  PRIMARY KEY ("event_id", "bucket")
);
-- the organization dashboard: its check-ins over a period
CREATE INDEX "analytics_check_in_quarters_tenant_id_bucket_idx" ON "analytics_check_in_quarters" ("tenant_id", "bucket");

-- Money per organization × day (organization's zone) × event × currency: payments taken (status
-- COMPLETED, PARTIALLY_REFUNDED, REFUNDED; on the day of completed_at, else created_at) and refunds
-- COMPLETED (on the day of completed_at, else updated_at) — the payments view's rule (lib/payments/report.ts).
CREATE TABLE "analytics_money_days" (
  "tenant_id"      UUID       NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
  "day"            DATE       NOT NULL,
  "event_id"       UUID       NOT NULL REFERENCES "events"("id") ON DELETE CASCADE,
  "currency"       "Currency" NOT NULL,
  "gross_cents"    BIGINT     NOT NULL DEFAULT 0,
  "payments"       INTEGER    NOT NULL DEFAULT 0,
  "refunded_cents" BIGINT     NOT NULL DEFAULT 0,
  "refunds"        INTEGER    NOT NULL DEFAULT 0,
  PRIMARY KEY ("tenant_id", "day", "event_id", "currency")
);
CREATE INDEX "analytics_money_days_day_idx" ON "analytics_money_days" ("day");
-- the event view: its money over all days
CREATE INDEX "analytics_money_days_event_id_idx" ON "analytics_money_days" ("event_id");

-- ───────────────────────────── registrations ─────────────────────────────

-- One contribution of a registration row: +1 (new row) or −1 (old row).
CREATE TYPE analytics_registration_delta AS (
  tenant_id      uuid,
  event_id       uuid,
  ticket_type_id uuid,
  status         "RegistrationStatus",
  created_at     timestamptz,
  confirmed_at   timestamptz,
  cancelled_at   timestamptz,
  sign           integer
);

CREATE FUNCTION analytics_apply_registrations(d analytics_registration_delta[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(d), 0) = 0 THEN RETURN; END IF;
  -- the ticket types first, in id order (see the lock order above)
  PERFORM 1 FROM ticket_types t
   WHERE t.id IN (SELECT DISTINCT x.ticket_type_id FROM unnest(d) x)
   ORDER BY t.id FOR NO KEY UPDATE;

  INSERT INTO analytics_registration_hours AS h (event_id, ticket_type_id, local_hour, created, confirmed, cancelled)
  SELECT x.event_id, x.ticket_type_id, x.hour, sum(x.c)::int, sum(x.f)::int, sum(x.k)::int
    FROM (
      SELECT u.event_id, u.ticket_type_id, date_trunc('hour', u.created_at AT TIME ZONE e.timezone) AS hour, u.sign AS c, 0 AS f, 0 AS k
        FROM unnest(d) u JOIN events e ON e.id = u.event_id
      UNION ALL
      SELECT u.event_id, u.ticket_type_id, date_trunc('hour', u.confirmed_at AT TIME ZONE e.timezone), 0, u.sign, 0
        FROM unnest(d) u JOIN events e ON e.id = u.event_id WHERE u.confirmed_at IS NOT NULL
      UNION ALL
      SELECT u.event_id, u.ticket_type_id, date_trunc('hour', u.cancelled_at AT TIME ZONE e.timezone), 0, 0, u.sign
        FROM unnest(d) u JOIN events e ON e.id = u.event_id WHERE u.cancelled_at IS NOT NULL
    ) x
   GROUP BY 1, 2, 3
  HAVING sum(x.c) <> 0 OR sum(x.f) <> 0 OR sum(x.k) <> 0
   ORDER BY 1, 2, 3
  ON CONFLICT (event_id, ticket_type_id, local_hour) DO UPDATE
     SET created = h.created + excluded.created, confirmed = h.confirmed + excluded.confirmed, cancelled = h.cancelled + excluded.cancelled;

  INSERT INTO analytics_registration_statuses AS s (event_id, ticket_type_id, status, count)
  SELECT u.event_id, u.ticket_type_id, u.status, sum(u.sign)::int
    FROM unnest(d) u
   GROUP BY 1, 2, 3
  HAVING sum(u.sign) <> 0
   ORDER BY 1, 2, 3
  ON CONFLICT (event_id, ticket_type_id, status) DO UPDATE SET count = s.count + excluded.count;

  INSERT INTO analytics_registration_days AS a (tenant_id, day, event_id, ticket_type_id, created, confirmed, cancelled)
  SELECT x.tenant_id, x.day, x.event_id, x.ticket_type_id, sum(x.c)::int, sum(x.f)::int, sum(x.k)::int
    FROM (
      SELECT u.tenant_id, (u.created_at AT TIME ZONE analytics_org_zone(o.settings))::date AS day, u.event_id, u.ticket_type_id, u.sign AS c, 0 AS f, 0 AS k
        FROM unnest(d) u JOIN organizations o ON o.id = u.tenant_id
      UNION ALL
      SELECT u.tenant_id, (u.confirmed_at AT TIME ZONE analytics_org_zone(o.settings))::date, u.event_id, u.ticket_type_id, 0, u.sign, 0
        FROM unnest(d) u JOIN organizations o ON o.id = u.tenant_id WHERE u.confirmed_at IS NOT NULL
      UNION ALL
      SELECT u.tenant_id, (u.cancelled_at AT TIME ZONE analytics_org_zone(o.settings))::date, u.event_id, u.ticket_type_id, 0, 0, u.sign
        FROM unnest(d) u JOIN organizations o ON o.id = u.tenant_id WHERE u.cancelled_at IS NOT NULL
    ) x
   GROUP BY 1, 2, 3, 4
  HAVING sum(x.c) <> 0 OR sum(x.f) <> 0 OR sum(x.k) <> 0
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, day, event_id, ticket_type_id) DO UPDATE
     SET created = a.created + excluded.created, confirmed = a.confirmed + excluded.confirmed, cancelled = a.cancelled + excluded.cancelled;
END $$;

CREATE FUNCTION analytics_registrations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_registrations(ARRAY(
    SELECT ROW(n.tenant_id, n.event_id, n.ticket_type_id, n.status, n.created_at, n.confirmed_at, n.cancelled_at, 1)::analytics_registration_delta
      FROM new_rows n));
  RETURN NULL;
END $$;

CREATE FUNCTION analytics_registrations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_registrations(ARRAY(
    SELECT ROW(o.tenant_id, o.event_id, o.ticket_type_id, o.status, o.created_at, o.confirmed_at, o.cancelled_at, -1)::analytics_registration_delta
      FROM old_rows o));
  RETURN NULL;
END $$;

-- Only rows whose counted columns changed contribute (the check-in stamp, updated_at, contact edits: nothing).
CREATE FUNCTION analytics_registrations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply_registrations(ARRAY(
    SELECT ROW(v.tenant_id, v.event_id, v.ticket_type_id, v.status, v.created_at, v.confirmed_at, v.cancelled_at, v.sign)::analytics_registration_delta
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     CROSS JOIN LATERAL (VALUES
       (o.tenant_id, o.event_id, o.ticket_type_id, o.status, o.created_at, o.confirmed_at, o.cancelled_at, -1),
       (n.tenant_id, n.event_id, n.ticket_type_id, n.status, n.created_at, n.confirmed_at, n.cancelled_at, 1)
     ) AS v(tenant_id, event_id, ticket_type_id, status, created_at, confirmed_at, cancelled_at, sign)
     WHERE (o.tenant_id, o.event_id, o.ticket_type_id, o.status, o.created_at, o.confirmed_at, o.cancelled_at)
           IS DISTINCT FROM (n.tenant_id, n.event_id, n.ticket_type_id, n.status, n.created_at, n.confirmed_at, n.cancelled_at)));
  RETURN NULL;
END $$;

CREATE TRIGGER "registrations_analytics_insert" AFTER INSERT ON "registrations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_registrations_inserted();
CREATE TRIGGER "registrations_analytics_update" AFTER UPDATE ON "registrations"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_registrations_updated();
CREATE TRIGGER "registrations_analytics_delete" AFTER DELETE ON "registrations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_registrations_deleted();

-- ───────────────────────────── check-ins ─────────────────────────────

CREATE TYPE analytics_check_in_delta AS (event_id uuid, checked_in_at timestamptz, sign integer);

CREATE FUNCTION analytics_apply_check_ins(d analytics_check_in_delta[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(d), 0) = 0 THEN RETURN; END IF;
  INSERT INTO analytics_check_in_quarters AS q (event_id, bucket, tenant_id, count)
  SELECT u.event_id, analytics_quarter(u.checked_in_at), e.tenant_id, sum(u.sign)::int
    FROM unnest(d) u JOIN events e ON e.id = u.event_id
   GROUP BY 1, 2, 3
  HAVING sum(u.sign) <> 0
   ORDER BY 1, 2
  ON CONFLICT (event_id, bucket) DO UPDATE SET count = q.count + excluded.count;
END $$;

CREATE FUNCTION analytics_check_ins_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM analytics_apply_check_ins(ARRAY(SELECT ROW(n.event_id, n.checked_in_at, 1)::analytics_check_in_delta FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM analytics_apply_check_ins(ARRAY(SELECT ROW(o.event_id, o.checked_in_at, -1)::analytics_check_in_delta FROM old_rows o));
  ELSE
    -- an earlier scan of the same ticket moves checked_in_at (lib/check-in/check-in.ts)
    PERFORM analytics_apply_check_ins(ARRAY(
      SELECT ROW(v.event_id, v.checked_in_at, v.sign)::analytics_check_in_delta
        FROM old_rows o JOIN new_rows n ON n.id = o.id
       CROSS JOIN LATERAL (VALUES (o.event_id, o.checked_in_at, -1), (n.event_id, n.checked_in_at, 1)) AS v(event_id, checked_in_at, sign)
       WHERE (o.event_id, o.checked_in_at) IS DISTINCT FROM (n.event_id, n.checked_in_at)));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "check_ins_analytics_insert" AFTER INSERT ON "check_ins"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_check_ins_changed();
CREATE TRIGGER "check_ins_analytics_update" AFTER UPDATE ON "check_ins"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_check_ins_changed();
CREATE TRIGGER "check_ins_analytics_delete" AFTER DELETE ON "check_ins"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_check_ins_changed();

-- ───────────────────────────── money ─────────────────────────────

-- One contribution to a money row: a payment taken (gross, payments) or a refund completed (refunded, refunds).
CREATE TYPE analytics_money_delta AS (
  tenant_id      uuid,
  event_id       uuid,
  currency       "Currency",
  at             timestamptz,
  gross_cents    bigint,
  payments       integer,
  refunded_cents bigint,
  refunds        integer
);

CREATE FUNCTION analytics_apply_money(d analytics_money_delta[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(d), 0) = 0 THEN RETURN; END IF;
  INSERT INTO analytics_money_days AS m (tenant_id, day, event_id, currency, gross_cents, payments, refunded_cents, refunds)
  SELECT u.tenant_id, (u.at AT TIME ZONE analytics_org_zone(o.settings))::date, u.event_id, u.currency,
         sum(u.gross_cents), sum(u.payments)::int, sum(u.refunded_cents), sum(u.refunds)::int
    FROM unnest(d) u JOIN organizations o ON o.id = u.tenant_id
   GROUP BY 1, 2, 3, 4
  HAVING sum(u.gross_cents) <> 0 OR sum(u.payments) <> 0 OR sum(u.refunded_cents) <> 0 OR sum(u.refunds) <> 0
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, day, event_id, currency) DO UPDATE
     SET gross_cents = m.gross_cents + excluded.gross_cents, payments = m.payments + excluded.payments,
         refunded_cents = m.refunded_cents + excluded.refunded_cents, refunds = m.refunds + excluded.refunds;
END $$;

-- A payment counts when its status is a gross one (taken), on the day it was taken. (Transition tables
-- exist only for the statement's kind: the rows are copied into arrays first, so one query serves all three.)
CREATE FUNCTION analytics_payments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  news payments[] := '{}';
  olds payments[] := '{}';
BEGIN
  IF TG_OP <> 'DELETE' THEN news := ARRAY(SELECT n FROM new_rows n WHERE n.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')); END IF;
  IF TG_OP <> 'INSERT' THEN olds := ARRAY(SELECT o FROM old_rows o WHERE o.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED')); END IF;
  IF cardinality(news) + cardinality(olds) = 0 THEN RETURN NULL; END IF;
  PERFORM analytics_apply_money(ARRAY(
    SELECT ROW(v.tenant_id, r.event_id, v.currency, coalesce(v.completed_at, v.created_at), v.sign * v.amount_cents::bigint, v.sign, 0, 0)::analytics_money_delta
      FROM (SELECT n.*, 1 AS sign FROM unnest(news) n UNION ALL SELECT o.*, -1 FROM unnest(olds) o) v
      JOIN registrations r ON r.id = v.registration_id));
  RETURN NULL;
END $$;

-- A refund counts when COMPLETED, on the day it completed, in its payment's currency.
CREATE FUNCTION analytics_refunds_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  news refunds[] := '{}';
  olds refunds[] := '{}';
BEGIN
  IF TG_OP <> 'DELETE' THEN news := ARRAY(SELECT n FROM new_rows n WHERE n.status = 'COMPLETED'); END IF;
  IF TG_OP <> 'INSERT' THEN olds := ARRAY(SELECT o FROM old_rows o WHERE o.status = 'COMPLETED'); END IF;
  IF cardinality(news) + cardinality(olds) = 0 THEN RETURN NULL; END IF;
  PERFORM analytics_apply_money(ARRAY(
    SELECT ROW(p.tenant_id, r.event_id, p.currency, coalesce(v.completed_at, v.updated_at), 0, 0, v.sign * v.amount_cents::bigint, v.sign)::analytics_money_delta
      FROM (SELECT n.*, 1 AS sign FROM unnest(news) n UNION ALL SELECT o.*, -1 FROM unnest(olds) o) v
      JOIN payments p ON p.id = v.payment_id
      JOIN registrations r ON r.id = p.registration_id));
  RETURN NULL;
END $$;

CREATE TRIGGER "payments_analytics_insert" AFTER INSERT ON "payments"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_payments_changed();
CREATE TRIGGER "payments_analytics_update" AFTER UPDATE ON "payments"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_payments_changed();
CREATE TRIGGER "payments_analytics_delete" AFTER DELETE ON "payments"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_payments_changed();
CREATE TRIGGER "refunds_analytics_insert" AFTER INSERT ON "refunds"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_refunds_changed();
CREATE TRIGGER "refunds_analytics_update" AFTER UPDATE ON "refunds"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_refunds_changed();
CREATE TRIGGER "refunds_analytics_delete" AFTER DELETE ON "refunds"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_refunds_changed();

-- ───────────────────────────── rebuild (backfill, zone changes) ─────────────────────────────

-- Recounts the rollups of some events (all of them when `events` is null) from the base tables: the
-- backfill below, and an event or organization whose time zone changed. The same contributions as the
-- triggers (the apply functions), so a rebuild equals what the triggers would have written.
CREATE FUNCTION analytics_rebuild(events uuid[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM analytics_registration_hours WHERE events IS NULL OR event_id = ANY(events);
  DELETE FROM analytics_registration_statuses WHERE events IS NULL OR event_id = ANY(events);
  DELETE FROM analytics_registration_days WHERE events IS NULL OR event_id = ANY(events);
  DELETE FROM analytics_check_in_quarters WHERE events IS NULL OR event_id = ANY(events);
  DELETE FROM analytics_money_days WHERE events IS NULL OR event_id = ANY(events);
  PERFORM analytics_apply_registrations(ARRAY(
    SELECT ROW(r.tenant_id, r.event_id, r.ticket_type_id, r.status, r.created_at, r.confirmed_at, r.cancelled_at, 1)::analytics_registration_delta
      FROM registrations r WHERE events IS NULL OR r.event_id = ANY(events)));
  PERFORM analytics_apply_check_ins(ARRAY(
    SELECT ROW(c.event_id, c.checked_in_at, 1)::analytics_check_in_delta
      FROM check_ins c WHERE events IS NULL OR c.event_id = ANY(events)));
  PERFORM analytics_apply_money(ARRAY(
    SELECT ROW(p.tenant_id, r.event_id, p.currency, coalesce(p.completed_at, p.created_at), p.amount_cents::bigint, 1, 0, 0)::analytics_money_delta
      FROM payments p JOIN registrations r ON r.id = p.registration_id
     WHERE p.status IN ('COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED') AND (events IS NULL OR r.event_id = ANY(events))
    UNION ALL
    SELECT ROW(p.tenant_id, r.event_id, p.currency, coalesce(f.completed_at, f.updated_at), 0, 0, f.amount_cents::bigint, 1)::analytics_money_delta
      FROM refunds f JOIN payments p ON p.id = f.payment_id JOIN registrations r ON r.id = p.registration_id
     WHERE f.status = 'COMPLETED' AND (events IS NULL OR r.event_id = ANY(events))));
END $$;

-- An event's hours are in its own zone: a new zone rebuilds them.
CREATE FUNCTION analytics_event_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_rebuild(ARRAY[NEW.id]);
  RETURN NULL;
END $$;
CREATE TRIGGER "events_analytics_zone" AFTER UPDATE OF "timezone" ON "events"
  FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION analytics_event_zone_changed();

-- An organization's days are in its zone: a new zone rebuilds its events (a rare settings change).
CREATE FUNCTION analytics_org_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_rebuild(ARRAY(SELECT e.id FROM events e WHERE e.tenant_id = NEW.id));
  RETURN NULL;
END $$;
CREATE TRIGGER "organizations_analytics_zone" AFTER UPDATE OF "settings" ON "organizations"
  FOR EACH ROW WHEN (analytics_org_zone(OLD.settings) IS DISTINCT FROM analytics_org_zone(NEW.settings))
  EXECUTE FUNCTION analytics_org_zone_changed();

-- Backfill: every existing row, counted once.
SELECT analytics_rebuild(NULL);
