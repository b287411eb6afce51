"use client";
// Sign-up on a join page (/invite/<code>, /g/<code>): the same fields and schema as /register; the
// page's action creates the account, joins, signs in and redirects onwards.
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import type { ActionResult } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";
import { signUpSchema, type SignUpData, type SignUpInput } from "@/lib/validation/identity";

const FIELDS = ["email", "password", "firstName", "lastName"] as const;

export function SignUpContinueForm({ action, submitLabel }: { action: (input: SignUpData) => Promise<ActionResult>; submitLabel: string }) {
  const t = useT();
  const [formError, setFormError] = useState<string | null>(null);
  const [navigating, startTransition] = useTransition();
  const form = useForm<SignUpInput, unknown, SignUpData>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { firstName: "", lastName: "", email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const pending = isSubmitting || navigating;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      startTransition(async () => {
        try {
          const result = await action(values);
          if (result && !result.ok && applyServerFieldErrors(result.fieldErrors, FIELDS, form.setError) === 0) setFormError(result.message);
        } catch {
          setFormError("errors.internal");
        } finally {
          done();
        }
      });
    }),
  );

  const error = (message: string | undefined) => t.dynamic(message) || undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <TextField
        label={t("auth.firstName")}
        error={error(errors.firstName?.message)}
        required
        inputProps={{ autoComplete: "given-name", ...form.register("firstName") }}
      />
      <TextField
        label={t("auth.lastName")}
        labelSuffix={`(${t("auth.optional")})`}
        error={error(errors.lastName?.message)}
        inputProps={{ autoComplete: "family-name", ...form.register("lastName") }}
      />
      <TextField
        label={t("auth.email")}
        error={error(errors.email?.message)}
        required
        inputProps={{ type: "email", autoComplete: "email", inputMode: "email", autoCapitalize: "none", spellCheck: false, ...form.register("email") }}
      />
      <TextField
        label={t("auth.password")}
        hint={t("auth.passwordHint")}
        error={error(errors.password?.message)}
        required
        inputProps={{ type: "password", autoComplete: "new-password", ...form.register("password") }}
      />
      <Button type="submit" size="lg" fullWidth pending={pending} data-testid="sign-up-continue">
        {pending ? t("auth.submitting") : submitLabel}
      </Button>
    </form>
  );
}
