"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { deleteAccountAction } from "@/lib/identity/actions/account";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import {
  DELETE_CONFIRMATION_WORD,
  deleteAccountSchemaFor,
  type DeleteAccountData,
  type DeleteAccountInput,
} from "@/lib/validation/account";

export function DeleteAccountForm({ email }: { email: string | null }) {
  const t = useT();
  const schema = useMemo(() => deleteAccountSchemaFor(email), [email]);
  const [formError, setFormError] = useState<{ message: string; organizations?: string[] } | null>(null);
  const [navigating, startTransition] = useTransition();
  const form = useForm<DeleteAccountInput, unknown, DeleteAccountData>({ resolver: zodResolver(schema), defaultValues: { confirmation: "" } });
  const { errors, isSubmitting } = form.formState;
  const pending = isSubmitting || navigating;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      // A transition keeps the button busy until the redirect after a deletion has finished.
      startTransition(async () => {
        try {
          const result = await deleteAccountAction(values);
          if (result && !result.ok && applyServerFieldErrors(result.fieldErrors, ["confirmation"], form.setError) === 0) {
            setFormError({ message: result.message, organizations: result.details?.organizations as string[] | undefined });
          }
        } catch {
          setFormError({ message: "errors.internal" });
        } finally {
          done();
        }
      });
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={t("account.deletion.title")}>
      {formError && (
        <Alert variant="error">
          {formError.organizations?.length
            ? t("account.deletion.ownerOf", { names: formError.organizations.join(", ") })
            : t.dynamic(formError.message)}
        </Alert>
      )}
      <TextField
        label={t("account.deletion.confirmLabel", { word: DELETE_CONFIRMATION_WORD })}
        error={t.dynamic(errors.confirmation?.message) || undefined}
        required
        inputProps={{ autoComplete: "off", autoCapitalize: "none", spellCheck: false, ...form.register("confirmation") }}
      />
      <Button type="submit" variant="danger" pending={pending} className="self-start">
        {t("account.deletion.submit")}
      </Button>
    </form>
  );
}
