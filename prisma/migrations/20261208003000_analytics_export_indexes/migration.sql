-- Issue 16: the exports read an event's rows in keyset pages in time order (lib/analytics/exports): without
-- these, every page sorts the whole event. The registrations one also serves the organizer's registrations
-- table (newest first). The check-ins one replaces the (event_id) index it starts with.
CREATE INDEX "registrations_event_id_created_at_id_idx" ON "registrations" ("event_id", "created_at", "id");
CREATE INDEX "check_ins_event_id_checked_in_at_id_idx" ON "check_ins" ("event_id", "checked_in_at", "id");
DROP INDEX "check_ins_event_id_idx";
