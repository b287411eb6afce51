// A ticket in "My tickets": event, date, type, status, and a QR thumbnail (CONFIRMED / CHECKED_IN) that
// opens the full ticket. The whole card is one link (one tab stop).
import Link from "next/link";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import type { TicketListItem } from "@/lib/registrations/queries";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "./format";
import { statusTone } from "./ticket-details";
import { TicketQr } from "./ticket-qr";

export function TicketCard({ ticket, locale, t }: { ticket: TicketListItem; locale: Locale; t: Translator }) {
  const e = ticket.event;
  // Awaiting payment: the card leads to the ticket's Pay button (components/payments/payment-panel.tsx).
  const awaitingPayment = (ticket.status === "RESERVED" || ticket.status === "PENDING") && ticket.priceCents > 0;
  return (
    <li>
      <Link
        href={`/dashboard/tickets/${ticket.id}`}
        className="flex items-center gap-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm hover:border-slate-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        data-testid="ticket-card"
      >
        <span className="flex min-w-0 flex-1 flex-col gap-1">
          <span className="break-words font-semibold text-slate-900">{e.title}</span>
          <span className="text-sm text-slate-600">{formatDateTime(e.startsAt, e.timezone, locale)}</span>
          <span className="text-sm text-slate-600">{ticket.ticketTypeName}</span>
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={statusTone(ticket.status)}>{t(`registrations.status.${ticket.status}`)}</Badge>
            {ticket.status === "RESERVED" && ticket.expiresAt && (
              <span className="text-xs text-slate-600">{t("registrations.myTickets.payBy", { date: formatDateTime(ticket.expiresAt, e.timezone, locale) })}</span>
            )}
          </span>
        </span>
        {ticket.qrPayload ? (
          <span className="flex shrink-0 flex-col items-center gap-1">
            <TicketQr payload={ticket.qrPayload} label={t("registrations.ticket.qrLabel", { code: ticket.confirmationCode })} size={72} />
            <span className="text-xs font-medium text-brand-700">{t("registrations.myTickets.showQr")}</span>
          </span>
        ) : (
          <span className="shrink-0 text-sm font-medium text-brand-700" data-testid={awaitingPayment ? "ticket-card-pay" : undefined}>
            {awaitingPayment ? t("pay.payNow") : t("registrations.myTickets.open")}
          </span>
        )}
      </Link>
    </li>
  );
}
