import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { GroupForm } from "@/components/groups/group-form";
import { formatDate } from "@/components/members/format";
import { Card, CardHeader } from "@/components/ui/card";
import { isAppError } from "@/lib/errors";
import { listOrganizationGroups } from "@/lib/groups";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("groups.title") };
}

export default async function OrganizationGroupsPage({ params }: Props) {
  const { slug } = await params;
  const user = await requirePageUser(`/dashboard/o/${encodeURIComponent(slug)}/groups`);
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  let data;
  try {
    data = await listOrganizationGroups({ actor: actorOf(user), slug });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  const { organization, viewer, groups } = data;
  const base = `/dashboard/o/${encodeURIComponent(organization.slug)}/groups`;

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("groups.title")}</h1>
        <p className="text-slate-600">{t("groups.subtitle")}</p>
      </header>

      <Card aria-labelledby="groups-title">
        <CardHeader id="groups-title" title={t("groups.listTitle")} />
        {groups.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 p-4 text-center" data-testid="groups-empty">
            <p className="font-medium text-slate-800">{t("groups.empty")}</p>
            <p className="mt-1 text-sm text-slate-600">{t("groups.emptyHint")}</p>
          </div>
        ) : (
          <ul className="flex flex-col gap-2" data-testid="group-list">
            {groups.map((g) => (
              <li key={g.id}>
                <Link
                  href={`${base}/${g.id}`}
                  className="flex flex-col gap-1 rounded-xl border border-slate-200 p-4 hover:border-brand-300 hover:bg-brand-50/40 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                  data-testid="group-link-item"
                >
                  <span className="font-medium break-words text-brand-700">{g.name}</span>
                  {g.description && <span className="line-clamp-2 text-sm break-words text-slate-600">{g.description}</span>}
                  <span className="text-sm text-slate-500">
                    {t("groups.memberCount", { count: g.memberCount })} · {t("groups.createdBy", { name: g.createdBy.name })} · {formatDate(locale, g.createdAt)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>

      {viewer.canCreate && (
        <Card aria-labelledby="create-group-title">
          <CardHeader id="create-group-title" title={t("groups.createTitle")} />
          <GroupForm mode="create" organizationId={organization.id} slug={organization.slug} />
        </Card>
      )}
    </div>
  );
}
