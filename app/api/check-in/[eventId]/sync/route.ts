// POST /api/check-in/<eventId>/sync  SyncRequest → SyncResponse: the offline queue (≤ 500 scans),
// processed in scannedAt order; the earliest scan of a ticket wins, the others come back as conflicts.
import { checkInRequest, syncScans } from "@/lib/check-in";
import { eventParams, jsonObject, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ session: "optional", limit: "checkin", params: eventParams, body: jsonObject, maxBodyBytes: 1024 * 1024 }, async (ctx) => {
  const { eventId } = ctx.params;
  const scans = Array.isArray(ctx.body.scans) ? (ctx.body.scans as { deviceId?: unknown }[]) : [];
  const deviceId = typeof scans[0]?.deviceId === "string" ? scans[0].deviceId : null;
  return syncScans({ ...(await checkInRequest(ctx, eventId, deviceId)), eventId, body: ctx.body });
});
