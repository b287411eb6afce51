// The organizer's registration search and the door's manual search on the bench:growth event, through
// the app's own services (lib/registrations/admin.ts: the list page's two calls, listEventRegistrations +
// countRegistrationsByStatus, at once as the page makes them; lib/check-in searchAttendees), with the
// plan PostgreSQL chose for each query's count. Run by scripts/bench/growth.mjs:
//   tsx --conditions=react-server scripts/bench/growth-search.ts <input.json>
// input: { databaseUrl, ownerId, organizationSlug, eventId, queries: string[], iterations }; prints one JSON line.
import fs from "node:fs";

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as {
  databaseUrl: string;
  ownerId: string;
  organizationSlug: string;
  eventId: string;
  queries: string[];
  iterations: number;
};
process.env.DATABASE_URL = input.databaseUrl;

const { db, disconnectDb, Prisma } = await import("@/lib/db");
const { countRegistrationsByStatus, listEventRegistrations, searchSql } = await import("@/lib/registrations/admin");
const { searchAttendees } = await import("@/lib/check-in");
const { actorOf } = await import("@/lib/permissions");

const actor = actorOf({ id: input.ownerId, isPlatformAdmin: false })!;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function timed(fn: () => Promise<unknown>, iterations: number): Promise<{ p50: number; p95: number; max: number }> {
  await fn(); // warm: plans cached, pages in the buffer cache
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.at(-1)! };
}

/** The scan nodes of the count's plan ("Bitmap Index Scan on registrations_search_text_trgm_idx", …). */
async function planOf(q: string): Promise<string[]> {
  const [event] = await db.$queryRaw<{ tenant_id: string }[]>`SELECT tenant_id FROM events WHERE id = ${input.eventId}::uuid`;
  const rows = await db.$queryRaw<{ "QUERY PLAN": string }[]>(
    Prisma.sql`EXPLAIN SELECT count(*) FROM registrations r
      WHERE r.event_id = ${input.eventId}::uuid AND r.tenant_id = ${event.tenant_id}::uuid ${searchSql(q)}`,
  );
  return rows.map((r) => r["QUERY PLAN"]).filter((line) => /Scan/.test(line)).map((line) => line.trim().replace(/^->\s*/, "").replace(/\s+\(cost.*$/, ""));
}

const results = [];
for (const q of input.queries) {
  const scope = { actor, organizationSlug: input.organizationSlug, eventId: input.eventId, q };
  let total = 0;
  const organizer = await timed(async () => {
    const [list] = await Promise.all([listEventRegistrations({ ...scope, page: 1 }), countRegistrationsByStatus(scope)]);
    total = list.total;
  }, input.iterations);
  let doorHits = 0;
  const door = await timed(async () => {
    doorHits = (await searchAttendees({ actor, eventId: input.eventId, q })).results.length;
  }, input.iterations);
  results.push({ q, total, organizer, doorHits, door, plan: await planOf(q) });
}
console.log(JSON.stringify({ results }));
await disconnectDb();
