// /dashboard/tickets/<registrationId>: the signed-in participant's own ticket. Another person's
// registration id is "not found" (lib/registrations/queries.ts).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PaymentPanel } from "@/components/payments/payment-panel";
import { TicketDetails } from "@/components/tickets/ticket-details";
import { ticketLinks } from "@/components/tickets/ticket-links";
import { requirePageUser } from "@/lib/identity/guards";
import { isLocale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import { getTicketPayments } from "@/lib/payments";
import { actorOf } from "@/lib/permissions";
import { getMyTicket } from "@/lib/registrations/queries";

type Props = {
  params: Promise<{ locale: string; registrationId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

async function load(params: Props["params"]) {
  const { registrationId } = await params;
  const user = await requirePageUser(`/dashboard/tickets/${encodeURIComponent(registrationId)}`);
  return getMyTicket({ actor: actorOf(user)!, registrationId });
}

async function loadPayments(params: Props["params"]) {
  const { registrationId } = await params;
  const user = await requirePageUser(`/dashboard/tickets/${encodeURIComponent(registrationId)}`);
  return getTicketPayments({ actor: actorOf(user), registrationId }).catch(() => null);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [t, ticket] = await Promise.all([getT(), load(params)]);
  return { title: ticket ? t("registrations.ticket.metaTitle", { event: ticket.event.title }) : t("registrations.ticket.title") };
}

export default async function TicketPage({ params, searchParams }: Props) {
  const [{ locale }, query, t, ticket] = await Promise.all([params, searchParams, getT(), load(params)]);
  if (!ticket) notFound();
  const payments = await loadPayments(params);
  const uiLocale = isLocale(locale) ? locale : "ru";
  const links = await ticketLinks(ticket, t("registrations.ticket.online"));
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-4">
      <nav>
        <Link href="/dashboard/tickets" className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 hover:underline">
          ← {t("registrations.ticket.allTickets")}
        </Link>
      </nav>
      <TicketDetails
        ticket={ticket}
        locale={uiLocale}
        links={links}
        cancelTarget={{ kind: "user", registrationId: ticket.id }}
        banner={query.new === "1" ? "new" : null}
        paysOnline={payments?.method === "online"}
        paymentPanel={payments && <PaymentPanel ticket={ticket} payments={payments} locale={uiLocale} />}
      />
    </div>
  );
}
