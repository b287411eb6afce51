import type { Metadata } from "next";
import Link from "next/link";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { Card, CardHeader } from "@/components/ui/card";
import { getT } from "@/lib/i18n/server";
import type { MessageKey } from "@/lib/i18n/translate";
import { organizationPublicPath } from "@/lib/organizations/organizations";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const { overview } = await loadOrganizationPage(slug);
  return { title: overview.organization.name };
}

export default async function OrganizationHomePage({ params }: Props) {
  const { slug } = await params;
  const [{ overview }, t] = await Promise.all([loadOrganizationPage(slug), getT()]);
  const { organization, can, stats } = overview;
  const base = `/dashboard/o/${organization.slug}`;

  const links: { href: string; title: MessageKey; text: MessageKey; show: boolean; testId: string }[] = [
    { href: `${base}/events`, title: "organizations.org.eventsLink", text: "organizations.org.eventsText", show: can.viewEvents, testId: "quick-events" },
    { href: `${base}/members`, title: "organizations.org.membersLink", text: "organizations.org.membersText", show: can.viewMembers, testId: "quick-members" },
    { href: `${base}/groups`, title: "organizations.org.groupsLink", text: "organizations.org.groupsText", show: can.viewGroups, testId: "quick-groups" },
    { href: `${base}/settings`, title: "organizations.org.settingsLink", text: "organizations.org.settingsText", show: can.update, testId: "quick-settings" },
  ];

  return (
    <div className="flex flex-col gap-5">
      <h1 className="sr-only">{organization.name}</h1>
      <Card aria-labelledby="org-about">
        <CardHeader id="org-about" title={t("organizations.org.tabOverview")} />
        <p className="whitespace-pre-line break-words text-slate-700">{organization.description ?? t("organizations.org.noDescription")}</p>
        <Link
          href={organizationPublicPath(organization.slug)}
          className="mt-3 flex min-h-11 flex-col items-start justify-center self-start"
          data-testid="public-page-link"
        >
          <span className="font-medium text-brand-700 underline underline-offset-2">{t("organizations.org.publicPage")}</span>
          <span className="break-all font-mono text-sm text-slate-500">/o/{organization.slug}</span>
        </Link>
      </Card>

      <section aria-labelledby="org-stats">
        <h2 id="org-stats" className="sr-only">
          {t("organizations.org.stats")}
        </h2>
        <dl className="grid grid-cols-3 gap-2 sm:gap-4">
          {(
            [
              ["organizations.org.statUpcoming", stats.upcomingEvents],
              ["organizations.org.statMembers", stats.members],
              ["organizations.org.statGroups", stats.groups],
            ] as const
          ).map(([label, value]) => (
            <div key={label} className="flex flex-col-reverse justify-end rounded-2xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4">
              <dt className="text-xs text-slate-600 sm:text-sm">{t(label)}</dt>
              <dd className="text-2xl font-bold text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="org-links" className="flex flex-col gap-3">
        <h2 id="org-links" className="text-lg font-semibold text-slate-900">
          {t("organizations.org.quickLinks")}
        </h2>
        <ul className="grid gap-3 sm:grid-cols-2">
          {links
            .filter((l) => l.show)
            .map((l) => (
              <li key={l.href}>
                <Link
                  href={l.href}
                  data-testid={l.testId}
                  className="flex min-h-16 flex-col justify-center rounded-2xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 hover:bg-brand-50"
                >
                  <span className="font-semibold text-slate-900">{t(l.title)}</span>
                  <span className="text-sm text-slate-600">{t(l.text)}</span>
                </Link>
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}
