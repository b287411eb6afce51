-- Issue 14, refunds carried out through the provider (docs/payments.md "Refunds").
--
-- refunds: each row has its own idempotency key (sent to the provider on every attempt), says why it
-- exists (origin), who asked (null = the system), how many provider attempts were made and what went
-- wrong, and which failed refund it retries. payments.refunded_cents is the sum of its COMPLETED refunds.

-- ───────────────────────────── refunds: new columns ─────────────────────────────
ALTER TABLE "refunds"
  ADD COLUMN "idempotency_key" uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN "origin" text,
  ADD COLUMN "attempts" integer NOT NULL DEFAULT 0,
  ADD COLUMN "last_error" text,
  ADD COLUMN "failure_reason" text,
  ADD COLUMN "retry_of_id" uuid,
  ADD COLUMN "requested_by" uuid,
  ADD COLUMN "updated_at" timestamptz(3) NOT NULL DEFAULT now();

-- Rows written before this migration came from cancellations (lib/registrations/cancel.ts and
-- lib/events/lifecycle.ts): an event that is cancelled → event_cancelled; a registration cancelled by
-- somebody else than its participant → organizer_cancel; otherwise the participant's own cancel.
UPDATE "refunds" f
   SET "origin" = CASE
         WHEN e."status" = 'CANCELLED' THEN 'event_cancelled'
         WHEN r."cancelled_by" IS NOT NULL AND r."cancelled_by" IS DISTINCT FROM r."user_id" THEN 'organizer_cancel'
         ELSE 'participant_cancel'
       END,
       "requested_by" = CASE WHEN r."cancelled_by" IS NOT NULL AND EXISTS (SELECT 1 FROM "users" u WHERE u."id" = r."cancelled_by") THEN r."cancelled_by" END,
       "updated_at" = COALESCE(f."completed_at", f."created_at")
  FROM "payments" p
  JOIN "registrations" r ON r."id" = p."registration_id"
  JOIN "events" e ON e."id" = r."event_id"
 WHERE p."id" = f."payment_id";

ALTER TABLE "refunds" ALTER COLUMN "origin" SET NOT NULL;
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_origin_check"
  CHECK ("origin" IN ('participant_cancel', 'organizer', 'organizer_cancel', 'event_cancelled', 'late_payment'));
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_attempts_check" CHECK ("attempts" >= 0);
CREATE UNIQUE INDEX "refunds_idempotency_key_key" ON "refunds" ("idempotency_key");
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_retry_of_id_fkey" FOREIGN KEY ("retry_of_id") REFERENCES "refunds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_requested_by_fkey" FOREIGN KEY ("requested_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "refunds_retry_of_id_idx" ON "refunds" ("retry_of_id");
CREATE INDEX "refunds_requested_by_idx" ON "refunds" ("requested_by");
-- reconciliation: refunds left PENDING, oldest first
CREATE INDEX "refunds_pending_idx" ON "refunds" ("created_at") WHERE "status" = 'PENDING';
-- A failed refund is retried at most once (the retry is the new row; a retry that fails is retried in turn).
CREATE UNIQUE INDEX "refunds_retry_of_id_key" ON "refunds" ("retry_of_id") WHERE "retry_of_id" IS NOT NULL;

-- ───────────────────────────── refunds: status transitions ─────────────────────────────
-- REFUND_TRANSITIONS of lib/payments/transitions.ts: PENDING → COMPLETED | FAILED, nothing out of a final
-- status. A row is inserted PENDING — or COMPLETED for a refund recorded after the fact (money already
-- returned outside AqStream, fixtures); the services always insert PENDING.
-- tests/integration/refunds-db.test.ts checks every pair against the TS table.
CREATE FUNCTION "refunds_status_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."status" NOT IN ('PENDING', 'COMPLETED') THEN
      RAISE EXCEPTION 'refunds_status_transition: a refund cannot be created %', NEW."status"
        USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_status_transition';
    END IF;
  ELSIF NEW."status" IS DISTINCT FROM OLD."status" THEN
    IF NOT (OLD."status" = 'PENDING' AND NEW."status" IN ('COMPLETED', 'FAILED')) THEN
      RAISE EXCEPTION 'refunds_status_transition: % → % is not allowed', OLD."status", NEW."status"
        USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_status_transition';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "refunds_status_transition" BEFORE INSERT OR UPDATE OF "status" ON "refunds"
  FOR EACH ROW EXECUTE FUNCTION "refunds_status_transition"();

-- ───────────────────────────── payments.refunded_cents ─────────────────────────────
ALTER TABLE "payments" ADD COLUMN "refunded_cents" integer NOT NULL DEFAULT 0;
UPDATE "payments" p
   SET "refunded_cents" = LEAST(p."amount_cents", s.total)
  FROM (SELECT "payment_id", sum("amount_cents")::int AS total FROM "refunds" WHERE "status" = 'COMPLETED' GROUP BY "payment_id") s
 WHERE s."payment_id" = p."id";
