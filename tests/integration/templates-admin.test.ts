// The notification templates admin service: only platform admins, validated bodies (unknown variables
// and broken markup refused with a field error naming them), compare-and-set edits with an audit row,
// system templates never deleted.
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { SYSTEM_TEMPLATES, ensureSystemTemplates, systemTemplate } from "@/lib/notifications/system-templates";
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  isTemplateValidationError,
  listTemplates,
  updateTemplate,
} from "@/lib/notifications/templates-admin";
import { actorOf, type Actor } from "@/lib/permissions";
import { createUser, uniqueSuffix } from "@/tests/helpers/factories";

async function admin(): Promise<Actor> {
  return actorOf(await createUser({ isPlatformAdmin: true }))!;
}

async function member(): Promise<Actor> {
  return actorOf(await createUser())!;
}

async function rejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

function customCode(): string {
  return `custom.t_${uniqueSuffix()}`;
}

await ensureSystemTemplates(db);

describe("access", () => {
  test("non-admins get FORBIDDEN for every operation; nothing changes", async () => {
    const actor = await member();
    const before = await db.notificationTemplate.findUniqueOrThrow({ where: { code: "user.welcome" } });
    // Thunks: each call starts only when awaited, so no rejection is ever left unhandled.
    const calls = [
      () => listTemplates({ actor }),
      () => getTemplate({ actor, code: "user.welcome" }),
      () => updateTemplate({ actor, code: "user.welcome", body: "Hi {firstName}", bodyEn: "" }),
      () => createTemplate({ actor, code: customCode(), body: "x" }),
      () => deleteTemplate({ actor, code: "user.welcome" }),
    ];
    for (const call of calls) {
      const error = await rejects(call());
      expect(isAppError(error) && error.code).toBe("FORBIDDEN");
    }
    const after = await db.notificationTemplate.findUniqueOrThrow({ where: { code: "user.welcome" } });
    expect(after.body).toBe(before.body);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  test("no actor → UNAUTHENTICATED; the admin flag is read from the database, not trusted from the caller", async () => {
    const error = await rejects(listTemplates({ actor: null }));
    expect(isAppError(error) && error.code).toBe("UNAUTHENTICATED");
    const forged = { ...(await member()), isPlatformAdmin: true };
    const forbidden = await rejects(listTemplates({ actor: forged }));
    expect(isAppError(forbidden) && forbidden.code).toBe("FORBIDDEN");
  });

  test("a deleted admin loses access", async () => {
    const user = await createUser({ isPlatformAdmin: true });
    await db.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    const error = await rejects(listTemplates({ actor: actorOf(user) }));
    expect(isAppError(error) && error.code).toBe("FORBIDDEN");
  });
});

describe("list and read", () => {
  test("every system template is listed in the documented order with its variables", async () => {
    const list = await listTemplates({ actor: await admin() });
    const system = list.filter((t) => t.isSystem).map((t) => t.code);
    expect(system.slice(0, 3)).toEqual(["user.welcome", "registration.confirmed", "registration.cancelled"]);
    expect(system).toEqual(SYSTEM_TEMPLATES.map((t) => t.code));
    const confirmed = list.find((t) => t.code === "registration.confirmed")!;
    expect(confirmed.variables.map((v) => v.name)).toEqual(systemTemplate("registration.confirmed")!.variables.map((v) => v.name));
    expect(confirmed.variables[0].description).not.toBe("");
  });

  test("a template has its texts, defaults and photo flag; an unknown code is NOT_FOUND", async () => {
    const actor = await admin();
    const template = await getTemplate({ actor, code: "registration.confirmed" });
    expect(template.photo).toBe(true);
    expect(template.defaults?.body).toBe(systemTemplate("registration.confirmed")!.body);
    for (const code of ["nope.nothing", "../etc", ""]) {
      const error = await rejects(getTemplate({ actor, code }));
      expect(isAppError(error) && error.code, code).toBe("NOT_FOUND");
    }
  });
});

describe("update", () => {
  test("saves both texts, writes an audit row with the change, and marks the template customized", async () => {
    const actor = await admin();
    const before = await getTemplate({ actor, code: "event.reminder" });
    const body = `${before.body}\n<i>До встречи!</i>`;
    const { template, changed } = await updateTemplate({ actor, code: "event.reminder", body, bodyEn: before.bodyEn, expectedUpdatedAt: before.updatedAt });
    expect(changed).toBe(true);
    expect(template.body).toBe(body);
    expect(template.customized).toBe(true);
    const audit = await db.auditLog.findMany({ where: { entityId: before.id, action: "notification_template.updated" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(actor.userId);
    expect(audit[0].changes).toEqual({ body: { from: before.body, to: body } });
    // Saving the same texts again changes nothing and writes no audit row.
    const again = await updateTemplate({ actor, code: "event.reminder", body, bodyEn: before.bodyEn, expectedUpdatedAt: template.updatedAt });
    expect(again.changed).toBe(false);
    expect(await db.auditLog.count({ where: { entityId: before.id, action: "notification_template.updated" } })).toBe(1);
    // Restore for the other tests.
    await updateTemplate({ actor, code: "event.reminder", body: before.body, bodyEn: before.bodyEn });
  });

  test("an unknown variable is refused with a field error naming it; nothing is written", async () => {
    const actor = await admin();
    const before = await getTemplate({ actor, code: "event.changed" });
    const error = await rejects(updateTemplate({ actor, code: "event.changed", body: "Hi {firstName} {unknownVar}", bodyEn: "Hi {secretToken}" }));
    expect(isTemplateValidationError(error)).toBe(true);
    if (!isTemplateValidationError(error)) return;
    expect(error.code).toBe("VALIDATION");
    expect(error.issues.body).toEqual([{ kind: "unknownVariable", name: "unknownVar" }]);
    expect(error.issues.bodyEn).toEqual([{ kind: "unknownVariable", name: "secretToken" }]);
    expect(error.fieldErrors?.body).toContain("{unknownVar}");
    expect(error.fieldErrors?.bodyEn).toContain("{secretToken}");
    const after = await db.notificationTemplate.findUniqueOrThrow({ where: { code: "event.changed" } });
    expect(after.body).toBe(before.body);
    expect(await db.auditLog.count({ where: { entityId: before.id } })).toBe(0);
  });

  test.each([
    ["<div>x</div> {firstName}", { kind: "unsupportedTag", tag: "div" }],
    ["<b>{firstName}", { kind: "unclosedTag", tag: "b" }],
    ["Hi {{firstName}}", { kind: "doubleBraces" }],
    ["Tom & {firstName}", { kind: "strayChar", char: "&" }],
  ])("broken markup or syntax is refused: %s", async (body, issue) => {
    const error = await rejects(updateTemplate({ actor: await admin(), code: "event.cancelled", body, bodyEn: "" }));
    expect(isTemplateValidationError(error) && error.issues.body).toEqual([issue]);
  });

  test("an empty Russian body is refused; an empty English body is allowed (the Russian one is sent)", async () => {
    const actor = await admin();
    const error = await rejects(updateTemplate({ actor, code: "reservation.expired", body: "  ", bodyEn: "x" }));
    expect(isTemplateValidationError(error) && error.fieldErrors?.body).toBe("telegram.templates.issues.required");
    const before = await getTemplate({ actor, code: "reservation.expired" });
    const { template } = await updateTemplate({ actor, code: "reservation.expired", body: before.body, bodyEn: "" });
    expect(template.bodyEn).toBe("");
    await updateTemplate({ actor, code: "reservation.expired", body: before.body, bodyEn: before.bodyEn });
  });

  test("a stale editor (someone saved in between) gets CONFLICT and does not overwrite", async () => {
    const [first, second] = [await admin(), await admin()];
    const loaded = await getTemplate({ actor: first, code: "waitlist.available" });
    const saved = await updateTemplate({ actor: second, code: "waitlist.available", body: `${loaded.body} `, bodyEn: loaded.bodyEn, expectedUpdatedAt: loaded.updatedAt });
    expect(saved.changed).toBe(true);
    const error = await rejects(updateTemplate({ actor: first, code: "waitlist.available", body: `${loaded.body}!`, bodyEn: loaded.bodyEn, expectedUpdatedAt: loaded.updatedAt }));
    expect(isAppError(error) && error.code).toBe("CONFLICT");
    expect((await db.notificationTemplate.findUniqueOrThrow({ where: { code: "waitlist.available" } })).body).toBe(`${loaded.body} `);
  });

  test("parallel saves from the same version: exactly one wins", async () => {
    const actor = await admin();
    const loaded = await getTemplate({ actor, code: "payment.receipt" });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        updateTemplate({ actor, code: "payment.receipt", body: `${loaded.body}\n${i}`, bodyEn: loaded.bodyEn, expectedUpdatedAt: loaded.updatedAt }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(isAppError(r.reason) && r.reason.code).toBe("CONFLICT");
    expect(await db.auditLog.count({ where: { entityId: loaded.id, action: "notification_template.updated" } })).toBe(1);
  });
});

describe("create and delete", () => {
  test("an admin creates an additional template with its variables, and deletes it (audited)", async () => {
    const actor = await admin();
    const code = customCode();
    const created = await createTemplate({
      actor,
      code,
      body: "Привет, {firstName}!",
      bodyEn: "Hi, {firstName}!",
      variables: [{ name: "firstName", description: "Имя", descriptionEn: "First name" }],
    });
    expect(created.isSystem).toBe(false);
    expect(created.variables).toEqual([{ name: "firstName", description: "Имя", descriptionEn: "First name" }]);
    const duplicate = await rejects(createTemplate({ actor, code, body: "x" }));
    expect(isAppError(duplicate) && duplicate.code).toBe("CONFLICT");

    await deleteTemplate({ actor, code });
    expect(await db.notificationTemplate.findUnique({ where: { code } })).toBeNull();
    const actions = (await db.auditLog.findMany({ where: { entityId: created.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["notification_template.created", "notification_template.deleted"]);
  });

  test("a new template may only use its own documented variables", async () => {
    const error = await rejects(createTemplate({ actor: await admin(), code: customCode(), body: "Hi {firstName}", variables: [] }));
    expect(isTemplateValidationError(error) && error.issues.body).toEqual([{ kind: "unknownVariable", name: "firstName" }]);
  });

  test("a system code cannot be taken, and system templates cannot be deleted", async () => {
    const actor = await admin();
    const taken = await rejects(createTemplate({ actor, code: "user.welcome", body: "x" }));
    expect(isAppError(taken) && taken.code).toBe("CONFLICT");
    for (const code of ["user.welcome", "registration.confirmed"]) {
      const error = await rejects(deleteTemplate({ actor, code }));
      expect(isAppError(error) && error.code, code).toBe("CONFLICT");
      expect(isAppError(error) && error.message).toBe("telegram.templates.systemCannotDelete");
      expect(await db.notificationTemplate.findUnique({ where: { code } })).not.toBeNull();
    }
  });

  test("a missing system template row is recreated when listed", async () => {
    await db.notificationTemplate.delete({ where: { code: "organization.request.rejected" } });
    const list = await listTemplates({ actor: await admin() });
    expect(list.some((t) => t.code === "organization.request.rejected" && t.isSystem)).toBe(true);
  });
});
