// GET /api/check-in/<eventId>/manifest?format=2[&since=<cursor>] → CompactManifest (lib/validation/check-in.ts):
// the attendee list for offline checking, whole or changed since the cursor; If-None-Match → 304.
// Without format=2: the format-1 CheckInManifest (a scanner page opened before format 2).
// Staff of the organization or door staff of the event.
import { checkInRequest, getCompactManifest, getManifest, manifestResponse } from "@/lib/check-in";
import { eventParams, route } from "@/lib/http/route";
import { MANIFEST_FORMAT } from "@/lib/validation/check-in";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ session: "optional", limit: "checkin", params: eventParams }, async (ctx) => {
  const { eventId } = ctx.params;
  const principal = { ...(await checkInRequest(ctx, eventId)), eventId };
  const query = new URL(ctx.request.url).searchParams;
  if (query.get("format") !== String(MANIFEST_FORMAT)) return getManifest(principal);
  return manifestResponse(
    await getCompactManifest({ ...principal, since: query.get("since"), ifNoneMatch: ctx.request.headers.get("if-none-match") }),
  );
});
