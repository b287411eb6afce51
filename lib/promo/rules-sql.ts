// The SQL twins of ./rules.ts (priceAfterPromo → promoDiscountSql, promoRefusal = null → promoAppliesSql),
// composed by the sale statement (lib/registrations/sale.ts). Pure (fragments only, no connection);
// tests/integration/promo.test.ts checks each against its TypeScript twin.
import { sql, type Sql } from "@/lib/db/sql";

/**
 * priceAfterPromo()'s discount in SQL: `price` and `currency` are expressions over the ticket-type row,
 * `p` the alias of a promo row (all of whose columns may be NULL: no code → 0).
 */
export function promoDiscountSql(price: Sql, currency: Sql, p: Sql): Sql {
  return sql`(CASE WHEN ${price} <= 0 OR ${p}.discount_kind IS NULL THEN 0
           WHEN ${p}.discount_kind = 'PERCENT' THEN ((${price})::bigint * LEAST(100, GREATEST(0, ${p}.discount_value)) / 100)::int
           WHEN ${p}.currency = ${currency} THEN LEAST(GREATEST(0, ${p}.discount_value), ${price})
           ELSE 0 END)`;
}

/**
 * promoRefusal() = null in SQL: the code `p` applies, now, to the ticket-type row `t` (id, currency,
 * is_hidden). The sale statement locks `p` with this condition (FOR UPDATE re-checks it on the newest
 * row version after waiting), so the usage limit is decided like a seat.
 */
export function promoAppliesSql(p: Sql, t: Sql): Sql {
  return sql`(${p}.is_active
         AND (${p}.valid_from IS NULL OR ${p}.valid_from <= now())
         AND (${p}.valid_until IS NULL OR ${p}.valid_until > now())
         AND (CASE WHEN ${p}.ticket_type_id IS NOT NULL THEN ${p}.ticket_type_id = ${t}.id ELSE NOT ${t}.is_hidden END)
         AND (${p}.discount_kind = 'PERCENT' OR ${p}.currency = ${t}.currency)
         AND (${p}.usage_limit IS NULL OR ${p}.used_count < ${p}.usage_limit))`;
}
