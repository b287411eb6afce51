import type { Metadata } from "next";
import Link from "next/link";
import { OrganizationRequestForm } from "@/components/organizations/organization-request-form";
import { RequestStatusBadge } from "@/components/organizations/request-status-badge";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { env } from "@/lib/env";
import { requirePageUser } from "@/lib/identity/guards";
import { formatDate } from "@/lib/i18n/format";
import { getLocale, getT } from "@/lib/i18n/server";
import { organizationDashboardPath } from "@/lib/organizations/organizations";
import { ORGANIZATION_REQUEST_PATH, getRequesterState } from "@/lib/organizations/requests";
import { actorOf } from "@/lib/permissions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("organizations.request.title") };
}

export default async function OrganizationRequestPage() {
  const user = await requirePageUser(ORGANIZATION_REQUEST_PATH);
  const [state, t, locale] = await Promise.all([getRequesterState({ actor: actorOf(user) }), getT(), getLocale()]);
  const dateFormat = { format: (date: Date) => formatDate(date, locale, "medium") };
  const publicBaseUrl = `${env().APP_URL.replace(/\/+$/, "")}/o/`;

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("organizations.request.title")}</h1>
        <p className="text-slate-600">{t("organizations.request.intro")}</p>
      </header>

      <Card aria-labelledby="request-form-title">
        <CardHeader
          id="request-form-title"
          title={state.verified && state.pending ? t("organizations.request.pendingTitle") : t("organizations.request.formTitle")}
        />
        {!state.verified ? (
          <Alert variant="info" title={t("organizations.request.notVerifiedTitle")}>
            <p data-testid="request-not-verified">{t("organizations.request.notVerifiedText")}</p>
            {/* Linking Telegram needs a verified email (lib/identity/telegram-link.ts): the email is the way. */}
            <div className="mt-3 flex flex-col gap-2 sm:flex-row">
              <LinkButton href="/dashboard/account" size="sm">
                {t("organizations.request.notVerifiedLink")}
              </LinkButton>
            </div>
          </Alert>
        ) : state.pending ? (
          <Alert variant="success">
            <p data-testid="request-pending">
              {t("organizations.request.submitted")} {t("organizations.request.pendingText")}
            </p>
          </Alert>
        ) : (
          <OrganizationRequestForm publicBaseUrl={publicBaseUrl} />
        )}
      </Card>

      <section aria-labelledby="request-history-title" className="flex flex-col gap-3">
        <h2 id="request-history-title" className="text-lg font-semibold text-slate-900 sm:text-xl">
          {t("organizations.request.historyTitle")}
        </h2>
        {state.requests.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600" data-testid="request-history-empty">
            {t("organizations.request.historyEmpty")}
          </p>
        ) : (
          <ul className="flex flex-col gap-3" data-testid="request-history">
            {state.requests.map((r) => (
              <li key={r.id} className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="request-history-item">
                <div className="flex flex-col-reverse items-start gap-2 sm:flex-row sm:justify-between sm:gap-3">
                  <div className="min-w-0">
                    <p className="break-words font-semibold text-slate-900">{r.name}</p>
                    <p className="break-all font-mono text-sm text-slate-500">/o/{r.slug}</p>
                  </div>
                  <RequestStatusBadge status={r.status}>{t(`organizations.request.status${r.status}`)}</RequestStatusBadge>
                </div>
                <p className="mt-2 text-sm text-slate-500">
                  {t("organizations.request.submittedAt", { date: dateFormat.format(r.createdAt) })}
                  {r.reviewedAt && <> · {t("organizations.request.reviewedAt", { date: dateFormat.format(r.reviewedAt) })}</>}
                </p>
                {r.reviewComment && (
                  <div className="mt-3 rounded-xl bg-slate-50 p-3 text-sm">
                    <p className="font-medium text-slate-700">{t("organizations.request.comment")}</p>
                    <p className="mt-1 whitespace-pre-line break-words text-slate-800">{r.reviewComment}</p>
                  </div>
                )}
                {r.organizationSlug && (
                  <Link
                    href={organizationDashboardPath(r.organizationSlug)}
                    className="mt-3 inline-flex min-h-11 items-center font-medium text-brand-700 underline underline-offset-2"
                  >
                    {t("organizations.request.openOrganization")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
