import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { PublicEventPage } from "@/components/public/event-page";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { eventMetadata } from "@/lib/public/event-metadata";
import { absoluteBase } from "@/lib/public/format";
import { getPublicEvent } from "@/lib/public/queries";

// The cached event page for visitors WITHOUT a session cookie (proxy.ts sends the others to the
// members' twin route, ../../../../(site)/e-member). Rendered on first request, then served from the ISR
// cache; expired on demand by lib/public/revalidate.ts and at the latest after PUBLIC_REVALIDATE
// seconds. Private events are a 404 here, whoever asks. Live seats come from a client island.
export const revalidate = 300;
export const dynamicParams = true;
export function generateStaticParams(): { org: string; event: string }[] {
  return [];
}

type Props = { params: Promise<{ locale: string; org: string; event: string }> };

const load = cache(async (organizationSlug: string, slug: string) => {
  try {
    return await getPublicEvent({ organizationSlug, slug, viewerId: null });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, org, event } = await params;
  return eventMetadata(await load(org, event), absoluteBase(env().APP_URL), locale);
}

export default async function CachedEventPage({ params }: Props) {
  const { locale, org, event: slug } = await params;
  if (!isLocale(locale)) notFound();
  const event = await load(org, slug);
  return <PublicEventPage event={event} locale={locale} t={translatorFor(locale)} baseUrl={absoluteBase(env().APP_URL)} now={new Date()} />;
}
