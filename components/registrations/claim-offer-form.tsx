"use client";
// One-tap claim of a waitlist offer (with the event's extra questions when it has any) → the ticket.
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { useForm, type Path } from "react-hook-form";
import { claimWaitlistOfferAction } from "@/lib/waitlist/actions";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import type { RegistrationFieldDefinition } from "@/lib/validation/events";
import { defaultAnswers } from "@/lib/validation/registration-form";
import { CustomFields } from "./custom-fields";
import { registrationMessage } from "./messages";

type ClaimValues = { customFields: Record<string, string | boolean> };

export function ClaimOfferForm({ entryId, token, fields }: { entryId: string; token: string; fields: RegistrationFieldDefinition[] }) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ClaimValues>({ defaultValues: { customFields: defaultAnswers(fields) } });
  const names = useMemo(() => fields.map((f) => `customFields.${f.key}`) as Path<ClaimValues>[], [fields]);

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setError(null);
      startTransition(async () => {
        try {
          const result = await claimWaitlistOfferAction({ entryId, token, customFields: values.customFields });
          if (result.ok) {
            router.push(`/dashboard/tickets/${result.registrationId}?new=1`);
            return;
          }
          if (result.code === "VALIDATION" && applyServerFieldErrors(result.fieldErrors, names, form.setError) > 0) return;
          setError(result.message);
          if (result.code === "CONFLICT") router.refresh();
        } catch {
          setError("errors.internal");
        } finally {
          done();
        }
      });
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <CustomFields fields={fields} register={form.register} errors={form.formState.errors} />
      <div aria-live="polite">{error && <Alert variant="error">{registrationMessage(t, error)}</Alert>}</div>
      <Button type="submit" size="lg" fullWidth pending={pending || form.formState.isSubmitting} data-testid="claim-offer">
        {t("registrations.claim.claim")}
      </Button>
    </form>
  );
}
