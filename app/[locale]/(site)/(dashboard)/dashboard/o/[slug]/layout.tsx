import type { ReactNode } from "react";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { OrganizationTabs, type OrganizationTab } from "@/components/organizations/organization-tabs";
import { Badge } from "@/components/ui/badge";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { getLocale, getT } from "@/lib/i18n/server";

/**
 * Everything under /dashboard/o/<slug>: the organization comes from the URL and is authorized here
 * for the whole subtree (404 when the user may not see it). Pages and services still authorize
 * themselves — this layout is not the check, and a server action never relies on it.
 */
export default async function OrganizationLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const [{ overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  const { organization, membershipRole, can } = overview;
  const roleLabel =
    membershipRole === "OWNER"
      ? t("organizations.org.roleOwner")
      : membershipRole === "MODERATOR"
        ? t("organizations.org.roleModerator")
        : t("organizations.org.roleAdmin");
  const tabs: OrganizationTab[] = [
    "overview",
    ...(can.viewEvents ? (["events"] as const) : []),
    ...(can.viewMembers ? (["members"] as const) : []),
    ...(can.viewGroups ? (["groups"] as const) : []),
    // payments.view is staff, like events.view
    ...(can.viewEvents ? (["payments"] as const) : []),
    // analytics.view is staff too (lib/permissions)
    ...(can.viewEvents ? (["analytics"] as const) : []),
    ...(can.update ? (["settings"] as const) : []),
    // API tokens and webhooks: staff see the section (webhooks.view); only the owner manages tokens
    ...(can.viewEvents ? (["developers"] as const) : []),
  ];
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <p className="min-w-0 break-words text-xl font-bold text-slate-900 sm:text-2xl" data-testid="organization-name">
            {organization.name}
          </p>
          <Badge tone={membershipRole === "OWNER" ? "success" : membershipRole ? "neutral" : "brand"} className="shrink-0">
            <span data-testid="organization-role">{roleLabel}</span>
          </Badge>
        </div>
        <I18nProvider locale={locale} messages={pick(locale, ["organizations.org", "analytics.nav", "apiTokens.nav"])}>
          <OrganizationTabs slug={organization.slug} tabs={tabs} />
        </I18nProvider>
      </div>
      {children}
    </div>
  );
}
