// POST /api/check-in/<eventId>/scan  ScanRequest → ScanResponse (lib/validation/check-in.ts).
// A refused ticket is a normal answer (200, result "refused" + reason); errors are access / input
// problems ({ ok: false, code, message }, 400/401/403/404/429). The nonce makes a retry return the
// first result.
import { checkIn } from "@/lib/check-in";
import { callerOf, deviceIdOf, handle, json, rateLimitFor, readJsonObject, type EventRouteContext } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const [caller, body] = await Promise.all([callerOf(request, eventId), readJsonObject(request, 8 * 1024)]);
    return json(await checkIn({ ...caller, eventId, scan: body, rateLimit: rateLimitFor(request, caller, deviceIdOf(body)) }));
  });
}
