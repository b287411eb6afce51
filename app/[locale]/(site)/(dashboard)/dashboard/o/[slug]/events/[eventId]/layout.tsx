import type { ReactNode } from "react";
import Link from "next/link";
import { loadEventPage } from "@/components/events/event-loader";
import { EventStatusBadge } from "@/components/events/event-status-badge";
import { EventTabs, type EventTab } from "@/components/events/event-tabs";
import { formatEventRange } from "@/components/events/format";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { getLocale, getT } from "@/lib/i18n/server";

/**
 * Everything under /dashboard/o/<slug>/events/<eventId>: the event's title, status and tabs. The event
 * is authorized by the service here and again on every page and action.
 */
export default async function EventLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string; eventId: string }> }) {
  const { slug, eventId } = await params;
  const [{ event, base }, t, locale] = await Promise.all([loadEventPage(slug, eventId), getT(), getLocale()]);
  const tabs: EventTab[] = ["overview", "tickets", "registrations", "payments", "checkIn", "activity", "messages", "analytics"];
  // The events texts for the tabs and every page below (forms, ticket types, staff links).
  return (
    <I18nProvider locale={locale} messages={pick(locale, ["events", "messages.ui.tab", "analytics.nav"])}>
      <div className="flex flex-col gap-5">
        <Link href={`/dashboard/o/${encodeURIComponent(slug)}/events`} className="self-start text-sm font-medium text-brand-700 underline underline-offset-2">
          ← {t("events.ui.back")}
        </Link>
        <header className="flex flex-col gap-2">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h1 className="min-w-0 text-2xl font-bold break-words text-slate-900 sm:text-3xl" data-testid="event-title-heading">
              {event.title}
            </h1>
            <EventStatusBadge status={event.status} t={t} />
          </div>
          <p className="text-sm text-slate-600">
            <time dateTime={event.startsAt.toISOString()}>{formatEventRange(locale, event.startsAt, event.endsAt, event.timezone)}</time>
          </p>
        </header>
        <EventTabs base={base} tabs={tabs} />
        {children}
      </div>
    </I18nProvider>
  );
}
