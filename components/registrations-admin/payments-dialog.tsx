"use client";
// The payments of one registration for the organizer (registrations view → "Payments"): every payment
// with its refunds; "Refund" with an amount (default: what is left) and a reason; a failed refund shows
// its reason and "Retry"; a manual payment's pending refund shows "Mark returned". The list is read when
// the dialog opens and again after each action; each refund submission carries one Idempotency-Key.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useCallback, useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import type { RegistrationPaymentView } from "@/lib/payments/refunds";
import {
  markRefundReturnedAction,
  refundPaymentAction,
  registrationPaymentsAction,
  retryRefundAction,
} from "@/lib/payments/actions/refunds";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useLocale, useT } from "@/lib/i18n/client";
import { REFUND_REASON_MAX, refundFormSchema, type RefundFormOutput, type RefundFormValues } from "@/lib/validation/refunds";
import { formatMoney } from "./format";
import { serverMessage } from "./messages";
import { useNotice } from "./notice";

type Payment = RegistrationPaymentView;

const STATUS_TONE: Record<string, string> = {
  COMPLETED: "bg-emerald-50 text-emerald-800",
  PARTIALLY_REFUNDED: "bg-amber-50 text-amber-800",
  REFUNDED: "bg-slate-100 text-slate-700",
  FAILED: "bg-red-50 text-red-800",
  PENDING: "bg-sky-50 text-sky-800",
  PROCESSING: "bg-sky-50 text-sky-800",
};

function majorUnits(cents: number): string {
  return (cents / 100).toFixed(2).replace(/\.00$/, "");
}

export function PaymentsDialog({ registrationId, name, code }: { registrationId: string; name: string; code: string }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [payments, setPayments] = useState<Payment[] | null>(null);
  const [loadError, setLoadError] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setLoadError(false);
    try {
      const result = await registrationPaymentsAction({ registrationId });
      if (result.ok) setPayments(result.payments);
      else setLoadError(true);
    } catch {
      setLoadError(true);
    }
  }, [registrationId]);

  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        aria-haspopup="dialog"
        aria-label={t("refunds.ui.openLabel", { name, code })}
        data-testid="registration-payments"
        onClick={() => {
          setPayments(null);
          ref.current?.showModal();
          void load();
        }}
      >
        {t("refunds.ui.open")}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        data-testid="payments-dialog"
        className="m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg overflow-y-auto rounded-2xl border border-slate-200 bg-white p-0 text-left shadow-xl backdrop:bg-slate-900/40"
        onCancel={(e) => {
          if (busy) e.preventDefault();
        }}
      >
        <div className="flex flex-col gap-4 p-5 sm:p-6">
          <div className="flex items-start justify-between gap-3">
            <h2 id={titleId} className="text-lg font-semibold break-words text-slate-900">
              {t("refunds.ui.title", { name })}
            </h2>
            <Button size="sm" variant="secondary" onClick={() => ref.current?.close()} disabled={busy}>
              {t("refunds.ui.close")}
            </Button>
          </div>
          <p className="text-sm text-slate-600">{t("refunds.ui.text")}</p>
          {loadError ? (
            <Alert variant="error">
              <span className="flex flex-wrap items-center gap-3">
                {t("refunds.ui.loadError")}
                <Button size="sm" variant="secondary" onClick={() => void load()}>
                  {t("refunds.ui.retryLoad")}
                </Button>
              </span>
            </Alert>
          ) : payments === null ? (
            <p className="text-sm text-slate-500" role="status">
              {t("refunds.ui.loading")}
            </p>
          ) : payments.length === 0 ? (
            <p className="text-sm text-slate-500">{t("refunds.ui.empty")}</p>
          ) : (
            <ul className="flex flex-col gap-3">
              {payments.map((p) => (
                <PaymentCard key={p.id} payment={p} reload={load} setBusy={setBusy} />
              ))}
            </ul>
          )}
        </div>
      </dialog>
    </>
  );
}

