// DELETE /api/check-in/<eventId>/staff/<accessId> → StaffLinkRow: revokes a door-staff link (idempotent).
import { z } from "zod";
import { limitCheckInNow, revokeStaffLink } from "@/lib/check-in";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ eventId: z.string(), accessId: z.string() });

export const DELETE = route({ session: "optional", limit: "checkin", params }, async (ctx) => {
  const { eventId, accessId } = ctx.params;
  const caller = await limitCheckInNow(ctx, eventId);
  return revokeStaffLink({ actor: caller.actor, eventId, accessId });
});
