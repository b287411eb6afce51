"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { resetPasswordAction } from "@/app/[locale]/(site)/(auth)/reset-password/actions";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { LinkButton } from "@/components/ui/link-button";
import { useT } from "@/lib/i18n/client";
import { resetPasswordSchema, type ResetPasswordData, type ResetPasswordInput } from "@/lib/validation/account";

const FIELDS = ["password", "passwordConfirm"] as const;

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useT();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  // The link died meanwhile (used in another tab, expired): offer a new one.
  const [linkDead, setLinkDead] = useState(false);
  const form = useForm<ResetPasswordInput, unknown, ResetPasswordData>({
    resolver: zodResolver(resetPasswordSchema),
    defaultValues: { token, password: "", passwordConfirm: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await resetPasswordAction(values);
      if (result.ok) {
        setDone(true);
        return;
      }
      if (applyServerFieldErrors(result.fieldErrors, FIELDS, form.setError) === 0) setFormError(result.message);
      setLinkDead(result.message.startsWith("account.errors.resetLink"));
    } catch {
      setFormError("errors.internal");
    }
  });

  if (done) {
    return (
      <div className="flex flex-col gap-4" data-testid="reset-password-done">
        <Alert variant="success" title={t("account.reset.doneTitle")}>
          {t("account.reset.doneText")}
        </Alert>
        <LinkButton href="/login" size="lg" fullWidth>
          {t("account.reset.toLogin")}
        </LinkButton>
      </div>
    );
  }

  const error = (message: string | undefined) => t.dynamic(message) || undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      {linkDead && (
        <LinkButton href="/forgot-password" variant="secondary" fullWidth>
          {t("account.reset.requestNew")}
        </LinkButton>
      )}
      <input type="hidden" {...form.register("token")} />
      <TextField
        label={t("account.reset.password")}
        hint={t("auth.passwordHint")}
        error={error(errors.password?.message)}
        required
        inputProps={{ type: "password", autoComplete: "new-password", ...form.register("password") }}
      />
      <TextField
        label={t("account.reset.passwordConfirm")}
        error={error(errors.passwordConfirm?.message)}
        required
        inputProps={{ type: "password", autoComplete: "new-password", ...form.register("passwordConfirm") }}
      />
      <Button type="submit" size="lg" fullWidth pending={isSubmitting}>
        {isSubmitting ? t("auth.submitting") : t("account.reset.submit")}
      </Button>
    </form>
  );
}
