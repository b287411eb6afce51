// GET /api/events/<id>/availability — live seats per ticket type, whether registration is open, and
// the OPEN participants list: what the cached event page's island shows (components/public/live-tickets).
// Public events: cacheable for a few seconds by any cache (a sale shows within ~5 s). Private events:
// 404 unless the signed-in visitor may see the event; never cached by shared caches. Behind the route
// edge (errors: its JSON body, no-store); the session is read only when the anonymous answer is "not
// found" and the request carries a session cookie at all (hasSessionCookie).
import { isAppError } from "@/lib/errors";
import { eventParams, route } from "@/lib/http/route";
import { getCurrentUser } from "@/lib/identity/session";
import { hasSessionCookie } from "@/lib/identity/session-token";
import { getPublicAvailability, type PublicAvailability } from "@/lib/public/queries";
import { TtlCache } from "@/lib/public/ttl-cache";

/** The anonymous answer per event, kept as long as shared caches may keep it (s-maxage=5). */
const anonymous = new TtlCache<PublicAvailability>(5_000);

export const GET = route({ params: eventParams }, async ({ request, params: { eventId } }) => {
  try {
    const result = await anonymous.get(eventId, () => getPublicAvailability({ eventId, viewerId: null }));
    return Response.json(result, { headers: { "cache-control": "public, max-age=0, s-maxage=5, stale-while-revalidate=30" } });
  } catch (error) {
    if (!(isAppError(error) && error.code === "NOT_FOUND") || !hasSessionCookie(request.headers.get("cookie"))) throw error;
  }
  // Not visible anonymously: maybe a private event the signed-in visitor may see.
  const viewer = await getCurrentUser();
  const result = await getPublicAvailability({ eventId, viewerId: viewer?.id ?? null });
  return Response.json(result, { headers: { "cache-control": "private, no-store" } });
});
