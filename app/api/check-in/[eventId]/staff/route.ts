// Door-staff links of an event (organizer side, "checkin.manageStaff"):
//   GET  /api/check-in/<eventId>/staff            → { links: StaffLinkRow[] }
//   POST /api/check-in/<eventId>/staff  { label, expiresAt? } → 201 CreatedStaffLink (token shown once)
// Revoke: DELETE /api/check-in/<eventId>/staff/<accessId>. Types: lib/validation/check-in-staff.ts.
import { createStaffLink, limitCheckInNow, listStaffLinks } from "@/lib/check-in";
import { eventParams, json, jsonObject, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ session: "optional", limit: "checkin", params: eventParams }, async (ctx) => {
  const { eventId } = ctx.params;
  const caller = await limitCheckInNow(ctx, eventId);
  return listStaffLinks({ actor: caller.actor, eventId });
});

export const POST = route({ session: "optional", limit: "checkin", params: eventParams, body: jsonObject, maxBodyBytes: 4 * 1024 }, async (ctx) => {
  const { eventId } = ctx.params;
  const caller = await limitCheckInNow(ctx, eventId);
  return json(await createStaffLink({ actor: caller.actor, eventId, input: ctx.body }), 201);
});
