"use server";
// Thin entry points of the template editor, behind the action edge (lib/http/action.ts): parse with
// the shared schema, call the service with the signed-in actor, revalidate. A refused body comes back
// as field errors in the editor's language that name the variable or tag at fault.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AppError, type ActionResult, type FieldErrors } from "@/lib/errors";
import { action } from "@/lib/http/action";
import { getT } from "@/lib/i18n/server";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { TEMPLATE_BODY_MAX, TEMPLATE_SUBJECT_MAX, describeTemplateIssue, templatePreviewSchema, templateUpdateSchema } from "@/lib/validation/templates";
import { deleteTemplate, isTemplateValidationError, previewTemplate, updateTemplate, type TemplateField } from "./templates-admin";

const LIST_PATH = "/dashboard/admin/templates";
const signedIn = { session: "required" } as const;

export type SaveTemplateResult = ActionResult<{ updatedAt: string; changed: boolean }>;

const invalid = (fieldErrors: FieldErrors) => new AppError("VALIDATION", "errors.validation", fieldErrors);
const maxOf = (field: string) => (field.startsWith("subject") ? TEMPLATE_SUBJECT_MAX : TEMPLATE_BODY_MAX);

export const saveTemplateAction = action(
  // Parsed in the handler: its field errors are worded with the body's limit in the editor's language.
  z.unknown(),
  async (input, { actor }) => {
    const t = await getT();
    const parsed = templateUpdateSchema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      for (const [field, key] of Object.entries(fieldErrors)) fieldErrors[field] = t.dynamic(key, { max: maxOf(field) });
      throw invalid(fieldErrors);
    }
    const { code, body, bodyEn, subject, subjectEn, expectedUpdatedAt } = parsed.data;
    try {
      const { template, changed } = await updateTemplate({ actor, code, body, bodyEn, subject, subjectEn, expectedUpdatedAt });
      if (changed) {
        revalidatePath(LIST_PATH);
        revalidatePath(`${LIST_PATH}/${code}`);
      }
      return { updatedAt: template.updatedAt.toISOString(), changed };
    } catch (error) {
      if (!isTemplateValidationError(error)) throw error;
      // Re-word the service's findings for the editor; the variables are the template's own.
      const fieldErrors: FieldErrors = {};
      for (const [field, message] of Object.entries(error.fieldErrors ?? {})) {
        const issues = error.issues[field as TemplateField];
        fieldErrors[field] = issues?.length
          ? issues.map((issue) => describeTemplateIssue(t, issue, error.variables)).join(" · ")
          : t.dynamic(message, { max: maxOf(field) });
      }
      throw invalid(fieldErrors);
    }
  },
  signedIn,
) satisfies (input: never) => Promise<SaveTemplateResult>;

/** Deletes an additional template and goes back to the list (system templates are refused). */
export const deleteTemplateAction = action(
  z.tuple([z.string()]),
  async ([code], { actor }) => {
    await deleteTemplate({ actor, code });
    revalidatePath(LIST_PATH);
    redirect(LIST_PATH);
  },
  signedIn,
);

export type PreviewTemplateResult = ActionResult<{ subject: string; html: string }>;

/** The email as a recipient in one language would get it (the editor's live preview; rate-limited). */
export const previewTemplateAction = action(
  templatePreviewSchema,
  async ({ code, body, bodyEn, subject, subjectEn, variables, locale }, { actor }) => {
    const preview = await previewTemplate({ actor, code, texts: { body, bodyEn, subject, subjectEn }, variables, locale });
    return { subject: preview.subject, html: preview.html };
  },
  { ...signedIn, limit: "templates.preview" },
) satisfies (input: never) => Promise<PreviewTemplateResult>;
