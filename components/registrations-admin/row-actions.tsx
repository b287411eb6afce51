"use client";
// The row actions of the organizer's registrations view:
// - cancel (RESERVED / PENDING / CONFIRMED): a dialog with a required reason (react-hook-form + zod);
// - mark paid (RESERVED inside its window, PENDING): shows the amount due from the server — the full
//   price, or the prepayment share with the full price as the other choice — and records it;
// - record the rest (a PARTIAL prepayment): shows the remaining amount and records it.
// Each dialog makes one Idempotency-Key (a v4 UUID) when it opens and sends it with the submission,
// so a double tap or a retry after a lost answer returns the first result; a new key after success.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import { useForm } from "react-hook-form";
import {
  cancelRegistrationAction,
  markPaidAction,
  recordRemainingPaymentAction,
} from "@/lib/registrations/actions/admin";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useLocale, useT } from "@/lib/i18n/client";
import { ActionDialog } from "./action-dialog";
import { PaymentsDialog } from "./payments-dialog";
import { formatMoney } from "./format";
import { serverMessage } from "./messages";
import { useNotice } from "./notice";
import { CANCEL_REASON_MAX, cancelFormSchema, type CancelFormValues } from "@/lib/validation/registrations-admin";

export type RowActionsView = {
  id: string;
  code: string;
  name: string;
  status: "RESERVED" | "PENDING" | "CONFIRMED" | "CHECKED_IN" | "CANCELLED" | "EXPIRED";
  expired: boolean;
  currency: string;
  paidCents: number;
  amountDue: { kind: "FULL" | "PREPAYMENT"; amountCents: number; remainingCents: number; fullPriceCents: number } | null;
  prepayment: { status: "PARTIAL" | "COMPLETED"; prepaidCents: number; remainingCents: number } | null;
  /** A paid registration: its payments and refunds open in a dialog (./payments-dialog.tsx). */
  hasPayments?: boolean;
};

function newKey(): string {
  return globalThis.crypto.randomUUID();
}

export function RowActions({ row, layout = "row" }: { row: RowActionsView; layout?: "row" | "card" }) {
  const canCancel = row.status === "RESERVED" || row.status === "PENDING" || row.status === "CONFIRMED";
  const canPay = row.amountDue !== null;
  const canRecordRest = row.prepayment?.status === "PARTIAL" && (row.status === "CONFIRMED" || row.status === "CHECKED_IN");
  const canSeePayments = row.hasPayments === true;
  if (!canCancel && !canPay && !canRecordRest && !canSeePayments) return null;
  return (
    <div className={cn("flex gap-2", layout === "row" ? "flex-col items-stretch" : "flex-wrap")}>
      {canPay && <MarkPaidDialog row={row} />}
      {canRecordRest && <RecordRestDialog row={row} />}
      {canSeePayments && <PaymentsDialog registrationId={row.id} name={row.name} code={row.code} />}
      {canCancel && <CancelDialog row={row} />}
    </div>
  );
}

/** Opens/closes a dialog and keeps one idempotency key per submission. */
function useDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const key = useRef<string | null>(null);
  return {
    ref,
    open: () => {
      key.current ??= newKey();
      ref.current?.showModal();
    },
    close: () => ref.current?.close(),
    key: () => (key.current ??= newKey()),
    /** After a success: the next submission is a new request. */
    rotate: () => {
      key.current = null;
    },
  };
}

