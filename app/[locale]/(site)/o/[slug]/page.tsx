import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import { getLocale, getT } from "@/lib/i18n/server";
import { formatEventDate } from "@/lib/notifications/render";
import { getPublicOrganization } from "@/lib/organizations/organizations";

type Props = { params: Promise<{ slug: string }> };

/** One lookup per request for the metadata and the page; unknown and deleted organizations are a 404. */
const load = cache(async (slug: string) => {
  try {
    return await getPublicOrganization({ slug });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const organization = await load(slug);
  return {
    title: organization.name,
    description: organization.description?.slice(0, 160) ?? undefined,
    openGraph: { title: organization.name, description: organization.description?.slice(0, 160) ?? undefined, type: "website" },
  };
}

export default async function PublicOrganizationPage({ params }: Props) {
  const { slug } = await params;
  const [organization, t, locale] = await Promise.all([load(slug), getT(), getLocale()]);

  const when = (date: Date, timeZone: string) => formatEventDate(date, timeZone, locale);
  const where = (e: (typeof organization.events)[number]) =>
    e.locationType === "ONLINE" ? t("organizations.public.online") : e.locationType === "HYBRID" ? (e.locationAddress ?? t("organizations.public.hybrid")) : e.locationAddress;

  return (
    <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-8 px-4 py-8 sm:py-12">
      <header className="flex flex-col gap-3">
        <div className="flex items-center gap-3">
          <span className="flex size-12 shrink-0 items-center justify-center rounded-2xl bg-brand-100 text-xl font-bold uppercase text-brand-700" aria-hidden="true">
            {organization.name.slice(0, 1)}
          </span>
          <h1 className="min-w-0 break-words text-2xl font-bold text-slate-900 sm:text-3xl">{organization.name}</h1>
        </div>
        {organization.description && <p className="whitespace-pre-line break-words text-slate-700">{organization.description}</p>}
        {(organization.websiteUrl || organization.contactEmail) && (
          <ul className="flex flex-col gap-1 text-sm sm:flex-row sm:gap-4" aria-label={t("organizations.public.contacts")}>
            {organization.websiteUrl && (
              <li>
                <span className="text-slate-500">{t("organizations.public.website")}: </span>
                <a href={organization.websiteUrl} rel="nofollow noopener noreferrer" target="_blank" className="break-all font-medium text-brand-700 underline underline-offset-2">
                  {organization.websiteUrl.replace(/^https?:\/\//, "")}
                </a>
              </li>
            )}
            {organization.contactEmail && (
              <li>
                <span className="text-slate-500">{t("organizations.public.email")}: </span>
                <a href={`mailto:${organization.contactEmail}`} className="break-all font-medium text-brand-700 underline underline-offset-2">
                  {organization.contactEmail}
                </a>
              </li>
            )}
          </ul>
        )}
      </header>

      <section aria-labelledby="upcoming-title" className="flex flex-col gap-3">
        <h2 id="upcoming-title" className="text-xl font-semibold text-slate-900">
          {t("organizations.public.upcomingTitle")}
        </h2>
        {organization.events.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600" data-testid="public-events-empty">
            {t("organizations.public.upcomingEmpty")}
          </p>
        ) : (
          <ul className="flex flex-col gap-3" data-testid="public-events">
            {organization.events.map((e) => (
              <li key={e.id}>
                <Link href={e.url} className="flex flex-col gap-1 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 hover:bg-brand-50">
                  <span className="break-words font-semibold text-slate-900">{e.title}</span>
                  <span className="text-sm text-slate-700">
                    <time dateTime={e.startsAt.toISOString()}>{when(e.startsAt, e.timezone)}</time>
                  </span>
                  {where(e) && <span className="break-words text-sm text-slate-500">{where(e)}</span>}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
