// Email subjects of notification templates: filled in for rows made before subjects existed (never over
// an admin's), edited and validated with the bodies (audited), previewed as the email for platform
// admins only, and used by email delivery.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { mailIdOf } from "@/lib/mail";
import { deliverNotification } from "@/lib/notifications/deliver";
import { notify } from "@/lib/notifications/notify";
import { ensureSystemTemplates, systemTemplate } from "@/lib/notifications/system-templates";
import { getTemplate, isTemplateValidationError, previewTemplate, updateTemplate } from "@/lib/notifications/templates-admin";
import { actorOf, type Actor } from "@/lib/permissions";
import { PREVIOUS_ICU_TEMPLATES } from "@/tests/fixtures/icu-template-history";
import { createUser, uniqueEmail } from "@/tests/helpers/factories";

const admin = async (): Promise<Actor> => actorOf(await createUser({ isPlatformAdmin: true }))!;

async function rejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

await ensureSystemTemplates(db);

describe("ensureSystemTemplates and subjects", () => {
  test("new rows get the system subjects; rows without one get them filled; an admin's subject stays", async () => {
    const confirmed = systemTemplate("registration.confirmed")!;
    expect(await db.notificationTemplate.findUniqueOrThrow({ where: { code: "registration.confirmed" } })).toMatchObject({
      subject: confirmed.subject,
      subjectEn: confirmed.subjectEn,
    });
    // As a row created before templates had subjects; and one an admin wrote.
    await db.notificationTemplate.update({ where: { code: "event.reminder" }, data: { subject: "", subjectEn: "" } });
    await db.notificationTemplate.update({ where: { code: "event.changed" }, data: { subject: "Мы кое-что поменяли: {eventTitle}", subjectEn: "" } });
    const { subjectsFilled } = await ensureSystemTemplates(db);
    expect(subjectsFilled).toBe(1);
    expect(await db.notificationTemplate.findUniqueOrThrow({ where: { code: "event.reminder" } })).toMatchObject({
      subject: systemTemplate("event.reminder")!.subject,
      subjectEn: systemTemplate("event.reminder")!.subjectEn,
    });
    expect(await db.notificationTemplate.findUniqueOrThrow({ where: { code: "event.changed" } })).toMatchObject({ subject: "Мы кое-что поменяли: {eventTitle}", subjectEn: "" });
    expect((await ensureSystemTemplates(db)).subjectsFilled).toBe(0);
  });
});

describe("migration 20261207000110: registration.confirmed gets ticketUrl", () => {
  const sql = readFileSync("prisma/migrations/20261207000110_registration_confirmed_ticket_url/migration.sql", "utf8");
  const run = () => db.$executeRawUnsafe(`DO $mig$ BEGIN ${sql.replace(/--[^\n]*\n/g, "")} END $mig$`);

  test("a stored standard text becomes the new one with the variable documented; an admin's text is kept", async () => {
    const previous = PREVIOUS_ICU_TEMPLATES["registration.confirmed"];
    const current = systemTemplate("registration.confirmed")!;
    await db.notificationTemplate.update({ where: { code: "registration.confirmed" }, data: { ...previous, variables: [{ name: "firstName" }] } });
    await run();
    const updated = await db.notificationTemplate.findUniqueOrThrow({ where: { code: "registration.confirmed" } });
    expect(updated).toMatchObject({ body: current.body, bodyEn: current.bodyEn });
    expect(updated.variables).toEqual([{ name: "firstName" }, expect.objectContaining({ name: "ticketUrl" })]);
    await run(); // idempotent
    expect((await db.notificationTemplate.findUniqueOrThrow({ where: { code: "registration.confirmed" } })).variables).toHaveLength(2);

    await db.notificationTemplate.update({ where: { code: "registration.confirmed" }, data: { body: `${previous.body} (edited)`, bodyEn: previous.bodyEn } });
    await run();
    expect((await db.notificationTemplate.findUniqueOrThrow({ where: { code: "registration.confirmed" } })).body).toBe(`${previous.body} (edited)`);
  });
});

