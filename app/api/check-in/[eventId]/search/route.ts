// GET /api/check-in/<eventId>/search?q=… → { results: AttendeeRow[] } (manual check-in; at most 20).
// Door staff get no emails and match an email only exactly.
import { z } from "zod";
import { checkInRequest, searchAttendees } from "@/lib/check-in";
import { eventParams, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({ q: z.string().optional().default("") });

export const GET = route({ session: "optional", limit: "checkin", params: eventParams, query }, async (ctx) => {
  const { eventId } = ctx.params;
  return searchAttendees({ ...(await checkInRequest(ctx, eventId)), eventId, q: ctx.query.q });
});