ALTER TABLE "payments" ADD CONSTRAINT "payments_refunded_cents_check"
  CHECK ("refunded_cents" >= 0 AND "refunded_cents" <= "amount_cents");

-- ───────────────────────────── never refund more than was paid ─────────────────────────────
-- The service decides with a conditional insert under the payment's row lock
-- (lib/payments/refunds.ts requestRefundInTransaction); this is the safety net for any other writer.
-- It takes the payment's row lock itself, so two writers that skipped the service still queue, and the
-- second one's sum (a new snapshot per statement in READ COMMITTED) sees the first one's row. FOR NO KEY
-- UPDATE, not FOR UPDATE: each insert already holds FOR KEY SHARE on the payment (its foreign key), and
-- FOR UPDATE would deadlock two such writers; NO KEY UPDATE still excludes the other writers' own.
CREATE FUNCTION "refunds_within_payment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  paid int;
  asked int;
BEGIN
  SELECT p."amount_cents" INTO paid FROM "payments" p WHERE p."id" = NEW."payment_id" FOR NO KEY UPDATE;
  SELECT COALESCE(sum(f."amount_cents"), 0) INTO asked FROM "refunds" f WHERE f."payment_id" = NEW."payment_id" AND f."status" <> 'FAILED';
  IF asked > paid THEN
    RAISE EXCEPTION 'refunds_within_payment: refunds of payment % (%) exceed its amount (%)', NEW."payment_id", asked, paid
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_within_payment';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "refunds_within_payment"
  AFTER INSERT OR UPDATE OF "amount_cents", "status", "payment_id" ON "refunds"
  FOR EACH ROW EXECUTE FUNCTION "refunds_within_payment"();

-- ───────────────────────────── registration.cancelled says what comes back ─────────────────────────────
-- New variables refundAmount and refundByHand (lib/notifications/system-templates.ts). A stored standard text
-- (unedited) becomes the new one; an admin's own text is kept (it may use the new variables now).
UPDATE "notification_templates"
   SET "body" = '❌ <b>Регистрация отменена</b>

{firstName}, ваша регистрация на «{eventTitle}» ({eventDate}) отменена{cancelledByOrganizer, select, empty {} other { организатором}}.
{cancellationReason, select, empty {} other {Причина: {cancellationReason}
}}{refundAmount, select, empty {} other {💸 Вернётся: <b>{refundAmount}</b>. {refundByHand, select, empty {Деньги придут тем же способом, которым вы платили, обычно в течение нескольких дней.} other {Организатор вернёт их лично.}}
}}{eventUrl, select, empty {} other {Если это ошибка, зарегистрируйтесь снова: <a href="{eventUrl}">страница события</a>}}',
       "body_en" = '❌ <b>Registration cancelled</b>

{firstName}, your registration for "{eventTitle}" ({eventDate}) has been cancelled{cancelledByOrganizer, select, empty {} other { by the organizer}}.
{cancellationReason, select, empty {} other {Reason: {cancellationReason}
}}{refundAmount, select, empty {} other {💸 Coming back to you: <b>{refundAmount}</b>. {refundByHand, select, empty {The money returns the way you paid, usually within a few days.} other {The organizer will return it in person.}}
}}{eventUrl, select, empty {} other {If this is a mistake, you can register again: <a href="{eventUrl}">event page</a>}}',
       "updated_at" = now()
 WHERE "code" = 'registration.cancelled' AND "is_system"
   AND "body" = '❌ <b>Регистрация отменена</b>

{firstName}, ваша регистрация на «{eventTitle}» ({eventDate}) отменена{cancelledByOrganizer, select, empty {} other { организатором}}.
{cancellationReason, select, empty {} other {Причина: {cancellationReason}
}}{eventUrl, select, empty {} other {Если это ошибка, зарегистрируйтесь снова: <a href="{eventUrl}">страница события</a>}}'
   AND "body_en" = '❌ <b>Registration cancelled</b>

{firstName}, your registration for "{eventTitle}" ({eventDate}) has been cancelled{cancelledByOrganizer, select, empty {} other { by the organizer}}.
{cancellationReason, select, empty {} other {Reason: {cancellationReason}
}}{eventUrl, select, empty {} other {If this is a mistake, you can register again: <a href="{eventUrl}">event page</a>}}';
UPDATE "notification_templates"
   SET "variables" = "variables" || '[{"name": "refundAmount", "description": "Сколько вернётся, с валютой (пусто — ничего)", "descriptionEn": "What comes back, with currency (empty = nothing)"}, {"name": "refundByHand", "description": "true, если деньги вернёт организатор лично (оплата наличными или переводом)", "descriptionEn": "true when the organizer returns the money in person (cash or transfer payment)"}]'::jsonb
 WHERE "code" = 'registration.cancelled' AND "is_system" AND jsonb_typeof("variables") = 'array'
   AND NOT "variables" @> '[{"name": "refundAmount"}]'::jsonb;
