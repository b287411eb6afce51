// The database's ceiling for the sale (bench:rush): the transaction register() runs on its hot path for a
// signed-in user with an Idempotency-Key — BEGIN, the idempotency claim, the sale context, the sale
// statement (registration, audit row, ticket message + its job, stored response), COMMIT — built by the
// app's own code (lib/idempotency withIdempotencyPg, lib/registrations/sale.ts), sent straight over pg
// with no HTTP and no request handling around it. Run by scripts/bench/rush.mjs:
//   tsx --conditions=react-server scripts/bench/sale-ceiling.ts <input.json>
// input: { databaseUrl, eventId, ticketTypeId, userIds: string[], concurrency }; prints one JSON line.
// The ticket's job gets run_at in a day so that the app server's runner does not pick these rows up.
import { randomUUID } from "node:crypto";
import fs from "node:fs";

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as {
  databaseUrl: string;
  eventId: string;
  ticketTypeId: string;
  userIds: string[];
  concurrency: number;
};
process.env.DATABASE_URL = input.databaseUrl;
process.env.DATABASE_POOL_SIZE = String(input.concurrency);

const { disconnectDb, onPg, pgPool } = await import("@/lib/db");
const { computeAvailability } = await import("@/lib/events/seats");
const { withIdempotencyPg, hashRequest } = await import("@/lib/idempotency");
const { saleStatement } = await import("@/lib/registrations/sale");
const { loadSaleContextWith, noticeEventOf, registrationConfirmedNotice } = await import("@/lib/registrations/shared");
const { initialStatusFor } = await import("@/lib/registrations/transitions");
const { generateCode } = await import("@/lib/tickets/codes");

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const latencies: number[] = [];
let confirmed = 0;
let soldOut = 0;
let lastConfirmedAt = 0;
const tomorrow = () => new Date(Date.now() + 86_400_000);

async function one(userId: string): Promise<void> {
  const started = performance.now();
  try {
    const request = { scope: `registration.create:user:${userId}`, key: randomUUID(), requestHash: hashRequest({ userId }) };
    const { value } = await withIdempotencyPg(request, async (client, claim) => {
      const run = onPg(client);
      const ctx = await loadSaleContextWith(run, { eventId: input.eventId, ticketTypeId: input.ticketTypeId, userId });
      const t = ctx!.ticketType!;
      if (computeAvailability({ ...t, heldForWaitlist: 0 }).soldOut) return "sold_out" as const;
      const registrationId = randomUUID();
      const code = generateCode();
      const result = { registrationId, status: initialStatusFor(t), confirmationCode: code };
      const notice = registrationConfirmedNotice(
        { id: registrationId, userId, email: null, firstName: ctx!.user!.firstName, confirmationCode: code, locale: ctx!.user!.locale },
        noticeEventOf(ctx!),
        t.name,
      );
      const [row] = await run.rows<{ id: string | null; stored: number }>(
        saleStatement({
          seat: { kind: "public" },
          ticketTypeId: input.ticketTypeId,
          eventId: input.eventId,
          registrationId,
          organizationId: ctx!.event.organizationId,
          userId,
          confirmationCode: code,
          firstName: ctx!.user!.firstName,
          lastName: ctx!.user!.lastName,
          email: ctx!.user!.email,
          customFields: {},
          guestTokenHash: null,
          locale: "ru",
          now: ctx!.now,
          idempotency: claim ? { claim, response: result } : null,
          notice,
          guestMail: null,
          messageRunAt: tomorrow(),
        }),
        { prepare: true },
      );
      if (!row.id) return "sold_out" as const;
      if (claim && row.stored === 1) claim.markStored();
      return "confirmed" as const;
    });
    if (value === "confirmed") {
      confirmed++;
      lastConfirmedAt = performance.now();
    } else {
      soldOut++;
    }
  } finally {
    latencies.push(performance.now() - started);
  }
}

// Connections are opened before the clock starts (the app's pool is warm too).
const opened = await Promise.all(Array.from({ length: input.concurrency }, () => pgPool().connect()));
for (const c of opened) c.release();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: input.concurrency }, async () => {
    while (next < input.userIds.length) await one(input.userIds[next++]);
  }),
);
const elapsed = (performance.now() - started) / 1000;
await disconnectDb();
latencies.sort((a, b) => a - b);
const saleSeconds = (lastConfirmedAt - started) / 1000;
console.log(
  JSON.stringify({
    confirmed,
    soldOut,
    elapsed,
    saleSeconds,
    registrationsPerSecond: confirmed / saleSeconds,
    requestsPerSecond: input.userIds.length / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  }),
);