function CancelDialog({ row }: { row: RowActionsView }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const notice = useNotice();
  const dialog = useDialog();
  const reasonId = useId();
  const hintId = useId();
  const errorId = useId();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CancelFormValues>({ resolver: zodResolver(cancelFormSchema), defaultValues: { reason: "" } });
  const { errors, isSubmitting } = form.formState;

  const submit = async (values: CancelFormValues) => {
    setFormError(null);
    try {
      const result = await cancelRegistrationAction({ registrationId: row.id, reason: values.reason, idempotencyKey: dialog.key() });
      if (result.ok) {
        dialog.rotate();
        dialog.close();
        form.reset({ reason: "" });
        notice.show(t("registrationsAdmin.cancelDialog.done", { code: row.code }));
        router.refresh();
      } else if (!applyServerFieldErrors(result.fieldErrors, ["reason"], form.setError)) {
        setFormError(result.message);
      }
    } catch {
      setFormError("errors.internal");
    }
  };

  const reasonError = errors.reason?.message ? serverMessage(t, errors.reason.message) : undefined;
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        aria-haspopup="dialog"
        aria-label={`${t("registrationsAdmin.actions.cancel")}: ${row.name} (${row.code})`}
        data-testid="cancel-registration"
        onClick={() => {
          setFormError(null);
          dialog.open();
        }}
      >
        {t("registrationsAdmin.actions.cancel")}
      </Button>
      <ActionDialog
        dialogRef={dialog.ref}
        testId="cancel-dialog"
        busy={isSubmitting}
        title={t("registrationsAdmin.cancelDialog.title", { name: row.name })}
        description={
          <>
            <p>{t("registrationsAdmin.cancelDialog.text")}</p>
            {row.paidCents > 0 && <p className="font-medium text-slate-800">{t("registrationsAdmin.cancelDialog.paidNote", { amount: formatMoney(row.paidCents, row.currency, locale) })}</p>}
          </>
        }
        onSubmit={(event) => form.handleSubmit(submit)(event)}
      >
        <div className="flex flex-col gap-1.5">
          <label htmlFor={reasonId} className="text-sm font-medium text-slate-800">
            {t("registrationsAdmin.cancelDialog.reason")}
          </label>
          <textarea
            id={reasonId}
            rows={3}
            maxLength={CANCEL_REASON_MAX + 50}
            aria-required="true"
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? errorId : hintId}
            className="block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-500/40 aria-invalid:border-red-600"
            {...form.register("reason")}
          />
          {reasonError ? (
            <p id={errorId} className="text-sm font-medium text-red-700" data-field-error>
              {reasonError}
            </p>
          ) : (
            <p id={hintId} className="text-sm text-slate-500">
              {t("registrationsAdmin.cancelDialog.reasonHint")}
            </p>
          )}
        </div>
        {formError && <Alert variant="error">{serverMessage(t, formError)}</Alert>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={dialog.close} disabled={isSubmitting}>
            {t("registrationsAdmin.cancelDialog.keep")}
          </Button>
          <Button type="submit" variant="danger" pending={isSubmitting} data-testid="confirm-cancel">
            {t("registrationsAdmin.cancelDialog.confirm")}
          </Button>
        </div>
      </ActionDialog>
    </>
  );
}

