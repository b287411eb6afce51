// GET /api/check-in/staff/<token>: redeems a door-staff link (the URL the organizer shares, also the
// button the bot sends for /start staff_<token>). A valid link sets the door cookie for its event
// (aq_door_<eventId>: signed, httpOnly, sameSite=lax, until the link expires) and redirects to the
// scanner /check-in/<eventId>; a revoked, expired or unknown link redirects to
// /check-in/staff-refused?reason=… (or answers 403 JSON when the client asks for JSON).
// (Lives under /api because every page path is rewritten to /<locale>/… by proxy.ts.)
import { env } from "@/lib/env";
import { doorCookieName, redeemStaffToken, signDoorCookie } from "@/lib/check-in";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-address";
import { consumeForAddress } from "@/lib/rate-limit";
import { errorResponse, NO_STORE } from "../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Redeem attempts per address (a token has 256 random bits; this only keeps scanners of the route away). */
const REDEEM_LIMIT = { limit: 60, windowSeconds: 60 };

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

export async function GET(request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    const { token } = await context.params;
    const limited = await consumeForAddress("checkin.redeem", clientIp(request.headers), REDEEM_LIMIT);
    if (limited && !limited.allowed) throw new AppError("RATE_LIMITED", "errors.rateLimited");
    const redeemed = await redeemStaffToken(token);
    if (!redeemed.ok) {
      if (wantsJson(request)) return errorResponse(request, new AppError("FORBIDDEN", REFUSAL_KEYS[redeemed.reason]));
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
  } catch (error) {
    return errorResponse(request, error);
  }
}
