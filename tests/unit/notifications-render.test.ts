import { describe, expect, test } from "vitest";
import {
  checkTelegramHtml,
  dateVar,
  escapeTelegramHtml,
  formatEventDate,
  renderTemplate,
  templateBodyFor,
  validateTemplateBody,
} from "@/lib/notifications/render";
import { SYSTEM_TEMPLATES } from "@/lib/notifications/system-templates";

describe("escaping for Telegram HTML", () => {
  test("escapes exactly & < > \"", () => {
    expect(escapeTelegramHtml(`<b>_*[x](y)&"'`)).toBe("&lt;b&gt;_*[x](y)&amp;&quot;'");
  });

  test("variables are escaped, template markup is not", () => {
    const text = renderTemplate("Hi, <b>{firstName}</b>! <a href=\"{url}\">link</a>", {
      firstName: "<b>_*[x](y)",
      url: 'https://x.test/?a=1&b="2"',
    });
    expect(text).toBe('Hi, <b>&lt;b&gt;_*[x](y)</b>! <a href="https://x.test/?a=1&amp;b=&quot;2&quot;">link</a>');
    expect(checkTelegramHtml(text)).toEqual([]);
  });

  test("a hostile name cannot close or open tags", () => {
    const text = renderTemplate("<i>{firstName}</i>", { firstName: "</i><a href=\"javascript:x\">x</a><i>" });
    expect(text).not.toContain("</i><a");
    expect(checkTelegramHtml(text)).toEqual([]);
  });

  test("selects for optional values and booleans", () => {
    const body = "Cancelled{byOrganizer, select, true { by the organizer} other {}}.{reason, select, empty {} other { Reason: {reason}}}";
    expect(renderTemplate(body, { byOrganizer: true, reason: "a & b" })).toBe("Cancelled by the organizer. Reason: a &amp; b");
    expect(renderTemplate(body, { byOrganizer: false, reason: "" })).toBe("Cancelled.");
    expect(renderTemplate(body, {})).toBe("Cancelled.");
  });

  test("plural forms of a count, in the recipient's language", () => {
    const body = "{seats, plural, one {Осталось # место} few {Осталось # места} many {Осталось # мест} other {Осталось # места}}";
    expect([1, 2, 5, 11, 21, 22, 25].map((seats) => renderTemplate(body, { seats }))).toEqual([
      "Осталось 1 место",
      "Осталось 2 места",
      "Осталось 5 мест",
      "Осталось 11 мест",
      "Осталось 21 место",
      "Осталось 22 места",
      "Осталось 25 мест",
    ]);
    expect(renderTemplate("{seats, plural, one {# seat} other {# seats}} left", { seats: 1 }, "EN")).toBe("1 seat left");
    expect(renderTemplate("{seats, plural, one {# seat} other {# seats}} left", { seats: 2 }, "EN")).toBe("2 seats left");
  });

  test("apostrophes quote ICU syntax only before braces; a doubled one is a literal", () => {
    expect(renderTemplate("You're '{firstName}' and ''{firstName}''", { firstName: "Ann" })).toBe("You're {firstName} and 'Ann'");
  });

  test("date variables are formatted in the recipient's language and the event's zone", () => {
    const when = dateVar(new Date("2027-03-15T16:00:00Z"), "Europe/Moscow");
    expect(renderTemplate("{eventDate}", { eventDate: when }, "RU")).toBe("пн, 15 марта 2027 г. в 19:00 (Москва, GMT+3)");
    expect(renderTemplate("{eventDate}", { eventDate: when }, "EN")).toBe("Mon, March 15, 2027 at 19:00 (Moscow Time, GMT+3)");
  });

  test("EN picks bodyEn, falling back to the Russian body when it is empty", () => {
    expect(templateBodyFor({ body: "ру", bodyEn: "en" }, "EN")).toBe("en");
    expect(templateBodyFor({ body: "ру", bodyEn: "  " }, "EN")).toBe("ру");
    expect(templateBodyFor({ body: "ру", bodyEn: "en" }, "RU")).toBe("ру");
  });
});

describe("formatEventDate", () => {
  const date = new Date("2027-07-01T09:30:00Z");

  test("shows the time in the event's zone with the zone", () => {
    expect(formatEventDate(date, "Asia/Yekaterinburg", "RU")).toBe("чт, 1 июля 2027 г. в 14:30 (Екатеринбург, GMT+5)");
    expect(formatEventDate(date, "America/New_York", "EN")).toBe("Thu, July 1, 2027 at 05:30 (ET, GMT-4)");
    expect(formatEventDate(date, "UTC", "en")).toBe("Thu, July 1, 2027 at 09:30 (UTC)");
  });

  test("not the server's zone: the same instant reads differently per event zone", () => {
    expect(formatEventDate(date, "Europe/Moscow", "RU")).toContain("12:30");
    expect(formatEventDate(date, "Asia/Vladivostok", "RU")).toContain("19:30");
  });

  test("an unknown zone falls back to UTC", () => {
    expect(formatEventDate(date, "Nowhere/City", "EN")).toBe("Thu, July 1, 2027 at 09:30 (UTC)");
  });
});

