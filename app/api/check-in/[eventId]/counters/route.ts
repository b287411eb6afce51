// GET /api/check-in/<eventId>/counters → CheckInCounters: checked in / expected, in total and per
// ticket type (polled every few seconds by every scanner).
import { checkInRequest, getCounters } from "@/lib/check-in";
import { eventParams, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ session: "optional", limit: "checkin", params: eventParams }, async (ctx) => {
  const { eventId } = ctx.params;
  return getCounters({ ...(await checkInRequest(ctx, eventId)), eventId });
});
