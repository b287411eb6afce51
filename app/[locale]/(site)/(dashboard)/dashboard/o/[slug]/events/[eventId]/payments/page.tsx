// /dashboard/o/<slug>/events/<eventId>/payments — every payment of the event with its refunds, totals per
// currency, a status filter (?status=&page=) and the CSV (lib/payments/report.ts). `payments.view`
// (owner and moderators); the event must belong to the organization of the URL, else 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadEventPage } from "@/components/events/event-loader";
import { PaymentsView, paymentsHref } from "@/components/payments/payments-view";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { listPayments, paymentTotals } from "@/lib/payments/report";
import { actorOf } from "@/lib/permissions";

type Props = {
  params: Promise<{ slug: string; eventId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("paymentsAdmin.view.eventTitle") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function EventPaymentsPage({ params, searchParams }: Props) {
  const [{ slug, eventId }, raw] = await Promise.all([params, searchParams]);
  const path = `/dashboard/o/${encodeURIComponent(slug)}/events/${encodeURIComponent(eventId)}/payments`;
  const status = one(raw.status) || null;
  const pageNumber = Number(one(raw.page)) || 1;
  const user = await requirePageUser(paymentsHref(path, { status, page: pageNumber }));
  const actor = actorOf(user);
  const [{ event }, t, locale] = await Promise.all([loadEventPage(slug, eventId), getT(), getLocale()]);

  let page, totals;
  try {
    [page, totals] = await Promise.all([
      listPayments({ actor, eventId: event.id, status, page: pageNumber }),
      paymentTotals({ actor, eventId: event.id }),
    ]);
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    if (isAppError(error) && error.code === "VALIDATION") [page, totals] = await Promise.all([listPayments({ actor, eventId: event.id }), paymentTotals({ actor, eventId: event.id })]);
    else throw error;
  }

  return (
    <section aria-labelledby="event-payments" className="flex flex-col gap-4">
      <h2 id="event-payments" className="text-xl font-semibold text-slate-900">
        {t("paymentsAdmin.view.eventTitle")}
      </h2>
      <PaymentsView
        page={page}
        totals={totals}
        path={path}
        csvHref={paymentsHref(`/api/events/${encodeURIComponent(event.id)}/payments.csv`, { status: page.status })}
        showEvent={false}
        locale={locale}
        t={t}
      />
    </section>
  );
}
