// GET /api/check-in/staff/<token>: redeems a door-staff link (the URL the organizer shares, also the
// button the bot sends for /start staff_<token>). A valid link sets the door cookie for its event
// (aq_door_<eventId>: signed, httpOnly, sameSite=lax, until the link expires) and redirects to the
// scanner /check-in/<eventId>; a revoked, expired or unknown link redirects to
// /check-in/staff-refused?reason=… (or answers 403 JSON when the client asks for JSON).
// (Lives under /api because every page path is rewritten to /<locale>/… by proxy.ts.)
import { z } from "zod";
import { env } from "@/lib/env";
import { doorCookieName, redeemStaffToken, signDoorCookie } from "@/lib/check-in";
import { AppError } from "@/lib/errors";
import { NO_STORE, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const REFUSAL_KEYS = {
  invalid: "checkIn.server.errors.accessInvalid",
  revoked: "checkIn.server.errors.accessRevoked",
  expired: "checkIn.server.errors.accessExpired",
  event_closed: "checkIn.server.refused.event_closed",
} as const;

function appUrl(path: string): string {
  return new URL(path, env().APP_URL.replace(/\/+$/, "") + "/").toString();
}

function wantsJson(request: Request): boolean {
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

function redirect(location: string, cookie?: string): Response {
  const headers = new Headers({ ...NO_STORE, location, "referrer-policy": "no-referrer" });
  if (cookie) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

const params = z.object({ token: z.string() });

// Rate limit `checkin.redeem` per address (lib/http/limits.ts), counted by the route edge.
export const GET = route({ limit: "checkin.redeem", params }, async ({ request, params: { token } }) => {
  const redeemed = await redeemStaffToken(token);
  if (!redeemed.ok) {
    if (wantsJson(request)) throw new AppError("FORBIDDEN", REFUSAL_KEYS[redeemed.reason]);
    return redirect(appUrl(`/check-in/staff-refused?reason=${redeemed.reason}`));
  }
  const secure = env().APP_URL.startsWith("https:");
  const value = signDoorCookie({ id: redeemed.accessId, eventId: redeemed.eventId, expiresAt: redeemed.expiresAt });
  const maxAge = Math.max(1, Math.floor((redeemed.expiresAt.getTime() - Date.now()) / 1000));
  const cookie = [
    `${doorCookieName(redeemed.eventId)}=${value}`,
    "Path=/",
    `Max-Age=${maxAge}`,
    `Expires=${redeemed.expiresAt.toUTCString()}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
  return redirect(appUrl(`/check-in/${redeemed.eventId}`), cookie);
});
