// One ticket, as its owner sees it (the signed-in participant's ticket page and a guest's private link):
// the event, type, status, confirmation code; the QR for CONFIRMED / CHECKED_IN; for RESERVED a live
// countdown to the payment deadline and how to pay; PENDING "awaiting payment"; add to calendar; open
// in Telegram; cancel until the event starts. Server component (the QR, countdown and cancel are client islands).
import Link from "next/link";
import type { ReactNode } from "react";
import type { Locale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import type { TicketView } from "@/lib/registrations/queries";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { CancelTicketButton, type CancelTarget } from "./cancel-ticket-button";
import { formatDateTime, formatPrice } from "./format";
import { ReservationCountdown } from "./reservation-countdown";
import { TicketQr } from "./ticket-qr";

export type TicketLinks = {
  eventPath: string;
  registerPath: string;
  calendar: { googleUrl: string; icsHref: string } | null;
  telegramHref: string | null;
};

export function statusTone(status: TicketView["status"]): "success" | "brand" | "neutral" {
  if (status === "CONFIRMED" || status === "CHECKED_IN") return "success";
  if (status === "RESERVED" || status === "PENDING") return "brand";
  return "neutral";
}

export async function TicketDetails({
  ticket,
  locale,
  links,
  cancelTarget,
  banner,
  paymentPanel,
  paysOnline = false,
}: {
  ticket: TicketView;
  locale: Locale;
  links: TicketLinks;
  cancelTarget: CancelTarget;
  banner?: "new" | null;
  /** The pay flow (components/payments/payment-panel.tsx): Pay, the remainder, the payments made. */
  paymentPanel?: ReactNode;
  /** The registration can be paid online (the payment panel's Pay): the texts say so instead of "pay the organizer". */
  paysOnline?: boolean;
}) {
  const t = await getT();
  const e = ticket.event;
  const when = formatDateTime(e.startsAt, e.timezone, locale);
  const holder = [ticket.firstName, ticket.lastName].filter(Boolean).join(" ");
  const price = ticket.priceCents === 0 ? t("registrations.register.free") : formatPrice(ticket.priceCents, ticket.currency, locale);
  const active = ticket.status === "CONFIRMED" || ticket.status === "CHECKED_IN" || ticket.status === "RESERVED" || ticket.status === "PENDING";

  return (
    <div className="flex flex-col gap-4">
      {banner === "new" && active && (
        <Alert variant="success">
          {ticket.status === "RESERVED"
            ? t("registrations.ticket.reservedBanner")
            : ticket.status === "PENDING"
              ? t("registrations.ticket.pendingBanner")
              : t("registrations.ticket.registeredBanner")}
        </Alert>
      )}

      <Card aria-labelledby="ticket-title" className="flex flex-col gap-5">
        <header className="flex flex-col gap-1">
          <p className="text-sm font-medium text-slate-500">{e.organizationName}</p>
          <h1 id="ticket-title" className="text-2xl font-bold text-slate-900">
            {e.title}
          </h1>
          <p data-testid="ticket-status" data-status={ticket.status}>
            <Badge tone={statusTone(ticket.status)} className="text-sm">
              {t(`registrations.status.${ticket.status}`)}
            </Badge>
          </p>
        </header>

        {ticket.qrPayload && (
          <div className="flex flex-col items-center gap-2 text-center">
            <TicketQr payload={ticket.qrPayload} label={t("registrations.ticket.qrLabel", { code: ticket.confirmationCode })} />
            <p className="text-sm text-slate-600">{ticket.status === "CHECKED_IN" ? t("registrations.ticket.checkedIn") : t("registrations.ticket.qrHint")}</p>
          </div>
        )}

        {ticket.status === "RESERVED" && ticket.expiresAt && (
          <section className="flex flex-col gap-2 rounded-xl border border-amber-200 bg-amber-50 p-4" aria-labelledby="reserved-title" data-testid="reservation">
            <h2 id="reserved-title" className="font-semibold text-slate-900">
              {t("registrations.ticket.reservedTitle", { date: formatDateTime(ticket.expiresAt, e.timezone, locale) })}
            </h2>
            <ReservationCountdown expiresAt={ticket.expiresAt.toISOString()} serverNow={ticket.now.toISOString()} />
            <p className="text-sm text-slate-700">{paysOnline ? t("registrations.ticket.payOnlineHint") : t("registrations.ticket.payInstructions", { code: ticket.confirmationCode })}</p>
          </section>
        )}

        {paymentPanel}

        {ticket.status === "PENDING" && (
          <Alert variant="info" title={t("registrations.ticket.pendingTitle")}>
            {paysOnline ? t("registrations.ticket.pendingOnlineText") : t("registrations.ticket.pendingText", { code: ticket.confirmationCode })}
          </Alert>
        )}

        {ticket.status === "EXPIRED" && (
          <Alert variant="error" title={t("registrations.ticket.expiredTitle")}>
            <p>{t("registrations.ticket.expiredText")}</p>
          </Alert>
        )}

        {ticket.status === "CANCELLED" && (
          <Alert variant="error" title={t("registrations.ticket.cancelledTitle")}>
            {ticket.cancelledByOrganizer && <p>{t("registrations.ticket.cancelledByOrganizer")}</p>}
            {ticket.cancellationReason && <p>{t("registrations.ticket.reason", { reason: ticket.cancellationReason })}</p>}
          </Alert>
        )}

        {ticket.prepayment?.status === "PARTIAL" && ticket.status === "CONFIRMED" && (
          <Alert variant="info">
            {t("registrations.ticket.prepaymentText", {
              amount: formatPrice(ticket.prepayment.remainingCents, ticket.currency, locale),
              date: formatDateTime(ticket.prepayment.dueDate, e.timezone, locale),
            })}
          </Alert>
        )}

        <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">{t("registrations.ticket.code")}</dt>
            <dd className="font-mono text-xl font-bold tracking-widest text-slate-900" data-testid="confirmation-code">
              {ticket.confirmationCode}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("registrations.ticket.type")}</dt>
            <dd className="font-medium text-slate-900">{ticket.ticketTypeName}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("registrations.ticket.when")}</dt>
            <dd className="text-slate-900">{when}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("registrations.ticket.where")}</dt>
            <dd className="break-words text-slate-900">{e.locationType === "ONLINE" ? t("registrations.ticket.online") : (e.locationAddress ?? "—")}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("registrations.ticket.holder")}</dt>
            <dd className="break-words text-slate-900">{holder}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("registrations.ticket.price")}</dt>
            <dd className="text-slate-900">
              {price}
              {ticket.paidCents > 0 && <span className="block text-slate-600">{t("registrations.ticket.paid", { amount: formatPrice(ticket.paidCents, ticket.currency, locale) })}</span>}
            </dd>
          </div>
        </dl>

        {active && (links.calendar || links.telegramHref) && (
          <div className="flex flex-col gap-2">
            {links.calendar && (
              <>
                <h2 className="text-sm font-semibold text-slate-900">{t("registrations.ticket.addToCalendar")}</h2>
                <div className="flex flex-col gap-2 sm:flex-row">
                  <a
                    href={links.calendar.googleUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50"
                  >
                    {t("registrations.ticket.googleCalendar")}
                  </a>
                  <a
                    href={links.calendar.icsHref}
                    download
                    className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50"
                  >
                    {t("registrations.ticket.icsFile")}
                  </a>
                </div>
              </>
            )}
            {links.telegramHref && (
              <a
                href={links.telegramHref}
                target="_blank"
                rel="noopener noreferrer"
                className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50"
                data-testid="open-in-telegram"
              >
                {t("registrations.ticket.openInTelegram")}
              </a>
            )}
          </div>
        )}

        <div className="flex flex-col gap-2 border-t border-slate-200 pt-4 sm:flex-row sm:flex-wrap">
          {ticket.canCancel && <CancelTicketButton target={cancelTarget} paid={ticket.paidCents > 0} />}
          {(ticket.status === "EXPIRED" || ticket.status === "CANCELLED") && e.status === "PUBLISHED" && (
            <LinkButton href={links.registerPath} variant="primary">
              {t("registrations.ticket.registerAgain")}
            </LinkButton>
          )}
          <Link href={links.eventPath} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 hover:underline">
            {t("registrations.ticket.eventPage")}
          </Link>
        </div>
      </Card>
    </div>
  );
}
