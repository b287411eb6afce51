// POST /api/v1/events/:eventId/registrations — register for an event (public REST API).
//
// Body (JSON): { ticketTypeId, firstName?, lastName?, email?, customFields? }. Caller: the Auth.js
// session cookie (a signed-in user), else a guest where the event allows guests (lib/registrations).
// `Idempotency-Key` header: a retry with the same key and body returns the first result (201 again,
// `replayed: true`, header `Idempotent-Replayed: true`); the same key with another body → 409.
// Rate limits: per client address (lib/http/client-address.ts; only RATE_LIMIT_EXEMPT_IPS is exempt)
// and per signed-in user. Errors: `{ ok: false, code, message, messageKey, fieldErrors }` with the
// AppError's status (400 validation, 401, 404, 409 sold out / already registered, 429).
import { actorOf } from "@/lib/permissions";
import { AppError, type FieldErrors } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-address";
import { consumeForAddress } from "@/lib/rate-limit";
import { register } from "@/lib/registrations";
import { NO_STORE, callerOf, errorResponse, localeOf, readJsonObject } from "../../../_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Registration attempts per client address and per signed-in user (a rush is one attempt per person). */
export const REGISTRATION_RATE_LIMITS = {
  perIp: { limit: 120, windowSeconds: 60 },
  perUser: { limit: 20, windowSeconds: 60 },
} as const;

type Body = { ticketTypeId: string; firstName?: string | null; lastName?: string | null; email?: string | null; customFields?: unknown };

/** Shape only; the service validates the values (names, email, extra fields) and the rules. */
function parseBody(raw: Record<string, unknown>): Body {
  const fieldErrors: FieldErrors = {};
  const ticketTypeId = raw.ticketTypeId;
  if (typeof ticketTypeId !== "string" || ticketTypeId.trim() === "") fieldErrors.ticketTypeId = "api.errors.ticketTypeRequired";
  for (const key of ["firstName", "lastName", "email"] as const) {
    const v = raw[key];
    if (v !== undefined && v !== null && typeof v !== "string") fieldErrors[key] = "api.errors.fieldInvalid";
  }
  const customFields = raw.customFields;
  if (customFields !== undefined && customFields !== null && (typeof customFields !== "object" || Array.isArray(customFields))) {
    fieldErrors.customFields = "api.errors.fieldInvalid";
  }
  if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "errors.validation", fieldErrors);
  return {
    ticketTypeId: (ticketTypeId as string).trim(),
    firstName: raw.firstName as string | null | undefined,
    lastName: raw.lastName as string | null | undefined,
    email: raw.email as string | null | undefined,
    customFields: customFields ?? undefined,
  };
}

export async function POST(request: Request, context: { params: Promise<{ eventId: string }> }): Promise<Response> {
  try {
    const { eventId } = await context.params;
    const limited = await consumeForAddress("registration.create", clientIp(request.headers), REGISTRATION_RATE_LIMITS.perIp, { onPool: true });
    if (limited && !limited.allowed) {
      return errorResponse(request, new AppError("RATE_LIMITED", "errors.rateLimited"), { "retry-after": String(limited.retryAfterSeconds) });
    }
    const body = parseBody(await readJsonObject(request));
    // The caller and its per-user count in one statement.
    const { user, retryAfter } = await callerOf(request, { perUser: { prefix: "registration.create:user:", ...REGISTRATION_RATE_LIMITS.perUser } });
    if (retryAfter) return errorResponse(request, new AppError("RATE_LIMITED", "errors.rateLimited"), { "retry-after": String(retryAfter) });
    const result = await register({
      actor: actorOf(user),
      eventId,
      ...body,
      idempotencyKey: request.headers.get("idempotency-key"),
      // A guest's private ticket link also goes by email, in the request's language: the sale queues it
      // with the registration (once: a replayed request runs no sale).
      locale: localeOf(request),
    });
    return Response.json(
      { ok: true, registration: result },
      { status: 201, headers: { ...NO_STORE, ...(result.replayed ? { "idempotent-replayed": "true" } : {}) } },
    );
  } catch (error) {
    return errorResponse(request, error);
  }
}
