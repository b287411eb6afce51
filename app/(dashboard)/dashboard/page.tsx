import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { requirePageUser } from "@/lib/identity/guards";
import { getUserOverview } from "@/lib/identity/overview";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("dashboard.title") };
}

export default async function DashboardPage() {
  const user = await requirePageUser("/dashboard");
  const [overview, t, locale] = await Promise.all([getUserOverview({ userId: user.id }), getT(), getLocale()]);
  const dateFormat = new Intl.DateTimeFormat(locale === "ru" ? "ru-RU" : "en-GB", { dateStyle: "medium" });

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl" data-testid="dashboard-greeting">
          {t("dashboard.greeting", { name: user.firstName })}
        </h1>
        <p className="text-slate-600">{t("dashboard.intro")}</p>
      </header>

      <div className="grid gap-4 md:grid-cols-2">
        <Card aria-labelledby="role-title">
          <CardHeader id="role-title" title={t("dashboard.roleTitle")} />
          <ul className="flex flex-col gap-3">
            {overview.isPlatformAdmin && (
              <li className="flex flex-col gap-1" data-testid="platform-admin">
                <Badge tone="brand" className="self-start">
                  {t("dashboard.platformAdmin")}
                </Badge>
                <p className="text-sm text-slate-600">{t("dashboard.platformAdminText")}</p>
              </li>
            )}
            <li className="flex flex-col gap-1">
              <Badge className="self-start">{t("dashboard.participant")}</Badge>
              <p className="text-sm text-slate-600">{t("dashboard.participantText")}</p>
            </li>
          </ul>
        </Card>

        <Card aria-labelledby="orgs-title">
          <CardHeader id="orgs-title" title={t("dashboard.organizationsTitle")} />
          {overview.memberships.length === 0 ? (
            <div className="rounded-xl border border-dashed border-slate-300 p-4 text-center" data-testid="organizations-empty">
              <p className="font-medium text-slate-800">{t("dashboard.organizationsEmpty")}</p>
              <p className="mt-1 text-sm text-slate-600">{t("dashboard.organizationsEmptyHint")}</p>
            </div>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100">
              {overview.memberships.map((m) => (
                <li key={m.organizationId} className="flex items-center justify-between gap-3 py-3">
                  <div className="min-w-0">
                    <p className="truncate font-medium text-slate-900">{m.name}</p>
                    <p className="text-sm text-slate-500">{t("dashboard.memberSince", { date: dateFormat.format(m.joinedAt) })}</p>
                  </div>
                  <Badge tone={m.role === "OWNER" ? "success" : "neutral"} className="shrink-0">
                    {m.role === "OWNER" ? t("dashboard.roleOwner") : t("dashboard.roleModerator")}
                  </Badge>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
