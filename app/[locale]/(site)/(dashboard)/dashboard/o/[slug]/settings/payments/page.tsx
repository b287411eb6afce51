// Settings → Payments (/dashboard/o/<slug>/settings/payments): the organization's payment methods. The
// owner connects and changes them; moderators see which are connected (hints only). Secrets never reach
// this page: lib/payments/accounts.ts returns public hints only.
import type { Metadata } from "next";
import Link from "next/link";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { PaymentAccountsSettings, type AccountState } from "@/components/payments/payment-accounts-settings";
import { Alert } from "@/components/ui/alert";
import { getT } from "@/lib/i18n/server";
import { listPaymentAccounts } from "@/lib/payments/accounts";
import { disconnectPaymentAccountAction, savePaymentAccountAction, testPaymentAccountAction } from "@/lib/payments/actions";
import { actorOf } from "@/lib/permissions";
import { PAYMENT_ACCOUNT_PROVIDERS, type PaymentAccountProvider } from "@/lib/validation/payment-accounts";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("paymentsAdmin.settingsTitle") };
}

export default async function PaymentSettingsPage({ params }: Props) {
  const { slug } = await params;
  const [{ user, overview }, t] = await Promise.all([loadOrganizationPage(slug), getT()]);
  const organizationId = overview.organization.id;
  const data = await listPaymentAccounts({ actor: actorOf(user), organizationId });
  const accounts = Object.fromEntries(
    PAYMENT_ACCOUNT_PROVIDERS.map((p) => {
      const a = data.accounts[p];
      return [
        p,
        a ? { publicHint: a.publicHint, shopId: a.shopId, manualInstructions: a.manualInstructions, verifiedAt: a.verifiedAt?.toISOString() ?? null } : null,
      ];
    }),
  ) as Record<PaymentAccountProvider, AccountState>;

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-2">
        <Link href={`/dashboard/o/${slug}/settings`} className="text-sm font-medium text-brand-700 hover:underline">
          ← {t("organizations.settings.title")}
        </Link>
        <h1 className="text-xl font-semibold text-slate-900 sm:text-2xl">{t("paymentsAdmin.settingsTitle")}</h1>
        <p className="text-sm text-slate-600">{t("paymentsAdmin.settingsIntro")}</p>
      </div>
      {data.acceptedCurrencies.length > 0 ? (
        <Alert variant="info">
          <span data-testid="payments-accepted">{t("paymentsAdmin.accepted", { list: data.acceptedCurrencies.join(", ") })}</span>
        </Alert>
      ) : (
        <Alert variant="error">{t("paymentsAdmin.acceptedNone")}</Alert>
      )}
      {!data.canManage && <p className="text-sm text-slate-600" data-testid="payments-owner-only">{t("paymentsAdmin.ownerOnly")}</p>}
      <PaymentAccountsSettings
        canManage={data.canManage}
        demoEnabled={data.demoEnabled}
        accounts={accounts}
        webhookUrls={data.webhookUrls}
        actions={{
          save: savePaymentAccountAction.bind(null, organizationId),
          disconnect: disconnectPaymentAccountAction.bind(null, organizationId),
          test: testPaymentAccountAction.bind(null, organizationId),
        }}
      />
    </div>
  );
}
