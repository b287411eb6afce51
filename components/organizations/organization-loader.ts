// The organization of a `/dashboard/o/<slug>/…` URL, loaded once per request for the layout and its
// pages (React cache). Access is checked by the service (lib/permissions); a slug the user may not
// see — unknown, deleted, another tenant — is a 404.
import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getOrganizationOverview, organizationDashboardPath, type OrganizationOverview } from "@/lib/organizations/organizations";
import { actorOf } from "@/lib/permissions";
import type { SessionUser } from "@/lib/identity/types";

export const loadOrganizationPage = cache(async (slug: string): Promise<{ user: SessionUser; overview: OrganizationOverview }> => {
  const user = await requirePageUser(organizationDashboardPath(slug));
  try {
    return { user, overview: await getOrganizationOverview({ actor: actorOf(user), slug }) };
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
});
