// /dashboard/tickets?tab=upcoming|past|cancelled: the participant's tickets.
import type { Metadata } from "next";
import Link from "next/link";
import { TicketCard } from "@/components/tickets/ticket-card";
import { cn } from "@/components/ui/cn";
import { LinkButton } from "@/components/ui/link-button";
import { requirePageUser } from "@/lib/identity/guards";
import { isLocale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";
import { listMyTickets } from "@/lib/registrations/queries";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("registrations.myTickets.metaTitle") };
}

const TABS = ["upcoming", "past", "cancelled"] as const;
type Tab = (typeof TABS)[number];

type Props = {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function MyTicketsPage({ params, searchParams }: Props) {
  const user = await requirePageUser("/dashboard/tickets");
  const [{ locale: rawLocale }, query, t, tickets] = await Promise.all([params, searchParams, getT(), listMyTickets({ actor: actorOf(user)! })]);
  const locale = isLocale(rawLocale) ? rawLocale : "ru";
  const raw = Array.isArray(query.tab) ? query.tab[0] : query.tab;
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? "") ? (raw as Tab) : "upcoming";
  const list = tickets[tab];
  const empty = {
    upcoming: t("registrations.myTickets.emptyUpcoming"),
    past: t("registrations.myTickets.emptyPast"),
    cancelled: t("registrations.myTickets.emptyCancelled"),
  }[tab];

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("registrations.myTickets.title")}</h1>
        <p className="text-slate-600">{t("registrations.myTickets.subtitle")}</p>
      </header>

      <nav aria-label={t("registrations.myTickets.tabsLabel")}>
        <ul className="grid grid-cols-3 gap-1 rounded-xl bg-slate-100 p-1">
          {TABS.map((name) => (
            <li key={name}>
              <Link
                href={name === "upcoming" ? "/dashboard/tickets" : `/dashboard/tickets?tab=${name}`}
                aria-current={name === tab ? "page" : undefined}
                className={cn(
                  "flex min-h-11 items-center justify-center gap-1 rounded-lg px-2 text-center text-sm font-medium",
                  name === tab ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900",
                )}
                data-testid={`tickets-tab-${name}`}
              >
                {t(`registrations.myTickets.${name}`)}
                <span className="text-xs text-slate-500">{tickets[name].length}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {list.length === 0 ? (
        <div className="flex flex-col items-start gap-3 rounded-2xl border border-dashed border-slate-300 bg-white p-6">
          <p className="font-medium text-slate-900">{empty}</p>
          {tab === "upcoming" && (
            <>
              <p className="text-sm text-slate-600">{t("registrations.myTickets.emptyUpcomingHint")}</p>
              <LinkButton href="/events" variant="secondary">
                {t("registrations.myTickets.browse")}
              </LinkButton>
            </>
          )}
        </div>
      ) : (
        <ul className="flex flex-col gap-3" aria-label={t(`registrations.myTickets.${tab}`)}>
          {list.map((ticket) => (
            <TicketCard key={ticket.id} ticket={ticket} locale={locale} t={t} />
          ))}
        </ul>
      )}
    </div>
  );
}
