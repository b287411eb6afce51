// Notification templates for platform admins (/dashboard/admin/templates): list, read, edit, and
// create/delete additional templates. Only platform admins may do any of it (checked here, against
// the database, not in a layout); everyone else gets FORBIDDEN.
//
// A body is saved only when validateTemplateBody() accepts it for the template's documented
// variables (unknown variables, formatted values, broken ICU syntax and markup Telegram rejects are refused
// with a field error on `body` / `bodyEn` that names the problem). Edits are compare-and-set on
// updated_at, so two admins never overwrite each other silently, and each change writes an audit row
// in the same transaction. System templates can be edited but never deleted.
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, type DbClient } from "@/lib/db";
import { AppError, uniqueViolation, type FieldErrors } from "@/lib/errors";
import type { Actor } from "@/lib/permissions";
import {
  templateBodiesSchema,
  templateCreateSchema,
  templateIssues,
  templateSubjectIssues,
  TEMPLATE_CODE_RE,
  type TemplateIssue,
} from "@/lib/validation/templates";
import { renderNoticePreview } from "./email";
import { SYSTEM_TEMPLATES, ensureSystemTemplates, systemTemplate } from "./system-templates";

export type TemplateVariable = { name: string; description: string; descriptionEn: string };

export type TemplateSummary = {
  id: string;
  code: string;
  isSystem: boolean;
  /** A system template whose text differs from the default in code. */
  customized: boolean;
  variables: TemplateVariable[];
  updatedAt: Date;
};

export type TemplateDetail = TemplateSummary & {
  body: string;
  bodyEn: string;
  /** The email's subject (empty: the system subject, or the message's first line). */
  subject: string;
  subjectEn: string;
  /** The texts in code (system templates only): "restore the default". */
  defaults: { body: string; bodyEn: string; subject: string; subjectEn: string } | null;
  /** Sent as a photo caption (e.g. the QR ticket). */
  photo: boolean;
};

export type TemplateField = "body" | "bodyEn" | "subject" | "subjectEn";

export type TemplateTexts = { body: string; bodyEn: string; subject?: string; subjectEn?: string };

/** A refused body: `issues` per field for the UI, `fieldErrors` in plain (English) words for any other caller. */
export class TemplateValidationError extends AppError {
  constructor(
    public readonly issues: Partial<Record<TemplateField, TemplateIssue[]>>,
    fieldErrors: FieldErrors,
    /** The documented variables the bodies were checked against. */
    public readonly variables: ReadonlyArray<{ name: string }> = [],
  ) {
    super("VALIDATION", "errors.validation", fieldErrors);
    this.name = "TemplateValidationError";
  }
}

export function isTemplateValidationError(e: unknown): e is TemplateValidationError {
  return e instanceof TemplateValidationError;
}

const AUDIT_ENTITY = "notification_template";

async function requirePlatformAdmin(actor: Actor | null | undefined, tx: DbClient): Promise<Actor> {
  if (!actor) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  // The flag is read fresh: a revoked admin loses access at once, whatever the caller passed.
  const admin = await tx.user.findFirst({ where: { id: actor.userId, deletedAt: null, isPlatformAdmin: true }, select: { id: true } });
  if (!admin) throw new AppError("FORBIDDEN", "errors.forbidden");
  return actor;
}

function variablesOf(json: unknown): TemplateVariable[] {
  if (!Array.isArray(json)) return [];
  const list: TemplateVariable[] = [];
  for (const item of json) {
    if (typeof item === "string") list.push({ name: item, description: "", descriptionEn: "" });
    else if (item && typeof item === "object" && typeof (item as { name?: unknown }).name === "string") {
      const v = item as { name: string; description?: unknown; descriptionEn?: unknown };
      list.push({
        name: v.name,
        description: typeof v.description === "string" ? v.description : "",
        descriptionEn: typeof v.descriptionEn === "string" ? v.descriptionEn : typeof v.description === "string" ? v.description : "",
      });
    }
  }
  return list;
}

type Row = { id: string; code: string; body: string; bodyEn: string; subject: string; subjectEn: string; variables: unknown; isSystem: boolean; updatedAt: Date };

const ROW_SELECT = { id: true, code: true, body: true, bodyEn: true, subject: true, subjectEn: true, variables: true, isSystem: true, updatedAt: true } as const;

