import type { ReactNode } from "react";
import { VerifyEmailBanner } from "@/components/account/verify-email-banner";
import { DashboardNav } from "@/components/layout/dashboard-nav";
import { requirePageUser } from "@/lib/identity/guards";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";
import { listMyOrganizations } from "@/lib/organizations/organizations";
import { countPendingRequests } from "@/lib/organizations/requests";
import { actorOf } from "@/lib/permissions";

/**
 * The cabinet shell: the real session check (proxy.ts only looks for a cookie), the navigation and
 * the organization switcher. Pages and services still check access themselves.
 */
export default async function DashboardLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  const locale = isLocale(raw) ? raw : DEFAULT_LOCALE;
  const user = await requirePageUser();
  const actor = actorOf(user);
  const [organizations, pendingRequests] = await Promise.all([
    listMyOrganizations({ actor }),
    user.isPlatformAdmin ? countPendingRequests({ actor }) : Promise.resolve(0),
  ]);
  // The shell's client parts (navigation, switcher, e-mail banner) and the loading/error states every
  // section shares; each section adds its own namespaces (docs/i18n.md).
  const texts = pick(locale, ["organizations.nav", "organizations.switcher", "organizations.loading", "organizations.loadFailedTitle", "organizations.loadFailedText", "account.resend", "registrations.nav", "analytics.nav"]);
  return (
    <I18nProvider locale={locale} messages={texts}>
      <div className="mx-auto w-full max-w-5xl flex-1 px-4 py-4 sm:py-8 md:grid md:grid-cols-[14rem_minmax(0,1fr)] md:gap-8">
        <DashboardNav
          organizations={organizations.map((o) => ({ name: o.name, slug: o.slug, role: o.role }))}
          isPlatformAdmin={user.isPlatformAdmin}
          pendingRequests={pendingRequests}
        />
        <div className="flex min-w-0 flex-col">
          <VerifyEmailBanner />
          {children}
        </div>
      </div>
    </I18nProvider>
  );
}
