// "A paid ticket type cannot be on sale without a way to pay for its currency" (docs/payments.md) — the
// one place of that rule. Every entry that can put a paid type on sale calls assertCurrenciesPayable()
// in its own transaction, after its write: publishing an event (lib/events/lifecycle.ts), adding, editing
// and activating a ticket type (lib/events/ticket-types.ts); disconnecting an account
// (lib/payments/accounts.ts) calls it for the whole organization, so an account still needed by a
// published event cannot be removed. A refusal throws and the caller's transaction rolls back.
//
// Concurrency: the organization's account rows are read FOR SHARE, so a disconnect (DELETE, row lock)
// and a publish of the same organization serialize: whichever commits second sees the other's result.
import "server-only";
import { db, empty, onPrisma, sql, type DbClient, type SqlRunner } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Currency } from "@/lib/generated/prisma/enums";
import { ALL_CURRENCIES, currenciesOf } from "./provider-currencies";
import { paymentsDemoEnabled } from "./providers/demo-mode";

const runnerOf = (client: DbClient | SqlRunner): SqlRunner => ("rows" in client ? client : onPrisma(client));

/** The message key naming the currency (errors.noWayToPayRUB …): shown on the form and in the API error. */
export const noWayToPayKey = (currency: Currency) => `errors.noWayToPay${currency}` as const;

/**
 * The currencies the organization can take now: its connected accounts (demo only while demo is
 * enabled). `lock` reads the rows FOR SHARE (inside a transaction: the guard).
 */
export async function acceptedCurrencies(organizationId: string, runner: DbClient | SqlRunner = db, options: { lock?: boolean } = {}): Promise<Currency[]> {
  const rows = await runnerOf(runner).rows<{ provider: string }>(
    sql`SELECT provider FROM payment_accounts WHERE tenant_id = ${organizationId}::uuid${options.lock ? sql` FOR SHARE` : empty}`,
  );
  return currenciesOf(
    rows.map((r) => r.provider),
    paymentsDemoEnabled(),
  );
}

/**
 * Of these currencies, the ones the organization cannot take now, in catalogue order. The same test the
 * guard makes, for pages that warn before the click (the event's publish blockers).
 */
export async function unpayableCurrencies(organizationId: string, currencies: Iterable<Currency>, runner: DbClient | SqlRunner = db): Promise<Currency[]> {
  const wanted = new Set(currencies);
  if (wanted.size === 0) return [];
  const accepted = new Set(await acceptedCurrencies(organizationId, runner));
  return ALL_CURRENCIES.filter((c) => wanted.has(c) && !accepted.has(c));
}

export type PayableScope =
  /** The event's active paid types while it is PUBLISHED (publish), or one of them (add / edit / activate). */
  | { eventId: string; ticketTypeId?: string }
  /** Every active paid type of the organization's PUBLISHED events (disconnecting an account). */
  | { organizationId: string };

/**
 * Refuses (CONFLICT errors.noWayToPay<CUR>) when a paid, active ticket type of a PUBLISHED event in the
 * scope has a currency no connected account takes. Runs in the caller's transaction, after its write.
 */
export async function assertCurrenciesPayable(tx: DbClient | SqlRunner, scope: PayableScope): Promise<void> {
  const runner = runnerOf(tx);
  const where =
    "organizationId" in scope
      ? sql`e.tenant_id = ${scope.organizationId}::uuid`
      : sql`e.id = ${scope.eventId}::uuid${scope.ticketTypeId ? sql` AND t.id = ${scope.ticketTypeId}::uuid` : empty}`;
  const onSale = await runner.rows<{ organization_id: string; currency: Currency }>(sql`
    SELECT DISTINCT e.tenant_id AS organization_id, t.currency::text AS currency
      FROM ticket_types t
      JOIN events e ON e.id = t.event_id
     WHERE ${where} AND e.status = 'PUBLISHED' AND e.deleted_at IS NULL AND t.is_active AND t.price_cents > 0`);
  if (onSale.length === 0) return;
  const accepted = new Set(await acceptedCurrencies(onSale[0].organization_id, runner, { lock: true }));
  const missing = onSale.map((r) => r.currency).find((c) => !accepted.has(c));
  if (missing) {
    const key = noWayToPayKey(missing);
    throw new AppError("CONFLICT", key, "ticketTypeId" in scope && scope.ticketTypeId ? { currency: key } : undefined, {
      apiCode: "NO_WAY_TO_PAY",
      details: { currency: missing },
    });
  }
}
