// The group of a `/dashboard/o/<slug>/groups/<id>` URL, loaded once per request for the layout and the
// page (React cache). Access is checked by the service (lib/groups); a group the user may not manage —
// unknown, another tenant's, or not of the organization in the URL — is a 404.
import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import { getGroupDetails, type GroupDetails } from "@/lib/groups";
import { requirePageUser } from "@/lib/identity/guards";
import type { SessionUser } from "@/lib/identity/types";
import { actorOf } from "@/lib/permissions";

export const loadGroupPage = cache(async (slug: string, groupId: string): Promise<{ user: SessionUser; group: GroupDetails }> => {
  const user = await requirePageUser(`/dashboard/o/${encodeURIComponent(slug)}/groups/${encodeURIComponent(groupId)}`);
  let group: GroupDetails;
  try {
    group = await getGroupDetails({ actor: actorOf(user), groupId });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  // The URL's organization must be the group's own.
  if (group.organization.slug !== slug) notFound();
  return { user, group };
});
