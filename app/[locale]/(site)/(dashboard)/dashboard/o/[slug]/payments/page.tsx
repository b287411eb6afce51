// /dashboard/o/<slug>/payments — every payment of the organization with its refunds, totals per currency,
// a status filter (?status=&page=) and the CSV (lib/payments/report.ts), plus the way to the payment
// methods (settings → Payments). `payments.view` (owner and moderators); anyone else gets a 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { PaymentsView, paymentsHref } from "@/components/payments/payments-view";
import { LinkButton } from "@/components/ui/link-button";
import { isAppError } from "@/lib/errors";
import { getLocale, getT } from "@/lib/i18n/server";
import { listPayments, paymentTotals } from "@/lib/payments/report";
import { actorOf } from "@/lib/permissions";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("paymentsAdmin.view.title") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function OrganizationPaymentsPage({ params, searchParams }: Props) {
  const [{ slug }, raw] = await Promise.all([params, searchParams]);
  const path = `/dashboard/o/${encodeURIComponent(slug)}/payments`;
  const [{ user, overview }, t, locale] = await Promise.all([loadOrganizationPage(slug), getT(), getLocale()]);
  const actor = actorOf(user);
  const organizationId = overview.organization.id;
  const status = one(raw.status) || null;
  const pageNumber = Number(one(raw.page)) || 1;

  let page, totals;
  try {
    [page, totals] = await Promise.all([listPayments({ actor, organizationId, status, page: pageNumber }), paymentTotals({ actor, organizationId })]);
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    if (isAppError(error) && error.code === "VALIDATION") [page, totals] = await Promise.all([listPayments({ actor, organizationId }), paymentTotals({ actor, organizationId })]);
    else throw error;
  }

  return (
    <section aria-labelledby="organization-payments" className="flex flex-col gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <h1 id="organization-payments" className="text-xl font-semibold text-slate-900 sm:text-2xl">
          {t("paymentsAdmin.view.title")}
        </h1>
        <LinkButton href={`/dashboard/o/${encodeURIComponent(slug)}/settings/payments`} variant="secondary" data-testid="payments-settings-link">
          {t("paymentsAdmin.settingsTitle")}
        </LinkButton>
      </div>
      <PaymentsView
        page={page}
        totals={totals}
        path={path}
        csvHref={paymentsHref(`/api/organizations/${encodeURIComponent(organizationId)}/payments.csv`, { status: page.status })}
        showEvent
        locale={locale}
        t={t}
      />
    </section>
  );
}
