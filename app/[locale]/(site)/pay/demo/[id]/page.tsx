// /pay/demo/<id>: the demo provider's checkout page (lib/payments/providers/demo.ts). Says plainly that
// no money moves; lists the test cards; "Back" returns to the site as a provider's cancel link does.
// The id is the page's capability (like a provider's hosted checkout URL). Not found while demo
// payments are off.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DemoCheckoutForm, DemoReturn } from "@/components/payments/demo-checkout-form";
import { formatPrice } from "@/components/tickets/format";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { isLocale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import { DEMO_CARDS, getDemoCheckout } from "@/lib/payments/providers/demo";
import { paymentsDemoEnabled } from "@/lib/payments/providers/demo-mode";

type Props = { params: Promise<{ locale: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("paymentsDemo.metaTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

const CARD_ROWS = [
  ["success", DEMO_CARDS.success],
  ["decline", DEMO_CARDS.decline],
  ["delayed", DEMO_CARDS.delayed],
  ["webhookOnly", DEMO_CARDS.webhookOnly],
] as const;

function spaced(card: string): string {
  return card.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export default async function DemoCheckoutPage({ params, searchParams }: Props) {
  const [{ locale: rawLocale, id }, query, t] = await Promise.all([params, searchParams, getT()]);
  const waited = query.processing === "1";
  const locale = isLocale(rawLocale) ? rawLocale : "ru";
  if (!paymentsDemoEnabled()) notFound();
  const checkout = await getDemoCheckout(id);
  if (!checkout) notFound();
  const amount = formatPrice(checkout.amountCents, checkout.currency, locale);
  const open = checkout.status === "PENDING" && !checkout.expired;

  let body;
  if (open) {
    body = <DemoCheckoutForm id={checkout.id} amountLabel={amount} processing={checkout.processing} declined={checkout.failureReason !== null} />;
  } else if (checkout.status === "SUCCEEDED" && waited) {
    body = <DemoReturn returnUrl={checkout.returnUrl} />;
  } else if (checkout.status === "SUCCEEDED") {
    body = (
      <Alert variant="success" title={t("paymentsDemo.paidTitle")}>
        <span data-testid="demo-state-paid">{t("paymentsDemo.paidText")}</span>
      </Alert>
    );
  } else if (checkout.expired) {
    body = (
      <Alert variant="error" title={t("paymentsDemo.expiredTitle")}>
        <span data-testid="demo-state-expired">{t("paymentsDemo.expiredText")}</span>
      </Alert>
    );
  } else {
    body = (
      <Alert variant="error" title={t("paymentsDemo.failedTitle")}>
        <span data-testid="demo-state-failed">{t("paymentsDemo.failedText")}</span>
      </Alert>
    );
  }

  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-4 px-4 py-4 sm:py-8">
      <div role="note" data-testid="demo-banner" className="rounded-2xl border-2 border-amber-400 bg-amber-50 p-4 text-amber-950">
        <p className="text-lg font-bold sm:text-xl">{t("paymentsDemo.banner")}</p>
        <p className="mt-1 text-sm">{t("paymentsDemo.bannerText")}</p>
      </div>
      <Card className="flex flex-col gap-4">
        <header className="flex flex-col gap-1">
          <h1 className="text-xl font-bold text-slate-900">{t("paymentsDemo.title")}</h1>
          <p className="text-slate-700">{checkout.description}</p>
          <p className="text-sm text-slate-500">{t("paymentsDemo.amount")}</p>
          <p className="text-2xl font-bold text-slate-900" data-testid="demo-amount">
            {amount}
          </p>
        </header>
        {body}
        <a
          href={checkout.returnUrl}
          className="inline-flex min-h-11 items-center justify-center text-sm font-medium text-brand-700 hover:underline"
          data-testid="demo-back"
        >
          {checkout.status === "SUCCEEDED" ? t("paymentsDemo.continue") : t("paymentsDemo.back")}
        </a>
      </Card>
      {open && (
        <section aria-labelledby="demo-cards" className="rounded-2xl bg-slate-50 p-4 text-sm text-slate-700">
          <h2 id="demo-cards" className="mb-2 font-semibold text-slate-900">
            {t("paymentsDemo.testCards")}
          </h2>
          <ul className="flex flex-col gap-2">
            {CARD_ROWS.map(([key, number]) => (
              <li key={key} className="flex flex-col">
                <span className="font-mono text-base text-slate-900 select-all">{spaced(number)}</span>
                <span>{t(`paymentsDemo.cards.${key}`)}</span>
              </li>
            ))}
          </ul>
          <p className="mt-2 text-slate-500">{t("paymentsDemo.anyDate")}</p>
        </section>
      )}
    </div>
  );
}
