// Door-staff links of an event (organizer side, "checkin.manageStaff"):
//   GET  /api/check-in/<eventId>/staff            → { links: StaffLinkRow[] }
//   POST /api/check-in/<eventId>/staff  { label, expiresAt? } → 201 CreatedStaffLink (token shown once)
// Revoke: DELETE /api/check-in/<eventId>/staff/<accessId>. Types: lib/validation/check-in-staff.ts.
import { createStaffLink, listStaffLinks } from "@/lib/check-in";
import { callerOf, handle, json, limitCheckIn, readJsonObject, type EventRouteContext } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const caller = await callerOf(request, eventId);
    await limitCheckIn(request, caller);
    return json(await listStaffLinks({ actor: caller.actor, eventId }));
  });
}

export function POST(request: Request, context: EventRouteContext): Promise<Response> {
  return handle(request, async () => {
    const { eventId } = await context.params;
    const [caller, body] = await Promise.all([callerOf(request, eventId), readJsonObject(request, 4 * 1024)]);
    await limitCheckIn(request, caller);
    return json(await createStaffLink({ actor: caller.actor, eventId, input: body }), 201);
  });
}
