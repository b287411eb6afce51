// One webhook endpoint (/dashboard/o/<slug>/developers/webhooks/<endpointId>): its settings, the owner's
// controls (switch on/off, new secret, delete) and the delivery log — newest first, filtered by status, a
// page at a time (?status=&cursor=), with one delivery opened (?delivery=<id>): its payload exactly as sent,
// every attempt with the receiver's status and the first 2 KB of its answer, and "Redeliver".
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { WebhookEndpointControls } from "@/components/webhooks/endpoint-controls";
import { WebhookEndpointForm } from "@/components/webhooks/endpoint-form";
import { RedeliverButton } from "@/components/webhooks/redeliver-button";
import { WebhookStatusBadge } from "@/components/webhooks/status-badge";
import { typeLabelKey } from "@/components/webhooks/type-label";
import { isAppError } from "@/lib/errors";
import { formatDate } from "@/lib/i18n/format/date";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf, roleCan } from "@/lib/permissions";
import { getDelivery, getEndpoint, listDeliveries, type WebhookDeliveryDetail, type WebhookDeliveryStatus } from "@/lib/webhooks";
import { webhookDeliveryFilterSchema } from "@/lib/validation/webhooks";

type Props = {
  params: Promise<{ slug: string; endpointId: string }>;
  searchParams: Promise<{ status?: string; cursor?: string; delivery?: string }>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("webhooks.title") };
}

async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "VALIDATION")) notFound();
    throw error;
  }
}

const STATUS_TONE: Record<WebhookDeliveryStatus, string> = {
  PENDING: "bg-amber-100 text-amber-900",
  SUCCEEDED: "bg-emerald-100 text-emerald-800",
  FAILED: "bg-red-100 text-red-800",
};

