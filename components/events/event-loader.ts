// The event of a `/dashboard/o/<slug>/events/<eventId>/…` URL, loaded once per request for the layout
// and its pages (React cache). Access is checked by the service (`events.view`); an event the user may
// not see — unknown, deleted, another tenant's, or not of the organization in the URL — is a 404.
import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import { getEventForManage, type EventForManage } from "@/lib/events";
import { requirePageUser } from "@/lib/identity/guards";
import type { SessionUser } from "@/lib/identity/types";
import { actorOf } from "@/lib/permissions";

export const loadEventPage = cache(async (slug: string, eventId: string): Promise<{ user: SessionUser; event: EventForManage; base: string }> => {
  const base = `/dashboard/o/${encodeURIComponent(slug)}/events/${encodeURIComponent(eventId)}`;
  const user = await requirePageUser(base);
  let event: EventForManage;
  try {
    event = await getEventForManage({ actor: actorOf(user), eventId });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  if (event.organization.slug !== slug) notFound();
  return { user, event, base };
});
