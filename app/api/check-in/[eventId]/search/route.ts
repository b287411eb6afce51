// GET /api/check-in/<eventId>/search?q=… → { results: AttendeeRow[] } (manual check-in; at most 20).
// Door staff get no emails and match an email only exactly.
import { searchAttendees } from "@/lib/check-in";
import { callerOf, handle, json, rateLimitFor, type EventRouteContext } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const caller = await callerOf(request, eventId);
    const q = new URL(request.url).searchParams.get("q") ?? "";
    return json(await searchAttendees({ ...caller, eventId, q, rateLimit: rateLimitFor(request, caller) }));
  });
}
