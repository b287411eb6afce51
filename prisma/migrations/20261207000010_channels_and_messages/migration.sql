-- Issue 15: email beside Telegram, organizer messages, reminders people want (docs/messages.md).

-- ── channels ──

CREATE TYPE "NotificationPreference" AS ENUM ('AUTO', 'TELEGRAM', 'EMAIL', 'BOTH');

ALTER TABLE "users"
  ADD COLUMN "notification_preference" "NotificationPreference" NOT NULL DEFAULT 'AUTO',
  -- Set when SMTP answered "no such mailbox" (5xx) for this address; cleared when the email changes.
  ADD COLUMN "email_bounced_at" TIMESTAMPTZ(3);

-- The language of a guest's messages (a user's come from users.locale).
ALTER TABLE "registrations" ADD COLUMN "locale" "Locale" NOT NULL DEFAULT 'RU';

-- The 24-hour reminder and the online event's morning reminder (lib/events/lifecycle.ts).
ALTER TABLE "events" ADD COLUMN "reminders_enabled" BOOLEAN NOT NULL DEFAULT true;

-- One template renders both channels: the email's subject is the template's too.
ALTER TABLE "notification_templates"
  ADD COLUMN "subject" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "subject_en" TEXT NOT NULL DEFAULT '';

-- A notice row is one delivery on one channel. user_id is null for a guest (then email is set);
-- channel is null when the recipient had no usable channel (the row is FAILED at once and shown).
ALTER TABLE "notification_logs"
  ALTER COLUMN "user_id" DROP NOT NULL,
  ALTER COLUMN "channel" DROP NOT NULL,
  ALTER COLUMN "channel" DROP DEFAULT,
  ADD COLUMN "email" TEXT,
  ADD COLUMN "locale" "Locale",
  ADD COLUMN "registration_id" UUID,
  ADD COLUMN "message_id" UUID,
  -- Set just before the provider is called (organizer messages): a row found with it set and its
  -- lease expired is "outcome unknown" and is not sent again (no one gets a message twice).
  ADD COLUMN "send_started_at" TIMESTAMPTZ(3),
  ADD CONSTRAINT "notification_logs_recipient_check" CHECK ("user_id" IS NOT NULL OR "email" IS NOT NULL),
  ADD CONSTRAINT "notification_logs_channel_check" CHECK ("channel" IS NOT NULL OR "status" = 'FAILED');

DROP INDEX "notification_logs_dedupe_key_key";
-- One logical notice per channel (reminder, ticket, one organizer message per recipient); a null
-- channel (no channel) counts as one value. Rows without a dedupe key are not limited.
CREATE UNIQUE INDEX "notification_logs_dedupe_key_channel_key" ON "notification_logs" ("dedupe_key", "channel") NULLS NOT DISTINCT WHERE "dedupe_key" IS NOT NULL;
CREATE INDEX "notification_logs_registration_id_idx" ON "notification_logs" ("registration_id");
-- an organizer message's delivery queue and its results by channel and status
CREATE INDEX "notification_logs_message_id_channel_status_idx" ON "notification_logs" ("message_id", "channel", "status");

