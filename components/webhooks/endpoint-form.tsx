"use client";
// The webhook endpoint form (phone first): URL, description, the event types as checkboxes. One zod schema
// with the server (lib/validation/webhooks.ts); the server's field errors (e.g. "the URL leads into a
// private network") land on the same fields. Creating shows the signing secret once (SecretReveal).
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm, type FieldPath } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { createWebhookEndpointAction, updateWebhookEndpointAction } from "@/lib/webhooks/actions";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/types";
import { webhookEndpointFormSchema, type WebhookEndpointForm as FormInput } from "@/lib/validation/webhooks";
import { SecretReveal } from "./secret-reveal";
import { typeLabelKey } from "./type-label";

type FormOutput = { url: string; description: string | null; eventTypes: WebhookEventType[] };
const FIELDS: FieldPath<FormInput>[] = ["url", "description", "eventTypes"];

export function WebhookEndpointForm(props: {
  organizationId: string;
  slug: string;
  /** Editing an existing endpoint; absent = a new one. */
  endpointId?: string;
  defaults?: { url: string; description: string | null; eventTypes: WebhookEventType[] };
}) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  const empty = { url: "", description: "", eventTypes: [...WEBHOOK_EVENT_TYPES] as WebhookEventType[] };
  const initial = props.defaults ? { url: props.defaults.url, description: props.defaults.description ?? "", eventTypes: props.defaults.eventTypes } : empty;
  const form = useForm<FormInput, unknown, FormOutput>({ resolver: zodResolver(webhookEndpointFormSchema), defaultValues: initial, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;
  const err = (name: string) => t.dynamic((errors as Record<string, { message?: string } | undefined>)[name]?.message) || undefined;
  const idBase = props.endpointId ?? "new";

  const onSubmit = form.handleSubmit(
    (values) =>
      new Promise<void>((done) => {
        setFormError(null);
        setSaved(null);
        startTransition(async () => {
          try {
            const input = { url: values.url, description: values.description ?? "", eventTypes: values.eventTypes };
            const result = props.endpointId
              ? await updateWebhookEndpointAction(props.organizationId, props.endpointId, input)
              : await createWebhookEndpointAction(props.organizationId, input);
            if (!result.ok) {
              let placed = 0;
              for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
                const field = FIELDS.find((f) => f === name || name.startsWith(`${f}.`));
                if (!field) continue;
                form.setError(field, { type: "server", message }, { shouldFocus: placed === 0 });
                placed += 1;
              }
              if (placed === 0) setFormError(result.message);
              return;
            }
            const answer = result as { id?: string; secret?: string };
            if (answer.secret && answer.id) {
              setCreated({ id: answer.id, secret: answer.secret });
              form.reset(empty);
            } else {
              setSaved(t("webhooks.form.saved"));
            }
            router.refresh();
          } catch {
            setFormError("errors.internal");
          } finally {
            done();
          }
        });
      }),
    () => setSaved(null),
  );

  return (
    <div className="flex flex-col gap-4">
      {created && (
        <div className="flex flex-col gap-3" data-testid="webhook-created">
          <Alert variant="success">{t("webhooks.add.created")}</Alert>
          <SecretReveal secret={created.secret} />
          <Link href={`/dashboard/o/${props.slug}/developers/webhooks/${created.id}`} className="text-sm font-medium text-brand-700 hover:underline">
            {t("webhooks.log.title")} →
          </Link>
        </div>
      )}
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid="webhook-form">
        {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
        <TextField
          id={`webhook-url-${idBase}`}
          label={t("webhooks.form.url")}
          required
          hint={t("webhooks.form.urlHint")}
          error={err("url")}
          inputProps={{ type: "url", inputMode: "url", autoComplete: "off", spellCheck: false, placeholder: "https://", ...form.register("url"), "data-testid": "webhook-url" } as never}
        />
        <TextField
          id={`webhook-description-${idBase}`}
          label={t("webhooks.form.description")}
          labelSuffix={t("webhooks.form.optional")}
          hint={t("webhooks.form.descriptionHint")}
          error={err("description")}
          inputProps={{ autoComplete: "off", maxLength: 300, ...form.register("description") }}
        />
        <fieldset className="flex flex-col gap-2" aria-describedby={errors.eventTypes ? `webhook-types-error-${idBase}` : undefined}>
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("webhooks.form.eventTypes")}</legend>
          <div className="grid gap-1 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex min-h-11 items-center gap-3 rounded-lg px-2 hover:bg-slate-50">
                <input type="checkbox" value={type} {...form.register("eventTypes")} className="size-5 accent-brand-600" data-testid={`webhook-type-${type}`} />
                <span className="flex flex-col">
                  <span className="text-sm text-slate-900">{t(typeLabelKey(type))}</span>
                  <code className="text-xs text-slate-500">{type}</code>
                </span>
              </label>
            ))}
          </div>
          {errors.eventTypes && (
            <p id={`webhook-types-error-${idBase}`} className="text-sm font-medium text-red-700" data-field-error>
              {err("eventTypes")}
            </p>
          )}
        </fieldset>
        <div aria-live="polite">{saved && <Alert variant="success">{saved}</Alert>}</div>
        <Button type="submit" pending={isSubmitting || pending} className="self-start" data-testid="webhook-submit">
          {props.endpointId ? t("webhooks.form.save") : t("webhooks.add.submit")}
        </Button>
      </form>
    </div>
  );
}
