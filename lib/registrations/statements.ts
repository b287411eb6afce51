// The SQL of the sale (docs/registrations.md → "One conditional statement decides a sale"), as plain
// positional statements: register() runs them over a `pg` connection (the hot path) or through Prisma
// ($queryRawUnsafe, the full path), and scripts/bench/rush.mjs reads this very file to measure the
// database's ceiling for the same statements. Keep each one a plain template literal after
// "export const <NAME> = /* sql */", with no interpolation (the benchmark parses them).

/**
 * The sale context: the event locked FOR SHARE (a concurrent cancel/unpublish waits for this
 * transaction), the ticket type when it belongs to that event, the user, the transaction's clock, and the
 * counters as read. $1 event id, $2 ticket type id, $3 user id (null for a guest).
 */
export const SALE_CONTEXT_SQL = /* sql */ `
    SELECT now() AS now, e.id, e.tenant_id AS organization_id, o.slug AS organization_slug,
           (o.deleted_at IS NOT NULL) AS organization_deleted, e.slug, e.title, e.status::text AS status,
           (e.deleted_at IS NOT NULL) AS deleted, e.starts_at, e.timezone, e.group_id,
           e.location_type::text AS location_type, e.location_address, e.settings,
           t.id AS tt_id, t.name AS tt_name, t.is_active AS tt_is_active, t.sales_start AS tt_sales_start,
           t.sales_end AS tt_sales_end, t.price_cents AS tt_price_cents, t.currency::text AS tt_currency,
           t.reservation_minutes AS tt_reservation_minutes, t.prepayment_percent AS tt_prepayment_percent,
           t.quantity AS tt_quantity, t.sold_count AS tt_sold_count, t.reserved_count AS tt_reserved_count,
           CASE WHEN t.id IS NOT NULL AND t.quantity IS NOT NULL THEN (
             SELECT count(*)::int FROM registrations r
              WHERE r.ticket_type_id = t.id AND r.status = 'RESERVED' AND r.expires_at <= now()) END AS tt_expired,
           CASE WHEN t.id IS NOT NULL AND t.quantity IS NOT NULL THEN (
             SELECT count(*)::int FROM waitlist_entries w
              WHERE w.event_id = e.id AND w.status = 'WAITING' AND (w.ticket_type_id IS NULL OR w.ticket_type_id = t.id)) END AS tt_waiting,
           u.id AS u_id, u.first_name AS u_first_name, u.last_name AS u_last_name, u.email AS u_email,
           u.locale::text AS u_locale
      FROM events e
      JOIN organizations o ON o.id = e.tenant_id
      LEFT JOIN ticket_types t ON t.id = $2::uuid AND t.event_id = e.id
      LEFT JOIN users u ON u.id = $3::uuid AND u.deleted_at IS NULL
     WHERE e.id = $1::uuid
       FOR SHARE OF e`;

/**
 * The sale: one statement decides it and writes everything that depends on it.
 *   due/expired/freed — this type's RESERVED registrations past expires_at are marked EXPIRED (their seats
 *                       return in the same UPDATE of the type);
 *   sale              — the conditional UPDATE of the ticket type (the row lock serializes sales of a type);
 *   reg               — the registration, status/price/currency from the locked row, never from input;
 *   audit             — its audit row (`registration` / `registration.created`, parameters from lib/audit);
 *   left_waitlist     — the buyer's own WAITING entries for the event end;
 *   stored            — the idempotency record gets its response (the result predicted before the sale;
 *                       the caller checks the prediction against the returned row and retries otherwise);
 *   notice            — the ticket message (`registration.confirmed`, a signed-in buyer): the NotificationLog
 *                       row, exactly what notify() writes;
 *   sale_jobs         — the jobs of the sale's one event, exactly what enqueue() writes (lib/jobs jobRowsFor):
 *                       the notice's `notification/requested` (only when the notice row was written), or a
 *                       guest's `registration/guest-ticket-requested` (the ticket email, rendered by its job).
 * Every write after `sale` happens only when the sale did. Parameters:
 *   $1 ticket type, $2 event, $3 registration id, $4 organization, $5 user (null: guest), $6 confirmation
 *   code, $7 first name, $8 last name, $9 email, $10 custom fields (json), $11 guest token hash,
 *   $12 the transaction's now() as read (reservation expiry = $12 + minutes, so the caller can predict it),
 *   $13 idempotency record id (null: none), $14 its response (json),
 *   $15 notification id (null: no ticket message), $16 template code, $17 variables (json), $18 extra (json),
 *   $19 dedupe key, $20 next attempt at, $21 the jobs' event name, $22 its payload (json), $23 job names[]
 *   (empty: no event), $24 job dedupe keys[], $25 job max attempts[], $26 job run at,
 *   $27 the audit row's entity type, $28 its action (lib/audit auditParams: the catalogue's values).
 */
