"use client";
// The return page's live state: polls GET /api/payments/<id>/status (TanStack Query, every 2 s while the
// payment is being processed; the route re-reads the provider at most every few seconds) and shows
// "Paid, here is your ticket" / "Still processing" / "Declined, try again" / "Paid after your hold
// ended: refunded" / "Being checked".
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatPrice } from "@/components/tickets/format";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/link-button";
import { useT } from "@/lib/i18n/client";
import type { Locale } from "@/lib/i18n/config";
import type { PaymentStatusView } from "@/lib/payments/status";

type View = Omit<PaymentStatusView, never>;

export function PaymentReturn(props: { initial: View; returnKey: string | null; locale: Locale }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 2, refetchOnWindowFocus: true } } }));
  return (
    <QueryClientProvider client={client}>
      <PaymentReturnView {...props} />
    </QueryClientProvider>
  );
}

function PaymentReturnView({ initial, returnKey, locale }: { initial: View; returnKey: string | null; locale: Locale }) {
  const t = useT();
  const query = useQuery({
    queryKey: ["payment-status", initial.paymentId],
    queryFn: async (): Promise<View> => {
      const url = `/api/payments/${initial.paymentId}/status${returnKey ? `?k=${encodeURIComponent(returnKey)}` : ""}`;
      const response = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
      if (!response.ok) throw new Error(`status ${response.status}`);
      return ((await response.json()) as { payment: View }).payment;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.state === "processing" ? 2000 : false),
  });
  const view = query.data ?? initial;
  const amount = formatPrice(view.amountCents, view.currency, locale);
  const ticketLink = view.ticketPath && (
    <LinkButton href={view.ticketPath} variant={view.state === "paid" ? "primary" : "secondary"} data-testid="open-ticket">
      {view.state === "paid" ? t("pay.return.showTicket") : t("pay.return.tryAgain")}
    </LinkButton>
  );

  return (
    <div className="flex flex-col gap-4" data-testid="payment-return" data-state={view.state}>
      <p className="text-sm text-slate-600">{view.eventTitle}</p>
      {view.testMode && <Alert variant="info">{t("pay.testMode")}</Alert>}
      {view.state === "paid" && (
        <Alert variant="success" title={t("pay.return.paid.title")}>
          {t("pay.return.paid.text")}
        </Alert>
      )}
      {view.state === "processing" && (
        <Alert variant="info" title={t("pay.return.processing.title")}>
          <p role="status" aria-live="polite">
            {t("pay.return.processing.text")}
          </p>
        </Alert>
      )}
      {view.state === "failed" && (
        <Alert variant="error" title={t("pay.return.failed.title")}>
          <p>{t("pay.return.failed.text")}</p>
          {view.failureReason && <p className="break-words">{t("pay.return.reason", { reason: view.failureReason })}</p>}
        </Alert>
      )}
      {view.state === "refunded" && (
        <Alert variant="error" title={t("pay.return.refunded.title")}>
          {t("pay.return.refunded.text")}
        </Alert>
      )}
      {view.state === "review" && (
        <Alert variant="info" title={t("pay.return.review.title")}>
          {t("pay.return.review.text")}
        </Alert>
      )}
      {query.isError && <p className="text-sm text-slate-600">{t("pay.return.error")}</p>}
      <p className="text-sm text-slate-700">{t("pay.return.amount", { amount })}</p>
      <div className="flex flex-col gap-2 sm:flex-row">
        {view.state === "processing" && view.checkoutUrl && (
          <a href={view.checkoutUrl} className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50">
            {t("pay.return.continue")}
          </a>
        )}
        {view.state !== "processing" && ticketLink}
        {view.state === "processing" && view.ticketPath && (
          <Link href={view.ticketPath} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 hover:underline">
            {t("pay.return.showTicket")}
          </Link>
        )}
      </div>
    </div>
  );
}