/**
 * The variables a body may use. For a system template the definition in code wins (it is what the
 * senders pass today), even if the row was created by an older version.
 */
function documentedVariables(row: Pick<Row, "code" | "isSystem" | "variables">): TemplateVariable[] {
  const definition = row.isSystem ? systemTemplate(row.code) : undefined;
  if (definition) return definition.variables.map((v) => ({ name: v.name, description: v.description, descriptionEn: v.descriptionEn }));
  return variablesOf(row.variables);
}

function toSummary(row: Row): TemplateSummary {
  const definition = row.isSystem ? systemTemplate(row.code) : undefined;
  return {
    id: row.id,
    code: row.code,
    isSystem: row.isSystem,
    customized:
      !!definition &&
      (definition.body !== row.body ||
        definition.bodyEn !== row.bodyEn ||
        (row.subject !== "" && (definition.subject !== row.subject || definition.subjectEn !== row.subjectEn))),
    variables: documentedVariables(row),
    updatedAt: row.updatedAt,
  };
}

const systemOrder = new Map(SYSTEM_TEMPLATES.map((t, i) => [t.code, i]));

/** Every template: system ones in their documented order, then additional ones by code. */
export async function listTemplates({ actor }: { actor: Actor | null | undefined }, tx: DbClient = db): Promise<TemplateSummary[]> {
  await requirePlatformAdmin(actor, tx);
  let rows = await tx.notificationTemplate.findMany({ select: ROW_SELECT });
  if (SYSTEM_TEMPLATES.some((t) => !rows.some((r) => r.code === t.code))) {
    // Normally done at server start; an instance started without background work may not have.
    await ensureSystemTemplates(tx);
    rows = await tx.notificationTemplate.findMany({ select: ROW_SELECT });
  }
  return rows
    .map(toSummary)
    .sort((a, b) => (systemOrder.get(a.code) ?? 1e6) - (systemOrder.get(b.code) ?? 1e6) || a.code.localeCompare(b.code));
}