-- THE routing rule (docs/messages.md → "Who gets what, where"), used by noticeCtes (one user) and by
-- organizer messages (every recipient, set-based) and by the recipient counts the composer shows:
--   AUTO     → Telegram when linked, else email
--   TELEGRAM → Telegram; email when no chat is linked
--   EMAIL    → email; Telegram when there is no usable email
--   BOTH     → each channel that is usable
-- A usable email is present and not bounced. Empty array = no channel.
CREATE FUNCTION notification_channels(chat_id TEXT, email TEXT, preference "NotificationPreference", bounced_at TIMESTAMPTZ)
RETURNS "NotificationChannel"[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_remove(ARRAY[
    CASE WHEN chat_id IS NOT NULL
          AND (preference IN ('AUTO', 'TELEGRAM', 'BOTH') OR email IS NULL OR bounced_at IS NOT NULL)
         THEN 'TELEGRAM'::"NotificationChannel" END,
    CASE WHEN email IS NOT NULL AND bounced_at IS NULL
          AND (preference IN ('EMAIL', 'BOTH') OR chat_id IS NULL)
         THEN 'EMAIL'::"NotificationChannel" END
  ], NULL)
$$;

-- ── organizer messages ──
CREATE TABLE "event_messages" (
  "id" UUID NOT NULL,
  "tenant_id" UUID NOT NULL,
  "event_id" UUID NOT NULL,
  "author_id" UUID,
  "subject" TEXT NOT NULL,
  -- Markdown subset (lib/messages/markdown.ts), rendered per channel at delivery.
  "body" TEXT NOT NULL,
  -- ALL_CONFIRMED | CHECKED_IN | NOT_CHECKED_IN | TICKET_TYPE | WAITLIST
  "audience" TEXT NOT NULL,
  "ticket_type_id" UUID,
  -- SCHEDULED → SENDING → SENT, SCHEDULED → CANCELLED (lib/messages/transitions.ts)
  "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
  "scheduled_at" TIMESTAMPTZ(3) NOT NULL,
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3),
  -- Recipients counted when the list was built (by channel in notification_logs).
  "recipients_total" INTEGER,
  "no_channel_count" INTEGER,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "event_messages_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "event_messages_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "event_messages_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "event_messages_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "event_messages_ticket_type_id_fkey" FOREIGN KEY ("ticket_type_id") REFERENCES "ticket_types"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "event_messages_audience_check" CHECK ("audience" IN ('ALL_CONFIRMED', 'CHECKED_IN', 'NOT_CHECKED_IN', 'TICKET_TYPE', 'WAITLIST')),
  CONSTRAINT "event_messages_ticket_type_check" CHECK (("audience" = 'TICKET_TYPE') = ("ticket_type_id" IS NOT NULL)),
  CONSTRAINT "event_messages_status_check" CHECK ("status" IN ('SCHEDULED', 'SENDING', 'SENT', 'CANCELLED')),
  CONSTRAINT "event_messages_subject_check" CHECK (char_length("subject") BETWEEN 1 AND 200),
  CONSTRAINT "event_messages_body_check" CHECK (char_length("body") BETWEEN 1 AND 4000)
);
CREATE INDEX "event_messages_tenant_id_idx" ON "event_messages" ("tenant_id");
-- the event's messages tab, newest first
CREATE INDEX "event_messages_event_id_created_at_idx" ON "event_messages" ("event_id", "created_at");
CREATE INDEX "event_messages_author_id_idx" ON "event_messages" ("author_id");
CREATE INDEX "event_messages_ticket_type_id_idx" ON "event_messages" ("ticket_type_id");

ALTER TABLE "notification_logs" ADD CONSTRAINT "notification_logs_message_id_fkey"
  FOREIGN KEY ("message_id") REFERENCES "event_messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A participant (user, or a guest's address) who muted an organization's messages (never the
-- transactional notices).
CREATE TABLE "message_mutes" (
  "id" UUID NOT NULL,
  "tenant_id" UUID NOT NULL,
  "user_id" UUID,
  "email" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "message_mutes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "message_mutes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "message_mutes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "message_mutes_who_check" CHECK (("user_id" IS NULL) <> ("email" IS NULL)),
  CONSTRAINT "message_mutes_email_check" CHECK ("email" IS NULL OR "email" = lower(btrim("email")))
);
CREATE UNIQUE INDEX "message_mutes_tenant_user_key" ON "message_mutes" ("tenant_id", "user_id") WHERE "user_id" IS NOT NULL;
CREATE UNIQUE INDEX "message_mutes_tenant_email_key" ON "message_mutes" ("tenant_id", "email") WHERE "email" IS NOT NULL;
CREATE INDEX "message_mutes_user_id_idx" ON "message_mutes" ("user_id");
