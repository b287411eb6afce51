"use client";
// The template editor: Russian and English texts side by side (stacked on phones) — the email subject
// and the body — the documented variables (a click inserts {name} at the cursor), live problems and a
// live preview of each language on both channels: as it will look in Telegram (rendered here by the
// same ICU formatter as delivery) and as the email (rendered on the server by the delivery code, shown
// in a sandboxed frame). Saving goes through saveTemplateAction; the server re-checks everything and
// its field errors land on the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useRef, useState, useTransition, type RefCallback } from "react";
import { useForm, useWatch } from "react-hook-form";
import { deleteTemplateAction, saveTemplateAction } from "@/lib/notifications/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { renderTemplate } from "@/lib/notifications/render";
import {
  TEMPLATE_BODY_MAX,
  TEMPLATE_SUBJECT_MAX,
  describeTemplateIssue,
  templateBodiesSchema,
  templateIssues,
  templateSubjectIssues,
  type TemplateBodiesData,
  type TemplateBodiesInput,
} from "@/lib/validation/templates";
import { EmailPreview } from "./email-preview";
import { sampleValues } from "./sample-values";
import { TelegramMessagePreview } from "./telegram-preview";

type Field = "body" | "bodyEn" | "subject" | "subjectEn";
const FIELDS = ["subject", "body", "subjectEn", "bodyEn"] as const;
type Variable = { name: string; description: string };

export type TemplateEditorProps = {
  code: string;
  isSystem: boolean;
  photo: boolean;
  variables: Variable[];
  initial: { body: string; bodyEn: string; subject: string; subjectEn: string; updatedAt: string };
  defaults: { body: string; bodyEn: string; subject: string; subjectEn: string } | null;
};

type Notice = { variant: "success" | "info" | "error"; text: string } | null;

