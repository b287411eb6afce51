// Developers → API tokens (/dashboard/o/<slug>/developers): the owner creates tokens (shown once),
// sees the list (prefix, scopes, last use, expiry) and revokes them. Moderators see a note that only the
// owner manages tokens (lib/api/tokens.ts: api.manage is OWNER only; the service decides, not this page).
import type { Metadata } from "next";
import { TokenForm } from "@/components/api-tokens/token-form";
import { TokenList } from "@/components/api-tokens/token-list";
import { tokenRows } from "@/components/api-tokens/token-rows";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { listOrganizationTokens } from "@/lib/api";
import { env } from "@/lib/env";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf, roleCan } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("apiTokens.organization.title") };
}

export default async function DevelopersTokensPage({ params }: Props) {
  const { slug } = await params;
  const [{ user, overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  const organizationId = overview.organization.id;
  const manageable = roleCan(overview.membershipRole, "api.manage");
  const tokens = manageable ? await listOrganizationTokens({ actor: actorOf(user), organizationId }) : [];
  const curlUrl = `${env().APP_URL.replace(/\/$/, "")}/api/v1/organization`;

  return (
    <div className="flex flex-col gap-5">
      <Card aria-labelledby="org-tokens-title">
        <CardHeader id="org-tokens-title" as="h2" title={t("apiTokens.organization.title")} description={t("apiTokens.organization.description")} />
        {manageable ? (
          <TokenList rows={tokenRows(tokens, locale)} manageable />
        ) : (
          <Alert variant="info">
            <span data-testid="api-tokens-owner-only">{t("apiTokens.organization.ownerOnly")}</span>
          </Alert>
        )}
      </Card>
      {manageable && (
        <Card aria-labelledby="org-tokens-create">
          <CardHeader id="org-tokens-create" as="h2" title={t("apiTokens.organization.createTitle")} />
          <TokenForm kind="organization" organizationId={organizationId} curlUrl={curlUrl} />
        </Card>
      )}
    </div>
  );
}