describe("validateTemplateBody", () => {
  const vars = [{ name: "firstName" }, { name: "eventTitle" }, { name: "reason" }];

  test("accepts documented variables and Telegram HTML", () => {
    const result = validateTemplateBody('<b>{firstName}</b> — «{eventTitle}»{reason, select, empty {} other {\n<i>{reason}</i>}} <a href="https://x">x</a>', vars);
    expect(result).toEqual({ ok: true, usedVariables: ["firstName", "eventTitle", "reason"] });
  });

  test("refuses unknown variables, also inside selects and plurals", () => {
    const result = validateTemplateBody("{firstName} {lastName} {reason, select, empty {} other {{secret}}} {n, plural, other {#}}", vars);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.join("\n")).toMatch(/Unknown variable \{lastName\}/);
      expect(result.errors.join("\n")).toMatch(/Unknown variable \{secret\}/);
      expect(result.errors.join("\n")).toMatch(/Unknown variable \{n\}/);
    }
  });

  test("refuses broken ICU, saying where", () => {
    for (const body of ["{firstName", "{reason, select, empty {open}", "{reason, select, empty {x}}", "{reason, plural, one {x}}"]) {
      const result = validateTemplateBody(body, vars);
      expect(result.ok, body).toBe(false);
      if (!result.ok) expect(result.errors[0], body).toMatch(/^Template syntax: .+ at line \d+, column \d+$/);
    }
  });

  test("the old Mustache syntax gets a pointed message", () => {
    for (const body of ["Hi {{firstName}}", "{{#reason}}x{{/reason}}", "{{{firstName}}}"]) {
      expect(validateTemplateBody(body, vars), body).toEqual({ ok: false, errors: ["Variables are written in single braces: {name}, not {{name}}"] });
    }
    // Quoted braces are text and are fine.
    expect(validateTemplateBody("'{{'{firstName}'}}'", vars)).toMatchObject({ ok: true });
  });

  test("values are text: number / date / time formats are refused", () => {
    const result = validateTemplateBody("{firstName, number} {eventTitle, date, short}", vars);
    expect(result).toEqual({ ok: false, errors: ["{firstName, …} formats are not supported: write {firstName}", "{eventTitle, …} formats are not supported: write {eventTitle}"] });
  });

  test("refuses markup Telegram cannot parse", () => {
    const cases: [string, RegExp][] = [
      ["<b>{firstName}", /never closed/],
      ["<b>x</i>", /closes <b>/],
      ["<div>x</div>", /not supported/],
      ["a < b", /not part of a tag/],
      ["Tom & Jerry", /not an entity/],
      ['<a href="x" onclick="y">x</a>', /attributes/],
      ["{reason, select, empty {} other {<b>}}</b>", /never closed|no opening tag/],
    ];
    for (const [body, message] of cases) {
      const result = validateTemplateBody(body, vars);
      expect(result.ok, body).toBe(false);
      if (!result.ok) expect(result.errors.join("\n"), body).toMatch(message);
    }
    expect(validateTemplateBody("Tom &amp; Jerry &lt;3 &#128512;", vars).ok).toBe(true);
  });
});

describe("system templates", () => {
  test("the 9 standard templates and the organization request ones exist", () => {
    expect(SYSTEM_TEMPLATES.map((t) => t.code)).toEqual([
      "user.welcome",
      "registration.confirmed",
      "registration.cancelled",
      "reservation.expired",
      "event.reminder",
      "event.changed",
      "event.cancelled",
      "waitlist.available",
      "payment.receipt",
      "payment.late_refunded",
      "payment.remainder_reminder",
      "organization.request.submitted",
      "organization.request.approved",
      "organization.request.rejected",
      "event.reminder_morning",
      "refund.completed",
      "organizer.message",
    ]);
  });

  test.each(SYSTEM_TEMPLATES.map((t) => [t.code, t] as const))("%s is valid in both languages and fits", (_code, template) => {
    for (const body of [template.body, template.bodyEn]) {
      expect(validateTemplateBody(body, template.variables)).toMatchObject({ ok: true });
      const sample = Object.fromEntries(
        template.variables.map((v) => [v.name, v.name.endsWith("Date") || v.name.endsWith("At") ? dateVar(new Date("2027-03-15T16:00:00Z"), "Europe/Moscow") : `<${v.name}>&`]),
      );
      const text = renderTemplate(body, sample, body === template.bodyEn ? "EN" : "RU");
      expect(checkTelegramHtml(text)).toEqual([]);
      expect(text.length).toBeLessThanOrEqual(template.photo ? 1024 : 4096);
    }
    expect(template.bodyEn).not.toBe(template.body);
    // The email subject: valid ICU over the same variables, one line, no markup.
    for (const subject of [template.subject, template.subjectEn]) {
      expect(subject.trim(), template.code).not.toBe("");
      expect(validateTemplateBody(subject, template.variables)).toMatchObject({ ok: true });
      expect(subject).not.toMatch(/[\r\n<>]/);
    }
  });
});
