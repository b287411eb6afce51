// The payment part of a ticket (the signed-in ticket page and a guest's private link): "Pay" (and the
// deposit, when the type takes one) while the registration awaits payment, "Continue payment" for an open
// checkout, the remainder with its due date, the organizer's instructions when payment is by hand, and
// the payments made. Server component; the buttons are client islands.
import Link from "next/link";
import type { Locale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import type { TicketPaymentsView } from "@/lib/payments";
import type { TicketView } from "@/lib/registrations/queries";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatPrice, formatShortDateTime } from "@/components/tickets/format";
import { PayButton } from "./pay-button";

export async function PaymentPanel({
  ticket,
  payments,
  locale,
  token,
}: {
  ticket: TicketView;
  payments: TicketPaymentsView;
  locale: Locale;
  /** A guest's private ticket-link token (the credential of the Pay action). */
  token?: string | null;
}) {
  const t = await getT();
  const awaiting = ticket.status === "RESERVED" || ticket.status === "PENDING";
  const remainder = ticket.status === "CONFIRMED" || ticket.status === "CHECKED_IN" ? ticket.prepayment : null;
  const owesRemainder = remainder?.status === "PARTIAL" && remainder.remainingCents > 0;
  if (ticket.priceCents === 0 || (!awaiting && !owesRemainder && payments.payments.length === 0)) return null;
  const money = (cents: number) => formatPrice(cents, ticket.currency, locale);

  return (
    <section className="flex flex-col gap-3 rounded-xl border border-slate-200 p-4" aria-labelledby="payment-title" data-testid="payment-panel">
      <h2 id="payment-title" className="font-semibold text-slate-900">
        {t("pay.title")}
      </h2>

      {payments.testMode && (awaiting || owesRemainder) && <Alert variant="info">{t("pay.testMode")}</Alert>}

      {owesRemainder && remainder && (
        <p className="text-sm text-slate-700" data-testid="remainder-due">
          {t("pay.remainderDue", { amount: money(remainder.remainingCents), date: formatDateTime(remainder.dueDate, ticket.event.timezone, locale) })}
        </p>
      )}

      {(awaiting || owesRemainder) && payments.open && (
        <div className="flex flex-col gap-2">
          {payments.open.checkoutUrl && (
            <a
              href={payments.open.checkoutUrl}
              className="inline-flex min-h-11 items-center justify-center rounded-xl bg-brand-600 px-4 font-medium text-white hover:bg-brand-700"
              data-testid="continue-payment"
            >
              {t("pay.continuePayment")}
            </a>
          )}
          <Link href={payments.open.returnPath} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 hover:underline">
            {t("pay.checkStatus")}
          </Link>
        </div>
      )}

      {(awaiting || owesRemainder) && !payments.open && payments.method === "online" && (
        <div className="flex flex-col gap-2">
          {awaiting && (
            <>
              <PayButton registrationId={ticket.id} token={token} purpose="full" label={t("pay.pay", { amount: money(payments.priceCents) })} testId="pay" />
              {payments.depositCents !== null && (
                <>
                  <p className="text-sm text-slate-600">{t("pay.depositNote")}</p>
                  <PayButton
                    registrationId={ticket.id}
                    token={token}
                    purpose="prepayment"
                    variant="secondary"
                    label={t("pay.payDeposit", { amount: money(payments.depositCents) })}
                    testId="pay-deposit"
                  />
                </>
              )}
              {ticket.status === "RESERVED" && <p className="text-sm text-slate-600">{t("pay.holdNote")}</p>}
            </>
          )}
          {owesRemainder && remainder && (
            <PayButton registrationId={ticket.id} token={token} purpose="remainder" label={t("pay.payRemainder", { amount: money(remainder.remainingCents) })} testId="pay-remainder" />
          )}
        </div>
      )}

      {(awaiting || owesRemainder) && !payments.open && payments.method === "manual" && (
        <Alert variant="info" title={t("pay.manualTitle")}>
          {payments.manualInstructions && <p className="whitespace-pre-line break-words">{payments.manualInstructions}</p>}
          <p>{t("pay.manualText", { code: ticket.confirmationCode })}</p>
        </Alert>
      )}

      {(awaiting || owesRemainder) && !payments.open && payments.method === "none" && <p className="text-sm text-slate-600">{t("pay.noMethod")}</p>}

      {payments.payments.length > 0 && (
        <div className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold text-slate-900">{t("pay.paymentsTitle")}</h3>
          <ul className="flex flex-col divide-y divide-slate-100 text-sm" data-testid="payments-list">
            {payments.payments.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-status={p.status}>
                <span className="text-slate-700">
                  {t.dynamic(`pay.kind.${p.kind}`)} · {formatShortDateTime(p.at, ticket.event.timezone, locale)}
                  {p.provider === "demo" && <span className="ml-1 text-slate-500">({t("pay.test")})</span>}
                </span>
                <span className="flex items-center gap-2">
                  <span className="font-medium text-slate-900">{formatPrice(p.amountCents, p.currency, locale)}</span>
                  <Badge tone={p.status === "COMPLETED" ? "success" : p.status === "FAILED" ? "neutral" : "brand"}>{t.dynamic(`pay.status.${p.status}`)}</Badge>
                </span>
                {p.refundedCents > 0 && <span className="w-full text-slate-500">{t("pay.refunded", { amount: formatPrice(p.refundedCents, p.currency, locale) })}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
