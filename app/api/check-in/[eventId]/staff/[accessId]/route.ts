// DELETE /api/check-in/<eventId>/staff/<accessId> → StaffLinkRow: revokes a door-staff link (idempotent).
import { revokeStaffLink } from "@/lib/check-in";
import { callerOf, handle, json, limitCheckIn } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function DELETE(request: Request, context: { params: Promise<{ eventId: string; accessId: string }> }): Promise<Response> {
  return handle(request, async () => {
    const { eventId, accessId } = await context.params;
    const caller = await callerOf(request, eventId);
    await limitCheckIn(request, caller);
    return json(await revokeStaffLink({ actor: caller.actor, eventId, accessId }));
  });
}
