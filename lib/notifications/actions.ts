"use server";
// Thin entry points of the template editor: parse with the shared schema, call the service with the
// signed-in actor, revalidate, answer with a small result. A refused body comes back as field errors
// in the editor's language that name the variable or tag at fault.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toActionError, type ActionResult, type FieldErrors } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { getT } from "@/lib/i18n/server";
import { deleteTemplate, isTemplateValidationError, updateTemplate, type TemplateField } from "@/lib/notifications/templates-admin";
import { actorOf } from "@/lib/permissions";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { TEMPLATE_BODY_MAX, describeTemplateIssue, templateUpdateSchema } from "@/lib/validation/templates";

const LIST_PATH = "/dashboard/admin/templates";

export type SaveTemplateResult = ActionResult<{ updatedAt: string; changed: boolean }>;

export async function saveTemplateAction(input: unknown): Promise<SaveTemplateResult> {
  try {
    const user = await requireUser();
    const t = await getT();
    const parsed = templateUpdateSchema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      for (const [field, key] of Object.entries(fieldErrors)) fieldErrors[field] = t.dynamic(key, { max: TEMPLATE_BODY_MAX });
      return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors };
    }
    const { code, body, bodyEn, expectedUpdatedAt } = parsed.data;
    try {
      const { template, changed } = await updateTemplate({ actor: actorOf(user), code, body, bodyEn, expectedUpdatedAt });
      if (changed) {
        revalidatePath(LIST_PATH);
        revalidatePath(`${LIST_PATH}/${code}`);
      }
      return { ok: true, updatedAt: template.updatedAt.toISOString(), changed };
    } catch (error) {
      if (!isTemplateValidationError(error)) throw error;
      // Re-word the service's findings for the editor; the variables are the template's own.
      const fieldErrors: FieldErrors = {};
      for (const [field, message] of Object.entries(error.fieldErrors ?? {})) {
        const issues = error.issues[field as TemplateField];
        fieldErrors[field] = issues?.length
          ? issues.map((issue) => describeTemplateIssue(t, issue, error.variables)).join(" · ")
          : t.dynamic(message, { max: TEMPLATE_BODY_MAX });
      }
      return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors };
    }
  } catch (error) {
    return toActionError(error);
  }
}

/** Deletes an additional template and goes back to the list (system templates are refused). */
export async function deleteTemplateAction(code: unknown): Promise<ActionResult> {
  try {
    const user = await requireUser();
    await deleteTemplate({ actor: actorOf(user), code: String(code) });
    revalidatePath(LIST_PATH);
  } catch (error) {
    return toActionError(error);
  }
  redirect(LIST_PATH);
}
