import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { requirePageUser } from "@/lib/identity/guards";
import { getUserOverview } from "@/lib/identity/overview";
import { formatDate } from "@/lib/i18n/format";
import { getLocale, getT } from "@/lib/i18n/server";
import { organizationDashboardPath } from "@/lib/organizations/organizations";
import { ADMIN_REQUESTS_PATH, ORGANIZATION_REQUEST_PATH, countPendingRequests, getRequesterState } from "@/lib/organizations/requests";
import { actorOf } from "@/lib/permissions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("dashboard.title") };
}

export default async function DashboardPage() {
  const user = await requirePageUser("/dashboard");
  const actor = actorOf(user);
  const [overview, t, locale] = await Promise.all([getUserOverview({ userId: user.id }), getT(), getLocale()]);
  const [requester, pendingForAdmin] = await Promise.all([
    overview.memberships.length === 0 ? getRequesterState({ actor }) : Promise.resolve(null),
    overview.isPlatformAdmin ? countPendingRequests({ actor }) : Promise.resolve(0),
  ]);
  const dateFormat = { format: (date: Date) => formatDate(date, locale, "day") };

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl" data-testid="dashboard-greeting">
          {t("dashboard.greeting", { name: user.firstName })}
        </h1>
        <p className="text-slate-600">{t("dashboard.intro")}</p>
      </header>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card aria-labelledby="orgs-title">
          <CardHeader id="orgs-title" title={t("dashboard.organizationsTitle")} />
          {overview.memberships.length === 0 ? (
            <div className="flex flex-col gap-3 rounded-xl border border-dashed border-slate-300 p-4 text-center" data-testid="organizations-empty">
              <div>
                <p className="font-medium text-slate-800">{t("dashboard.organizationsEmpty")}</p>
                <p className="mt-1 text-sm text-slate-600">{t("dashboard.organizationsEmptyHint")}</p>
              </div>
              {requester?.pending ? (
                <p className="text-sm text-slate-700">
                  {t("organizations.home.requestPending", { name: requester.pending.name })}{" "}
                  <Link href={ORGANIZATION_REQUEST_PATH} className="font-medium text-brand-700 underline underline-offset-2">
                    {t("organizations.home.requestStatusLink")}
                  </Link>
                </p>
              ) : (
                <LinkButton href={ORGANIZATION_REQUEST_PATH} className="self-center" data-testid="request-organization-cta">
                  {t("organizations.home.requestCta")}
                </LinkButton>
              )}
            </div>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100" data-testid="organizations-list">
              {overview.memberships.map((m) => (
                <li key={m.organizationId}>
                  <Link
                    href={organizationDashboardPath(m.slug)}
                    className="-mx-2 flex min-h-14 items-center justify-between gap-3 rounded-lg px-2 py-2 hover:bg-slate-50"
                  >
                    <span className="min-w-0">
                      <span className="block truncate font-medium text-slate-900">{m.name}</span>
                      <span className="block text-sm text-slate-500">{t("dashboard.memberSince", { date: dateFormat.format(m.joinedAt) })}</span>
                    </span>
                    <Badge tone={m.role === "OWNER" ? "success" : "neutral"} className="shrink-0">
                      {m.role === "OWNER" ? t("dashboard.roleOwner") : t("dashboard.roleModerator")}
                    </Badge>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card aria-labelledby="role-title">
          <CardHeader id="role-title" title={t("dashboard.roleTitle")} />
          <ul className="flex flex-col gap-3">
            {overview.isPlatformAdmin && (
              <li className="flex flex-col gap-1" data-testid="platform-admin">
                <Badge tone="brand" className="self-start">
                  {t("dashboard.platformAdmin")}
                </Badge>
                <p className="text-sm text-slate-600">{t("dashboard.platformAdminText")}</p>
                <p className="text-sm text-slate-700">
                  {t("organizations.home.adminPending", { count: pendingForAdmin })}{" "}
                  <Link href={ADMIN_REQUESTS_PATH} className="font-medium text-brand-700 underline underline-offset-2">
                    {t("organizations.home.adminQueueLink")}
                  </Link>
                </p>
              </li>
            )}
            <li className="flex flex-col gap-1">
              <Badge className="self-start">{t("dashboard.participant")}</Badge>
              <p className="text-sm text-slate-600">{t("dashboard.participantText")}</p>
            </li>
          </ul>
        </Card>
      </div>
    </div>
  );
}
