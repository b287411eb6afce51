// /dashboard/o/<slug>/events/<eventId>/attendees/print — the printable attendee list for the door
// (docs/analytics.md → "Exports"): everyone expected (CONFIRMED and CHECKED_IN) by last name, with a
// tick box, ticket type and code; a print stylesheet hides the dashboard around it. The service
// authorizes (`analytics.view`, the event must belong to the organization of the URL); anything the
// user may not see is a 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AttendeePrintList } from "@/components/analytics/attendee-print-list";
import { listAttendeesForPrint } from "@/lib/analytics";
import { attendeeListPath } from "@/lib/analytics/paths";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("analyticsExports.print.title") };
}

export default async function AttendeesPrintPage({ params }: Props) {
  const { slug, eventId } = await params;
  const user = await requirePageUser(attendeeListPath(slug, eventId));
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  let list;
  try {
    list = await listAttendeesForPrint({ actor: actorOf(user), eventId, organizationSlug: slug, locale });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  const backHref = `/dashboard/o/${encodeURIComponent(slug)}/events/${encodeURIComponent(eventId)}`;
  return <AttendeePrintList list={list} t={t} locale={locale} backHref={backHref} />;
}
