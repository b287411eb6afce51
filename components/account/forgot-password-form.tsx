"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { requestPasswordResetAction } from "@/lib/identity/actions/forgot-password";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { forgotPasswordSchema, type ForgotPasswordData, type ForgotPasswordInput } from "@/lib/validation/account";

export function ForgotPasswordForm() {
  const t = useT();
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<ForgotPasswordInput, unknown, ForgotPasswordData>({
    resolver: zodResolver(forgotPasswordSchema),
    defaultValues: { email: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await requestPasswordResetAction(values);
      if (result.ok) {
        setSentTo(values.email);
        return;
      }
      if (applyServerFieldErrors(result.fieldErrors, ["email"], form.setError) === 0) setFormError(result.message);
    } catch {
      setFormError("errors.internal");
    }
  });

  if (sentTo) {
    return (
      <div data-testid="forgot-password-sent">
        <Alert variant="success" title={t("account.forgot.sentTitle")}>
          <span className="break-words">{t("account.forgot.sentText", { email: sentTo })}</span>
        </Alert>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <TextField
        label={t("auth.email")}
        error={t.dynamic(errors.email?.message) || undefined}
        required
        inputProps={{ type: "email", autoComplete: "email", inputMode: "email", autoCapitalize: "none", spellCheck: false, ...form.register("email") }}
      />
      <Button type="submit" size="lg" fullWidth pending={isSubmitting}>
        {isSubmitting ? t("auth.submitting") : t("account.forgot.submit")}
      </Button>
    </form>
  );
}
