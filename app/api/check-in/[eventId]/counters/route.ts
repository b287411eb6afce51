// GET /api/check-in/<eventId>/counters → CheckInCounters: checked in / expected, in total and per
// ticket type (polled every few seconds by every scanner).
import { getCounters } from "@/lib/check-in";
import { callerOf, handle, json, rateLimitFor, type EventRouteContext } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const caller = await callerOf(request, eventId);
    return json(await getCounters({ ...caller, eventId, rateLimit: rateLimitFor(request, caller) }));
  });
}
