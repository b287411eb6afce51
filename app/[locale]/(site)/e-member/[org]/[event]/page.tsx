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
import { getOnlineUrlForParticipant, getPublicEvent } from "@/lib/public/queries";

// The members' twin of the cached event page: proxy.ts rewrites /e/<org>/<event> here when the request
// carries a session cookie. Rendered per request with the viewer: a private event is shown to members
// of its group (and the organization's staff) and is a 404 for everyone else; a registered participant
// also sees the online link. Same page component as the cached route.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; org: string; event: string }> };

const load = cache(async (organizationSlug: string, slug: string) => {
  const user = await getCurrentUser();
  try {
    const event = await getPublicEvent({ organizationSlug, slug, viewerId: user?.id ?? null });
    const onlineUrl = event.locationType === "OFFLINE" ? null : await getOnlineUrlForParticipant({ eventId: event.id, viewerId: user?.id });
    return { event, onlineUrl };
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
  const { event, onlineUrl } = await load(org, slug);
  return <PublicEventPage event={event} locale={locale} t={translatorFor(locale)} baseUrl={absoluteBase(env().APP_URL)} onlineUrl={onlineUrl} now={new Date()} />;
}
