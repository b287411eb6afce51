-- Issue 16: page views and registration-form opens of public event pages, counted per day and source
-- without a row per view (docs/analytics.md → "Counting views"). Written only by the beacon's batched
-- flush (lib/analytics/beacon.ts): one multi-row upsert every few seconds per web process, adding counts.
-- `day` is the calendar day in the event's time zone at the moment of the flush.
-- `source` is the referrer's host name (lower case, without "www."), '' = direct / unknown;
-- utm_* are the page URL's utm_source / utm_medium / utm_campaign, lower case, at most 100 characters, '' = none.
CREATE TABLE "analytics_page_views" (
  "event_id"     UUID    NOT NULL REFERENCES "events"("id") ON DELETE CASCADE,
  "day"          DATE    NOT NULL,
  "step"         TEXT    NOT NULL CHECK ("step" IN ('VIEW', 'FORM_OPEN')),
  "source"       TEXT    NOT NULL DEFAULT '' CHECK (char_length("source") <= 253),
  "utm_source"   TEXT    NOT NULL DEFAULT '' CHECK (char_length("utm_source") <= 100),
  "utm_medium"   TEXT    NOT NULL DEFAULT '' CHECK (char_length("utm_medium") <= 100),
  "utm_campaign" TEXT    NOT NULL DEFAULT '' CHECK (char_length("utm_campaign") <= 100),
  "count"        BIGINT  NOT NULL DEFAULT 0 CHECK ("count" >= 0),
  PRIMARY KEY ("event_id", "day", "step", "source", "utm_source", "utm_medium", "utm_campaign")
);
-- the organization dashboard and the platform view: views over a period
CREATE INDEX "analytics_page_views_day_idx" ON "analytics_page_views" ("day");
