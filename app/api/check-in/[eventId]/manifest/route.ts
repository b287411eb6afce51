// GET /api/check-in/<eventId>/manifest → CheckInManifest (lib/validation/check-in.ts): the attendee
// list and the ticket key for offline checking. Staff of the organization or door staff of the event.
import { checkInRequest, getManifest } from "@/lib/check-in";
import { eventParams, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ session: "optional", limit: "checkin", params: eventParams }, async (ctx) => {
  const { eventId } = ctx.params;
  return getManifest({ ...(await checkInRequest(ctx, eventId)), eventId });
});
