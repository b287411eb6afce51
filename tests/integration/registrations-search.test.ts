// Search at scale (lib/registrations/search-sql.ts): on an event with thousands of registrations the
// organizer's search and the door's manual search use the trigram indexes (EXPLAIN), and find exactly
// the rows the documented rule finds (compared with the rule applied in TypeScript to every row).
import { describe, expect, test, beforeAll } from "vitest";
import { searchAttendees } from "@/lib/check-in";
import { db, Prisma } from "@/lib/db";
import { actorOf, type Actor } from "@/lib/permissions";
import { listEventRegistrations, normalizeCodeQuery, searchSql, ADMIN_PAGE_SIZE_MAX } from "@/lib/registrations/admin";
import { REGISTRATION_SEARCH_TEXT } from "@/lib/registrations/search-sql";
import { insertBulkRegistrations } from "@/scripts/bench/bulk-registrations.mjs";
import { createEvent, createOrganization, createTicketType } from "@/tests/helpers/factories";

const COUNT = 3000;
let world: { actor: Actor; eventId: string; organizationId: string; slug: string };
type Row = { id: string; first_name: string; last_name: string | null; email: string | null; confirmation_code: string; created_at: Date };
let rows: Row[];

beforeAll(async () => {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, { publishedAt: new Date() });
  const types = await Promise.all([createTicketType(event, { name: "A", quantity: null }), createTicketType(event, { name: "B", sortOrder: 1, quantity: null })]);
  await insertBulkRegistrations(
    { query: (text: string, values?: unknown[]) => db.$executeRawUnsafe(text, ...(values ?? [])) },
    { organizationId: organization.id, eventId: event.id, ticketTypeIds: types.map((t) => t.id), count: COUNT, offset: 1_000_000 },
  );
  await db.$executeRawUnsafe("ANALYZE registrations");
  world = { actor: actorOf(owner)!, eventId: event.id, organizationId: organization.id, slug: organization.slug };
  rows = await db.$queryRaw<Row[]>`SELECT id, first_name, last_name, email, confirmation_code, created_at FROM registrations WHERE event_id = ${event.id}::uuid`;
});

/** The organizer's rule in TypeScript (docs/registrations.md): name forms or email contain q, or the code contains the normalized q. */
function organizerRule(q: string): string[] {
  const needle = q.trim().replace(/\s+/g, " ").toLowerCase();
  const code = normalizeCodeQuery(q);
  return rows
    .filter((r) => {
      const forms = [r.first_name, r.last_name ?? "", `${r.first_name} ${r.last_name ?? ""}`, `${r.last_name ?? ""} ${r.first_name}`, r.email ?? ""];
      return forms.some((f) => f.toLowerCase().includes(needle)) || (code !== null && r.confirmation_code.includes(code));
    })
    .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1))
    .map((r) => r.id);
}

/**
 * The plan of a search condition alone (no event filter, whose btree indexes win on a few thousand
 * rows) with sequential scans off: proves the planner CAN answer it through the trigram indexes (it
 * matches their expressions). bench:growth prints the plan on the 100,000-row event, where the
 * planner chooses them by cost.
 */
async function explain(query: Prisma.Sql): Promise<string> {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    const result = await tx.$queryRaw<{ "QUERY PLAN": unknown }[]>`EXPLAIN (FORMAT JSON) ${query}`;
    return JSON.stringify(result[0]["QUERY PLAN"]);
  });
}

function plan(q: string): Promise<string> {
  return explain(Prisma.sql`SELECT count(*) FROM registrations r WHERE true ${searchSql(q)}`);
}

describe("search at scale", () => {
  test("the organizer's search: a name, an email or a code fragment is found through the trigram indexes", async () => {
    const name = await plan("иванов");
    expect(name).toContain("registrations_search_text_trgm_idx");
    expect(name).not.toContain("Seq Scan");
    const code = await plan(rows[0].confirmation_code.slice(1, 6));
    expect(code).toContain("registrations_confirmation_code_trgm_idx");
    expect(code).toContain("registrations_search_text_trgm_idx");
    expect(await plan("guest1000123@")).toContain("registrations_search_text_trgm_idx");
  });

  test.each(["иванов", "ИВАН", "<first last>", "<last first>", "ра", "guest1000017@example", "<code>", "<last last>", "100_0", "%"])(
    "the organizer's search %s: the same rows, in the same order, as the rule over every row",
    async (q) => {
      // Placeholders for values of the generated rows: a code typed lower-case with a hyphen (the
      // search normalizes it), "first la" and "last first" of one registration.
      const r = rows[7];
      const query =
        q === "<code>"
          ? `${r.confirmation_code.toLowerCase().slice(0, 4)}-${r.confirmation_code.slice(4)}`
          : q === "<first last>"
            ? `${r.first_name} ${r.last_name!.slice(0, 3)}`
            : q === "<last first>"
              ? `${r.last_name}  ${r.first_name.toUpperCase()}`
              : q === "<last last>"
                ? `${r.last_name} ${r.last_name}` // spans two lines of the indexed text: no form holds it
                : q;
      const expected = organizerRule(query);
      const list = await listEventRegistrations({ actor: world.actor, organizationSlug: world.slug, eventId: world.eventId, q: query, pageSize: ADMIN_PAGE_SIZE_MAX });
      expect(list.total).toBe(expected.length);
      expect(list.items.map((i) => i.id)).toEqual(expected.slice(0, ADMIN_PAGE_SIZE_MAX));
      if (!["%", "100_0", "<last last>"].includes(q)) expect(expected.length).toBeGreaterThan(0);
    },
  );

  test("the door's manual search finds by name, code prefix and email through the same indexes", async () => {
    const target = rows.find((r) => r.last_name)!;
    const byName = await searchAttendees({ actor: world.actor, eventId: world.eventId, q: `${target.last_name} ${target.first_name}` });
    expect(byName.results.length).toBeGreaterThan(0);
    for (const r of byName.results) expect(`${r.lastName} ${r.firstName}`.toLowerCase()).toContain(`${target.last_name} ${target.first_name}`.toLowerCase());
    const byCode = await searchAttendees({ actor: world.actor, eventId: world.eventId, q: target.confirmation_code });
    expect(byCode.results[0].registrationId).toBe(target.id);
    const byEmail = await searchAttendees({ actor: world.actor, eventId: world.eventId, q: target.email! });
    expect(byEmail.results.map((r) => r.registrationId)).toEqual([target.id]);
    const door = await explain(Prisma.sql`SELECT r.id FROM registrations r
      WHERE r.confirmation_code LIKE ${"ABC%"} OR ${Prisma.raw(REGISTRATION_SEARCH_TEXT)} ILIKE ${"%смирнова%"}`);
    expect(door).toContain("registrations_search_text_trgm_idx");
    expect(door).not.toContain("Seq Scan");
  });
});
