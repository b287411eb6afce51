import type { ReactNode } from "react";
import { VerifyEmailBanner } from "@/components/account/verify-email-banner";
import { DashboardNav } from "@/components/layout/dashboard-nav";
import { requirePageUser } from "@/lib/identity/guards";
import { listMyOrganizations } from "@/lib/organizations/organizations";
import { countPendingRequests } from "@/lib/organizations/requests";
import { actorOf } from "@/lib/permissions";

/**
 * The cabinet shell: the real session check (proxy.ts only looks for a cookie), the navigation and
 * the organization switcher. Pages and services still check access themselves.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const actor = actorOf(user);
  const [organizations, pendingRequests] = await Promise.all([
    listMyOrganizations({ actor }),
    user.isPlatformAdmin ? countPendingRequests({ actor }) : Promise.resolve(0),
  ]);
  return (
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
  );
}
