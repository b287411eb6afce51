// Notification template schemas and checks, shared by the admin editor (live, in the browser), the
// server actions and lib/notifications/templates-admin.ts. Pure: no database, no secrets.
//
// The authoritative check is validateTemplateBody() (lib/notifications/render.ts): ICU syntax (the
// syntax of every text, docs/i18n.md), only documented variables, values as text, Telegram-valid markup. templateIssues() turns its findings
// into structured issues so the UI can explain them in the reader's language and name the variable
// or tag at fault; anything it does not recognise is passed on as is ("other"), never dropped.
import { z } from "zod";
import type { Translator } from "@/lib/i18n/translate";
import { validateTemplateBody } from "@/lib/notifications/render";

/** Telegram's limit for one message text. */
export const TEMPLATE_BODY_MAX = 4096;

/** e.g. "registration.confirmed", "event.reminder_2h". */
export const TEMPLATE_CODE_RE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;

export const TEMPLATE_VARIABLE_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** The email subject's limit (a template; the rendered subject is cut at 300). */
export const TEMPLATE_SUBJECT_MAX = 200;

const bodySchema = z.string({ error: "telegram.templates.issues.required" }).max(TEMPLATE_BODY_MAX, "telegram.templates.issues.tooLong");
const subjectSchema = z.string().max(TEMPLATE_SUBJECT_MAX, "notices.templates.issues.subjectTooLong").default("");

/**
 * The editor form: Russian body required, English optional (empty → the Russian one is sent). The
 * email subjects are optional too: an empty one falls back to the system subject (or, for an
 * additional template, the message's first line); an empty English one to the Russian one.
 */
export const templateBodiesSchema = z.object({
  body: bodySchema.refine((v) => v.trim().length > 0, "telegram.templates.issues.required"),
  bodyEn: bodySchema.default(""),
  subject: subjectSchema,
  subjectEn: subjectSchema,
});
export type TemplateBodiesInput = z.input<typeof templateBodiesSchema>;
export type TemplateBodiesData = z.output<typeof templateBodiesSchema>;

/** What the editor posts: the bodies plus the version it edited (optimistic concurrency). */
export const templateUpdateSchema = templateBodiesSchema.extend({
  code: z.string().min(1).max(100).regex(TEMPLATE_CODE_RE),
  expectedUpdatedAt: z.iso.datetime().optional(),
});
export type TemplateUpdateData = z.output<typeof templateUpdateSchema>;

/** What the editor's email preview posts: the texts being edited, sample values, the recipient's language. */
export const templatePreviewSchema = z.object({
  code: z.string().min(1).max(100).regex(TEMPLATE_CODE_RE),
  body: z.string().max(TEMPLATE_BODY_MAX),
  bodyEn: z.string().max(TEMPLATE_BODY_MAX).default(""),
  subject: z.string().max(TEMPLATE_SUBJECT_MAX).default(""),
  subjectEn: z.string().max(TEMPLATE_SUBJECT_MAX).default(""),
  variables: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.union([z.string().max(1000), z.number()]))
    .refine((v) => Object.keys(v).length <= 60, "validation.invalid")
    .default({}),
  locale: z.enum(["RU", "EN"]),
});
export type TemplatePreviewInput = z.input<typeof templatePreviewSchema>;

export const templateVariableSchema = z.object({
  name: z.string().regex(TEMPLATE_VARIABLE_RE),
  description: z.string().trim().max(300).default(""),
  descriptionEn: z.string().trim().max(300).default(""),
});

export const templateCreateSchema = templateBodiesSchema.extend({
  code: z.string().trim().min(3).max(100).regex(TEMPLATE_CODE_RE, "validation.invalid"),
  variables: z.array(templateVariableSchema).max(50).default([]),
});
export type TemplateCreateData = z.output<typeof templateCreateSchema>;

// ───────────────────────────── issues ─────────────────────────────

export type TemplateIssue =
  | { kind: "unknownVariable"; name: string }
  | { kind: "doubleBraces" }
  | { kind: "unsupportedFormat"; name: string }
  | { kind: "syntax"; detail: string }
  | { kind: "unsupportedTag"; tag: string }
  | { kind: "unclosedTag"; tag: string }
  | { kind: "mismatchedTag"; tag: string; open: string }
  | { kind: "unopenedTag"; tag: string }
  | { kind: "badAttributes"; tag: string }
  | { kind: "linkNeedsHref" }
  | { kind: "strayChar"; char: "<" | ">" | "&" }
  | { kind: "other"; detail: string }
  /** A subject is one line of plain text. */
  | { kind: "subjectMultiline" }
  | { kind: "subjectMarkup" };

