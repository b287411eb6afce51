"use client";
// Editing an organization's name, description and settings (owner and moderators).
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, TextField } from "@/components/ui/form-field";
import type { ActionResult } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";
import {
  ORGANIZATION_DESCRIPTION_MAX,
  ORGANIZATION_NAME_MAX,
  organizationUpdateSchema,
  type OrganizationUpdateData,
  type OrganizationUpdateInput,
} from "@/lib/validation/organizations";
import { Textarea } from "./textarea";

const FIELDS = ["name", "description", "defaultTimezone", "contactEmail", "websiteUrl"] as const;

export function OrganizationSettingsForm({
  action,
  defaults,
}: {
  action: (input: OrganizationUpdateData) => Promise<ActionResult>;
  defaults: { name: string; description: string; defaultTimezone: string; contactEmail: string; websiteUrl: string };
}) {
  const t = useT();
  const [status, setStatus] = useState<{ variant: "error" | "success"; text: string } | null>(null);
  const [saving, startTransition] = useTransition();
  const form = useForm<OrganizationUpdateInput, unknown, OrganizationUpdateData>({
    resolver: zodResolver(organizationUpdateSchema),
    defaultValues: defaults,
  });
  const { errors, isSubmitting } = form.formState;
  const pending = saving || isSubmitting;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setStatus(null);
      startTransition(async () => {
        try {
          const result = await action(values);
          if (result.ok) {
            setStatus({ variant: "success", text: t("organizations.settings.saved") });
            form.reset(form.getValues());
          } else if (applyServerFieldErrors(result.fieldErrors, FIELDS, form.setError) === 0) {
            setStatus({ variant: "error", text: t.dynamic(result.message) });
          }
        } catch {
          setStatus({ variant: "error", text: t("errors.internal") });
        } finally {
          done();
        }
      });
    }),
  );

  const error = (message: string | undefined) => t.dynamic(message) || undefined;
  const optional = `(${t("organizations.settings.optional")})`;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid="organization-settings-form">
      {status && <Alert variant={status.variant}>{status.text}</Alert>}
      <TextField
        label={t("organizations.settings.name")}
        error={error(errors.name?.message)}
        required
        inputProps={{ autoComplete: "organization", maxLength: ORGANIZATION_NAME_MAX, ...form.register("name") }}
      />
      <FormField label={t("organizations.settings.description")} labelSuffix={optional} hint={t("organizations.settings.descriptionHint")} error={error(errors.description?.message)}>
        {(control) => <Textarea {...control} rows={5} maxLength={ORGANIZATION_DESCRIPTION_MAX} {...form.register("description")} />}
      </FormField>
      <TextField
        label={t("organizations.settings.defaultTimezone")}
        hint={t("organizations.settings.defaultTimezoneHint")}
        error={error(errors.defaultTimezone?.message)}
        inputProps={{ autoCapitalize: "none", spellCheck: false, list: "aq-timezones", ...form.register("defaultTimezone") }}
      />
      <datalist id="aq-timezones">
        {["Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "UTC"].map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <TextField
        label={t("organizations.settings.contactEmail")}
        labelSuffix={optional}
        error={error(errors.contactEmail?.message)}
        inputProps={{ type: "email", inputMode: "email", autoComplete: "email", autoCapitalize: "none", spellCheck: false, ...form.register("contactEmail") }}
      />
      <TextField
        label={t("organizations.settings.websiteUrl")}
        labelSuffix={optional}
        error={error(errors.websiteUrl?.message)}
        inputProps={{ type: "url", inputMode: "url", autoCapitalize: "none", spellCheck: false, placeholder: "https://", ...form.register("websiteUrl") }}
      />
      <Button type="submit" size="lg" fullWidth pending={pending} className="sm:w-auto sm:self-start">
        {pending ? t("organizations.settings.saving") : t("organizations.settings.save")}
      </Button>
    </form>
  );
}
