"use client";
// Create or edit a group: name (2–100) and an optional description (≤ 1000), one shared schema for
// the form and the action; the server's field errors land on the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { createGroupAction, updateGroupAction } from "@/lib/groups/actions/manage";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { GROUP_DESCRIPTION_MAX, groupSchema, type GroupData, type GroupInput } from "@/lib/validation/groups";

type Props =
  | { mode: "create"; organizationId: string; slug: string }
  | { mode: "edit"; groupId: string; defaults: { name: string; description: string | null } };

export function GroupForm(props: Props) {
  const t = useT();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [navigating, startTransition] = useTransition();
  const form = useForm<GroupInput, unknown, GroupData>({
    resolver: zodResolver(groupSchema),
    defaultValues: props.mode === "edit" ? { name: props.defaults.name, description: props.defaults.description ?? "" } : { name: "", description: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      setSaved(false);
      startTransition(async () => {
        try {
          const result = props.mode === "create" ? await createGroupAction(props.organizationId, values) : await updateGroupAction(props.groupId, values);
          if (!result.ok) {
            if (applyServerFieldErrors(result.fieldErrors, ["name", "description"], form.setError) === 0) setFormError(result.message);
          } else if (props.mode === "create" && "id" in result) {
            router.push(`/dashboard/o/${encodeURIComponent(props.slug)}/groups/${result.id}`);
          } else {
            setSaved(true);
            form.reset(values.description === null ? { ...values, description: "" } : values);
            router.refresh();
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
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={props.mode === "create" ? t("groups.createTitle") : t("groups.editTitle")}>
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <div aria-live="polite">{saved && <Alert variant="success">{t("groups.saved")}</Alert>}</div>
      <TextField label={t("groups.name")} required error={error(errors.name?.message)} inputProps={{ autoComplete: "off", maxLength: 200, ...form.register("name") }} />
      <FormField label={t("groups.description")} hint={t("groups.descriptionHint")} error={error(errors.description?.message)}>
        {(control) => (
          <textarea
            {...control}
            {...form.register("description")}
            rows={3}
            maxLength={GROUP_DESCRIPTION_MAX + 200}
            className="block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900 placeholder:text-slate-400 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600"
          />
        )}
      </FormField>
      <Button type="submit" pending={isSubmitting || navigating} className="self-start" data-testid={props.mode === "create" ? "create-group" : "save-group"}>
        {props.mode === "create" ? t("groups.create") : t("groups.save")}
      </Button>
    </form>
  );
}
