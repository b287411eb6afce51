// POST /api/check-in/<eventId>/sync  SyncRequest → SyncResponse: the offline queue (≤ 500 scans),
// processed in scannedAt order; the earliest scan of a ticket wins, the others come back as conflicts.
import { syncScans } from "@/lib/check-in";
import { callerOf, handle, json, rateLimitFor, readJsonObject, type EventRouteContext } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const [caller, body] = await Promise.all([callerOf(request, eventId), readJsonObject(request, 1024 * 1024)]);
    const scans = Array.isArray(body.scans) ? (body.scans as { deviceId?: unknown }[]) : [];
    const deviceId = typeof scans[0]?.deviceId === "string" ? scans[0].deviceId : null;
    return json(await syncScans({ ...caller, eventId, body, rateLimit: rateLimitFor(request, caller, deviceId) }));
  });
}
