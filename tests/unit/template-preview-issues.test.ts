// The editor's live problems: every finding of validateTemplateBody (lib/notifications/render.ts) is
// turned into a structured issue that names the variable or tag, and worded in both languages. This
// pins the wording of render.ts that issueFromMessage() reads: if it changes, these tests say so.
import { describe, expect, test } from "vitest";
import { translatorFor } from "@/lib/i18n/catalogue";
import { describeTemplateIssue, templateBodiesSchema, templateIssues, type TemplateIssue } from "@/lib/validation/templates";

const VARS = ["firstName", "eventTitle", "eventUrl"];

describe("templateIssues", () => {
  test("a valid body has none", () => {
    expect(templateIssues('Hi <b>{firstName}</b>{eventUrl, select, empty {} other { <a href="{eventUrl}">link</a>}}', VARS)).toEqual([]);
  });

  test.each<[string, TemplateIssue[]]>([
    ["Hi {unknownVar}", [{ kind: "unknownVariable", name: "unknownVar" }]],
    ["{secret, select, empty {} other {x}}", [{ kind: "unknownVariable", name: "secret" }]],
    ["{firstName, number}", [{ kind: "unsupportedFormat", name: "firstName" }]],
    ["Hi {{firstName}}", [{ kind: "doubleBraces" }]],
    ["{{#eventUrl}}x{{/eventUrl}}", [{ kind: "doubleBraces" }]],
    ["<div>x</div>", [{ kind: "unsupportedTag", tag: "div" }]],
    ["<b>x", [{ kind: "unclosedTag", tag: "b" }]],
    ["<b><i>x</b></i>", [{ kind: "mismatchedTag", tag: "b", open: "i" }, { kind: "mismatchedTag", tag: "i", open: "b" }]],
    ["x</b>", [{ kind: "unopenedTag", tag: "b" }]],
    ['<b class="x">y</b>', [{ kind: "badAttributes", tag: "b" }]],
    ["<a>x</a>", [{ kind: "linkNeedsHref" }]],
    ["1 < 2", [{ kind: "strayChar", char: "<" }]],
    ["2 > 1", [{ kind: "strayChar", char: ">" }]],
    ["Tom & Jerry", [{ kind: "strayChar", char: "&" }]],
  ])("%s", (body, expected) => {
    expect(templateIssues(body, VARS)).toEqual(expected);
  });

  test("broken ICU is a syntax issue with the parser's reason and place", () => {
    const [issue] = templateIssues("Hi {firstName, select, empty {x}", VARS);
    expect(issue.kind).toBe("syntax");
    expect((issue as { detail: string }).detail).toMatch(/ at line 1, column \d+$/);
  });

  test("the same stray character found with and without sections is reported once", () => {
    expect(templateIssues("{eventUrl, select, empty {} other {x}} a & b", VARS)).toEqual([{ kind: "strayChar", char: "&" }]);
  });
});

describe("describeTemplateIssue", () => {
  const t = { ru: translatorFor("ru"), en: translatorFor("en") };

  test("names the unknown variable and lists the available ones", () => {
    const issue: TemplateIssue = { kind: "unknownVariable", name: "unknownVar" };
    expect(describeTemplateIssue(t.ru, issue, VARS)).toBe("Неизвестная переменная {unknownVar}. Можно использовать: firstName, eventTitle, eventUrl");
    expect(describeTemplateIssue(t.en, issue, [])).toBe("Unknown variable {unknownVar}: this template has no variables");
    expect(describeTemplateIssue(t.ru, { kind: "doubleBraces" }, VARS)).toBe("Переменные пишутся в одинарных фигурных скобках: {firstName}, а не {{firstName}}");
    expect(describeTemplateIssue(t.en, { kind: "unsupportedFormat", name: "eventDate" }, VARS)).toBe(
      "Formats like {eventDate, …} are not supported: values arrive as ready text, write {eventDate}",
    );
  });

  test("every kind has a text in both languages without leftover placeholders", () => {
    const all: TemplateIssue[] = [
      { kind: "unknownVariable", name: "x" },
      { kind: "doubleBraces" },
      { kind: "unsupportedFormat", name: "x" },
      { kind: "syntax", detail: "malformed argument at line 1, column 4" },
      { kind: "unsupportedTag", tag: "div" },
      { kind: "unclosedTag", tag: "b" },
      { kind: "mismatchedTag", tag: "b", open: "i" },
      { kind: "unopenedTag", tag: "b" },
      { kind: "badAttributes", tag: "b" },
      { kind: "linkNeedsHref" },
      { kind: "strayChar", char: "<" },
      { kind: "strayChar", char: ">" },
      { kind: "strayChar", char: "&" },
      { kind: "other", detail: "Something else" },
    ];
    for (const translator of [t.ru, t.en]) {
      for (const issue of all) {
        const text = describeTemplateIssue(translator, issue, VARS);
        expect(text, issue.kind).not.toMatch(/telegram\.templates|\{(name|tag|open|detail|available)\}/);
        expect(text.length).toBeGreaterThan(5);
      }
    }
  });
});

describe("templateBodiesSchema", () => {
  test("the Russian body is required, the English one optional, both at most 4096 characters", () => {
    expect(templateBodiesSchema.safeParse({ body: "x" }).success).toBe(true);
    expect(templateBodiesSchema.safeParse({ body: "   ", bodyEn: "" }).error?.issues[0].message).toBe("telegram.templates.issues.required");
    expect(templateBodiesSchema.safeParse({ body: "x", bodyEn: "y".repeat(4097) }).error?.issues[0].message).toBe("telegram.templates.issues.tooLong");
  });
});
