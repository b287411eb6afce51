// /dashboard/o/<slug>/events/<eventId>/registrations — the organizer's registrations of one event
// (issue #6 item 8). The filters live in the URL (?q=&status=&ticketType=&page=), so a view is a link.
// The services authorize (`registrations.view`, the event must belong to the organization of the URL);
// anything the user may not see is a 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RegistrationsView, viewHref } from "@/components/registrations-admin/registrations-view";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";
import { countRegistrationsByStatus, listEventRegistrations, parseRegistrationSearchParams } from "@/lib/registrations/admin";

type Props = {
  params: Promise<{ slug: string; eventId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("registrationsAdmin.title") };
}

// The event's layout (events area) shows its title, status, back link and tabs around this page.
export default async function EventRegistrationsPage({ params, searchParams }: Props) {
  const [{ slug, eventId }, raw] = await Promise.all([params, searchParams]);
  const { page, ...filters } = parseRegistrationSearchParams(raw);
  const eventPath = `/dashboard/o/${encodeURIComponent(slug)}/events/${encodeURIComponent(eventId)}`;
  const path = `${eventPath}/registrations`;
  const user = await requirePageUser(viewHref(path, { ...filters, page }));
  const actor = actorOf(user);
  const [t, locale] = await Promise.all([getT(), getLocale()]);

  let list, counts;
  try {
    [list, counts] = await Promise.all([
      listEventRegistrations({ actor, organizationSlug: slug, eventId, ...filters, page }),
      countRegistrationsByStatus({ actor, organizationSlug: slug, eventId, ...filters }),
    ]);
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }

  return (
    <RegistrationsView
      list={list}
      counts={counts}
      filters={filters}
      path={path}
      csvHref={viewHref(`/api/events/${encodeURIComponent(list.event.id)}/registrations.csv`, filters)}
      locale={locale}
      t={t}
    />
  );
}
