import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { PublicEventPage } from "@/components/public/event-page";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { eventMetadata } from "@/lib/public/event-metadata";
import { absoluteBase } from "@/lib/public/format";
import { actorOf } from "@/lib/permissions";
import { getOnlineUrlForParticipant, getPublicEvent } from "@/lib/public/queries";
import { waitlistClaimToken } from "@/lib/registrations/tokens";
import { getMyWaitlistEntry } from "@/lib/waitlist";
import type { LiveViewer } from "@/components/public/live-tickets";

// The members' twin of the cached event page: proxy.ts rewrites /e/<org>/<event> here when the request
// carries a session cookie. Rendered per request with the viewer: a private event is shown to members
// of its group (and the organization's staff) and is a 404 for everyone else; a registered participant
// also sees the online link, and a signed-in visitor joins the waitlist of a sold-out type in one tap
// (and sees their place in it). Same page component as the cached route.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; org: string; event: string }> };

const load = cache(async (organizationSlug: string, slug: string) => {
  const user = await getCurrentUser();
  try {
    const event = await getPublicEvent({ organizationSlug, slug, viewerId: user?.id ?? null });
    const [onlineUrl, entry] = await Promise.all([
      event.locationType === "OFFLINE" ? null : getOnlineUrlForParticipant({ eventId: event.id, viewerId: user?.id }),
      user ? getMyWaitlistEntry({ actor: actorOf(user), eventId: event.id }) : null,
    ]);
    // A cookie without a live session is an anonymous visitor: the waitlist button signs in first.
    const viewer: LiveViewer | null = user
      ? {
          waitlist: entry && {
            ticketTypeId: entry.ticketTypeId,
            position: entry.position,
            ahead: entry.ahead,
            offer: entry.offer ? { claimPath: `/waitlist/claim/${entry.entryId}?t=${waitlistClaimToken(entry.entryId)}` } : null,
          },
        }
      : null;
    return { event, onlineUrl, viewer };
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, org, event } = await params;
  return eventMetadata((await load(org, event)).event, absoluteBase(env().APP_URL), locale);
}

export default async function MemberEventPage({ params }: Props) {
  const { locale, org, event: slug } = await params;
  if (!isLocale(locale)) notFound();
  const { event, onlineUrl, viewer } = await load(org, slug);
  return (
    <PublicEventPage event={event} locale={locale} t={translatorFor(locale)} baseUrl={absoluteBase(env().APP_URL)} onlineUrl={onlineUrl} viewer={viewer} now={new Date()} />
  );
}
