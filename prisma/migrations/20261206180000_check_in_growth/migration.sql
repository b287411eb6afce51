-- Issue 13, part 3 (growth): the scanner's incremental list and the organizer's search at 100,000
-- registrations of one event. docs/check-in.md ("The list: compact, compressed, incremental") and
-- docs/registrations.md ("Search at scale") say how the code uses what is created here.

-- ───────────────────────────── the change stamp ─────────────────────────────
-- registrations.change_xid: the (top-level, 64-bit) id of the transaction that last changed the row or its
-- check-in. GET manifest?since=<cursor> returns the rows with change_xid >= cursor, where the cursor is
-- the xmin of the snapshot the previous download read in (lib/check-in/manifest.ts explains why that
-- cannot miss a transaction that commits out of order). Registrations are never deleted (a
-- cancellation is a status change), so every change the scanner must hear of is a row with a stamp.
ALTER TABLE "registrations" ADD COLUMN "change_xid" xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE FUNCTION "registrations_stamp_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id();
  RETURN NEW;
END
$$;

CREATE TRIGGER "registrations_stamp_change" BEFORE UPDATE ON "registrations"
  FOR EACH ROW EXECUTE FUNCTION "registrations_stamp_change"();

-- A check-in written, moved to an earlier scan or removed changes what the door shows for its
-- registration: stamp the registration too (a no-op when the same transaction already changed it, as
-- the scan statement does: it sets CHECKED_IN and inserts the check-in in one statement).
CREATE FUNCTION "check_ins_stamp_registration"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "registrations" SET "change_xid" = pg_current_xact_id()
     WHERE "id" = OLD."registration_id" AND "change_xid" <> pg_current_xact_id();
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "registrations" SET "change_xid" = pg_current_xact_id()
     WHERE "id" = NEW."registration_id" AND "change_xid" <> pg_current_xact_id();
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "check_ins_stamp_registration" AFTER INSERT OR UPDATE OR DELETE ON "check_ins"
  FOR EACH ROW EXECUTE FUNCTION "check_ins_stamp_registration"();

-- manifest?since=: the rows of one event changed since the cursor, and the event's newest stamp.
CREATE INDEX "registrations_event_id_change_xid_idx" ON "registrations" ("event_id", "change_xid");

-- ───────────────────────────── search ─────────────────────────────
-- Trigram indexes for the organizer's search (ILIKE '%q%' on the name forms and the email, LIKE
-- '%CODE%' on the code) and the door's manual search. One GIN index over one text: "first last",
-- "last first" and the email, separated by line feeds. A query never contains a line feed (the
-- services collapse whitespace to single spaces, and escape LIKE's wildcards), so '%q%' matches this
-- text exactly when it matches one of its lines, i.e. one of the forms the search is defined on: the
-- indexed expression IS the search condition. lib/registrations/search-sql.ts holds the same expression;
-- tests/integration/registrations-search.test.ts proves with EXPLAIN that the queries use the indexes
-- and that they find the same rows as the rule applied to every row.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "registrations_search_text_trgm_idx" ON "registrations" USING gin (
  ("first_name" || ' ' || COALESCE("last_name", '') || E'\n' || COALESCE("last_name", '') || ' ' || "first_name" || E'\n' || COALESCE("email", '')) gin_trgm_ops
);

CREATE INDEX "registrations_confirmation_code_trgm_idx" ON "registrations" USING gin ("confirmation_code" gin_trgm_ops);