function MarkPaidDialog({ row }: { row: RowActionsView }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const notice = useNotice();
  const dialog = useDialog();
  const groupId = useId();
  const due = row.amountDue!;
  const [amountCents, setAmountCents] = useState(due.amountCents);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const money = (cents: number) => formatMoney(cents, row.currency, locale);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFormError(null);
    try {
      const result = await markPaidAction({ registrationId: row.id, amountCents, idempotencyKey: dialog.key() });
      if (result.ok) {
        dialog.rotate();
        dialog.close();
        notice.show(t("registrationsAdmin.payDialog.done", { amount: formatMoney(result.amountCents, result.currency, locale), code: row.code }));
        router.refresh();
      } else {
        setFormError(Object.values(result.fieldErrors ?? {})[0] ?? result.message);
      }
    } catch {
      setFormError("errors.internal");
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        size="sm"
        aria-haspopup="dialog"
        aria-label={`${t("registrationsAdmin.actions.markPaid")}: ${row.name} (${row.code})`}
        data-testid="mark-paid"
        onClick={() => {
          setFormError(null);
          setAmountCents(due.amountCents);
          dialog.open();
        }}
      >
        {t("registrationsAdmin.actions.markPaid")}
      </Button>
      <ActionDialog
        dialogRef={dialog.ref}
        testId="pay-dialog"
        busy={busy}
        title={t("registrationsAdmin.payDialog.title", { name: row.name })}
        description={<p>{t("registrationsAdmin.payDialog.text")}</p>}
        onSubmit={submit}
      >
        {due.kind === "PREPAYMENT" ? (
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium text-slate-800">{t("registrationsAdmin.payDialog.amountLegend")}</legend>
            {[
              { value: due.amountCents, label: t("registrationsAdmin.payDialog.optionPrepayment", { amount: money(due.amountCents), remaining: money(due.remainingCents) }) },
              { value: due.fullPriceCents, label: t("registrationsAdmin.payDialog.optionFull", { amount: money(due.fullPriceCents) }) },
            ].map((option) => (
              <label key={option.value} className="flex min-h-11 cursor-pointer items-center gap-3 rounded-xl border border-slate-200 px-3 text-sm text-slate-800">
                <input
                  type="radio"
                  name={`${groupId}-amount`}
                  className="size-5 shrink-0 accent-brand-600"
                  checked={amountCents === option.value}
                  onChange={() => setAmountCents(option.value)}
                />
                {option.label}
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="flex items-baseline justify-between gap-3 rounded-xl bg-slate-50 px-4 py-3">
            <span className="text-sm text-slate-600">{t("registrationsAdmin.payDialog.amountDue")}</span>
            <span className="text-lg font-semibold text-slate-900" data-testid="amount-due">
              {money(due.amountCents)}
            </span>
          </p>
        )}
        {formError && <Alert variant="error">{serverMessage(t, formError)}</Alert>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={dialog.close} disabled={busy}>
            {t("registrationsAdmin.payDialog.cancel")}
          </Button>
          <Button type="submit" pending={busy} data-testid="confirm-paid">
            {t("registrationsAdmin.payDialog.confirm", { amount: money(amountCents) })}
          </Button>
        </div>
      </ActionDialog>
    </>
  );
}

function RecordRestDialog({ row }: { row: RowActionsView }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const notice = useNotice();
  const dialog = useDialog();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const prepayment = row.prepayment!;
  const money = (cents: number) => formatMoney(cents, row.currency, locale);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFormError(null);
    try {
      const result = await recordRemainingPaymentAction({ registrationId: row.id, idempotencyKey: dialog.key() });
      if (result.ok) {
        dialog.rotate();
        dialog.close();
        notice.show(t("registrationsAdmin.remainingDialog.done", { amount: formatMoney(result.amountCents, result.currency, locale), code: row.code }));
        router.refresh();
      } else {
        setFormError(Object.values(result.fieldErrors ?? {})[0] ?? result.message);
      }
    } catch {
      setFormError("errors.internal");
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        size="sm"
        aria-haspopup="dialog"
        aria-label={`${t("registrationsAdmin.actions.recordRemaining")}: ${row.name} (${row.code})`}
        data-testid="record-remaining"
        onClick={() => {
          setFormError(null);
          dialog.open();
        }}
      >
        {t("registrationsAdmin.actions.recordRemaining")}
      </Button>
      <ActionDialog
        dialogRef={dialog.ref}
        testId="remaining-dialog"
        busy={busy}
        title={t("registrationsAdmin.remainingDialog.title", { name: row.name })}
        description={<p>{t("registrationsAdmin.remainingDialog.text", { prepaid: money(prepayment.prepaidCents) })}</p>}
        onSubmit={submit}
      >
        <p className="flex items-baseline justify-between gap-3 rounded-xl bg-slate-50 px-4 py-3">
          <span className="text-sm text-slate-600">{t("registrationsAdmin.remainingDialog.amount")}</span>
          <span className="text-lg font-semibold text-slate-900">{money(prepayment.remainingCents)}</span>
        </p>
        {formError && <Alert variant="error">{serverMessage(t, formError)}</Alert>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={dialog.close} disabled={busy}>
            {t("registrationsAdmin.remainingDialog.cancel")}
          </Button>
          <Button type="submit" pending={busy} data-testid="confirm-remaining">
            {t("registrationsAdmin.remainingDialog.confirm", { amount: money(prepayment.remainingCents) })}
          </Button>
        </div>
      </ActionDialog>
    </>
  );
}
