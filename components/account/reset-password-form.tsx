"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { resetPasswordAction } from "@/lib/identity/actions/reset-password";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { LinkButton } from "@/components/ui/link-button";
import { useT } from "@/lib/i18n/client";
import { resetPasswordSchema, type ResetPasswordData, type ResetPasswordInput } from "@/lib/validation/account";

const FIELDS = ["password", "passwordConfirm"] as const;

/**
 * The new password; when the account has Telegram linked, the form shows it and offers to unlink it
 * (`unlinkByDefault`: the email had never been verified, so the box starts ticked).
 */
export function ResetPasswordForm({ token, telegram = null }: { token: string; telegram?: { username: string | null; unlinkByDefault: boolean } | null }) {
  const t = useT();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<{ telegramUnlinked: boolean } | null>(null);
  // The link died meanwhile (used in another tab, expired): offer a new one.
  const [linkDead, setLinkDead] = useState(false);
  const form = useForm<ResetPasswordInput, unknown, ResetPasswordData>({
    resolver: zodResolver(resetPasswordSchema),
    defaultValues: { token, password: "", passwordConfirm: "", unlinkTelegram: telegram?.unlinkByDefault ?? false },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await resetPasswordAction({ ...values, unlinkTelegram: telegram ? values.unlinkTelegram : false });
      if (result.ok) {
        setDone({ telegramUnlinked: !!telegram && values.unlinkTelegram });
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
          {done.telegramUnlinked && <span className="mt-1 block" data-testid="reset-telegram-unlinked">{t("account.reset.doneTelegramUnlinked")}</span>}
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
      {telegram && (
        <fieldset className="flex flex-col gap-2 rounded-xl border border-slate-200 bg-slate-50 p-3" data-testid="reset-linked-methods">
          <legend className="px-1 text-sm font-semibold text-slate-900">{t("account.reset.methodsTitle")}</legend>
          <p className="text-sm text-slate-700">{t("account.reset.methodsText")}</p>
          <p className="break-all text-sm font-medium text-slate-900" data-testid="reset-linked-telegram">
            {telegram.username ? t("account.reset.methodTelegram", { username: `@${telegram.username}` }) : t("account.reset.methodTelegramNoUsername")}
          </p>
          <label className="flex min-h-11 items-center gap-3 text-sm font-medium text-slate-900">
            <input type="checkbox" {...form.register("unlinkTelegram")} className="size-5 shrink-0 accent-brand-600" aria-describedby="reset-unlink-hint" data-testid="reset-unlink-telegram" />
            {t("account.reset.unlinkTelegram")}
          </label>
          <p id="reset-unlink-hint" className="text-sm text-slate-600">
            {t("account.reset.unlinkTelegramHint")}
          </p>
        </fieldset>
      )}
      <Button type="submit" size="lg" fullWidth pending={isSubmitting}>
        {isSubmitting ? t("auth.submitting") : t("account.reset.submit")}
      </Button>
    </form>
  );
}