/** Reads one finding of validateTemplateBody (its wording is pinned by tests/unit/template-preview-issues.test.ts). */
export function issueFromMessage(message: string): TemplateIssue {
  let m: RegExpExecArray | null;
  if ((m = /^Template syntax: ([\s\S]*)$/.exec(message))) return { kind: "syntax", detail: m[1] };
  if ((m = /^Unknown variable \{(.+?)\}/.exec(message))) return { kind: "unknownVariable", name: m[1] };
  if (/^Variables are written in single braces/.test(message)) return { kind: "doubleBraces" };
  if ((m = /^\{(.+?), …\} formats are not supported/.exec(message))) return { kind: "unsupportedFormat", name: m[1] };
  if ((m = /^"([<>&])" at position \d+/.exec(message))) return { kind: "strayChar", char: m[1] as "<" | ">" | "&" };
  if ((m = /^<\/?([a-zA-Z][a-zA-Z-]*)> is not supported by Telegram/.exec(message))) return { kind: "unsupportedTag", tag: m[1] };
  if ((m = /^<\/([a-zA-Z][a-zA-Z-]*)> must not have attributes/.exec(message))) return { kind: "badAttributes", tag: m[1] };
  if ((m = /^<\/([a-zA-Z][a-zA-Z-]*)> closes <([a-zA-Z][a-zA-Z-]*)>/.exec(message))) return { kind: "mismatchedTag", tag: m[1], open: m[2] };
  if ((m = /^<\/([a-zA-Z][a-zA-Z-]*)> has no opening tag/.exec(message))) return { kind: "unopenedTag", tag: m[1] };
  if (/^<a> needs href=/.test(message)) return { kind: "linkNeedsHref" };
  if ((m = /^<([a-zA-Z][a-zA-Z-]*)[^<>]*> has attributes Telegram does not accept/.exec(message))) return { kind: "badAttributes", tag: m[1] };
  if ((m = /^<([a-zA-Z][a-zA-Z-]*)> is never closed/.exec(message))) return { kind: "unclosedTag", tag: m[1] };
  return { kind: "other", detail: message };
}

/**
 * Everything wrong with a template body for these documented variables ([] = it can be saved).
 * Duplicates (the markup is checked with optional parts shown and hidden) are reported once.
 */
export function templateIssues(body: string, variables: ReadonlyArray<string | { name: string }>): TemplateIssue[] {
  const result = validateTemplateBody(body, variables);
  if (result.ok) return [];
  const seen = new Set<string>();
  const issues: TemplateIssue[] = [];
  for (const message of result.errors) {
    const issue = issueFromMessage(message);
    const key = JSON.stringify(issue);
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/**
 * Everything wrong with an email subject template: the body's checks (ICU, documented variables) plus
 * one line and no markup (a subject is plain text; values are inserted as they are).
 */
export function templateSubjectIssues(subject: string, variables: ReadonlyArray<string | { name: string }>): TemplateIssue[] {
  if (!subject.trim()) return [];
  const issues: TemplateIssue[] = [];
  if (/[\r\n]/.test(subject)) issues.push({ kind: "subjectMultiline" });
  if (/<\/?[a-zA-Z][^<>]*>/.test(subject)) issues.push({ kind: "subjectMarkup" });
  // The markup checks of a body do not apply: "<" and "&" are plain characters in a subject.
  const asBody = subject.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  for (const issue of templateIssues(asBody, variables)) if (!["strayChar", "unsupportedTag", "unclosedTag", "mismatchedTag", "unopenedTag", "badAttributes", "linkNeedsHref"].includes(issue.kind)) issues.push(issue);
  return issues;
}

/** One issue as a sentence in the reader's language. */
export function describeTemplateIssue(t: Translator, issue: TemplateIssue, variables: ReadonlyArray<string | { name: string }>): string {
  switch (issue.kind) {
    case "unknownVariable": {
      const names = variables.map((v) => (typeof v === "string" ? v : v.name));
      return names.length
        ? t("telegram.templates.issues.unknownVariable", { name: issue.name, available: names.join(", ") })
        : t("telegram.templates.issues.unknownVariableNone", { name: issue.name });
    }
    case "doubleBraces":
      return t("telegram.templates.issues.doubleBraces");
    case "unsupportedFormat":
      return t("telegram.templates.issues.unsupportedFormat", { name: issue.name });
    case "syntax":
      return t("telegram.templates.issues.syntax", { detail: issue.detail });
    case "unsupportedTag":
      return t("telegram.templates.issues.unsupportedTag", { tag: issue.tag });
    case "unclosedTag":
      return t("telegram.templates.issues.unclosedTag", { tag: issue.tag });
    case "mismatchedTag":
      return t("telegram.templates.issues.mismatchedTag", { tag: issue.tag, open: issue.open });
    case "unopenedTag":
      return t("telegram.templates.issues.unopenedTag", { tag: issue.tag });
    case "badAttributes":
      return t("telegram.templates.issues.badAttributes", { tag: issue.tag });
    case "linkNeedsHref":
      return t("telegram.templates.issues.linkNeedsHref");
    case "strayChar":
      return t(issue.char === "<" ? "telegram.templates.issues.strayLt" : issue.char === ">" ? "telegram.templates.issues.strayGt" : "telegram.templates.issues.strayAmp");
    case "other":
      return t("telegram.templates.issues.other", { detail: issue.detail });
    case "subjectMultiline":
      return t("notices.templates.issues.subjectMultiline");
    case "subjectMarkup":
      return t("notices.templates.issues.subjectMarkup");
  }
}

/** Templates added with the email channel: their descriptions are in the `notices` namespace. */
const NOTICES_DESCRIBED = new Set(["event.reminder_morning", "refund.completed", "organizer.message"]);

/** The message key of a template's description: "user.welcome" → telegram.templates.descriptions.user_welcome. */
export function templateDescriptionKey(code: string): string {
  const name = code.replace(/\./g, "_");
  return NOTICES_DESCRIBED.has(code) ? `notices.templates.descriptions.${name}` : `telegram.templates.descriptions.${name}`;
}
