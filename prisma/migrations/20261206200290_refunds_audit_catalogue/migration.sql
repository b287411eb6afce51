-- ───────────────────────────── audit catalogue (lib/audit/catalogue.ts) ─────────────────────────────
-- Entity type "refund" (refund.requested / completed / failed) and registration.cancelled_payment_overdue.
-- The two CHECK lists are re-created as what they hold now plus these entries (not a full list), so it
-- composes with the other catalogue migrations of issue 14. Its timestamp sorts after
-- 20261206200210_audit_payment_accounts, which writes the full lists without these entries.
DO $$
DECLARE
  spec record;
  current_values text[];
BEGIN
  FOR spec IN
    SELECT * FROM (VALUES
      ('audit_logs_entity_type_check', 'entity_type', ARRAY['refund']),
      ('audit_logs_action_check', 'action', ARRAY['registration.cancelled_payment_overdue', 'refund.requested', 'refund.completed', 'refund.failed'])
    ) AS t(name, col, added)
  LOOP
    SELECT array_agg(m[1]) INTO current_values
      FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([^'']+)''', 'g') AS m
     WHERE c.conname = spec.name AND c.conrelid = 'audit_logs'::regclass;
    EXECUTE format('ALTER TABLE "audit_logs" DROP CONSTRAINT IF EXISTS %I', spec.name);
    EXECUTE format('ALTER TABLE "audit_logs" ADD CONSTRAINT %I CHECK (%I IN (%s))', spec.name, spec.col,
      (SELECT string_agg(quote_literal(v), ', ' ORDER BY o) FROM (
         SELECT v, min(o) AS o FROM unnest(COALESCE(current_values, '{}') || spec.added) WITH ORDINALITY AS u(v, o) GROUP BY v) s));
  END LOOP;
END
$$;
