"use client";
// The owner deletes the organization by typing its slug. On success the action redirects to /dashboard.
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import type { ActionResult } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";
import { organizationDeleteSchema, type OrganizationDeleteData, type OrganizationDeleteInput } from "@/lib/validation/organizations";

export function DeleteOrganizationForm({ slug, action }: { slug: string; action: (input: OrganizationDeleteData) => Promise<ActionResult> }) {
  const t = useT();
  const [formError, setFormError] = useState<string | null>(null);
  const [deleting, startTransition] = useTransition();
  const form = useForm<OrganizationDeleteInput, unknown, OrganizationDeleteData>({
    resolver: zodResolver(organizationDeleteSchema),
    defaultValues: { confirmSlug: "" },
  });
  const typed = (useWatch({ control: form.control, name: "confirmSlug" }) ?? "").trim().toLowerCase();
  const pending = deleting || form.formState.isSubmitting;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      if (values.confirmSlug !== slug) {
        form.setError("confirmSlug", { type: "validate", message: "organizations.validation.confirmSlugMismatch" }, { shouldFocus: true });
        return done();
      }
      startTransition(async () => {
        try {
          const result = await action(values);
          if (result && !result.ok && applyServerFieldErrors(result.fieldErrors, ["confirmSlug"] as const, form.setError) === 0) {
            setFormError(result.message);
          }
        } catch (error) {
          // The redirect after a successful delete is not an error.
          if (error && typeof error === "object" && "digest" in error && String((error as { digest: unknown }).digest).startsWith("NEXT_REDIRECT")) throw error;
          setFormError("errors.internal");
        } finally {
          done();
        }
      });
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid="delete-organization-form">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <TextField
        label={t("organizations.settings.confirmSlug", { slug })}
        error={t.dynamic(form.formState.errors.confirmSlug?.message) || undefined}
        required
        inputProps={{ autoCapitalize: "none", autoComplete: "off", spellCheck: false, className: "font-mono", ...form.register("confirmSlug") }}
      />
      <Button type="submit" variant="danger" size="lg" pending={pending} disabled={typed !== slug} className="sm:self-start">
        {pending ? t("organizations.settings.deleting") : t("organizations.settings.delete")}
      </Button>
    </form>
  );
}