async function findRow(code: string, tx: DbClient): Promise<Row> {
  if (typeof code !== "string" || code.length > 100 || !TEMPLATE_CODE_RE.test(code)) throw new AppError("NOT_FOUND", "errors.notFound");
  let row = await tx.notificationTemplate.findUnique({ where: { code }, select: ROW_SELECT });
  if (!row && systemTemplate(code)) {
    await ensureSystemTemplates(tx);
    row = await tx.notificationTemplate.findUnique({ where: { code }, select: ROW_SELECT });
  }
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

/** One template with its texts, documented variables and (system) defaults. */
export async function getTemplate({ actor, code }: { actor: Actor | null | undefined; code: string }, tx: DbClient = db): Promise<TemplateDetail> {
  await requirePlatformAdmin(actor, tx);
  const row = await findRow(code, tx);
  const definition = row.isSystem ? systemTemplate(row.code) : undefined;
  return {
    ...toSummary(row),
    body: row.body,
    bodyEn: row.bodyEn,
    subject: row.subject,
    subjectEn: row.subjectEn,
    defaults: definition ? { body: definition.body, bodyEn: definition.bodyEn, subject: definition.subject, subjectEn: definition.subjectEn } : null,
    photo: !!definition?.photo,
  };
}

/** Throws TemplateValidationError when a body or an email subject cannot be saved for these variables. */
export function assertValidBodies(bodies: TemplateTexts, variables: ReadonlyArray<{ name: string }>): void {
  const issues: Partial<Record<TemplateField, TemplateIssue[]>> = {};
  const fieldErrors: FieldErrors = {};
  const shape = templateBodiesSchema.safeParse(bodies);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      const field = issue.path[0];
      if ((field === "body" || field === "bodyEn" || field === "subject" || field === "subjectEn") && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    throw new TemplateValidationError({}, fieldErrors, variables);
  }
  for (const field of ["body", "bodyEn"] as const) {
    const text = bodies[field];
    if (field === "bodyEn" && !text.trim()) continue; // empty English body: the Russian one is sent
    const found = templateIssues(text, variables);
    if (found.length) {
      issues[field] = found;
      fieldErrors[field] = found.map(plainIssue).join("; ");
    }
  }
  for (const field of ["subject", "subjectEn"] as const) {
    const found = templateSubjectIssues(bodies[field] ?? "", variables);
    if (found.length) {
      issues[field] = found;
      fieldErrors[field] = found.map(plainIssue).join("; ");
    }
  }
  if (Object.keys(fieldErrors).length) throw new TemplateValidationError(issues, fieldErrors, variables);
}

/** An issue in plain English (API callers, logs). The UI words it with describeTemplateIssue(). */
function plainIssue(issue: TemplateIssue): string {
  switch (issue.kind) {
    case "unknownVariable":
      return `Unknown variable {${issue.name}}`;
    case "doubleBraces":
      return "Variables are written in single braces: {name}, not {{name}}";
    case "unsupportedFormat":
      return `{${issue.name}, …} formats are not supported: write {${issue.name}}`;
    case "syntax":
    case "other":
      return issue.detail;
    case "unsupportedTag":
      return `<${issue.tag}> is not supported by Telegram`;
    case "unclosedTag":
      return `<${issue.tag}> is never closed`;
    case "mismatchedTag":
      return `</${issue.tag}> closes <${issue.open}>`;
    case "unopenedTag":
      return `</${issue.tag}> has no opening tag`;
    case "badAttributes":
      return `<${issue.tag}> has attributes Telegram does not accept`;
    case "linkNeedsHref":
      return `<a> needs href="…"`;
    case "strayChar":
      return `"${issue.char}" must be written as an entity`;
    case "subjectMultiline":
      return "A subject is one line";
    case "subjectMarkup":
      return "A subject has no markup";
  }
}

function changesOf(before: Required<TemplateTexts>, after: Required<TemplateTexts>) {
  const changes: Record<string, { from: string; to: string }> = {};
  for (const field of ["body", "bodyEn", "subject", "subjectEn"] as const) {
    if (before[field] !== after[field]) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

/**
 * Saves the texts of a template (bodies and, when given, email subjects). `expectedUpdatedAt` (the
 * version the editor loaded) makes the write conditional: someone else's save in between → CONFLICT,
 * nothing written.
 */
export async function updateTemplate(
  {
    actor,
    code,
    body,
    bodyEn,
    subject,
    subjectEn,
    expectedUpdatedAt,
  }: {
    actor: Actor | null | undefined;
    code: string;
    body: string;
    bodyEn: string;
    /** Omitted: the subject stays as it is. */
    subject?: string;
    subjectEn?: string;
    expectedUpdatedAt?: Date | string | null;
  },
): Promise<{ template: TemplateDetail; changed: boolean }> {
  return db.$transaction(async (tx) => {
    await requirePlatformAdmin(actor, tx);
    const row = await findRow(code, tx);
    const next = { body, bodyEn, subject: subject ?? row.subject, subjectEn: subjectEn ?? row.subjectEn };
    assertValidBodies(next, documentedVariables(row));

    const expected = expectedUpdatedAt ? new Date(expectedUpdatedAt) : null;
    if (expected && Number.isNaN(expected.getTime())) throw new AppError("VALIDATION", "errors.validation");
    const changes = changesOf(row, next);
    if (Object.keys(changes).length === 0) {
      if (expected && expected.getTime() !== row.updatedAt.getTime()) throw new AppError("CONFLICT", "telegram.templates.conflict");
      return { template: await getTemplate({ actor, code }, tx), changed: false };
    }
    const { count } = await tx.notificationTemplate.updateMany({
      where: { id: row.id, ...(expected ? { updatedAt: expected } : {}) },
      data: next,
    });
    if (count !== 1) throw new AppError("CONFLICT", "telegram.templates.conflict");
    await writeAudit(tx, { actorId: actor!.userId, entityType: AUDIT_ENTITY, entityId: row.id, action: "notification_template.updated", changes });
    return { template: await getTemplate({ actor, code }, tx), changed: true };
  });
}

/** Adds a template (not a system one) with its documented variables. Duplicate code → CONFLICT. */
export async function createTemplate({
  actor,
  ...input
}: {
  actor: Actor | null | undefined;
  code: string;
  body: string;
  bodyEn?: string;
  subject?: string;
  subjectEn?: string;
  variables?: Array<{ name: string; description?: string; descriptionEn?: string }>;
}): Promise<TemplateDetail> {
  const parsed = templateCreateSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "code");
      fieldErrors[field] ??= issue.message;
    }
    throw new AppError("VALIDATION", "errors.validation", fieldErrors);
  }
  const { code, body, bodyEn, subject, subjectEn, variables } = parsed.data;
  try {
    return await db.$transaction(async (tx) => {
      await requirePlatformAdmin(actor, tx);
      if (systemTemplate(code)) throw new AppError("CONFLICT", "telegram.templates.codeTaken", { code: "telegram.templates.codeTaken" });
      assertValidBodies({ body, bodyEn, subject, subjectEn }, variables);
      const row = await tx.notificationTemplate.create({
        data: { code, body, bodyEn, subject, subjectEn, variables, isSystem: false },
        select: { id: true },
      });
      await writeAudit(tx, {
        actorId: actor!.userId,
        entityType: AUDIT_ENTITY,
        entityId: row.id,
        action: "notification_template.created",
        changes: { code: { from: null, to: code }, body: { from: null, to: body }, bodyEn: { from: null, to: bodyEn }, subject: { from: null, to: subject }, subjectEn: { from: null, to: subjectEn } },
      });
      return getTemplate({ actor, code }, tx);
    });
  } catch (e) {
    if (uniqueViolation(e) !== undefined) throw new AppError("CONFLICT", "telegram.templates.codeTaken", { code: "telegram.templates.codeTaken" });
    throw e;
  }
}

