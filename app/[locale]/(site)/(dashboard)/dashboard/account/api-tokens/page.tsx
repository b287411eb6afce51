// Account → Personal API tokens (/dashboard/account/api-tokens): any signed-in person creates tokens
// that read their own tickets (scope tickets:read), shown once; lists and revokes them.
import type { Metadata } from "next";
import Link from "next/link";
import { TokenForm } from "@/components/api-tokens/token-form";
import { TokenList } from "@/components/api-tokens/token-list";
import { tokenRows } from "@/components/api-tokens/token-rows";
import { Card, CardHeader } from "@/components/ui/card";
import { listPersonalTokens } from "@/lib/api";
import { env } from "@/lib/env";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("apiTokens.personal.title") };
}

export default async function PersonalTokensPage() {
  const user = await requirePageUser("/dashboard/account/api-tokens");
  const [tokens, t, locale] = await Promise.all([listPersonalTokens({ actor: actorOf(user) }), getT(), getLocale()]);
  const curlUrl = `${env().APP_URL.replace(/\/$/, "")}/api/v1/me/tickets`;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-2">
        <Link href="/dashboard/account" className="text-sm font-medium text-brand-700 hover:underline">
          ← {t("apiTokens.personal.back")}
        </Link>
        <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{t("apiTokens.personal.title")}</h1>
        <p className="text-sm text-slate-600">{t("apiTokens.personal.description")}</p>
      </div>
      <Card aria-labelledby="personal-tokens-list">
        <CardHeader id="personal-tokens-list" as="h2" title={t("apiTokens.personal.listTitle")} />
        <TokenList rows={tokenRows(tokens, locale)} manageable />
      </Card>
      <Card aria-labelledby="personal-tokens-create">
        <CardHeader id="personal-tokens-create" as="h2" title={t("apiTokens.personal.createTitle")} />
        <TokenForm kind="personal" curlUrl={curlUrl} />
      </Card>
    </div>
  );
}
