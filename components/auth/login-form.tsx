"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { signInAction } from "@/lib/identity/actions/auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { signInSchema, type SignInData, type SignInInput } from "@/lib/validation/identity";
import { applyServerFieldErrors } from "./apply-server-errors";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useT();
  const [formError, setFormError] = useState<string | null>(null);
  const [navigating, startTransition] = useTransition();
  const form = useForm<SignInInput, unknown, SignInData>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const pending = isSubmitting || navigating;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      // A transition keeps the button busy until the redirect after a successful sign-in has finished.
      startTransition(async () => {
        try {
          const result = await signInAction(values, callbackUrl);
          if (result && !result.ok) {
            applyServerFieldErrors(result.fieldErrors, ["email", "password"], form.setError);
            setFormError(result.message);
            if (result.code === "UNAUTHENTICATED") form.resetField("password", { keepError: false });
          }
        } catch {
          setFormError("errors.internal");
        } finally {
          done();
        }
      });
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-describedby={formError ? "login-form-error" : undefined}>
      {formError && (
        <div id="login-form-error">
          <Alert variant="error">{t.dynamic(formError)}</Alert>
        </div>
      )}
      <TextField
        label={t("auth.email")}
        error={t.dynamic(errors.email?.message) || undefined}
        required
        inputProps={{ type: "email", autoComplete: "email", inputMode: "email", autoCapitalize: "none", spellCheck: false, ...form.register("email") }}
      />
      <TextField
        label={t("auth.password")}
        error={t.dynamic(errors.password?.message) || undefined}
        required
        inputProps={{ type: "password", autoComplete: "current-password", ...form.register("password") }}
      />
      <p className="-mt-2 text-right text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-700 underline-offset-4 hover:underline">
          {t("account.forgot.link")}
        </Link>
      </p>
      <Button type="submit" size="lg" fullWidth pending={pending}>
        {pending ? t("auth.submitting") : t("auth.submitLogin")}
      </Button>
    </form>
  );
}
