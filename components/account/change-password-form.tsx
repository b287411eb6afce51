"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { changePasswordAction } from "@/lib/identity/actions/account";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { changePasswordSchema, type ChangePasswordData, type ChangePasswordInput } from "@/lib/validation/account";

const FIELDS = ["currentPassword", "newPassword", "newPasswordConfirm"] as const;
const EMPTY: ChangePasswordInput = { currentPassword: "", newPassword: "", newPasswordConfirm: "" };

export function ChangePasswordForm({ email }: { email: string | null }) {
  const t = useT();
  const [status, setStatus] = useState<{ ok: true; count: number } | { ok: false; message: string } | null>(null);
  const form = useForm<ChangePasswordInput, unknown, ChangePasswordData>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: EMPTY,
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setStatus(null);
    try {
      const result = await changePasswordAction(values);
      if (result.ok) {
        form.reset(EMPTY);
        setStatus({ ok: true, count: result.revokedSessions });
      } else if (applyServerFieldErrors(result.fieldErrors, FIELDS, form.setError) === 0) {
        setStatus({ ok: false, message: result.message });
      }
    } catch {
      setStatus({ ok: false, message: "errors.internal" });
    }
  });

  const error = (message: string | undefined) => t.dynamic(message) || undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={t("account.password.title")}>
      {/* Lets password managers tie the new password to the account (not shown, not sent). */}
      {email && <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />}
      <TextField
        label={t("account.password.current")}
        error={error(errors.currentPassword?.message)}
        required
        inputProps={{ type: "password", autoComplete: "current-password", ...form.register("currentPassword") }}
      />
      <TextField
        label={t("account.password.new")}
        hint={t("auth.passwordHint")}
        error={error(errors.newPassword?.message)}
        required
        inputProps={{ type: "password", autoComplete: "new-password", ...form.register("newPassword") }}
      />
      <TextField
        label={t("account.password.confirm")}
        error={error(errors.newPasswordConfirm?.message)}
        required
        inputProps={{ type: "password", autoComplete: "new-password", ...form.register("newPasswordConfirm") }}
      />
      {status?.ok === true && <Alert variant="success">{t("account.password.changed", { count: status.count })}</Alert>}
      {status?.ok === false && <Alert variant="error">{t.dynamic(status.message)}</Alert>}
      <Button type="submit" pending={isSubmitting} className="self-start">
        {isSubmitting ? t("auth.submitting") : t("account.password.submit")}
      </Button>
    </form>
  );
}
