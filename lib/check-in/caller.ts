// The caller of a check-in API request, built from what the route edge (lib/http/route.ts) resolved:
// the signed-in user (ctx.user) and/or the door-staff cookie of this event, and the named limit
// `checkin` (lib/http/limits.ts) — its per-caller ceiling counted here in this process's memory, its
// per-(caller, device) bucket handed to the service, which counts it in its access statement (one
// round trip for authorization and limit). Anonymous requests are refused by the service without
// touching the database, so they are not counted.
import "server-only";
import type { ComposedLimit } from "@/lib/rate-limit";
import type { SessionUser } from "@/lib/identity/types";
import { actorOf } from "@/lib/permissions";
import type { CheckInPrincipal } from "./access";
import { doorAccessFromCookieHeader } from "./door-cookie";

/** What the check-in routes need of the route edge's context (a structural subset of RouteContext). */
export type CheckInEdge = {
  request: Request;
  user: SessionUser | null;
  ip: string;
  enforce: (subject: "device" | "caller", value: string | null | undefined) => Promise<void>;
  composed: (subject: "device" | "caller", value: string) => ComposedLimit;
};

export type CheckInCaller = CheckInPrincipal & { key: string | null };

/** The caller of a check-in request for this event. */
export function checkInCallerOf(ctx: Pick<CheckInEdge, "request" | "user">, eventId: string): CheckInCaller {
  const doorAccess = doorAccessFromCookieHeader(ctx.request.headers.get("cookie"), eventId);
  const actor = actorOf(ctx.user);
  const key = actor ? `u:${actor.userId}` : doorAccess ? `d:${doorAccess.accessId}` : null;
  return { actor, doorAccess, key };
}

/** The device a request comes from: X-Device-Id (the scanner's id), else the body's, else its address. */
function deviceOf(ctx: Pick<CheckInEdge, "request" | "ip">, bodyDeviceId?: string | null): string {
  const header = ctx.request.headers.get("x-device-id")?.trim();
  const device = header || bodyDeviceId?.trim() || `ip:${ctx.ip}`;
  return device.slice(0, 100);
}

/**
 * The caller and its rate limit: the per-caller ceiling is checked now (RATE_LIMITED), the per-device
 * bucket comes back for the service's statement (`rateLimit`).
 */
export async function checkInRequest(
  ctx: CheckInEdge,
  eventId: string,
  bodyDeviceId?: string | null,
): Promise<CheckInCaller & { rateLimit: ComposedLimit | undefined }> {
  const caller = checkInCallerOf(ctx, eventId);
  if (!caller.key) return { ...caller, rateLimit: undefined };
  await ctx.enforce("caller", caller.key);
  return { ...caller, rateLimit: ctx.composed("device", `${caller.key}:${deviceOf(ctx, bodyDeviceId)}`) };
}

/** Routes whose service does not count the limit itself (staff-link management): counted now. */
export async function limitCheckInNow(ctx: CheckInEdge, eventId: string): Promise<CheckInCaller> {
  const caller = checkInCallerOf(ctx, eventId);
  if (caller.key) {
    await ctx.enforce("caller", caller.key);
    await ctx.enforce("device", `${caller.key}:${deviceOf(ctx)}`);
  }
  return caller;
}

/** The scanner id a JSON body may carry (`deviceId`). */
export function deviceIdOf(body: Record<string, unknown>): string | null {
  return typeof body.deviceId === "string" ? body.deviceId : null;
}
