// GET /api/events/<id>/availability — live seats per ticket type, whether registration is open, and
// the OPEN participants list: what the cached event page's island shows (components/public/live-tickets).
// Public events: cacheable for a few seconds by any cache (a sale shows within ~5 s). Private events:
// 404 unless the signed-in visitor may see the event; never cached by shared caches.
import { isAppError } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { hasSessionCookie } from "@/lib/identity/session-token";
import { getPublicAvailability, type PublicAvailability } from "@/lib/public/queries";
import { TtlCache } from "@/lib/public/ttl-cache";

/** The anonymous answer per event, kept as long as shared caches may keep it (s-maxage=5). */
const anonymous = new TtlCache<PublicAvailability>(5_000);

type Context = { params: Promise<{ eventId: string }> };

export async function GET(request: Request, { params }: Context) {
  const { eventId: id } = await params;
  const hasSession = hasSessionCookie(request.headers.get("cookie"));
  try {
    let result;
    try {
      result = await anonymous.get(id, () => getPublicAvailability({ eventId: id, viewerId: null }));
      return Response.json(result, { headers: { "cache-control": "public, max-age=0, s-maxage=5, stale-while-revalidate=30" } });
    } catch (error) {
      if (!(isAppError(error) && error.code === "NOT_FOUND") || !hasSession) throw error;
    }
    // Not visible anonymously: maybe a private event the signed-in visitor may see.
    const viewer = await getCurrentUser();
    result = await getPublicAvailability({ eventId: id, viewerId: viewer?.id ?? null });
    return Response.json(result, { headers: { "cache-control": "private, no-store" } });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") return Response.json({ error: "NOT_FOUND" }, { status: 404, headers: { "cache-control": "no-store" } });
    throw error;
  }
}
