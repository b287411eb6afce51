// POST /api/check-in/<eventId>/scan  ScanRequest → ScanResponse (lib/validation/check-in.ts).
// A refused ticket is a normal answer (200, result "refused" + reason); errors are access / input
// problems ({ ok: false, code, message }, 400/401/403/404/429). The nonce makes a retry return the
// first result. Hot path: the session (only with a session cookie) and then ONE statement that
// authorizes, counts the `checkin` device limit and scans (lib/check-in).
import { checkIn, checkInRequest, deviceIdOf } from "@/lib/check-in";
import { eventParams, jsonObject, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ session: "optional", limit: "checkin", params: eventParams, body: jsonObject, maxBodyBytes: 8 * 1024 }, async (ctx) => {
  const { eventId } = ctx.params;
  return checkIn({ ...(await checkInRequest(ctx, eventId, deviceIdOf(ctx.body))), eventId, scan: ctx.body });
});