describe("editing subjects", () => {
  test("saved with the bodies, audited, shown with the defaults", async () => {
    const actor = await admin();
    const before = await getTemplate({ actor, code: "waitlist.available" });
    const { changed, template } = await updateTemplate({
      actor,
      code: "waitlist.available",
      body: before.body,
      bodyEn: before.bodyEn,
      subject: "Место для вас: {eventTitle}",
      subjectEn: "A seat for you: {eventTitle}",
      expectedUpdatedAt: before.updatedAt,
    });
    expect(changed).toBe(true);
    expect(template).toMatchObject({ subject: "Место для вас: {eventTitle}", subjectEn: "A seat for you: {eventTitle}", customized: true });
    expect(template.defaults?.subject).toBe(systemTemplate("waitlist.available")!.subject);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: template.id, action: "notification_template.updated" }, orderBy: { createdAt: "desc" } });
    expect(audit.changes).toMatchObject({ subject: { from: before.subject, to: "Место для вас: {eventTitle}" }, subjectEn: { to: "A seat for you: {eventTitle}" } });
    // Omitted subjects stay as they are.
    const again = await updateTemplate({ actor, code: "waitlist.available", body: before.body, bodyEn: "" });
    expect(again.template.subject).toBe("Место для вас: {eventTitle}");
  });

  test("a subject on two lines, with markup or an unknown variable is refused on its field; nothing is written", async () => {
    const actor = await admin();
    const before = await getTemplate({ actor, code: "payment.receipt" });
    const cases: Array<[Partial<Record<"subject" | "subjectEn", string>>, "subject" | "subjectEn", string]> = [
      [{ subject: "Оплата\n{eventTitle}" }, "subject", "subjectMultiline"],
      [{ subjectEn: "<b>Paid</b> {eventTitle}" }, "subjectEn", "subjectMarkup"],
      [{ subjectEn: "Paid {nope}" }, "subjectEn", "unknownVariable"],
      [{ subject: "Оплата {eventTitle" }, "subject", "syntax"],
    ];
    for (const [subjects, field, kind] of cases) {
      const error = await rejects(updateTemplate({ actor, code: "payment.receipt", body: before.body, bodyEn: before.bodyEn, ...subjects }));
      expect(isTemplateValidationError(error), JSON.stringify(subjects)).toBe(true);
      if (isTemplateValidationError(error)) {
        expect(error.issues[field]?.map((i) => i.kind)).toContain(kind);
        expect(error.fieldErrors?.[field]).toBeTruthy();
      }
    }
    const after = await db.notificationTemplate.findUniqueOrThrow({ where: { code: "payment.receipt" } });
    expect(after.subject).toBe(before.subject);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  test("'<' and '&' are plain characters in a subject", async () => {
    const actor = await admin();
    const before = await getTemplate({ actor, code: "payment.late_refunded" });
    const { template } = await updateTemplate({ actor, code: "payment.late_refunded", body: before.body, bodyEn: before.bodyEn, subject: "Возврат & <3: {eventTitle}" });
    expect(template.subject).toBe("Возврат & <3: {eventTitle}");
  });
});

describe("the email preview", () => {
  const texts = { body: "Привет, <b>{firstName}</b>!", bodyEn: "Hi, <b>{firstName}</b>!", subject: "", subjectEn: "" };

  test("platform admins only", async () => {
    for (const actor of [null, actorOf(await createUser())]) {
      const error = await rejects(previewTemplate({ actor, code: "user.welcome", texts, variables: { firstName: "A" }, locale: "RU" }));
      expect(isAppError(error) && error.code).toBe(actor ? "FORBIDDEN" : "UNAUTHENTICATED");
    }
  });

  test("renders the email in the language asked, values escaped; an empty subject previews the system one", async () => {
    const actor = await admin();
    const name = `<script>alert(1)</script> & "x"`;
    const ru = await previewTemplate({ actor, code: "user.welcome", texts, variables: { firstName: name }, locale: "RU" });
    expect(ru.subject).toBe(`Добро пожаловать в AqStream, ${name}!`);
    expect(ru.html).toContain('lang="ru"');
    expect(ru.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;");
    expect(ru.html).not.toContain("<script>");
    const en = await previewTemplate({ actor, code: "user.welcome", texts: { ...texts, subject: "Привет {firstName}", subjectEn: "Hello {firstName}" }, variables: { firstName: "Ann" }, locale: "EN" });
    expect(en.subject).toBe("Hello Ann");
    expect(en.telegramHtml).toBe("Hi, <b>Ann</b>!");
  });

  test("a template that does not render → VALIDATION; an unknown code → NOT_FOUND", async () => {
    const actor = await admin();
    const broken = await rejects(previewTemplate({ actor, code: "user.welcome", texts: { ...texts, body: "Hi {firstName" }, variables: {}, locale: "RU" }));
    expect(isAppError(broken) && broken.code).toBe("VALIDATION");
    const missing = await rejects(previewTemplate({ actor, code: "no.such_template", texts, variables: {}, locale: "RU" }));
    expect(isAppError(missing) && missing.code).toBe("NOT_FOUND");
  });
});

describe("delivery uses the edited subject", () => {
  test("an admin's subject is the email's (dev outbox: SMTP is not configured here)", async () => {
    const actor = await admin();
    const before = await getTemplate({ actor, code: "reservation.expired" });
    await updateTemplate({ actor, code: "reservation.expired", body: before.body, bodyEn: before.bodyEn, subject: "Бронь сгорела: {eventTitle}", subjectEn: "" });
    const email = uniqueEmail("guest");
    const { id } = await db.$transaction((tx) =>
      notify(tx, {
        guest: { email, locale: "EN", registrationId: randomUUID() },
        templateCode: "reservation.expired",
        variables: { firstName: "Ann", eventTitle: "Jazz", ticketTypeName: "Std" },
      }),
    );
    expect(await deliverNotification(id)).toMatchObject({ status: "sent", via: "outbox" });
    // subjectEn is empty: the English reader gets the Russian subject the admin wrote (as with bodies).
    expect((await db.mailOutbox.findUniqueOrThrow({ where: { id: mailIdOf(`notice:${id}`) } })).subject).toBe("Бронь сгорела: Jazz");
  });
});
