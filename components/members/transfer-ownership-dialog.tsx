"use client";
// Ownership transfer with an explicit confirmation: a dialog whose form (react-hook-form + the shared
// schema) requires ticking "I understand that I will no longer be the owner".
import { zodResolver } from "@hookform/resolvers/zod";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { transferOwnershipAction } from "@/lib/organizations/actions/members";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { transferOwnershipSchema, type TransferOwnershipInput } from "@/lib/validation/members";

export function TransferOwnershipDialog({
  organizationId,
  organizationName,
  member,
  onDone,
}: {
  organizationId: string;
  organizationName: string;
  member: { id: string; name: string };
  onDone: () => void;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const checkboxId = useId();
  const errorId = useId();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<TransferOwnershipInput>({
    resolver: zodResolver(transferOwnershipSchema),
    defaultValues: { memberId: member.id, confirm: false },
  });
  const { errors, isSubmitting } = form.formState;

  const open = () => {
    setFormError(null);
    form.reset({ memberId: member.id, confirm: false });
    ref.current?.showModal();
  };
  const close = () => ref.current?.close();

  const submit = async (values: TransferOwnershipInput) => {
    setFormError(null);
    try {
      const result = await transferOwnershipAction(organizationId, values);
      if (result.ok) {
        close();
        onDone();
      } else {
        setFormError(result.fieldErrors?.confirm ?? result.message);
      }
    } catch {
      setFormError("errors.internal");
    }
  };

  const confirmError = t.dynamic(errors.confirm?.message) || undefined;
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={open}
        aria-haspopup="dialog"
        aria-label={`${t("members.makeOwner")}: ${member.name}`}
        data-testid="transfer-ownership"
      >
        {t("members.makeOwner")}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        aria-describedby={textId}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
        onCancel={(e) => {
          if (isSubmitting) e.preventDefault();
        }}
      >
        <form onSubmit={(event) => form.handleSubmit(submit)(event)} noValidate className="flex flex-col gap-4 p-5 sm:p-6">
          <h2 id={titleId} className="text-lg font-semibold break-words text-slate-900">
            {t("members.transferTitle", { name: member.name })}
          </h2>
          <p id={textId} className="text-sm text-slate-600">
            {t("members.transferText", { name: member.name, organization: organizationName })}
          </p>
          <div className="flex flex-col gap-1">
            <label htmlFor={checkboxId} className="flex min-h-11 cursor-pointer items-start gap-3 text-sm font-medium text-slate-800">
              <input
                id={checkboxId}
                type="checkbox"
                className="mt-0.5 size-5 shrink-0 accent-brand-600"
                aria-invalid={confirmError ? true : undefined}
                aria-describedby={confirmError ? errorId : undefined}
                {...form.register("confirm")}
              />
              {t("members.transferCheckbox")}
            </label>
            {confirmError && (
              <p id={errorId} className="text-sm font-medium text-red-700">
                {confirmError}
              </p>
            )}
          </div>
          {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={close} disabled={isSubmitting}>
              {t("members.cancel")}
            </Button>
            <Button type="submit" variant="danger" pending={isSubmitting} data-testid="confirm-transfer">
              {t("members.transferConfirm")}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