export function TemplateEditor({ code, isSystem, photo, variables, initial, defaults }: TemplateEditorProps) {
  const t = useT();
  const [updatedAt, setUpdatedAt] = useState(initial.updatedAt);
  const [notice, setNotice] = useState<Notice>(null);
  const [withOptional, setWithOptional] = useState(true);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, startDelete] = useTransition();
  const lastFocused = useRef<Field>("body");
  const textareas = useRef<Record<Field, HTMLTextAreaElement | HTMLInputElement | null>>({ body: null, bodyEn: null, subject: null, subjectEn: null });

  const form = useForm<TemplateBodiesInput, unknown, TemplateBodiesData>({
    resolver: zodResolver(templateBodiesSchema),
    defaultValues: { body: initial.body, bodyEn: initial.bodyEn, subject: initial.subject, subjectEn: initial.subjectEn },
  });
  const { errors, isSubmitting } = form.formState;
  const [body = "", bodyEn = "", subject = "", subjectEn = ""] = useWatch({ control: form.control, name: ["body", "bodyEn", "subject", "subjectEn"] });
  const names = useMemo(() => variables.map((v) => v.name), [variables]);

  const issues = useMemo(
    () => ({
      body: templateIssues(body, names),
      bodyEn: bodyEn.trim() ? templateIssues(bodyEn, names) : [],
      subject: templateSubjectIssues(subject, names),
      subjectEn: templateSubjectIssues(subjectEn, names),
    }),
    [body, bodyEn, subject, subjectEn, names],
  );

  /** react-hook-form's registration, with a ref that also keeps the element (caret position for inserts). */
  const registerTextarea = (field: Field) => {
    const { ref, ...registration } = form.register(field);
    const combinedRef: RefCallback<HTMLTextAreaElement | HTMLInputElement> = (element) => {
      ref(element);
      textareas.current[field] = element;
    };
    return { ...registration, ref: combinedRef };
  };

  const insertVariable = (name: string) => {
    const field = lastFocused.current;
    const element = textareas.current[field];
    const value = form.getValues(field) ?? "";
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    const token = `{${name}}`;
    form.setValue(field, value.slice(0, start) + token + value.slice(end), { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setNotice(null);
    try {
      const result = await saveTemplateAction({
        code,
        body: values.body,
        bodyEn: values.bodyEn,
        subject: values.subject,
        subjectEn: values.subjectEn,
        expectedUpdatedAt: updatedAt,
      });
      if (result.ok) {
        setUpdatedAt(result.updatedAt);
        form.reset(values);
        setNotice({ variant: "success", text: result.changed ? t("telegram.templates.saved") : t("telegram.templates.unchanged") });
        return;
      }
      let focused = false;
      for (const field of FIELDS) {
        const message = result.fieldErrors?.[field];
        if (!message) continue;
        form.setError(field, { type: "server", message }, { shouldFocus: !focused });
        focused = true;
      }
      if (!focused) setNotice({ variant: "error", text: t.dynamic(result.message) });
    } catch {
      setNotice({ variant: "error", text: t("errors.internal") });
    }
  });

  const restoreDefaults = () => {
    if (!defaults) return;
    form.setValue("body", defaults.body, { shouldDirty: true });
    form.setValue("bodyEn", defaults.bodyEn, { shouldDirty: true });
    form.setValue("subject", defaults.subject, { shouldDirty: true });
    form.setValue("subjectEn", defaults.subjectEn, { shouldDirty: true });
    form.clearErrors();
    setNotice({ variant: "info", text: t("telegram.templates.resetDone") });
  };

  const remove = () =>
    startDelete(async () => {
      const result = await deleteTemplateAction(code).catch(() => ({ ok: false as const, code: "INTERNAL" as const, message: "errors.internal" }));
      if (result && !result.ok) setNotice({ variant: "error", text: t.dynamic(result.message) });
    });

  /** The email subject of one language: one line, live problems under it. */
  const subjectField = (field: "subject" | "subjectEn") => {
    const isEn = field === "subjectEn";
    const fieldIssues = issues[field];
    const serverError = errors[field]?.message;
    const id = `template-${field}`;
    const issuesId = `${id}-issues`;
    const registration = registerTextarea(field);
    return (
      <div className="flex flex-col gap-1.5">
        <FormField
          id={id}
          label={isEn ? t("notices.templates.subjectEn") : t("notices.templates.subjectRu")}
          error={serverError ? t.dynamic(serverError, { max: TEMPLATE_SUBJECT_MAX }) : undefined}
          hint={isEn ? t("notices.templates.subjectEnHint") : t("notices.templates.subjectHint")}
        >
          {(control) => (
            <input
              {...control}
              {...registration}
              type="text"
              lang={isEn ? "en" : "ru"}
              maxLength={TEMPLATE_SUBJECT_MAX}
              spellCheck
              autoComplete="off"
              aria-describedby={[control["aria-describedby"], fieldIssues.length && !serverError ? issuesId : null].filter(Boolean).join(" ") || undefined}
              onFocus={() => {
                lastFocused.current = field;
              }}
              className={cn(
                "block min-h-11 w-full rounded-xl border border-slate-300 bg-white px-3.5 py-2.5 font-mono text-sm text-slate-900",
                "focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600",
              )}
            />
          )}
        </FormField>
        {fieldIssues.length > 0 && !serverError && (
          <ul id={issuesId} className="list-disc rounded-xl border border-amber-300 bg-amber-50 py-2 pl-8 pr-3.5 text-sm text-amber-900" data-testid={`issues-${field}`}>
            {fieldIssues.map((issue, index) => (
              <li key={index} className="[overflow-wrap:anywhere]">
                {describeTemplateIssue(t, issue, names)}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  };

  const column = (field: "body" | "bodyEn") => {
    const isEn = field === "bodyEn";
    const value = isEn ? bodyEn : body;
    const fieldIssues = issues[field];
    const serverError = errors[field]?.message;
    const id = `template-${field}`;
    const issuesId = `${id}-issues`;
    const previewLocale = isEn && value.trim() ? "en" : "ru";
    const previewBody = isEn && !value.trim() ? body : value;
    let html: string | null;
    try {
      html = renderTemplate(previewBody, sampleValues(names, previewLocale, { optional: withOptional }), previewLocale === "en" ? "EN" : "RU");
    } catch {
      html = null;
    }
    const registration = registerTextarea(field);
    const samples = sampleValues(names, previewLocale, { optional: withOptional });
    return (
      <div className="flex min-w-0 flex-col gap-3" data-testid={`column-${field}`}>
        {subjectField(isEn ? "subjectEn" : "subject")}
        <FormField
          id={id}
          label={isEn ? t("telegram.templates.bodyEn") : t("telegram.templates.bodyRu")}
          required={!isEn}
          error={serverError ? t.dynamic(serverError, { max: TEMPLATE_BODY_MAX }) : undefined}
          hint={isEn ? t("telegram.templates.bodyEnHint") : undefined}
        >
          {(control) => (
            <textarea
              {...control}
              {...registration}
              lang={isEn ? "en" : "ru"}
              rows={12}
              spellCheck
              aria-describedby={[control["aria-describedby"], fieldIssues.length && !serverError ? issuesId : null].filter(Boolean).join(" ") || undefined}
              onFocus={() => {
                lastFocused.current = field;
              }}
              className={cn(
                "block min-h-48 w-full resize-y rounded-xl border border-slate-300 bg-white px-3.5 py-3 font-mono text-sm leading-relaxed text-slate-900",
                "focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600",
              )}
            />
          )}
        </FormField>
        <p className={cn("-mt-1 text-right text-xs", value.length > TEMPLATE_BODY_MAX ? "font-semibold text-red-700" : "text-slate-500")}>
          {t("telegram.templates.characters", { count: value.length, max: TEMPLATE_BODY_MAX })}
        </p>
        {/* After a refused save the field error says it; the live list takes over once the text changes. */}
        {fieldIssues.length > 0 && !serverError && (
          <div id={issuesId} className="rounded-xl border border-amber-300 bg-amber-50 px-3.5 py-2.5 text-sm text-amber-900" data-testid={`issues-${field}`}>
            <p className="font-semibold">{t("telegram.templates.problems")}</p>
            <ul className="mt-1 list-disc pl-5">
              {fieldIssues.map((issue, index) => (
                <li key={index} className="[overflow-wrap:anywhere]">
                  {describeTemplateIssue(t, issue, names)}
                </li>
              ))}
            </ul>
          </div>
        )}
        <section aria-label={`${t("telegram.templates.preview")}: ${isEn ? t("telegram.templates.previewEn") : t("telegram.templates.previewRu")}`} className="flex flex-col gap-1.5">
          <h3 className="text-sm font-medium text-slate-800">{isEn ? t("telegram.templates.previewEn") : t("telegram.templates.previewRu")}</h3>
          {isEn && !value.trim() && <p className="text-xs text-slate-500">{t("telegram.templates.previewFallback")}</p>}
          {html === null ? (
            <p className="rounded-2xl border border-dashed border-slate-300 p-4 text-sm text-slate-600">{t("telegram.templates.previewUnavailable")}</p>
          ) : (
            <div aria-live="polite" data-testid={`preview-${field}`}>
              <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{t("notices.templates.channelTelegram")}</p>
              <TelegramMessagePreview html={html} emptyText={t("telegram.templates.previewEmpty")} />
            </div>
          )}
          <div className="mt-2 flex flex-col gap-1" data-testid={`email-preview-${field}`}>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("notices.templates.channelEmail")}</p>
            <EmailPreview
              disabled={html === null || issues[isEn ? "subjectEn" : "subject"].length > 0}
              label={t("notices.templates.emailFrame", { language: isEn ? t("telegram.templates.previewEn") : t("telegram.templates.previewRu") })}
              input={{ code, body, bodyEn, subject, subjectEn, variables: samples, locale: isEn ? "EN" : "RU" }}
            />
          </div>
        </section>
      </div>
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-5" aria-describedby={notice ? "template-notice" : undefined}>
      <section aria-labelledby="template-variables-title" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <h2 id="template-variables-title" className="text-base font-semibold text-slate-900">
          {t("telegram.templates.variables")}
        </h2>
        {variables.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">{t("telegram.templates.variablesEmpty")}</p>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-600">{t("telegram.templates.variablesHint")}</p>
            <ul className="mt-3 flex flex-wrap gap-2" data-testid="template-variables">
              {variables.map((variable) => (
                <li key={variable.name} className="max-w-full">
                  <button
                    type="button"
                    onMouseDown={(e) => e.preventDefault() /* keep the caret in the textarea */}
                    onClick={() => insertVariable(variable.name)}
                    title={variable.description}
                    aria-label={t("telegram.templates.insertVariable", { name: `{${variable.name}}`, description: variable.description })}
                    className="flex min-h-11 max-w-full flex-col items-start rounded-xl border border-slate-300 bg-slate-50 px-3 py-1.5 text-left hover:border-brand-400 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                    data-variable={variable.name}
                  >
                    <code className="font-mono text-sm font-semibold text-brand-700">{`{${variable.name}}`}</code>
                    <span className="text-xs text-slate-600">{variable.description}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <p className="mt-3 text-xs leading-relaxed text-slate-500">{t("telegram.templates.markupHelp")}</p>
        <p className="mt-2 text-xs leading-relaxed text-slate-500 [overflow-wrap:anywhere]">{t("telegram.templates.syntaxHelp")}</p>
        {photo && <p className="mt-2 text-xs text-slate-500">{t("telegram.templates.photoNote")}</p>}
      </section>

      <label className="flex min-h-11 items-center gap-3 self-start text-sm text-slate-800">
        <input type="checkbox" className="size-5 accent-brand-600" checked={withOptional} onChange={(e) => setWithOptional(e.target.checked)} />
        {t("telegram.templates.sampleSections")}
      </label>

      <div className="grid gap-6 lg:grid-cols-2">
        {column("body")}
        {column("bodyEn")}
      </div>
      <p className="-mt-2 text-xs text-slate-500">
        {t("telegram.templates.previewHint")} {t("notices.templates.emailHint")}
      </p>

      {notice && (
        <div id="template-notice">
          <Alert variant={notice.variant}>{notice.text}</Alert>
        </div>
      )}

      <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center">
        <Button type="submit" size="lg" pending={isSubmitting} className="sm:min-w-40">
          {isSubmitting ? t("telegram.templates.saving") : t("telegram.templates.save")}
        </Button>
        {defaults && (
          <Button type="button" variant="secondary" size="lg" onClick={restoreDefaults}>
            {t("telegram.templates.resetDefault")}
          </Button>
        )}
        {!isSystem &&
          (confirmDelete ? (
            <div className="flex flex-col gap-2 rounded-xl border border-red-200 bg-red-50 p-3 sm:flex-row sm:items-center">
              <p className="text-sm text-red-900">{t("telegram.templates.deleteConfirm")}</p>
              <div className="flex gap-2">
                <Button type="button" variant="danger" pending={deleting} onClick={remove}>
                  {t("telegram.templates.deleteYes")}
                </Button>
                <Button type="button" variant="ghost" onClick={() => setConfirmDelete(false)}>
                  {t("telegram.templates.cancel")}
                </Button>
              </div>
            </div>
          ) : (
            <Button type="button" variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setConfirmDelete(true)}>
              {t("telegram.templates.delete")}
            </Button>
          ))}
      </div>
    </form>
  );
}
