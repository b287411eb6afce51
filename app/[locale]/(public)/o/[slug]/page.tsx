import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { organizationMetadata, PublicOrganizationPage } from "@/components/public/organization-page";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { getPublicOrganization } from "@/lib/organizations/organizations";
import { absoluteBase } from "@/lib/public/format";
import { listOrganizationPublicEvents } from "@/lib/public/queries";

// An organization's public page for visitors WITHOUT a session cookie: cached like the event pages (ISR,
// expired on demand by lib/public/revalidate.ts when the organization or one of its events changes).
// proxy.ts sends signed-in visitors to the members' twin (../../../(site)/o-member), which adds the
// private events of their groups.
export const revalidate = 300;
export const dynamicParams = true;
export function generateStaticParams(): { slug: string }[] {
  return [];
}

type Props = { params: Promise<{ locale: string; slug: string }> };

/** One lookup per render for the metadata and the page; unknown and deleted organizations are a 404. */
const load = cache(async (slug: string) => {
  try {
    const [organization, events] = await Promise.all([getPublicOrganization({ slug }), listOrganizationPublicEvents({ organizationSlug: slug })]);
    return { organization, events };
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const { organization } = await load(slug);
  return organizationMetadata(organization, absoluteBase(env().APP_URL));
}

export default async function CachedOrganizationPage({ params }: Props) {
  const { locale, slug } = await params;
  if (!isLocale(locale)) notFound();
  const t = translatorFor(locale);
  const { organization, events } = await load(slug);
  return <PublicOrganizationPage organization={organization} events={events} locale={locale} t={t} />;
}
