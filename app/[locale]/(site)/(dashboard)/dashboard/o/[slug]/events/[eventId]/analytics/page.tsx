// /dashboard/o/<slug>/events/<eventId>/analytics — the event's sales, funnel, attendance, money and
// exports (docs/analytics.md). `analytics.view` (owner and moderators); another organization's event,
// or an event not of the organization in the URL, is a 404 (the service says NOT_FOUND).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadEventPage } from "@/components/events/event-loader";
import { EventAnalyticsView } from "@/components/analytics/event-analytics-view";
import { eventAnalytics } from "@/lib/analytics";
import { eventAnalyticsPath } from "@/lib/analytics/paths";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("analytics.event.title") };
}

export default async function EventAnalyticsPage({ params }: Props) {
  const { slug, eventId } = await params;
  const user = await requirePageUser(eventAnalyticsPath(slug, eventId));
  const [{ event }, t, locale] = await Promise.all([loadEventPage(slug, eventId), getT(), getLocale()]);
  let data;
  try {
    data = await eventAnalytics({ actor: actorOf(user), eventId: event.id });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  return <EventAnalyticsView data={data} slug={slug} locale={locale} t={t} />;
}
