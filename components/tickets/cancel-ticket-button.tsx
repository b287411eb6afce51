"use client";
// "Cancel registration" with a confirmation dialog; the seat returns (to the waitlist first). The
// Idempotency-Key is made once per dialog, so a double tap cancels once and answers the same.
// A paid registration's dialog says exactly what comes back under the event's refund policy (the
// server's preview, the same computation the cancellation runs) before the participant confirms.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { cancelMyTicketAction, previewMyCancellationAction } from "@/lib/registrations/actions/my-tickets";
import { cancelGuestTicketAction, previewGuestCancellationAction } from "@/lib/registrations/actions/guest-ticket";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { newIdempotencyKey } from "@/components/registrations/idempotency-key";
import { registrationMessage } from "@/components/registrations/messages";
import type { ActionResult } from "@/lib/errors";
import type { CancellationPreview } from "@/lib/registrations/cancel";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatDate } from "@/lib/i18n/format/date";
import { formatMoney } from "@/lib/i18n/format/money";

export type CancelTarget = { kind: "user"; registrationId: string } | { kind: "guest"; token: string };

export function CancelTicketButton({ target, paid }: { target: CancelTarget; paid: boolean }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const [key, setKey] = useState(newIdempotencyKey);
  const [preview, setPreview] = useState<CancellationPreview | null>(null);
  const targetId = target.kind === "user" ? target.registrationId : target.token;

  useEffect(() => {
    if (!paid) return;
    let live = true;
    const load =
      target.kind === "user" ? previewMyCancellationAction({ registrationId: target.registrationId }) : previewGuestCancellationAction({ token: target.token });
    load.then(
      (result) => {
        if (live && result.ok) setPreview(result.preview);
      },
      () => {},
    );
    return () => {
      live = false;
    };
    // targetId stands for the target's identity
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paid, targetId]);

  const onConfirm = async (): Promise<ActionResult> => {
    const result =
      target.kind === "user"
        ? await cancelMyTicketAction({ registrationId: target.registrationId, idempotencyKey: key })
        : await cancelGuestTicketAction({ token: target.token, idempotencyKey: key });
    if (result.ok) return result;
    // The dialog shows the message; the area's error keys are resolved here.
    return { ...result, message: registrationMessage(t, result.message) };
  };

  const refundLines = () => {
    if (!paid) return null;
    if (!preview) return <p className="mt-2">{t("registrations.ticket.cancelPaidText")}</p>;
    if (!preview.refunds.length) {
      return (
        <p className="mt-2 font-medium text-slate-800" data-testid="cancel-refund-preview">
          {preview.paidCents > 0
            ? t("refunds.cancel.afterCutoff", { cutoff: formatDate(preview.cutoff, locale, "dayMonthYearTime", { timeZone: preview.timezone }) })
            : t("refunds.cancel.nothing")}
        </p>
      );
    }
    const perCurrency = new Map<string, number>();
    for (const r of preview.refunds) perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0) + r.amountCents);
    const amount = [...perCurrency].map(([currency, cents]) => formatMoney(cents, currency, locale)).join(" + ");
    return (
      <div className="mt-2 flex flex-col gap-1" data-testid="cancel-refund-preview">
        <p className="font-medium text-slate-800">{t("refunds.cancel.willRefund", { amount })}</p>
        {preview.percent < 100 && <p>{t("refunds.cancel.partial", { percent: preview.percent })}</p>}
        <p>{preview.refunds.some((r) => r.manual) ? t("refunds.cancel.byHand") : t("refunds.cancel.online")}</p>
      </div>
    );
  };

  return (
    <ConfirmDialog
      triggerLabel={t("registrations.ticket.cancel")}
      triggerVariant="secondary"
      triggerSize="md"
      triggerTestId="cancel-registration"
      title={t("registrations.ticket.cancelTitle")}
      description={
        <>
          <p>{t("registrations.ticket.cancelText")}</p>
          {refundLines()}
        </>
      }
      confirmLabel={t("registrations.ticket.cancelConfirm")}
      cancelLabel={t("registrations.ticket.keep")}
      onConfirm={onConfirm}
      onDone={() => {
        setKey(newIdempotencyKey());
        router.refresh();
      }}
    />
  );
}
