// Dashboard → organization → Developers: the REST API's tokens (page.tsx) and the outbound webhooks
// (./webhooks, lib/webhooks). Staff see it (webhooks.view); what each may change, the pages decide
// (their services authorize). Client texts: the token pages' namespace and the copy button's.
import type { ReactNode } from "react";
import Link from "next/link";
import { DevelopersTabs } from "@/components/api-tokens/developers-tabs";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { getLocale, getT } from "@/lib/i18n/server";

export default async function DevelopersLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const [{ overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  return (
    <I18nProvider locale={locale} messages={pick(locale, ["apiTokens", "members.share"])}>
      <div className="flex flex-col gap-5">
        <div className="flex flex-col gap-2">
          <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{t("apiTokens.developers.title")}</h1>
          <p className="text-sm text-slate-600">
            {t("apiTokens.developers.intro")}{" "}
            <Link href="/docs/api" className="font-medium text-brand-700 underline-offset-2 hover:underline" data-testid="developers-docs-link">
              {t("apiTokens.developers.docsLink")}
            </Link>
          </p>
          <DevelopersTabs slug={overview.organization.slug} />
        </div>
        {children}
      </div>
    </I18nProvider>
  );
}