export default async function WebhookEndpointPage({ params, searchParams }: Props) {
  const { slug, endpointId } = await params;
  const query = await searchParams;
  const [{ user, overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  const actor = actorOf(user);
  const organizationId = overview.organization.id;
  const timeZone = overview.organization.settings.defaultTimezone ?? "Europe/Moscow";
  const when = (d: Date) => formatDate(d, locale, "dayMonthYearTime", { timeZone });
  const canManage = roleCan(overview.membershipRole, "webhooks.manage");
  const status = webhookDeliveryFilterSchema.parse(query.status);

  const endpoint = await orNotFound(getEndpoint({ actor, organizationId, endpointId }));
  const log = await orNotFound(listDeliveries({ actor, organizationId, endpointId, status, cursor: query.cursor ?? null }));
  let opened: WebhookDeliveryDetail | null = null;
  if (query.delivery) {
    opened = await getDelivery({ actor, organizationId, deliveryId: query.delivery }).catch(() => null);
    if (opened && opened.endpointId !== endpoint.id) opened = null;
  }
  const base = `/dashboard/o/${slug}/developers/webhooks/${endpoint.id}`;
  const href = (q: { status?: string; cursor?: string | null; delivery?: string }) => {
    const s = new URLSearchParams();
    if (q.status) s.set("status", q.status);
    if (q.cursor) s.set("cursor", q.cursor);
    if (q.delivery) s.set("delivery", q.delivery);
    const text = s.toString();
    return text ? `${base}?${text}` : base;
  };
  const filters: { key: WebhookDeliveryStatus | undefined; label: string }[] = [
    { key: undefined, label: t("webhooks.log.all") },
    { key: "PENDING", label: t("webhooks.log.PENDING") },
    { key: "SUCCEEDED", label: t("webhooks.log.SUCCEEDED") },
    { key: "FAILED", label: t("webhooks.log.FAILED") },
  ];

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-2">
        <Link href={`/dashboard/o/${slug}/developers/webhooks`} className="text-sm font-medium text-brand-700 hover:underline">
          {t("webhooks.endpoint.back")}
        </Link>
        <h1 className="break-all font-mono text-lg font-semibold text-slate-900 sm:text-xl" data-testid="webhook-endpoint-url">
          {endpoint.url}
        </h1>
        {endpoint.description && <p className="text-sm text-slate-600">{endpoint.description}</p>}
        <div className="flex flex-wrap gap-2">
          <WebhookStatusBadge endpoint={endpoint} locale={locale} timeZone={timeZone} />
        </div>
        {!endpoint.enabled && endpoint.disabledReason === "FAILING" && endpoint.disabledAt && (
          <Alert variant="error">{t("webhooks.endpoint.disabledFailingNotice", { at: when(endpoint.disabledAt) })}</Alert>
        )}
      </div>

      <Card aria-labelledby="webhook-settings">
        <CardHeader id="webhook-settings" title={t("webhooks.endpoint.settings")} />
        {canManage ? (
          <div className="flex flex-col gap-6">
            <WebhookEndpointForm
              organizationId={organizationId}
              slug={slug}
              endpointId={endpoint.id}
              defaults={{ url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes }}
            />
            <WebhookEndpointControls organizationId={organizationId} endpointId={endpoint.id} slug={slug} enabled={endpoint.enabled} />
          </div>
        ) : (
          <div className="flex flex-col gap-2">
            <ul className="flex flex-wrap gap-2">
              {endpoint.eventTypes.map((type) => (
                <li key={type}>
                  <Badge>{t(typeLabelKey(type))}</Badge>
                </li>
              ))}
            </ul>
            <p className="text-sm text-slate-600">{t("webhooks.ownerOnly")}</p>
          </div>
        )}
      </Card>

      <Card aria-labelledby="webhook-log">
        <CardHeader id="webhook-log" title={t("webhooks.log.title")} />
        <nav aria-label={t("webhooks.log.filter")} className="mb-4 flex flex-wrap gap-2">
          {filters.map((f) => (
            <Link
              key={f.key ?? "all"}
              href={href({ status: f.key })}
              aria-current={f.key === status ? "page" : undefined}
              className="inline-flex min-h-11 items-center rounded-xl border border-slate-300 px-3 text-sm font-medium text-slate-800 hover:bg-slate-50 aria-[current=page]:border-brand-600 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-800"
            >
              {f.label}
            </Link>
          ))}
        </nav>
        {log.items.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="webhook-log-empty">
            {t("webhooks.log.empty")}
          </p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-200" data-testid="webhook-log">
            {log.items.map((d) => {
              const isOpen = opened?.id === d.id;
              return (
                <li key={d.id} className="flex flex-col gap-2 py-3" data-testid="webhook-delivery">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge className={STATUS_TONE[d.status]}>{t(`webhooks.log.${d.status}`)}</Badge>
                    <span className="text-sm font-medium text-slate-900">{t(typeLabelKey(d.type))}</span>
                    <code className="text-xs text-slate-500">{d.type}</code>
                  </div>
                  <p className="flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-600">
                    <span>{when(d.createdAt)}</span>
                    <span>{t("webhooks.log.attempts", { count: d.attempts })}</span>
                    {d.attempts > 0 && <span>{d.lastStatusCode !== null ? t("webhooks.log.lastCode", { code: d.lastStatusCode }) : t("webhooks.log.noAnswer")}</span>}
                    {d.nextAttemptAt && <span>{t("webhooks.log.nextAttempt", { at: when(d.nextAttemptAt) })}</span>}
                  </p>
                  {d.lastError && d.status !== "SUCCEEDED" && <p className="break-all text-sm text-red-700">{d.lastError}</p>}
                  <Link
                    href={isOpen ? href({ status, cursor: query.cursor }) : href({ status, cursor: query.cursor, delivery: d.id })}
                    aria-expanded={isOpen}
                    className="self-start text-sm font-medium text-brand-700 hover:underline"
                    scroll={false}
                  >
                    {isOpen ? t("webhooks.log.hide") : t("webhooks.log.details")}
                  </Link>
                  {isOpen && opened && (
                    <div className="flex flex-col gap-3 rounded-xl bg-slate-50 p-3" data-testid="webhook-delivery-detail">
                      <p className="break-all text-xs text-slate-600">
                        {t("webhooks.log.webhookId")}: <code>{opened.webhookId}</code>
                      </p>
                      {canManage && <RedeliverButton organizationId={organizationId} deliveryId={opened.id} />}
                      <div className="flex flex-col gap-1">
                        <h3 className="text-sm font-semibold text-slate-900">{t("webhooks.log.payload")}</h3>
                        <pre className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-white p-3 text-xs text-slate-800" tabIndex={0}>
                          {JSON.stringify(JSON.parse(opened.payload), null, 2)}
                        </pre>
                      </div>
                      <div className="flex flex-col gap-2">
                        <h3 className="text-sm font-semibold text-slate-900">{t("webhooks.log.attemptsTitle")}</h3>
                        <ol className="flex flex-col gap-2">
                          {opened.attemptsLog.map((a) => (
                            <li key={a.attempt} className="flex flex-col gap-1 rounded-lg bg-white p-3 text-sm">
                              <span className="font-medium text-slate-900">
                                {t("webhooks.log.attempt", { n: a.attempt })} · {when(a.startedAt)} · {t("webhooks.log.duration", { ms: a.durationMs })} ·{" "}
                                {a.statusCode !== null ? t("webhooks.log.lastCode", { code: a.statusCode }) : t("webhooks.log.noAnswer")}
                              </span>
                              {a.error && (
                                <span className="break-all text-red-700">
                                  {t("webhooks.log.error")}: {a.error}
                                </span>
                              )}
                              {a.responseBody && (
                                <span className="flex flex-col gap-1">
                                  <span className="text-xs text-slate-500">{t("webhooks.log.response")}</span>
                                  <pre className="max-h-40 overflow-auto whitespace-pre-wrap break-all text-xs text-slate-700">{a.responseBody}</pre>
                                </span>
                              )}
                            </li>
                          ))}
                        </ol>
                      </div>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {log.nextCursor && (
          <Link href={href({ status, cursor: log.nextCursor })} className="mt-4 inline-flex min-h-11 items-center text-sm font-medium text-brand-700 hover:underline">
            {t("webhooks.log.more")}
          </Link>
        )}
      </Card>
    </div>
  );
}
