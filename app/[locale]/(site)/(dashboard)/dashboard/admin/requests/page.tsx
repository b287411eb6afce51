import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RequestReviewActions, ReviewFeedbackProvider } from "@/components/organizations/request-review";
import { RequestStatusBadge } from "@/components/organizations/request-status-badge";
import { requirePageUser } from "@/lib/identity/guards";
import { formatDate } from "@/lib/i18n/format";
import { getLocale, getT } from "@/lib/i18n/server";
import { organizationDashboardPath } from "@/lib/organizations/organizations";
import { ADMIN_REQUESTS_PATH, listRequestsForReview } from "@/lib/organizations/requests";
import { actorOf } from "@/lib/permissions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("organizations.admin.title") };
}

export default async function AdminRequestsPage() {
  const user = await requirePageUser(ADMIN_REQUESTS_PATH);
  // The service answers FORBIDDEN to non-admins; the page does not advertise the admin area at all.
  if (!user.isPlatformAdmin) notFound();
  const [queue, t, locale] = await Promise.all([listRequestsForReview({ actor: actorOf(user) }), getT(), getLocale()]);
  const dateFormat = { format: (date: Date) => formatDate(date, locale, "medium") };

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("organizations.admin.title")}</h1>
        <p className="text-slate-600">{t("organizations.admin.intro")}</p>
      </header>

      <ReviewFeedbackProvider>
        <section aria-labelledby="pending-title" className="flex flex-col gap-3">
          <h2 id="pending-title" className="text-lg font-semibold text-slate-900 sm:text-xl">
            {t("organizations.admin.pendingTitle")} <span className="text-slate-500">({queue.pending.length})</span>
          </h2>
          {queue.pending.length === 0 ? (
            <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600" data-testid="pending-empty">
              {t("organizations.admin.pendingEmpty")}
            </p>
          ) : (
            <ul className="flex flex-col gap-3" data-testid="pending-requests">
              {queue.pending.map((r) => (
                <li key={r.id} className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="pending-request" data-slug={r.slug}>
                  <div className="flex flex-col gap-1">
                    <h3 className="break-words text-base font-semibold text-slate-900">{r.name}</h3>
                    <p className="break-all font-mono text-sm text-slate-500">/o/{r.slug}</p>
                  </div>
                  <p className="whitespace-pre-line break-words text-sm text-slate-700">{r.description ?? t("organizations.admin.noDescription")}</p>
                  <dl className="grid gap-1 text-sm sm:grid-cols-[auto_1fr] sm:gap-x-3">
                    <dt className="text-slate-500">{t("organizations.admin.requester")}</dt>
                    <dd className="min-w-0 break-words text-slate-800">
                      {r.requester.name}
                      {r.requester.email && <span className="text-slate-500"> · {r.requester.email}</span>}
                      {r.requester.telegramUsername && <span className="text-slate-500"> · @{r.requester.telegramUsername}</span>}
                    </dd>
                  </dl>
                  <p className="text-sm text-slate-500">{t("organizations.admin.submittedAt", { date: dateFormat.format(r.createdAt) })}</p>
                  <RequestReviewActions requestId={r.id} requestName={r.name} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </ReviewFeedbackProvider>

      <section aria-labelledby="reviewed-title" className="flex flex-col gap-3">
        <h2 id="reviewed-title" className="text-lg font-semibold text-slate-900 sm:text-xl">
          {t("organizations.admin.reviewedTitle")}
        </h2>
        {queue.reviewed.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600">{t("organizations.admin.reviewedEmpty")}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100 rounded-2xl border border-slate-200 bg-white px-4 shadow-sm" data-testid="reviewed-requests">
            {queue.reviewed.map((r) => (
              <li key={r.id} className="flex flex-col gap-1 py-3" data-testid="reviewed-request" data-slug={r.slug}>
                <div className="flex flex-col-reverse items-start gap-2 sm:flex-row sm:justify-between sm:gap-3">
                  <div className="min-w-0">
                    <p className="break-words font-medium text-slate-900">{r.name}</p>
                    <p className="break-all font-mono text-xs text-slate-500">/o/{r.slug}</p>
                  </div>
                  <RequestStatusBadge status={r.status}>{t(`organizations.request.status${r.status}`)}</RequestStatusBadge>
                </div>
                <p className="text-sm text-slate-500">
                  {r.requester.name}
                  {r.reviewer && r.reviewedAt && <> → {t("organizations.admin.reviewedBy", { name: r.reviewer.name, date: dateFormat.format(r.reviewedAt) })}</>}
                </p>
                {r.reviewComment && <p className="whitespace-pre-line break-words text-sm text-slate-700">{r.reviewComment}</p>}
                {r.organizationSlug && (
                  <Link href={organizationDashboardPath(r.organizationSlug)} className="self-start py-1 text-sm font-medium text-brand-700 underline underline-offset-2">
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
