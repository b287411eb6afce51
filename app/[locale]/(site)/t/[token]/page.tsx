// /t/<token>: a guest's private ticket link (no account). The token's SHA-256 finds the registration;
// anything else is "not found". Never indexed, never cached.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PaymentPanel } from "@/components/payments/payment-panel";
import { TicketDetails } from "@/components/tickets/ticket-details";
import { ticketLinks } from "@/components/tickets/ticket-links";
import { Alert } from "@/components/ui/alert";
import { isLocale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import { getTicketPayments } from "@/lib/payments";
import { getGuestTicket } from "@/lib/registrations/queries";

type Props = { params: Promise<{ locale: string; token: string }> };

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const [t, ticket] = await Promise.all([getT(), getGuestTicket({ token })]);
  return {
    title: ticket ? t("registrations.ticket.metaTitle", { event: ticket.event.title }) : t("registrations.ticket.title"),
    robots: { index: false, follow: false },
    referrer: "no-referrer",
  };
}

export default async function GuestTicketPage({ params }: Props) {
  const { locale, token } = await params;
  const [t, ticket] = await Promise.all([getT(), getGuestTicket({ token })]);
  if (!ticket) notFound();
  const links = await ticketLinks(ticket, t("registrations.ticket.online"));
  const payments = await getTicketPayments({ guestToken: token, registrationId: ticket.id }).catch(() => null);
  const uiLocale = isLocale(locale) ? locale : "ru";
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-4 px-4 py-4 sm:py-8">
      <Alert variant="info">{t("registrations.ticket.guestNote")}</Alert>
      <TicketDetails
        ticket={ticket}
        locale={uiLocale}
        links={{ ...links, telegramHref: null /* the bot knows accounts, not guests */ }}
        cancelTarget={{ kind: "guest", token }}
        paysOnline={payments?.method === "online"}
        paymentPanel={payments && <PaymentPanel ticket={ticket} payments={payments} locale={uiLocale} token={token} />}
      />
    </div>
  );
}
