// Developers → Webhooks (/dashboard/o/<slug>/developers/webhooks): the organization's webhook URLs and, for
// the owner, the form that adds one (its signing secret is shown once). Staff see the list; the services
// authorize (webhooks.view / webhooks.manage) and scope everything to the organization.
import type { Metadata } from "next";
import Link from "next/link";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { WebhookEndpointForm } from "@/components/webhooks/endpoint-form";
import { WebhookStatusBadge } from "@/components/webhooks/status-badge";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf, roleCan } from "@/lib/permissions";
import { listEndpoints, WEBHOOK_MAX_ENDPOINTS } from "@/lib/webhooks";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("webhooks.title") };
}

export default async function WebhooksPage({ params }: Props) {
  const { slug } = await params;
  const [{ user, overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  const organizationId = overview.organization.id;
  const endpoints = await listEndpoints({ actor: actorOf(user), organizationId });
  const canManage = roleCan(overview.membershipRole, "webhooks.manage");
  const timeZone = overview.organization.settings.defaultTimezone ?? "Europe/Moscow";

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-2">
        <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{t("webhooks.title")}</h1>
        <p className="text-sm text-slate-600">{t("webhooks.intro")}</p>
        <Link href="/docs/api#webhooks" className="text-sm font-medium text-brand-700 hover:underline">
          {t("webhooks.docsLink")}
        </Link>
      </div>

      <section aria-labelledby="webhooks-list">
        <h2 id="webhooks-list" className="sr-only">
          {t("webhooks.listLabel")}
        </h2>
        {endpoints.length === 0 ? (
          <p className="rounded-2xl border border-dashed border-slate-300 p-5 text-sm text-slate-600" data-testid="webhooks-empty">
            {t("webhooks.empty")}
          </p>
        ) : (
          <ul className="flex flex-col gap-3" data-testid="webhooks-list">
            {endpoints.map((e) => (
              <li key={e.id}>
                <Link
                  href={`/dashboard/o/${slug}/developers/webhooks/${e.id}`}
                  className="flex flex-col gap-2 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-300 focus-visible:outline-2 focus-visible:outline-brand-600"
                  data-testid="webhook-item"
                >
                  <span className="break-all font-mono text-sm text-slate-900">{e.url}</span>
                  {e.description && <span className="text-sm text-slate-600">{e.description}</span>}
                  <span className="flex flex-wrap items-center gap-2">
                    <WebhookStatusBadge endpoint={e} locale={locale} timeZone={timeZone} />
                    <Badge>{t("webhooks.endpoint.events", { count: e.eventTypes.length })}</Badge>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      {canManage ? (
        endpoints.length < WEBHOOK_MAX_ENDPOINTS ? (
          <Card aria-labelledby="webhook-add">
            <CardHeader id="webhook-add" title={t("webhooks.add.title")} description={t("webhooks.maxEndpoints", { max: WEBHOOK_MAX_ENDPOINTS })} />
            <WebhookEndpointForm organizationId={organizationId} slug={slug} />
          </Card>
        ) : (
          <p className="text-sm text-slate-600">{t("webhooks.errors.tooManyEndpoints")}</p>
        )
      ) : (
        <p className="text-sm text-slate-600" data-testid="webhooks-owner-only">
          {t("webhooks.ownerOnly")}
        </p>
      )}
    </div>
  );
}
