// GET /api/widget/events/:eventId — what the embeddable widget shows (docs/widget.md): the public event's
// title, date, place, ticket types with price and live seats, and the guest form (lib/widget). Any
// origin, no cookies (CORS `*`). Draft, private, deleted → 404. The answer per event is kept ~5 s by
// this server (lib/widget: forgotten at once by a sale through the widget) and by shared caches (a sale
// shows within seconds), like the event page's live seats.
import { corsHandler, corsPreflight } from "@/lib/http/cors";
import { eventParams, json, route } from "@/lib/http/route";
import { getWidgetEventCached } from "@/lib/widget";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = corsHandler(
  route({ params: eventParams }, async ({ params: { eventId } }) => {
    const event = await getWidgetEventCached(eventId);
    return json({ ok: true, event }, 200, { "cache-control": "public, max-age=5, s-maxage=5, stale-while-revalidate=30" });
  }),
);

export function OPTIONS(): Response {
  return corsPreflight(["GET"]);
}
