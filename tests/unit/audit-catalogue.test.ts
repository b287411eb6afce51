// The audit catalogue (lib/audit/catalogue.ts): one spelling, every action belongs to one entity type,
// the latest migration's CHECK lists are the catalogue, and every action the event's Activity tab can
// show has a text in both languages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { AUDIT_ACTIONS, AUDIT_CATALOGUE, AUDIT_ENTITY_TYPES, auditCheckConstraintsSql, entityTypeOfAction, isAuditAction, isAuditEntityType } from "@/lib/audit/catalogue";
import { translatorFor } from "@/lib/i18n/catalogue";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");

/** The values of the last `ADD CONSTRAINT "<name>" CHECK (…)` across the migrations, in order. */
function latestCheckValues(name: string): string[] {
  let values: string[] | null = null;
  for (const dir of fs.readdirSync(MIGRATIONS).sort()) {
    const file = path.join(MIGRATIONS, dir, "migration.sql");
    if (!fs.existsSync(file)) continue;
    const sql = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.replace(/--.*$/, ""))
      .join("\n");
    const pattern = new RegExp(`ADD CONSTRAINT "${name}" CHECK \\(([^;]*)\\);`, "g");
    for (const m of sql.matchAll(pattern)) values = [...m[1].matchAll(/'([^']+)'/g)].map((v) => v[1]);
  }
  if (!values) throw new Error(`no migration creates ${name}`);
  return values;
}

describe("audit catalogue", () => {
  test("entity types are lower snake_case; actions are <area>.<snake_case>, each of exactly one entity type", () => {
    for (const type of AUDIT_ENTITY_TYPES) expect(type).toMatch(/^[a-z]+(_[a-z]+)*$/);
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$/);
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const type of AUDIT_ENTITY_TYPES) {
      for (const action of AUDIT_CATALOGUE[type]) expect(entityTypeOfAction(action)).toBe(type);
    }
    expect(isAuditEntityType("registration")).toBe(true);
    expect(isAuditEntityType("Registration")).toBe(false);
    expect(isAuditAction("registration.created")).toBe(true);
    expect(isAuditAction("registration.cancelledByOrganizer")).toBe(false);
  });

  test("the latest migration checks exactly the catalogue (a change needs a migration)", () => {
    const hint = `add a migration with\n${auditCheckConstraintsSql()}\n`;
    expect(latestCheckValues("audit_logs_entity_type_check").sort(), hint).toEqual([...AUDIT_ENTITY_TYPES].sort());
    expect(latestCheckValues("audit_logs_action_check").sort(), hint).toEqual([...AUDIT_ACTIONS].sort());
  });

  test("every action the Activity tab shows has a text in Russian and English", () => {
    // lib/events/activity.ts lists the rows of these entity types; the page reads
    // events.ui.activity.actions.<action with its first "." as "_">.
    const shown = (["event", "ticket_type", "registration", "event_staff_access"] as const).flatMap((t) => AUDIT_CATALOGUE[t]);
    for (const locale of ["ru", "en"] as const) {
      const t = translatorFor(locale);
      const missing = shown.filter((action) => !t.has(`events.ui.activity.actions.${action.replace(".", "_")}`));
      expect(missing, locale).toEqual([]);
    }
  });
});