function PaymentCard({ payment, reload, setBusy }: { payment: Payment; reload: () => Promise<void>; setBusy: (b: boolean) => void }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const notice = useNotice();
  const money = (cents: number) => formatMoney(cents, payment.currency, locale);
  const [rowError, setRowError] = useState<string | null>(null);
  const [pendingRefund, setPendingRefund] = useState<string | null>(null);
  const providerKey = `refunds.ui.provider.${payment.provider}`;

  const refundAction = async (refundId: string, kind: "retry" | "returned") => {
    setRowError(null);
    setPendingRefund(refundId);
    setBusy(true);
    try {
      const result = kind === "retry" ? await retryRefundAction({ refundId }) : await markRefundReturnedAction({ refundId });
      if (result.ok) {
        notice.show(t(kind === "retry" ? "refunds.ui.retryDone" : "refunds.ui.markReturnedDone"));
        await reload();
        router.refresh();
      } else {
        setRowError(result.message);
      }
    } catch {
      setRowError("errors.internal");
    } finally {
      setPendingRefund(null);
      setBusy(false);
    }
  };

  return (
    <li className="flex flex-col gap-3 rounded-xl border border-slate-200 p-3" data-testid="payment-card" data-payment-id={payment.id}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-base font-semibold text-slate-900">{money(payment.amountCents)}</span>
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${STATUS_TONE[payment.status] ?? ""}`} data-testid="payment-status">
          {t.dynamic(`refunds.ui.paymentStatus.${payment.status}`)}
        </span>
      </div>
      <dl className="grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-slate-500">{t("refunds.ui.method")}</dt>
          <dd className="font-medium text-slate-900">{t.has(providerKey) ? t.dynamic(providerKey) : payment.provider}</dd>
        </div>
        <div>
          <dt className="text-slate-500">{t("refunds.ui.refunded")}</dt>
          <dd className="font-medium text-slate-900" data-testid="payment-refunded">
            {money(payment.refundedCents)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">{t("refunds.ui.refundable")}</dt>
          <dd className="font-medium text-slate-900" data-testid="payment-refundable">
            {money(payment.refundableCents)}
          </dd>
        </div>
      </dl>
      {payment.refunds.length > 0 && (
        <ul className="flex flex-col gap-2 border-t border-slate-100 pt-2">
          {payment.refunds.map((f) => (
            <li key={f.id} className="flex flex-col gap-1 text-sm" data-testid="refund-row" data-status={f.status}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="text-slate-900">
                  − {money(f.amountCents)}
                  {f.reason ? <span className="text-slate-500"> · {f.reason}</span> : null}
                </span>
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_TONE[f.status] ?? ""}`}>{t.dynamic(`refunds.ui.refundStatus.${f.status}`)}</span>
              </div>
              {f.status === "FAILED" && f.failureReason && <p className="text-red-700">{t("refunds.ui.failedReason", { reason: f.failureReason })}</p>}
              {f.status === "FAILED" &&
                (f.retried ? (
                  <p className="text-slate-500">{t("refunds.ui.retried")}</p>
                ) : (
                  <Button size="sm" variant="secondary" pending={pendingRefund === f.id} onClick={() => void refundAction(f.id, "retry")} data-testid="retry-refund">
                    {t("refunds.ui.retry")}
                  </Button>
                ))}
              {f.status === "PENDING" && payment.provider === "manual" && (
                <div className="flex flex-col gap-1">
                  <p className="text-slate-600">{t("refunds.ui.manualPending")}</p>
                  <Button size="sm" pending={pendingRefund === f.id} onClick={() => void refundAction(f.id, "returned")} data-testid="mark-refund-returned">
                    {t("refunds.ui.markReturned")}
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {rowError && <Alert variant="error">{serverMessage(t, rowError)}</Alert>}
      {payment.refundableCents > 0 && <RefundForm payment={payment} reload={reload} setBusy={setBusy} />}
    </li>
  );
}

function RefundForm({ payment, reload, setBusy }: { payment: Payment; reload: () => Promise<void>; setBusy: (b: boolean) => void }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const notice = useNotice();
  const amountId = useId();
  const reasonId = useId();
  const key = useRef<string | null>(null);
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RefundFormValues, unknown, RefundFormOutput>({
    resolver: zodResolver(refundFormSchema),
    defaultValues: { amount: majorUnits(payment.refundableCents), reason: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const money = (cents: number) => formatMoney(cents, payment.currency, locale);

  const submit = async (parsed: RefundFormOutput) => {
    setFormError(null);
    setBusy(true);
    key.current ??= globalThis.crypto.randomUUID();
    try {
      const result = await refundPaymentAction({ paymentId: payment.id, amountCents: parsed.amount, reason: parsed.reason, idempotencyKey: key.current });
      if (result.ok) {
        key.current = null;
        notice.show(t("refunds.ui.refundDone", { amount: money(parsed.amount) }));
        setOpen(false);
        await reload();
        router.refresh();
      } else {
        const fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors ?? {}).map(([k, v]) => [k === "amountCents" ? "amount" : k, v]));
        if (!applyServerFieldErrors(fieldErrors, ["amount", "reason"], form.setError)) setFormError(result.message);
      }
    } catch {
      setFormError("errors.internal");
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <Button
        size="sm"
        variant="secondary"
        data-testid="open-refund"
        onClick={() => {
          form.reset({ amount: majorUnits(payment.refundableCents), reason: "" });
          setFormError(null);
          setOpen(true);
        }}
      >
        {t("refunds.ui.refund")}
      </Button>
    );
  }

  const amountError = errors.amount?.message ? serverMessage(t, errors.amount.message) : undefined;
  const reasonError = errors.reason?.message ? serverMessage(t, errors.reason.message) : undefined;
  const input =
    "block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-500/40 aria-invalid:border-red-600";
  return (
    <form onSubmit={(e) => void form.handleSubmit(submit)(e)} noValidate className="flex flex-col gap-3 border-t border-slate-100 pt-3" data-testid="refund-form">
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-semibold text-slate-800">{t("refunds.ui.refundLegend")}</legend>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={amountId} className="text-sm font-medium text-slate-800">
            {t("refunds.ui.amount")} ({payment.currency})
          </label>
          <input id={amountId} inputMode="decimal" autoComplete="off" aria-invalid={amountError ? true : undefined} className={input} data-testid="refund-amount" {...form.register("amount")} />
          <p className={amountError ? "text-sm font-medium text-red-700" : "text-sm text-slate-500"} data-field-error={amountError ? true : undefined}>
            {amountError ?? t("refunds.ui.amountHint", { amount: money(payment.refundableCents) })}
          </p>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={reasonId} className="text-sm font-medium text-slate-800">
            {t("refunds.ui.reason")}
          </label>
          <input id={reasonId} maxLength={REFUND_REASON_MAX + 20} aria-invalid={reasonError ? true : undefined} className={input} data-testid="refund-reason" {...form.register("reason")} />
          <p className={reasonError ? "text-sm font-medium text-red-700" : "text-sm text-slate-500"}>{reasonError ?? t("refunds.ui.reasonHint")}</p>
        </div>
      </fieldset>
      {formError && <Alert variant="error">{serverMessage(t, formError)}</Alert>}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={isSubmitting}>
          {t("refunds.ui.close")}
        </Button>
        <Button type="submit" variant="danger" pending={isSubmitting} data-testid="confirm-refund">
          {t("refunds.ui.refund")}
        </Button>
      </div>
    </form>
  );
}
