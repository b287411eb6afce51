import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { organizationMetadata, PublicOrganizationPage } from "@/components/public/organization-page";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { getPublicOrganization } from "@/lib/organizations/organizations";
import { absoluteBase } from "@/lib/public/format";
import { listMemberEvents, listOrganizationPublicEvents } from "@/lib/public/queries";

// The members' twin of the cached organization page: proxy.ts rewrites /o/<slug> here when the request
// carries a session cookie. Rendered per request with the viewer: the same page plus the upcoming
// private events of the viewer's groups in this organization (docs/public-pages.md). A cookie without
// a live session sees exactly the anonymous page.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; slug: string }> };

const load = cache(async (slug: string) => {
  const user = await getCurrentUser();
  try {
    const [organization, events, memberEvents] = await Promise.all([
      getPublicOrganization({ slug }),
      listOrganizationPublicEvents({ organizationSlug: slug }),
      listMemberEvents({ viewerId: user?.id ?? null, organizationSlug: slug }),
    ]);
    return { organization, events, memberEvents };
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

export default async function MemberOrganizationPage({ params }: Props) {
  const { locale, slug } = await params;
  if (!isLocale(locale)) notFound();
  const { organization, events, memberEvents } = await load(slug);
  return <PublicOrganizationPage organization={organization} events={events} memberEvents={memberEvents} locale={locale} t={translatorFor(locale)} />;
}
