// The organization's public page body, shared by the cached route (anonymous visitors: public events
// only) and the members' twin route (signed-in visitors: plus the private events of their groups),
// docs/public-pages.md.
import type { Metadata } from "next";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import type { PublicOrganization } from "@/lib/organizations/organizations";
import type { CatalogueItem, MemberEventItem } from "@/lib/public/queries";
import { EventCard } from "./event-card";
import { MemberEvents } from "./member-events";

/** `<head>` of the organization page (both routes). */
export function organizationMetadata(organization: Pick<PublicOrganization, "name" | "slug" | "description">, baseUrl: string): Metadata {
  const description = organization.description?.slice(0, 160) ?? undefined;
  return {
    metadataBase: new URL(`${baseUrl}/`),
    title: organization.name,
    description,
    alternates: { canonical: `/o/${organization.slug}` },
    openGraph: { title: organization.name, description, type: "website", url: `/o/${organization.slug}` },
  };
}

export function PublicOrganizationPage({
  organization,
  events,
  memberEvents = [],
  locale,
  t,
}: {
  organization: PublicOrganization;
  events: CatalogueItem[];
  /** Twin route only: the viewer's private events of this organization. */
  memberEvents?: MemberEventItem[];
  locale: Locale;
  t: Translator;
}) {
  const linkClass = "break-all font-medium text-brand-700 underline underline-offset-2";

  return (
    <div className="mx-auto flex w-full max-w-5xl flex-1 flex-col gap-8 px-4 py-8 sm:py-12">
      <header className="flex flex-col gap-3">
        <div className="flex items-center gap-3">
          <span className="flex size-12 shrink-0 items-center justify-center rounded-2xl bg-brand-100 text-xl font-bold uppercase text-brand-700" aria-hidden="true">
            {organization.name.slice(0, 1)}
          </span>
          <h1 className="min-w-0 break-words text-2xl font-bold text-slate-900 sm:text-3xl">{organization.name}</h1>
        </div>
        {organization.description && <p className="max-w-3xl whitespace-pre-line break-words text-slate-700">{organization.description}</p>}
        {(organization.websiteUrl || organization.contactEmail) && (
          <ul className="flex flex-col gap-1 text-sm sm:flex-row sm:gap-4" aria-label={t("public.organization.contacts")}>
            {organization.websiteUrl && (
              <li>
                <span className="text-slate-600">{t("public.organization.website")}: </span>
                <a href={organization.websiteUrl} rel="nofollow noopener noreferrer" target="_blank" className={linkClass}>
                  {organization.websiteUrl.replace(/^https?:\/\//, "")}
                </a>
              </li>
            )}
            {organization.contactEmail && (
              <li>
                <span className="text-slate-600">{t("public.organization.email")}: </span>
                <a href={`mailto:${organization.contactEmail}`} className={linkClass}>
                  {organization.contactEmail}
                </a>
              </li>
            )}
          </ul>
        )}
      </header>

      <MemberEvents events={memberEvents} locale={locale} t={t} title={t("public.memberEvents.organizationTitle")} showOrganization={false} />

      <section aria-labelledby="upcoming-title" className="flex flex-col gap-3">
        <h2 id="upcoming-title" className="text-xl font-semibold text-slate-900">
          {t("public.organization.upcoming")}
        </h2>
        {events.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600" data-testid="public-events-empty">
            {t("public.organization.empty")}
          </p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="public-events">
            {events.map((e) => (
              <li key={e.id}>
                <EventCard event={e} locale={locale} t={t} showOrganization={false} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
