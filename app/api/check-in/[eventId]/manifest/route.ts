// GET /api/check-in/<eventId>/manifest?format=2[&since=<cursor>] → CompactManifest (lib/validation/check-in.ts):
// the attendee list for offline checking, whole or changed since the cursor; If-None-Match → 304.
// Without format=2: the format-1 CheckInManifest (a scanner page opened before format 2).
// Staff of the organization or door staff of the event.
import { getCompactManifest, getManifest, manifestResponse } from "@/lib/check-in";
import { MANIFEST_FORMAT } from "@/lib/validation/check-in";
import { callerOf, handle, json, rateLimitFor, type EventRouteContext } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const caller = await callerOf(request, eventId);
    const principal = { ...caller, eventId, rateLimit: rateLimitFor(request, caller) };
    const query = new URL(request.url).searchParams;
    if (query.get("format") !== String(MANIFEST_FORMAT)) return json(await getManifest(principal));
    return manifestResponse(
      await getCompactManifest({ ...principal, since: query.get("since"), ifNoneMatch: request.headers.get("if-none-match") }),
    );
  });
}
