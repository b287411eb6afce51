"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { signUpAction } from "@/lib/identity/actions/auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { signUpSchema, type SignUpData, type SignUpInput } from "@/lib/validation/identity";
import { applyServerFieldErrors } from "./apply-server-errors";

const FIELDS = ["email", "password", "firstName", "lastName"] as const;

export function RegisterForm({ callbackUrl }: { callbackUrl?: string } = {}) {
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
          const result = await signUpAction(values, callbackUrl);
          if (result && !result.ok) {
            const placed = applyServerFieldErrors(result.fieldErrors, FIELDS, form.setError);
            // Field errors speak for themselves; other failures get the form-level message.
            if (placed === 0) setFormError(result.message);
          }
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
      <div className="flex flex-col gap-4">
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
      </div>
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
      <Button type="submit" size="lg" fullWidth pending={pending}>
        {pending ? t("auth.submitting") : t("auth.submitRegister")}
      </Button>
    </form>
  );
}
