// GET /api/check-in/<eventId>/manifest → CheckInManifest (lib/validation/check-in.ts): the attendee
// list and the ticket key for offline checking. Staff of the organization or door staff of the event.
import { getManifest } from "@/lib/check-in";
import { callerOf, handle, json, rateLimitFor, type EventRouteContext } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const caller = await callerOf(request, eventId);
    return json(await getManifest({ ...caller, eventId, rateLimit: rateLimitFor(request, caller) }));
  });
}
