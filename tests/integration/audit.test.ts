// The audit catalogue against a real PostgreSQL: the database's CHECK lists are the TypeScript catalogue
// (lib/audit/catalogue.ts), an unknown entity type or action is refused by the database, the migration
// normalises rows written before the catalogue, and a direct sale (the sale statement over pg) shows up
// on the event's Activity tab next to a registration made through the waitlist.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, auditCheckConstraintsSql } from "@/lib/audit/catalogue";
import { auditRow, writeAudit, type AuditEntry } from "@/lib/audit";
import { db } from "@/lib/db";
import { listEventActivity } from "@/lib/events/activity";
import type { User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { cancelMyRegistration } from "@/lib/registrations/cancel";
import { register } from "@/lib/registrations/register";
import { waitlistClaimToken } from "@/lib/registrations/tokens";
import { claimWaitlistOffer, joinWaitlist } from "@/lib/waitlist/waitlist";
import { createEvent, createOrganization, createTicketType, createUser, expectDbRejects, uniqueEmail } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;

/** The quoted values of a CHECK (… IN (…)) / (= ANY (ARRAY[…])) definition. */
function valuesOf(definition: string): string[] {
  return [...definition.matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

async function constraintValues(name: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ def: string }[]>`
    SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
     WHERE c.conrelid = 'audit_logs'::regclass AND c.conname = ${name}`;
  expect(rows, `constraint ${name} exists`).toHaveLength(1);
  return valuesOf(rows[0].def);
}

describe("audit catalogue", () => {
  test("the database checks exactly the catalogue's entity types and actions", async () => {
    const hint = `the catalogue changed: add a migration with\n${auditCheckConstraintsSql()}\n`;
    expect((await constraintValues("audit_logs_entity_type_check")).sort(), hint).toEqual([...AUDIT_ENTITY_TYPES].sort());
    expect((await constraintValues("audit_logs_action_check")).sort(), hint).toEqual([...AUDIT_ACTIONS].sort());
  });

  test("an unknown entity type or action is refused by the database; the typed writer refuses it before", async () => {
    const { organization, owner } = await createOrganization();
    const row = { organizationId: organization.id, actorId: owner.id, entityId: organization.id, changes: {} };
    // Past the type check (a cast), the database still says no.
    await expectDbRejects(db.auditLog.create({ data: { ...row, entityType: "Registration", action: "registration.created" } }), "audit_logs_entity_type_check");
    await expectDbRejects(db.auditLog.create({ data: { ...row, entityType: "registration", action: "registration.creatd" } }), "audit_logs_action_check");
    await expectDbRejects(
      db.$executeRaw`INSERT INTO audit_logs (id, organization_id, actor_id, entity_type, entity_id, action, changes, created_at)
                     VALUES (gen_random_uuid(), ${organization.id}::uuid, NULL, 'organisation', ${organization.id}::uuid, 'organization.updated', '{}', now())`,
      "23514",
      "audit_logs_entity_type_check",
    );
    // The writer checks the pair: an action of another entity type is refused before any SQL.
    const mismatched = { ...row, entityType: "organization", action: "event.created" } as unknown as AuditEntry;
    await expect(writeAudit(db, mismatched)).rejects.toThrow(/"event.created" is not an action of "organization"/);
    expect(() => auditRow({ ...row, entityType: "organisation", action: "organization.updated" } as unknown as AuditEntry)).toThrow(/unknown entity type/);
    expect(await db.auditLog.count({ where: { organizationId: organization.id } })).toBe(0);
    // A catalogued pair is written.
    const id = await writeAudit(db, { ...row, entityType: "organization", action: "organization.updated" });
    expect(await db.auditLog.findUniqueOrThrow({ where: { id } })).toMatchObject({ entityType: "organization", action: "organization.updated" });
  });

  test("the migration normalises rows written before the catalogue to its one spelling", async () => {
    const sql = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/migrations/20261206000000_audit_catalogue/migration.sql"), "utf8");
    const { organization } = await createOrganization();
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    client.on("error", () => undefined);
    await client.connect();
    try {
      // In one transaction that is rolled back: the database as it was before the migration (no
      // constraints), rows in the old spellings, then the migration itself.
      await client.query("BEGIN");
      await client.query(`ALTER TABLE audit_logs DROP CONSTRAINT audit_logs_entity_type_check, DROP CONSTRAINT audit_logs_action_check`);
      const legacy = [
        ["Registration", "registration.created"],
        ["Payment", "payment.recorded"],
        ["Prepayment", "prepayment.completed"],
        ["OrganizationRequest", "organization_request.approved"],
        ["Event", "event.updated"],
        ["registration", "registration.cancelledByOrganizer"],
        ["registration", "registration.cancelledUnpaidPrepayment"],
        ["waitlist_entry", "waitlist.offerExpired"],
      ];
      for (const [entityType, action] of legacy) {
        await client.query(
          `INSERT INTO audit_logs (id, organization_id, entity_type, entity_id, action, changes, created_at)
           VALUES (gen_random_uuid(), $1, $2, gen_random_uuid(), $3, '{}', now())`,
          [organization.id, entityType, action],
        );
      }
      await client.query(sql);
      const { rows } = await client.query<{ entity_type: string; action: string }>(
        `SELECT entity_type, action FROM audit_logs WHERE organization_id = $1 ORDER BY entity_type, action`,
        [organization.id],
      );
      expect(rows.map((r) => `${r.entity_type} ${r.action}`)).toEqual([
        "event event.updated",
        "organization_request organization_request.approved",
        "payment payment.recorded",
        "prepayment prepayment.completed",
        "registration registration.cancelled_by_organizer",
        "registration registration.cancelled_unpaid_prepayment",
        "registration registration.created",
        "waitlist_entry waitlist.offer_expired",
      ]);
      for (const r of rows) {
        expect(AUDIT_ENTITY_TYPES).toContain(r.entity_type);
        expect(AUDIT_ACTIONS).toContain(r.action);
      }
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end();
    }
    expect(await constraintValues("audit_logs_entity_type_check")).toHaveLength(AUDIT_ENTITY_TYPES.length);
  });

  test("a direct sale shows up on the event's Activity tab next to a registration made through the waitlist", async () => {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization, { settings: { allowGuests: true, waitlistOfferMinutes: 30 } as never });
    const type = await createTicketType(event, { quantity: 2 });
    const buyer = await createUser();
    const leaver = await createUser();
    const waiter = await createUser();

    // Two direct sales (the hot path: the sale statement over pg): a participant and a guest.
    const sale = await register({ actor: as(buyer), eventId: event.id, ticketTypeId: type.id });
    const guest = await register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Гость", email: uniqueEmail("guest") });
    // Sold out: a third person waits; one participant cancels, the waiter is offered the seat and claims it.
    await expect(register({ actor: as(leaver), eventId: event.id, ticketTypeId: type.id })).rejects.toMatchObject({ message: "errors.soldOut" });
    await joinWaitlist({ actor: as(waiter), eventId: event.id });
    await cancelMyRegistration({ actor: as(buyer), registrationId: sale.registrationId });
    const entry = await db.waitlistEntry.findFirstOrThrow({ where: { eventId: event.id, userId: waiter.id, status: "NOTIFIED" } });
    const claimed = await claimWaitlistOffer({ actor: as(waiter), entryId: entry.id, token: waitlistClaimToken(entry.id) });

    const activity = await listEventActivity({ actor: as(owner), eventId: event.id });
    const created = activity.items.filter((i) => i.action === "registration.created");
    expect(created.map((i) => i.entityId).sort()).toEqual([sale.registrationId, guest.registrationId, claimed.registrationId].sort());
    for (const item of created) expect(item.entityType).toBe("registration");
    expect(created.find((i) => i.entityId === sale.registrationId)).toMatchObject({
      actor: { id: buyer.id },
      changes: [{ field: "status", from: null, to: "CONFIRMED" }],
      notes: { ticketTypeId: type.id, priceCents: 0 },
    });
    expect(created.find((i) => i.entityId === guest.registrationId)?.actor).toBeNull();
    expect(activity.items.some((i) => i.action === "registration.cancelled" && i.entityId === sale.registrationId)).toBe(true);
  });
});
