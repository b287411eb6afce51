// /pay/return/<paymentId>?k=<key>: where the provider sends the buyer back. The key (an HMAC of the
// payment id, lib/payments/return-link.ts) or the signed-in owner may see the payment's state; anyone
// else reads "not found". The state is live (components/payments/payment-return.tsx polls the status
// route). Never cached, never indexed.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PaymentReturn } from "@/components/payments/payment-return";
import { Card } from "@/components/ui/card";
import { AppError } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { isLocale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import { getPaymentStatus } from "@/lib/payments";
import { actorOf } from "@/lib/permissions";

type Props = {
  params: Promise<{ locale: string; paymentId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("pay.return.metaTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function PaymentReturnPage({ params, searchParams }: Props) {
  const [{ locale, paymentId }, query, t, user] = await Promise.all([params, searchParams, getT(), getCurrentUser()]);
  const key = (Array.isArray(query.k) ? query.k[0] : query.k) ?? null;
  const view = await getPaymentStatus({ paymentId, actor: actorOf(user), returnKey: key }).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") return null;
    throw e;
  });
  if (!view) notFound();
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-4 px-4 py-4 sm:py-8">
      <Card aria-labelledby="pay-return-title" className="flex flex-col gap-4">
        <h1 id="pay-return-title" className="text-2xl font-bold text-slate-900">
          {t("pay.title")}
        </h1>
        <PaymentReturn initial={view} returnKey={key} locale={isLocale(locale) ? locale : "ru"} />
      </Card>
    </div>
  );
}