/** Deletes an additional template. System templates cannot be deleted (CONFLICT). */
export async function deleteTemplate({ actor, code }: { actor: Actor | null | undefined; code: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    await requirePlatformAdmin(actor, tx);
    const row = await findRow(code, tx);
    if (row.isSystem || systemTemplate(row.code)) throw new AppError("CONFLICT", "telegram.templates.systemCannotDelete");
    const { count } = await tx.notificationTemplate.deleteMany({ where: { id: row.id, isSystem: false } });
    if (count !== 1) throw new AppError("NOT_FOUND", "errors.notFound");
    await writeAudit(tx, {
      actorId: actor!.userId,
      entityType: AUDIT_ENTITY,
      entityId: row.id,
      action: "notification_template.deleted",
      changes: { code: { from: row.code, to: null }, body: { from: row.body, to: null }, bodyEn: { from: row.bodyEn, to: null } },
    });
  });
}

export type TemplatePreview = { subject: string; html: string; text: string; telegramHtml: string };

/**
 * The email (and Telegram) form of the texts being edited, with the editor's sample values: what a
 * recipient in `locale` would get. Platform admins only. An empty subject previews the one delivery
 * would use (the system subject). A template that does not render → VALIDATION (the editor lists why).
 */
export async function previewTemplate(
  {
    actor,
    code,
    texts,
    variables,
    locale,
  }: {
    actor: Actor | null | undefined;
    code: string;
    texts: { body: string; bodyEn: string; subject: string; subjectEn: string };
    /** Sample values (the editor's), as text. */
    variables: Record<string, string | number>;
    locale: "RU" | "EN";
  },
  tx: DbClient = db,
): Promise<TemplatePreview> {
  await requirePlatformAdmin(actor, tx);
  const row = await findRow(code, tx);
  const definition = row.isSystem ? systemTemplate(row.code) : undefined;
  const own = texts.subject.trim() !== "";
  const template = {
    body: texts.body,
    bodyEn: texts.bodyEn,
    subject: own ? texts.subject : (definition?.subject ?? ""),
    subjectEn: own ? texts.subjectEn : (definition?.subjectEn ?? ""),
  };
  // Organizer messages carry the mute link in the footer (their resolver provides muteUrl).
  const muteUrl = code === "organizer.message" && typeof variables.muteUrl === "string" && /^https?:\/\//.test(variables.muteUrl) ? variables.muteUrl : undefined;
  try {
    const preview = await renderNoticePreview(template, variables, locale, { unsubscribeUrl: muteUrl });
    return { ...preview.email, telegramHtml: preview.telegramHtml };
  } catch {
    throw new AppError("VALIDATION", "notices.templates.emailUnavailable");
  }
}
