// Migration 20261206150000_icu_notification_templates converts stored template bodies from Mustache to
// ICU with aq_mustache_to_icu(): the standard texts become exactly the ICU texts in code (so an
// unedited system template is not reported as customized), and an admin's own text renders as it did
// with Mustache — escaping, apostrophes, literal braces, sections, inverted sections and Mustache's
// "standalone" section lines included (expected outputs taken from mustache@4.2.0).
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { renderTemplate, validateTemplateBody } from "@/lib/notifications/render";
import { SYSTEM_TEMPLATES } from "@/lib/notifications/system-templates";
import { PREVIOUS_ICU_TEMPLATES } from "@/tests/fixtures/icu-template-history";
import { MUSTACHE_SYSTEM_TEMPLATES } from "@/tests/fixtures/mustache-system-templates";
import { uniqueSuffix } from "@/tests/helpers/factories";

async function convert(body: string): Promise<string> {
  const rows = await db.$queryRaw<{ icu: string }[]>`SELECT aq_mustache_to_icu(${body}) AS icu`;
  return rows[0].icu;
}

describe("Mustache → ICU", () => {
  test.each(MUSTACHE_SYSTEM_TEMPLATES.map((t) => [t.code, t] as const))("%s becomes the ICU text in code", async (code, old) => {
    // The text in code then (a later migration may have replaced it: tests/fixtures/icu-template-history.ts).
    const current = PREVIOUS_ICU_TEMPLATES[code] ?? SYSTEM_TEMPLATES.find((t) => t.code === code)!;
    expect(await convert(old.body)).toBe(current.body);
    expect(await convert(old.bodyEn)).toBe(current.bodyEn);
  });

  test.each([
    ["It's {{name}}'s day — '{{name}}' and ''quoted''", { name: "Ann & <Bob>" }, "It's Ann &amp; &lt;Bob&gt;'s day — 'Ann &amp; &lt;Bob&gt;' and ''quoted''"],
    ["Braces { stay } and {{name}}{'}", { name: "X" }, "Braces { stay } and X{'}"],
    ["Line one\n  {{#place}}  \n📍 {{place}}\n  {{/place}}\nEnd{{! a note }}", { place: "Moscow" }, "Line one\n📍 Moscow\nEnd"],
    ["Line one\n  {{#place}}  \n📍 {{place}}\n  {{/place}}\nEnd{{! a note }}", { place: "" }, "Line one\nEnd"],
    ["{{^place}}Online{{/place}}{{#place}}At {{place}}{{/place}}.", { place: "" }, "Online."],
    ["{{^place}}Online{{/place}}{{#place}}At {{place}}{{/place}}.", { place: "Hall" }, "At Hall."],
    // Raw values ({{{x}}}, {{&x}}) were never accepted by the editor; converted, they are escaped like any value.
    ["{{#a}}A{{#b}}+B={{b}}{{/b}}{{/a}}|{{{name}}}|{{&name}}", { a: "1", b: "2", name: "<i>" }, "A+B=2|&lt;i&gt;|&lt;i&gt;"],
  ])("%j renders as before", async (mustache, values, expected) => {
    const icu = await convert(mustache);
    expect(renderTemplate(icu, values)).toBe(expected);
  });

  test("a body that is not valid Mustache is left as it was; NULL stays NULL", async () => {
    expect(await convert("{{#a}}never closed")).toBe("{{#a}}never closed");
    expect(await convert("{{#a}}x{{/b}}")).toBe("{{#a}}x{{/b}}");
    const rows = await db.$queryRaw<{ icu: string | null }[]>`SELECT aq_mustache_to_icu(NULL) AS icu`;
    expect(rows[0].icu).toBeNull();
  });

  test("the migration's UPDATE turns a stored admin text into a valid ICU template with the same output", async () => {
    const code = `custom.migrated_${uniqueSuffix()}`;
    const body = "Hi {{firstName}}!\n{{#reason}}\nReason: {{reason}}\n{{/reason}}It's done.";
    const row = await db.notificationTemplate.create({ data: { code, body, bodyEn: "", variables: [{ name: "firstName" }, { name: "reason" }] } });
    await db.$executeRaw`UPDATE "notification_templates" SET "body" = aq_mustache_to_icu("body"), "body_en" = aq_mustache_to_icu("body_en") WHERE id = ${row.id}::uuid`;
    const migrated = await db.notificationTemplate.findUniqueOrThrow({ where: { id: row.id } });
    expect(migrated.body).toBe("Hi {firstName}!\n{reason, select, empty {} other {Reason: {reason}\n}}It's done.");
    expect(migrated.bodyEn).toBe("");
    expect(validateTemplateBody(migrated.body, ["firstName", "reason"])).toMatchObject({ ok: true });
    expect(renderTemplate(migrated.body, { firstName: "Ann", reason: "late" })).toBe("Hi Ann!\nReason: late\nIt's done.");
    expect(renderTemplate(migrated.body, { firstName: "Ann", reason: "" })).toBe("Hi Ann!\nIt's done.");
  });
});
