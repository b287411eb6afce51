"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { updateProfileAction } from "@/lib/identity/actions/account";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { profileSchema, type ProfileData, type ProfileInput } from "@/lib/validation/account";

const FIELDS = ["firstName", "lastName"] as const;

export function ProfileForm({ firstName, lastName }: { firstName: string; lastName: string | null }) {
  const t = useT();
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const form = useForm<ProfileInput, unknown, ProfileData>({
    resolver: zodResolver(profileSchema),
    defaultValues: { firstName, lastName: lastName ?? "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setStatus(null);
    try {
      const result = await updateProfileAction(values);
      if (result.ok) {
        form.reset(values);
        setStatus({ ok: true, message: "account.profile.saved" });
      } else if (applyServerFieldErrors(result.fieldErrors, FIELDS, form.setError) === 0) {
        setStatus({ ok: false, message: result.message });
      }
    } catch {
      setStatus({ ok: false, message: "errors.internal" });
    }
  });

  const error = (message: string | undefined) => t.dynamic(message) || undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={t("account.profile.title")}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label={t("account.profile.firstName")}
          error={error(errors.firstName?.message)}
          required
          inputProps={{ autoComplete: "given-name", ...form.register("firstName") }}
        />
        <TextField
          label={t("account.profile.lastName")}
          labelSuffix={`(${t("account.profile.optional")})`}
          error={error(errors.lastName?.message)}
          inputProps={{ autoComplete: "family-name", ...form.register("lastName") }}
        />
      </div>
      {status && <Alert variant={status.ok ? "success" : "error"}>{t.dynamic(status.message)}</Alert>}
      <Button type="submit" pending={isSubmitting} className="self-start">
        {isSubmitting ? t("auth.submitting") : t("account.profile.save")}
      </Button>
    </form>
  );
}
