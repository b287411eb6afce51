// POST /api/analytics/beacon — one page view or registration-form opening of a public event page, sent
// by navigator.sendBeacon (components/public/analytics-beacon.tsx; a text/plain JSON body of at most
// 2 KiB: { e: eventId, s: "VIEW" | "FORM_OPEN", r?: referrer, u?: page URL }). No session, no cookie read
// for identity and none set; cross-site requests are refused (403); limit `analytics.beacon` per address
// (in process memory). Answers 204 whether the view was counted or dropped (Do Not Track / GPC, bots):
// the visitor's browser learns nothing either way. A malformed body is 400 with field errors. The count
// is kept in memory and written in batches (lib/analytics/beacon.ts): nothing here touches the database.
import { AppError } from "@/lib/errors";
import { readBeaconText, recordBeacon } from "@/lib/analytics/beacon";
import { NO_STORE, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ limit: "analytics.beacon", sameOrigin: true }, async ({ request }) => {
  // The edge's same-origin check trusts a matching Origin; a browser that says cross-site is refused too.
  if (request.headers.get("sec-fetch-site") === "cross-site") throw new AppError("FORBIDDEN", "errors.forbidden");
  recordBeacon({ headers: request.headers, text: await readBeaconText(request), requestUrl: request.url });
  return new Response(null, { status: 204, headers: NO_STORE });
});
