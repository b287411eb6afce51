// The one transaction helper and its timing profiles. Prisma's interactive transactions have two
// clocks: `maxWait` — how long to wait for a pooled connection before giving up — and `timeout` — how
// long the transaction may stay open. Prisma's defaults (2 s / 5 s) are too short for a pool that is
// busy during a rush and for writes that fan out over many rows, so every transaction names a profile:
//
// - standard  (15 s / 30 s, the default): any write of a few rows. Some wait for a locked hot row (a
//             seat, a waitlist entry, the expiry sweep, the cron claim, an idempotency claim, a payment)
//             and queue behind other transactions on it, so the wait for a connection is generous.
// - long      (10 s / 60 s): a change that writes one row per participant (an event edit that notifies
//             everyone, an organization deletion).
// - bulk      (10 s / 120 s): the widest fan-out (cancelling an event: every registration, refund and
//             notification).
// Code that opens a transaction itself passes a profile's numbers: `db.$transaction(fn, TX_PROFILES.standard)`;
// withTransaction() (lib/db/index.ts, next to the client it falls back to) takes a profile's name.
// Pure module: no imports (lib/db/index.ts re-exports it).

export const TX_PROFILES = {
  standard: { maxWait: 15_000, timeout: 30_000 },
  long: { maxWait: 10_000, timeout: 60_000 },
  bulk: { maxWait: 10_000, timeout: 120_000 },
} as const satisfies Record<string, { maxWait: number; timeout: number }>;

export type TxProfile = keyof typeof TX_PROFILES;