export const SALE_SQL = /* sql */ `
    WITH due AS (
      SELECT r.id FROM registrations r
       WHERE r.ticket_type_id = $1::uuid AND r.status = 'RESERVED' AND r.expires_at <= now()
       ORDER BY r.id
         FOR UPDATE
    ), expired AS (
      UPDATE registrations r SET status = 'EXPIRED', updated_at = now()
        FROM due
       WHERE r.id = due.id AND r.status = 'RESERVED'
      RETURNING r.id, r.user_id, r.first_name
    ), freed AS (
      SELECT count(*)::int AS n FROM expired
    ), sale AS (
      UPDATE ticket_types t
         SET sold_count = t.sold_count + CASE WHEN t.price_cents = 0 THEN 1 ELSE 0 END,
             reserved_count = t.reserved_count - freed.n + CASE WHEN t.price_cents = 0 THEN 0 ELSE 1 END,
             updated_at = now()
        FROM freed
       WHERE t.id = $1::uuid
         AND t.event_id = $2::uuid
         AND t.is_active
         AND (t.sales_start IS NULL OR t.sales_start <= now())
         AND (t.sales_end IS NULL OR t.sales_end > now())
         AND (t.quantity IS NULL OR t.sold_count + t.reserved_count - freed.n + (
               SELECT count(*) FROM waitlist_entries w
                WHERE w.event_id = t.event_id AND w.status = 'WAITING'
                  AND (w.ticket_type_id IS NULL OR w.ticket_type_id = t.id)
             ) < t.quantity)
      RETURNING t.id, t.price_cents, t.currency, t.reservation_minutes
    ), reg AS (
      INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code,
                                 first_name, last_name, email, custom_fields, price_cents, currency,
                                 guest_token_hash, expires_at, confirmed_at, created_at, updated_at)
      SELECT $3::uuid, $4::uuid, $2::uuid, sale.id, $5::uuid,
             (CASE WHEN sale.price_cents = 0 THEN 'CONFIRMED'
                   WHEN sale.reservation_minutes IS NOT NULL THEN 'RESERVED'
                   ELSE 'PENDING' END)::"RegistrationStatus",
             $6, $7, $8, $9, $10::jsonb,
             sale.price_cents, sale.currency, $11,
             CASE WHEN sale.price_cents > 0 AND sale.reservation_minutes IS NOT NULL
                  THEN $12::timestamptz + make_interval(mins => sale.reservation_minutes) END,
             CASE WHEN sale.price_cents = 0 THEN now() END,
             now(), now()
        FROM sale
      RETURNING id, status, confirmation_code, expires_at, price_cents, currency
    ), audit AS (
      INSERT INTO audit_logs (id, organization_id, actor_id, entity_type, entity_id, action, changes, created_at)
      SELECT gen_random_uuid(), $4::uuid, $5::uuid, $27::text, reg.id, $28::text,
             jsonb_build_object('status', jsonb_build_object('from', NULL, 'to', reg.status),
                                'ticketTypeId', $1::text, 'priceCents', reg.price_cents),
             now()
        FROM reg
      RETURNING id
    ), left_waitlist AS (
      UPDATE waitlist_entries w SET status = 'EXPIRED', updated_at = now()
       WHERE w.event_id = $2::uuid AND w.user_id = $5::uuid AND w.status = 'WAITING'
         AND EXISTS (SELECT 1 FROM reg)
      RETURNING w.id
    ), stored AS (
      UPDATE idempotency_records SET response = $14::jsonb, status_code = 200
       WHERE id = $13::uuid AND EXISTS (SELECT 1 FROM reg)
      RETURNING id
    ), notice AS (
      INSERT INTO notification_logs (id, user_id, template_code, variables, extra, dedupe_key, next_attempt_at, created_at, updated_at)
      SELECT $15::uuid, $5::uuid, $16, $17::jsonb, $18::jsonb, $19, $20::timestamptz, now(), now()
        FROM reg
       WHERE $15::uuid IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING id
    ), sale_jobs AS (
      INSERT INTO jobs (id, name, event_name, payload, dedupe_key, max_attempts, run_at, created_at, updated_at)
      SELECT gen_random_uuid(), j.name, $21, $22::jsonb, j.dedupe_key, j.max_attempts, $26::timestamptz, now(), now()
        FROM reg
       CROSS JOIN unnest($23::text[], $24::text[], $25::int[]) AS j(name, dedupe_key, max_attempts)
       WHERE $15::uuid IS NULL OR EXISTS (SELECT 1 FROM notice)
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT (SELECT n FROM freed) AS freed,
           (SELECT coalesce(json_agg(json_build_object('id', x.id, 'userId', x.user_id, 'firstName', x.first_name)), '[]'::json)
              FROM expired x) AS expired,
           reg.id, reg.status::text AS status, reg.confirmation_code, reg.expires_at, reg.price_cents,
           reg.currency::text AS currency, (SELECT count(*)::int FROM stored) AS stored
      FROM (SELECT 1) AS one
      LEFT JOIN reg ON true`;

/**
 * The sale context read without the lock and outside any transaction, plus whether the idempotency key
 * ($4 scope, $5 key; null: none) was used before: the early refusal of a sold-out type (register.ts).
 */
export const SALE_PEEK_SQL = peekOf(SALE_CONTEXT_SQL);

function peekOf(sql: string): string {
  const select = "SELECT now() AS now,";
  const lock = /\s+FOR SHARE OF e\s*$/;
  if (!sql.includes(select) || !lock.test(sql)) throw new Error("statements.ts: SALE_CONTEXT_SQL changed shape; update peekOf()");
  return sql
    .replace(select, "SELECT EXISTS (SELECT 1 FROM idempotency_records k WHERE k.scope = $4 AND k.key = $5) AS key_used, now() AS now,")
    .replace(lock, "");
}
