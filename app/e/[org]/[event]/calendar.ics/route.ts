// GET /e/<org>/<event>/calendar.ics — the event as an iCalendar file (Apple Calendar, Outlook).
// Outside [locale]: proxy.ts skips paths with an extension. A private event is a 404 unless the
// signed-in visitor may see it (same rule as the page: lib/public/queries.ts).
import { buildIcs, icsFileName } from "@/lib/events/calendar";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { hasSessionCookie } from "@/lib/identity/session-token";
import { absoluteBase, eventPath } from "@/lib/public/format";
import { getPublicEvent } from "@/lib/public/queries";

type Context = { params: Promise<{ org: string; event: string }> };

export async function GET(request: Request, { params }: Context) {
  const { org, event: slug } = await params;
  // Read the session only when there is a session cookie (anonymous downloads stay cheap).
  const viewer = hasSessionCookie(request.headers.get("cookie")) ? await getCurrentUser() : null;
  try {
    const event = await getPublicEvent({ organizationSlug: org, slug, viewerId: viewer?.id ?? null });
    const url = `${absoluteBase(env().APP_URL)}${eventPath(event.organization.slug, event.slug)}`;
    const location = event.locationType === "ONLINE" ? "Online" : event.locationType === "HYBRID" ? [event.locationAddress, "Online"].filter(Boolean).join(" · ") : event.locationAddress;
    const body = buildIcs({ ...event, location, url, organizerName: event.organization.name }, { now: new Date() });
    return new Response(body, {
      headers: {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": `attachment; filename="${icsFileName(event.slug)}"`,
        "cache-control": event.isPrivate ? "private, no-store" : "public, max-age=0, s-maxage=300, stale-while-revalidate=3600",
      },
    });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
    throw error;
  }
}
