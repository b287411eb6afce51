-- The REST API's sync lists (docs/api.md: `updatedSince` pages ordered by (updated_at, id)): an event's
-- registrations and an organization's events. Without them a sync of a 100,000-registration event
-- sorts the event's rows on every page.
CREATE INDEX "registrations_event_id_updated_at_id_idx" ON "registrations"("event_id", "updated_at", "id");
CREATE INDEX "events_tenant_id_updated_at_id_idx" ON "events"("tenant_id", "updated_at", "id");
